"""A real OpenSSH sshd on loopback for the sandbox payer's mailbox: a free port, its own host key, a chrooted
sftp-only user that logs in with a generated ed25519 key.

``start_sandbox_sshd(mailbox)`` serves ``mailbox`` (its ``outbound/`` and ``inbound/``) and hands back what the SFTP
adapter needs; ``stop()`` ends the listener and every session it forked, deletes the user and the keys. It needs
root (chroot, useradd) and Debian's openssh-server; without them (or when sshd does not start) it returns None and
says why in one line. ``LoopbackSshd`` is the server itself, shared with the SFTP tests.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import logging
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from medbill.adapters.clearinghouse.config import SftpConfig

SSHD = Path("/usr/sbin/sshd")
HOST = "127.0.0.1"
_PR_SET_CHILD_SUBREAPER = 36

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def keypair(path: Path, passphrase: str | None = None) -> str:
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


def run_quietly(*argv: str, stdin: str | None = None) -> None:
    subprocess.run(argv, input=stdin, text=True, check=True, capture_output=True, timeout=30)  # noqa: S603 (fixed tools)


def children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("Uid:") and int(line.split()[1]) == uid:
                    found.append(int(entry.name))
    return found


def kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def reap_orphans_here() -> None:
    """Make this process the reaper of its orphaned descendants (Linux): sshd leaves each finished session's process
    to the init process, which may be slow to reap it; ``stop`` reaps them instead."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap(pids: list[int]) -> None:
    """Collect the exit of those of ``pids`` that are (killed) children of this process."""
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)


def create_user(prefix: str) -> str:
    """A new system user without home or shell (``prefix`` + random hex), unlocked with a random password that no
    one knows (sshd without PAM refuses even key logins to a locked account); its name."""
    username = prefix + secrets.token_hex(4)
    run_quietly(
        "/usr/sbin/useradd",
        *("--no-create-home", "--home-dir", "/", "--shell", "/usr/sbin/nologin", "--user-group", username),
    )
    try:
        run_quietly("/usr/sbin/chpasswd", stdin=f"{username}:{secrets.token_urlsafe(24)}\n")
    except BaseException:
        delete_user(username)
        raise
    return username


def delete_user(username: str) -> None:
    for _attempt in range(20):  # userdel refuses while a session process of the user is still exiting
        done = subprocess.run(["/usr/sbin/userdel", username], capture_output=True, timeout=30)  # noqa: S603
        if done.returncode in (0, 6):  # 6: no such user
            return
        with contextlib.suppress(KeyError):
            kill(processes_of(pwd.getpwnam(username).pw_uid))
        time.sleep(0.1)


@dataclass
class LoopbackSshd:
    """sshd on 127.0.0.1 with one sftp-only user chrooted at ``root``; its config, keys, log and pid in ``work``."""

    username: str
    root: Path  # the chroot: owned by root, not group or world writable, nor any folder above it
    work: Path  # config, keys, log, pid file (outside the chroot)
    port: int = 0
    host_key_fingerprint: str = ""
    password_authentication: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid_file(self) -> Path:
        return self.work / "sshd.pid"

    @property
    def log(self) -> Path:
        return self.work / "sshd.log"

    @property
    def authorized_keys(self) -> Path:
        return self.work / "authorized" / self.username

    def make_host_key(self) -> None:
        self.host_key_fingerprint = fingerprint_of(keypair(self.work / "host_ed25519"))

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
            f"PasswordAuthentication {'yes' if self.password_authentication else 'no'}",
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
        reap_orphans_here()
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
        for _attempt in range(3):
            port = free_port()
            path = self.write_config(port, penalties=True)
            checked = subprocess.run([str(SSHD), "-t", "-f", str(path)], capture_output=True, timeout=30)  # noqa: S603
            if checked.returncode:
                path = self.write_config(port, penalties=False)
            self.pid_file.unlink(missing_ok=True)
            self.process = subprocess.Popen([str(SSHD), "-D", "-f", str(path), "-E", str(self.log)])  # noqa: S603
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
        sessions = children(self.process.pid) if self.process is not None else []
        with contextlib.suppress(KeyError):
            sessions += processes_of(pwd.getpwnam(self.username).pw_uid)
        kill(sessions)
        reap(sessions)  # those orphaned to this process (finished sessions, the user's processes)

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


def chroot_problem(folder: Path) -> str | None:
    """Why sshd would refuse ``folder`` as a ChrootDirectory (None: it would not)."""
    for part in [folder, *folder.parents]:
        info = part.stat()
        if info.st_uid != 0:
            return f"{part} is not owned by root"
        if part != folder and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"{part} is group or world writable"
    return None


@dataclass
class SandboxSshd:
    """A running sshd serving the sandbox mailbox, and what an SFTP client needs to reach it."""

    server: LoopbackSshd
    private_key: Path  # the client's key (0600, outside the chroot)

    @property
    def host(self) -> str:
        return HOST

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def username(self) -> str:
        return self.server.username

    @property
    def host_key_fingerprint(self) -> str:
        return self.server.host_key_fingerprint

    def sftp_config(self, name: str = "sandbox") -> SftpConfig:
        return SftpConfig(
            name=name,
            host=self.host,
            port=self.port,
            username=self.username,
            key_file=self.private_key,
            host_key_fingerprint=self.host_key_fingerprint,
            connect_timeout_seconds=10.0,
            operation_timeout_seconds=30.0,
        )

    def stop(self) -> None:
        """Stop sshd and its sessions, delete the user, give the folders back to root, remove the keys."""
        try:
            self.server.stop()
        finally:
            delete_user(self.server.username)
            for folder in (self.server.root / "outbound", self.server.root / "inbound"):
                _chown_tree(folder, 0, 0)
            shutil.rmtree(self.server.work, ignore_errors=True)


def _chown_tree(folder: Path, uid: int, gid: int) -> None:
    with contextlib.suppress(OSError):
        os.chown(folder, uid, gid)
        for entry in folder.iterdir():
            os.chown(entry, uid, gid, follow_symlinks=False)


def start_sandbox_sshd(mailbox_dir: Path, *, why: Callable[[str], None] | None = None) -> SandboxSshd | None:
    """sshd serving ``mailbox_dir`` over SFTP, or None (the reason, one line, goes to ``why`` and the log)."""

    def unavailable(reason: str) -> None:
        log.info("no SFTP for the sandbox mailbox: %s", reason)
        if why is not None:
            why(reason)

    if not SSHD.exists():
        unavailable(f"{SSHD} is not installed (openssh-server)")
        return None
    if os.geteuid() != 0:
        unavailable("starting sshd with a chrooted user needs root")
        return None
    root = mailbox_dir.resolve()
    for folder in (root / "outbound", root / "inbound"):
        folder.mkdir(parents=True, exist_ok=True)
    problem = chroot_problem(root)
    if problem is not None:
        unavailable(f"sshd cannot chroot at the mailbox: {problem}")
        return None
    root.chmod(0o755)  # sshd refuses a chroot that is group or world writable
    work = Path(tempfile.mkdtemp(prefix="medbill-sandbox-sshd-"))
    username = ""
    try:
        work.chmod(0o755)  # sshd reads the authorized keys as the user; the private keys in it stay 0600
        username = create_user("mbsandbox")
        server = LoopbackSshd(username=username, root=root, work=work)
        user = pwd.getpwnam(username)
        for folder in (root / "outbound", root / "inbound"):
            _chown_tree(folder, user.pw_uid, user.pw_gid)
        server.make_host_key()
        (work / "authorized").mkdir(mode=0o755)
        client_key = work / "client_ed25519"
        server.authorized_keys.write_text(keypair(client_key) + "\n")
        running = SandboxSshd(server=server, private_key=client_key)
        try:
            server.start()
        except BaseException:
            running.stop()
            raise
        return running
    except (OSError, subprocess.SubprocessError, RuntimeError, KeyError) as exc:
        if username:
            with contextlib.suppress(Exception):
                delete_user(username)
            for folder in (root / "outbound", root / "inbound"):
                _chown_tree(folder, 0, 0)
        shutil.rmtree(work, ignore_errors=True)
        first = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
        unavailable(f"sshd did not start ({first})")
        return None
