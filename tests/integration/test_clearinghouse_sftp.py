"""The SFTP transport against a real OpenSSH sshd on loopback, through the services that archive every file."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.sftp import SftpClearinghouse
from medbill.domain.errors import ClearinghouseError, HostKeyRejected
from medbill.services import clearinghouse as exchange
from medbill.services.ports import FileDirection, FileStatus
from tests.integration.sftp_server import HOST, KEY_PASSPHRASE, SftpServer, fingerprint_of, free_port, sftp, sftp_server
from tests.support import FixedClock, Practice

__all__ = ["sftp", "sftp_server"]  # fixtures


def x12(set_id: str, version: str, control: str = "000000001") -> bytes:
    """A synthetic interchange with one empty transaction set (no PHI: the tests only move files)."""
    isa = (
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{'CLEARINGHOUSE':15}*ZZ*{'TESTPRACTICE':15}*261126*1530*^*00501*{control}*0*T*:~"
    )
    assert len(isa) == 106
    return f"{isa}\nGS*FA*CH*TP*20261126*1530*1*X*{version}~\nST*{set_id}*0001*{version}~\nSE*2*0001~\nGE*1*1~\nIEA*1*{control}~\n".encode()


class CountingSftp(SftpClearinghouse):
    """Counts downloads, to show that a file already archived is not downloaded again."""

    fetched: list[str]

    def fetch(self, remote_name: str) -> bytes:
        self.fetched.append(remote_name)
        return super().fetch(remote_name)


def counting(server: SftpServer, **overrides: object) -> CountingSftp:
    mailbox = CountingSftp(server.config(**overrides))
    mailbox.fetched = []
    return mailbox


def logins(server: SftpServer) -> list[str]:
    """The server's log lines about login attempts (accepted or failed)."""
    return [line for line in server.log.read_text().splitlines() if line.startswith(("Accepted ", "Failed "))]


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_sent_file_lands_whole_in_the_outbound_folder_and_is_archived_as_sent(
    practice: Practice, sftp: SftpServer
) -> None:
    deps, biller = practice.container.deps, practice.biller
    claim_file = x12("837", "005010X222A1")

    sent = exchange.send_file(deps, biller, SftpClearinghouse(sftp.config()), "batch-0001.x12", claim_file, "837P")

    assert visible(sftp.outbound) == {"batch-0001.x12": claim_file}
    assert list(sftp.outbound.iterdir()) == [sftp.outbound / "batch-0001.x12"]  # no temporary file left behind
    assert (sent.direction, sent.status, sent.transport, sent.mailbox) == ("outbound", "sent", "sftp", "test-sftp")
    assert (sent.remote_name, sent.x12_kind, sent.size_bytes) == ("batch-0001.x12", "837P", len(claim_file))
    assert sent.sha256 == hashlib.sha256(claim_file).hexdigest()
    again = exchange.archived_file(deps, biller, sent.id)
    assert again.content == claim_file
    assert again.file == sent


def test_the_naming_pattern_names_the_remote_file(practice: Practice, sftp: SftpServer) -> None:
    mailbox = SftpClearinghouse(
        sftp.config(file_name_pattern="P123_{stem}_{timestamp}{suffix}"),
        now=lambda: datetime(2026, 11, 26, 15, 30, 5, tzinfo=UTC),
    )

    sent = exchange.send_file(practice.container.deps, practice.biller, mailbox, "837P.x12", b"synthetic")

    assert sent.remote_name == "P123_837P_20261126153005.x12"
    assert visible(sftp.outbound) == {"P123_837P_20261126153005.x12": b"synthetic"}


def test_answers_are_fetched_once_a_changed_one_again_and_nothing_is_deleted_remotely(
    practice: Practice, sftp: SftpServer, clock: FixedClock
) -> None:
    deps, biller = practice.container.deps, practice.biller
    clock.current = datetime.now(UTC) + timedelta(minutes=1)  # the files' times are the real clock's
    ack = x12("999", "005010X231A1")
    claim_ack = x12("277", "005010X214")
    (sftp.inbound / "ack-1.999").write_bytes(ack)
    (sftp.inbound / "claims-1.277").write_bytes(claim_ack)
    (sftp.inbound / ".upload-in-progress").write_bytes(b"partial")  # hidden: never listed
    mailbox = counting(sftp)

    first = exchange.poll(deps, biller, mailbox)

    assert sorted((f.file.remote_name, f.file.x12_kind, f.content) for f in first) == [
        ("ack-1.999", "999", ack),
        ("claims-1.277", "277CA", claim_ack),
    ]
    assert {f.file.status for f in first} == {FileStatus.RECEIVED}
    assert sorted(mailbox.fetched) == ["ack-1.999", "claims-1.277"]

    assert exchange.poll(deps, biller, mailbox) == []
    assert sorted(mailbox.fetched) == ["ack-1.999", "claims-1.277"]  # the second poll downloaded nothing

    changed = x12("999", "005010X231A1", control="000000002") + b"\n"
    (sftp.inbound / "ack-1.999").write_bytes(changed)
    later = time.time() + 5
    os.utime(sftp.inbound / "ack-1.999", (later, later))
    third = exchange.poll(deps, biller, mailbox)

    assert [(f.file.remote_name, f.content) for f in third] == [("ack-1.999", changed)]
    assert sorted(visible(sftp.inbound)) == ["ack-1.999", "claims-1.277"]  # nothing deleted on the server
    archive = exchange.list_files(deps, biller, direction="inbound")
    assert sorted((f.remote_name, f.sha256) for f in archive) == sorted(
        [
            ("ack-1.999", hashlib.sha256(ack).hexdigest()),
            ("ack-1.999", hashlib.sha256(changed).hexdigest()),
            ("claims-1.277", hashlib.sha256(claim_ack).hexdigest()),
        ]
    )


def test_the_same_bytes_under_the_same_name_are_archived_once_even_when_downloaded_again(
    practice: Practice, sftp: SftpServer
) -> None:
    deps, biller = practice.container.deps, practice.biller
    (sftp.inbound / "remit-1.835").write_bytes(x12("835", "005010X221A1"))
    mailbox = counting(sftp)  # the fixed clock is hours before the files' times: they never look settled

    assert len(exchange.poll(deps, biller, mailbox)) == 1
    assert exchange.poll(deps, biller, mailbox) == []
    assert mailbox.fetched == ["remit-1.835", "remit-1.835"]
    assert len(exchange.list_files(deps, biller, direction="inbound")) == 1


def test_delete_after_fetch_removes_a_file_only_once_it_is_archived(practice: Practice, sftp: SftpServer) -> None:
    deps, biller = practice.container.deps, practice.biller
    (sftp.inbound / "ack-2.999").write_bytes(x12("999", "005010X231A1"))
    (sftp.inbound / "notes.txt").write_bytes(b"not ours")

    fetched = exchange.poll(deps, biller, SftpClearinghouse(sftp.config(delete_after_fetch=True, inbound_glob="*.999")))

    assert [f.file.remote_name for f in fetched] == ["ack-2.999"]
    assert visible(sftp.inbound) == {"notes.txt": b"not ours"}
    assert exchange.archived_file(deps, biller, fetched[0].file.id).content == x12("999", "005010X231A1")


def test_an_existing_remote_file_is_never_overwritten(practice: Practice, sftp: SftpServer) -> None:
    deps, biller = practice.container.deps, practice.biller
    (sftp.outbound / "batch-0002.x12").write_bytes(b"already there")

    with pytest.raises(ClearinghouseError) as refused:
        exchange.send_file(deps, biller, SftpClearinghouse(sftp.config()), "batch-0002.x12", b"new bytes")

    assert refused.value.code == "clearinghouse_conflict"
    assert visible(sftp.outbound) == {"batch-0002.x12": b"already there"}
    assert exchange.list_files(deps, biller) == []


@pytest.mark.parametrize("configured", ["another server's key", "none"])
def test_a_host_key_that_is_not_the_configured_one_is_refused(
    sftp: SftpServer, tmp_path: Path, configured: str
) -> None:
    if configured == "none":
        config = sftp.config(host_key_fingerprint=None)
    else:
        other = fingerprint_of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")
        config = sftp.config(host_key_fingerprint=other)

    logins_before = logins(sftp)

    with pytest.raises(HostKeyRejected) as refused:
        SftpClearinghouse(config).list_inbound()

    assert logins(sftp) == logins_before  # refused before any credential was offered
    message = str(refused.value)
    assert refused.value.code == "host_key_rejected"
    assert f"{HOST}:{sftp.port}" in message
    assert sftp.host_key_fingerprint in message  # the key it offered, to check with the clearinghouse


def test_trust_on_first_use_records_the_host_key_and_then_holds_to_it(sftp: SftpServer, tmp_path: Path) -> None:
    known_hosts = tmp_path / "known_hosts"
    config = sftp.config(host_key_fingerprint=None, known_hosts_file=known_hosts, trust_on_first_use=True)

    assert SftpClearinghouse(config).list_inbound() == []
    recorded = known_hosts.read_text()
    assert recorded.startswith(f"[{HOST}]:{sftp.port} ssh-ed25519 ")

    assert SftpClearinghouse(config).list_inbound() == []  # the recorded key matches
    impostor = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    known_hosts.write_text(f"[{HOST}]:{sftp.port} {impostor}\n")
    with pytest.raises(HostKeyRejected, match="does not match the one recorded"):
        SftpClearinghouse(config).list_inbound()
    assert known_hosts.read_text() == f"[{HOST}]:{sftp.port} {impostor}\n"  # a mismatch is never overwritten


def test_a_password_or_key_passphrase_comes_from_the_environment_and_never_shows_in_errors(sftp: SftpServer) -> None:
    by_password = sftp.config(key_file=None, password_env="TEST_SFTP_PASSWORD")
    assert SftpClearinghouse(by_password, environ={"TEST_SFTP_PASSWORD": sftp.password}).list_inbound() == []
    by_locked_key = sftp.config(key_file=sftp.encrypted_client_key, key_passphrase_env="TEST_SFTP_PASSPHRASE")
    assert SftpClearinghouse(by_locked_key, environ={"TEST_SFTP_PASSPHRASE": KEY_PASSPHRASE}).list_inbound() == []

    with pytest.raises(ClearinghouseError) as refused:
        SftpClearinghouse(by_password, environ={"TEST_SFTP_PASSWORD": "wrong-synthetic-password"}).list_inbound()
    assert refused.value.code == "clearinghouse_auth_failed"
    assert "wrong-synthetic-password" not in str(refused.value)
    assert sftp.username in str(refused.value)

    with pytest.raises(ClearinghouseError) as unset:
        SftpClearinghouse(by_password, environ={}).list_inbound()
    assert unset.value.code == "clearinghouse_misconfigured"
    assert "TEST_SFTP_PASSWORD" in str(unset.value)

    with pytest.raises(ClearinghouseError) as locked:
        SftpClearinghouse(by_locked_key, environ={"TEST_SFTP_PASSPHRASE": "not it"}).list_inbound()
    assert locked.value.code == "clearinghouse_misconfigured"
    assert "not it" not in str(locked.value)


def test_a_server_that_is_down_is_a_clear_error_and_nothing_is_archived(practice: Practice, sftp: SftpServer) -> None:
    deps, biller = practice.container.deps, practice.biller
    port = free_port()  # nothing listens there
    mailbox = SftpClearinghouse(sftp.config(port=port))

    with pytest.raises(ClearinghouseError) as down:
        exchange.send_file(deps, biller, mailbox, "batch-0003.x12", x12("837", "005010X222A1"))
    with pytest.raises(ClearinghouseError) as down_poll:
        exchange.poll(deps, biller, mailbox)

    for error in (down.value, down_poll.value):
        assert error.code == "clearinghouse_unreachable"
        assert f"{HOST}:{port}" in str(error)
    assert down.value.maybe_delivered is False
    assert exchange.list_files(deps, biller) == []


def test_a_connection_dropped_mid_upload_is_an_error_and_nothing_is_marked_sent(
    practice: Practice, sftp: SftpServer
) -> None:
    deps, biller = practice.container.deps, practice.biller
    big = b"ISA" + os.urandom(24 * 1024 * 1024)  # synthetic bytes, large enough to be cut part-way

    def cut_when_the_upload_is_under_way() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            parts = [p for p in sftp.outbound.iterdir() if p.name.endswith(".part")]
            if parts and parts[0].stat().st_size > 1024 * 1024:
                sftp.stop()  # the listener and every session: the connection drops mid-upload
                return
            time.sleep(0.001)

    cutter = threading.Thread(target=cut_when_the_upload_is_under_way)
    cutter.start()
    try:
        with pytest.raises(ClearinghouseError) as dropped:
            exchange.send_file(deps, biller, SftpClearinghouse(sftp.config()), "batch-0004.x12", big)
    finally:
        cutter.join()

    assert not sftp.running, "the upload finished before the connection could be cut"
    assert dropped.value.code == "clearinghouse_unreachable"
    assert dropped.value.maybe_delivered is False
    assert f"{HOST}:{sftp.port}" in str(dropped.value)
    assert visible(sftp.outbound) == {}  # at most a hidden partial upload, which no clearinghouse picks up
    assert exchange.list_files(deps, biller, direction=FileDirection.OUTBOUND) == []


def test_a_server_that_never_speaks_ssh_times_out_with_a_clear_error(sftp: SftpServer) -> None:
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(1)  # accepts connections (the kernel does) but never answers
        port = silent.getsockname()[1]
        started = time.monotonic()

        with pytest.raises(ClearinghouseError) as hung:
            SftpClearinghouse(sftp.config(port=port, connect_timeout_seconds=0.5)).list_inbound()

    assert time.monotonic() - started < 5
    assert hung.value.code == "clearinghouse_unreachable"
    assert f"{HOST}:{port}" in str(hung.value)
    assert "no SSH session within 0.5 s" in str(hung.value)
