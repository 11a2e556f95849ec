"""A real OpenSSH sshd for the SFTP tests: loopback, a free port, its own host key, a chrooted sftp-only user.

Import the fixtures into a test module (``from tests.integration.sftp_server import sftp, sftp_server``). The server
lives for the session and is torn down with everything it made: the process (by its PidFile), any session it
forked, the user and the folders. ``sftp`` hands a test a running server with empty folders (restarting it when a
previous test stopped it). Needs root (chroot, useradd) and Debian's openssh-server; skipped otherwise.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from medbill.adapters.clearinghouse.config import SftpConfig

SSHD = Path("/usr/sbin/sshd")
HOST = "127.0.0.1"
KEY_PASSPHRASE = "synthetic passphrase for tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _keypair(path: Path, passphrase: str | None = None) -> str:
    """An ed25519 private key in OpenSSH format at ``path`` (0600); returns the public key line."""
    key = ed25519.Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption))
    path.chmod(0o600)
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return public.decode()


def fingerprint_of(public_line: str) -> str:
    """``SHA256:…`` as ``ssh-keygen -lf`` prints it."""
    blob = base64.b64decode(public_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def _run(*argv: str, stdin: str | None = None) -> None:
    subprocess.run(argv, input=stdin, text=True, check=True, capture_output=True, timeout=30)


def _children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("Uid:") and int(line.split()[1]) == uid:
                    found.append(int(entry.name))
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@dataclass
class SftpServer:
    username: str
    password: str
    root: Path  # the chroot: owned by root, 0755
    work: Path  # config, keys, log, pid file (outside the chroot)
    port: int = 0
    host_key_fingerprint: str = ""
    client_key: Path = field(init=False)
    encrypted_client_key: Path = field(init=False)
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.client_key = self.work / "client_ed25519"
        self.encrypted_client_key = self.work / "client_ed25519_encrypted"

    @property
    def outbound(self) -> Path:
        return self.root / "outbound"

    @property
    def inbound(self) -> Path:
        return self.root / "inbound"

    @property
    def pid_file(self) -> Path:
        return self.work / "sshd.pid"

    @property
    def log(self) -> Path:
        return self.work / "sshd.log"

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

    def write_config(self, port: int, *, penalties: bool) -> Path:
        lines = [
            f"ListenAddress {HOST}",
            f"Port {port}",
            f"HostKey {self.work / 'host_ed25519'}",
            f"PidFile {self.pid_file}",
            f"AuthorizedKeysFile {self.work / 'authorized'}/%u",
            "UsePAM no",
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin no",
            f"AllowUsers {self.username}",
            "MaxStartups 100",
            "LogLevel VERBOSE",
            "Subsystem sftp internal-sftp",
            *(["PerSourcePenalties no"] if penalties else []),  # OpenSSH ≥ 9.8 would slow down our refused logins
            f"Match User {self.username}",
            f"    ChrootDirectory {self.root}",
            "    ForceCommand internal-sftp",
            "    AllowTcpForwarding no",
            "    X11Forwarding no",
            "    PermitTTY no",
        ]
        path = self.work / "sshd_config"
        path.write_text("\n".join(lines) + "\n")
        return path

    def start(self) -> None:
        for _attempt in range(3):
            port = free_port()
            path = self.write_config(port, penalties=True)
            if subprocess.run([str(SSHD), "-t", "-f", str(path)], capture_output=True, timeout=30).returncode:
                path = self.write_config(port, penalties=False)
            self.pid_file.unlink(missing_ok=True)
            self.process = subprocess.Popen([str(SSHD), "-D", "-f", str(path), "-E", str(self.log)])
            if self._wait_listening(port):
                self.port = port
                return
            self.stop()
        raise RuntimeError(f"sshd did not start; its log:\n{self.log.read_text() if self.log.exists() else ''}")

    def _wait_listening(self, port: int) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
                return True
            time.sleep(0.05)
        return False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def drop_sessions(self) -> None:
        """Cut every open connection (the forked session processes) without stopping the listener."""
        if self.process is not None:
            _kill(_children(self.process.pid))
        _kill(_processes_of(pwd.getpwnam(self.username).pw_uid))

    def stop(self) -> None:
        """Stop the listener (by the pid in its PidFile) and cut its sessions."""
        if self.process is None:
            return
        self.drop_sessions()
        pid = int(self.pid_file.read_text()) if self.pid_file.exists() else self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def empty_folders(self) -> None:
        for folder in (self.outbound, self.inbound):
            for entry in folder.iterdir():
                entry.unlink()


def _create() -> SftpServer:
    username = "mbsftp" + secrets.token_hex(4)
    root = Path(tempfile.mkdtemp(prefix="medbill-sftp-", dir="/srv"))
    work = Path(tempfile.mkdtemp(prefix="medbill-sshd-"))
    server = SftpServer(username=username, password="synthetic-" + secrets.token_hex(8), root=root, work=work)
    root.chmod(0o755)  # sshd refuses a chroot that is group or world writable; mkdtemp made it 0700
    work.chmod(0o755)  # sshd reads the authorized keys as the user; the private keys in it stay 0600
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    _run("useradd", "--no-create-home", "--home-dir", "/", "--shell", "/usr/sbin/nologin", "--user-group", username)
    _run("chpasswd", stdin=f"{username}:{server.password}\n")  # also unlocks the account (UsePAM no refuses locked)
    user = pwd.getpwnam(username)
    for folder in (server.outbound, server.inbound):
        folder.mkdir()
        os.chown(folder, user.pw_uid, user.pw_gid)
    host_public = _keypair(work / "host_ed25519")
    server.host_key_fingerprint = fingerprint_of(host_public)
    (work / "authorized").mkdir(mode=0o755)
    public = _keypair(server.client_key)
    encrypted_public = _keypair(server.encrypted_client_key, KEY_PASSPHRASE)
    (work / "authorized" / username).write_text(f"{public}\n{encrypted_public}\n")
    return server


def _destroy(server: SftpServer) -> None:
    server.stop()
    for _attempt in range(20):  # userdel refuses while a session process of the user is still exiting
        done = subprocess.run(["userdel", server.username], capture_output=True, timeout=30)
        if done.returncode in (0, 6):  # 6: no such user
            break
        _kill(_processes_of(pwd.getpwnam(server.username).pw_uid))
        time.sleep(0.1)
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
