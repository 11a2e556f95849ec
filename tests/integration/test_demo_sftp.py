"""The demo's claim cycle through a real SFTP server (a loopback sshd chrooted at the sandbox mailbox) ends exactly
as it does through the sandbox folder: the transport does not change what the payer answers."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.sandbox.sshd import HOST, SSHD
from medbill.bootstrap import Container, Settings, build, sandbox_clearinghouse, sandbox_over_sftp
from medbill.services.demo import DemoSummary, build_demo
from tests.support import FixedClock, migrated_sqlite_url

pytestmark = [
    pytest.mark.skipif(not SSHD.exists(), reason="needs Debian's openssh-server (/usr/sbin/sshd): make system-deps"),
    pytest.mark.skipif(os.geteuid() != 0, reason="the sandbox sshd chroots a user of its own: runs as root"),
]

PATIENTS = 40


@pytest.fixture
def mailboxes() -> Iterator[Path]:
    """Room for the sandbox mailboxes where sshd accepts a chroot (root's folders only: not under /tmp)."""
    folder = Path(tempfile.mkdtemp(prefix="medbill-demo-sftp-", dir="/srv"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _container(database: Path, sandbox_dir: Path, clock: FixedClock) -> Container:
    settings = Settings(
        database_url=migrated_sqlite_url(database),
        sandbox_dir=sandbox_dir,
        fast_password_hashing=True,
        secret_key="test-secret",
    )
    return build(settings, clock=clock)


def _outcome(summary: DemoSummary) -> tuple[object, ...]:
    return (
        summary.claims_batched,
        summary.claim_states,
        summary.remittances,
        summary.secondary_claims,
        summary.ledger,
        summary.queues,
        summary.statements,
        summary.eligibility,
        summary.estimates,
    )


def test_the_demo_cycle_over_sftp_ends_as_over_the_folder(tmp_path: Path, clock: FixedClock, mailboxes: Path) -> None:
    folder = _container(tmp_path / "directory.db", mailboxes / "directory", clock)
    try:
        through_folder = build_demo(
            folder.deps, patients_count=PATIENTS, clearinghouse=sandbox_clearinghouse(folder, fresh=True)
        )
    finally:
        folder.close()

    (tmp_path / "edi").mkdir()
    container = _container(tmp_path / "sftp.db", mailboxes / "sftp", clock)
    reasons: list[str] = []
    try:
        started = sandbox_over_sftp(container, fresh=True, why=reasons.append)
        assert started is not None, reasons
        mailbox, stop = started
        try:
            assert mailbox.transport == "sftp"
            through_sftp = build_demo(
                container.deps, patients_count=PATIENTS, edi_out=tmp_path / "edi", clearinghouse=mailbox
            )
        finally:
            stop()
    finally:
        container.close()

    assert _outcome(through_sftp) == _outcome(through_folder)
    assert through_sftp.claim_states == {
        "paid": 14,
        "partially_paid": 14,
        "rejected": 2,
        "scrubbed": 5,
        "secondary_billed": 4,
    }
    # every file went up through sshd (the payer answered each) and every answer came down through it
    outbound = sorted(p.name for p in (mailboxes / "sftp" / "outbound").iterdir())
    assert outbound and outbound == sorted((mailboxes / "sftp" / "answered.txt").read_text().split())
    assert {p.name.split("_", 1)[0] for p in (tmp_path / "edi").iterdir()} == {
        "270",
        "271",
        "277CA",
        "835",
        "837P",
        "999",
    }
    # stopped: nothing listens, the user is gone, the folders are root's again
    with pytest.raises(OSError), socket.create_connection((HOST, mailbox.sftp.config.port), timeout=1):
        pass
    with pytest.raises(KeyError):
        pwd.getpwnam(mailbox.sftp.config.username)
    assert (mailboxes / "sftp" / "outbound").stat().st_uid == 0
