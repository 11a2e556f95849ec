"""A real OpenSSH sshd for the SFTP tests: loopback, a free port, its own host key, a chrooted sftp-only user.

Import the fixtures into a test module (``from tests.integration.sftp_server import sftp, sftp_server``). The server
lives for the session and is torn down with everything it made: the process (by its PidFile), any session it
forked, the user and the folders. ``sftp`` hands a test a running server with empty folders (restarting it when a
previous test stopped it). Needs root (chroot, useradd) and Debian's openssh-server; skipped otherwise.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from medbill.adapters.clearinghouse.config import SftpConfig
from medbill.adapters.clearinghouse.sandbox.sshd import (
    HOST,
    SSHD,
    LoopbackSshd,
    create_user,
    delete_user,
    fingerprint_of,
    free_port,
    keypair,
    run_quietly,
)

__all__ = ["HOST", "KEY_PASSPHRASE", "SSHD", "SftpServer", "fingerprint_of", "free_port", "sftp", "sftp_server"]

KEY_PASSPHRASE = "synthetic passphrase for tests"


@dataclass
class SftpServer(LoopbackSshd):
    """The shared loopback sshd (``medbill.adapters.clearinghouse.sandbox.sshd``) with a password too, and two client
    keys (one encrypted)."""

    password: str = ""
    password_authentication: bool = True
    client_key: Path = field(init=False)
    encrypted_client_key: Path = field(init=False)

    def __post_init__(self) -> None:
        self.client_key = self.work / "client_ed25519"
        self.encrypted_client_key = self.work / "client_ed25519_encrypted"

    @property
    def outbound(self) -> Path:
        return self.root / "outbound"

    @property
    def inbound(self) -> Path:
        return self.root / "inbound"

    def config(self, **overrides: Any) -> SftpConfig:
        """A client configuration for this server: key login, the real host key fingerprint."""
        values: dict[str, Any] = {
            "name": "test-sftp",
            "host": HOST,
            "port": self.port,
            "username": self.username,
            "key_file": self.client_key,
            "host_key_fingerprint": self.host_key_fingerprint,
            "connect_timeout_seconds": 5.0,
            "operation_timeout_seconds": 10.0,
        }
        values.update(overrides)
        return SftpConfig(**values)

    def empty_folders(self) -> None:
        for folder in (self.outbound, self.inbound):
            for entry in folder.iterdir():
                entry.unlink()


def _create() -> SftpServer:
    root = Path(tempfile.mkdtemp(prefix="medbill-sftp-", dir="/srv"))
    work = Path(tempfile.mkdtemp(prefix="medbill-sshd-"))
    username = create_user("mbsftp")
    server = SftpServer(username=username, password="synthetic-" + secrets.token_hex(8), root=root, work=work)
    root.chmod(0o755)  # sshd refuses a chroot that is group or world writable; mkdtemp made it 0700
    work.chmod(0o755)  # sshd reads the authorized keys as the user; the private keys in it stay 0600
    run_quietly("chpasswd", stdin=f"{username}:{server.password}\n")  # also unlocks the account (UsePAM no)
    user = pwd.getpwnam(username)
    for folder in (server.outbound, server.inbound):
        folder.mkdir()
        os.chown(folder, user.pw_uid, user.pw_gid)
    server.make_host_key()
    (work / "authorized").mkdir(mode=0o755)
    public = keypair(server.client_key)
    encrypted_public = keypair(server.encrypted_client_key, KEY_PASSPHRASE)
    server.authorized_keys.write_text(f"{public}\n{encrypted_public}\n")
    return server


def _destroy(server: SftpServer) -> None:
    server.stop()
    delete_user(server.username)
    shutil.rmtree(server.root, ignore_errors=True)
    shutil.rmtree(server.work, ignore_errors=True)


@pytest.fixture(scope="session")
def sftp_server() -> Iterator[SftpServer]:
    if not SSHD.exists():
        pytest.skip("needs Debian's openssh-server (/usr/sbin/sshd): make system-deps")
    if os.geteuid() != 0:
        pytest.skip("the SFTP tests start sshd with a chrooted user: they run as root")
    server = _create()
    try:
        server.start()
        yield server
    finally:
        _destroy(server)


@pytest.fixture
def sftp(sftp_server: SftpServer) -> SftpServer:
    """The session's server, running, with empty outbound and inbound folders."""
    if not sftp_server.running:
        sftp_server.start()
    sftp_server.empty_folders()
    return sftp_server
