"""A clearinghouse mailbox over SFTP (paramiko): upload to the outbound folder, list and download from the inbound one.

The server is trusted only by its host key: the configured SHA256 fingerprint, or the key recorded in a known_hosts
file. An unknown key is refused unless ``trust_on_first_use`` is set, which records it the first time. Uploads go to
a temporary dot-name whose size is checked and which is then renamed (SFTP rename never overwrites), so the
clearinghouse never picks up half a file. A send whose final name already holds the very same bytes is delivered
(an earlier attempt got that far and lost its answer) and uploads nothing; other bytes there are a conflict.
Nothing is deleted on the server unless ``delete_after_fetch`` is set. Every failure is a ``ClearinghouseError``
naming the mailbox, host and port; passwords, passphrases and keys never appear in one.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import io
import os
import re
import socket
import stat
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paramiko

from medbill.adapters.clearinghouse.base import Nesting, Now, apply_pattern, secret_from_env, utc_now
from medbill.adapters.clearinghouse.config import SftpConfig
from medbill.domain.errors import ClearinghouseError, HostKeyRejected
from medbill.services.ports import RemoteFile

_TEMP_TAIL = re.compile(r"[0-9a-f]{8}\.part")  # what follows ".<remote name>." in the name of an upload under way
# Socket errors that are not ConnectionError but say the network, not the server, failed: worth another try.
_NETWORK_ERRNOS = frozenset(
    {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.ETIMEDOUT, errno.ENETRESET}
)


class _HostKeyCheck:
    """paramiko's missing-host-key policy: called for a host key it does not know, before any credential is sent."""

    def __init__(self, mailbox: SftpClearinghouse) -> None:
        self._mailbox = mailbox

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        self._mailbox._check_unknown_host_key(hostname, key)


class SftpClearinghouse(Nesting):
    transport = "sftp"

    def __init__(self, config: SftpConfig, *, environ: Mapping[str, str] | None = None, now: Now = utc_now) -> None:
        self.config = config
        self._environ = os.environ if environ is None else environ
        self._now = now
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None
        self.host_key_fingerprint: str | None = None  # what the server presented at the last connection

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def where(self) -> str:
        return f"SFTP mailbox {self.config.name} at {self.config.host}:{self.config.port}"

    def outbound_name(self, name: str) -> str:
        return apply_pattern(self.config.file_name_pattern, name, self._now())

    # --- the port -----------------------------------------------------------------------------------------------

    def send(self, remote_name: str, data: bytes) -> None:
        folder = self.config.outbound_dir
        final = f"{folder}/{remote_name}"
        temp = f"{folder}/.{remote_name}.{uuid.uuid4().hex[:8]}.part" if self.config.upload_via_temp_name else final
        with self:
            sftp = self._session()
            with self._errors(f"uploading {final}"):
                if self._holds(sftp, final, data):
                    self._sweep(sftp, folder, remote_name)
                    return  # delivered by an earlier attempt whose answer was lost: not uploaded twice
            try:
                with self._errors(f"uploading {final}", maybe_delivered=temp == final):
                    with sftp.open(temp, "wbx") as remote:
                        remote.set_pipelined(True)
                        remote.write(data)
                    written = sftp.stat(temp).st_size
                    if written != len(data):
                        raise ClearinghouseError(
                            f"{self.where}: the upload of {final} came out {written} bytes long, not {len(data)}; "
                            "it was not put in place",
                            code="clearinghouse_incomplete_upload",
                        )
                if temp != final:
                    self._rename(sftp, temp, final, data)
            except ClearinghouseError:
                if temp != final:
                    self._try_remove(temp)
                raise
            self._sweep(sftp, folder, remote_name)

    def _sweep(self, sftp: paramiko.SFTPClient, folder: str, remote_name: str) -> None:
        """Once ``remote_name`` is delivered, remove the partial uploads of it that dropped connections left behind
        (our hidden ``.part`` names, which no clearinghouse picks up). Best effort: a folder we may not list stays."""
        prefix = f".{remote_name}."
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            for entry in sftp.listdir(folder):
                if entry.startswith(prefix) and _TEMP_TAIL.fullmatch(entry[len(prefix) :]):
                    sftp.remove(f"{folder}/{entry}")

    def _rename(self, sftp: paramiko.SFTPClient, temp: str, final: str, data: bytes) -> None:
        """Put the complete upload in place. A connection lost during the rename leaves it unknown whether the file
        is there (``maybe_delivered``); a refused rename is checked: if ``final`` holds our bytes, it is delivered."""
        try:
            with self._errors(f"renaming the upload to {final}", maybe_delivered=True, lost_only=True):
                sftp.rename(temp, final)
        except ClearinghouseError as exc:
            if exc.maybe_delivered:
                raise
            with self._errors(f"checking {final} after a refused rename"):
                if not self._holds(sftp, final, data):
                    raise
            self._try_remove(temp)

    def _holds(self, sftp: paramiko.SFTPClient, path: str, data: bytes) -> bool:
        """``path`` exists and holds ``data`` (False: it does not exist). A file of another size or other bytes there
        is a conflict: it is never overwritten. When the server lets us stat but not read it back, the same size is
        taken for the same file (the names we send are unique per batch, and a batch is sent under one name)."""
        try:
            size = sftp.stat(path).st_size
        except FileNotFoundError:
            return False
        if size == len(data):
            try:
                with sftp.open(path, "rb") as remote:
                    same = remote.read(len(data) + 1) == data
            except PermissionError:
                same = True
            if same:
                return True
        raise ClearinghouseError(
            f"{self.where}: {path} exists already with other content; it was not overwritten",
            code="clearinghouse_conflict",
        )

    def list_inbound(self) -> Sequence[RemoteFile]:
        folder = self.config.inbound_dir
        with self, self._errors(f"listing {folder}"):
            found = []
            for attrs in self._session().listdir_attr(folder):
                name = attrs.filename
                if name.startswith(".") or not fnmatch.fnmatchcase(name, self.config.inbound_glob):
                    continue
                if attrs.st_mode is not None and not stat.S_ISREG(attrs.st_mode):
                    continue
                modified = None if attrs.st_mtime is None else datetime.fromtimestamp(attrs.st_mtime, UTC)
                found.append(RemoteFile(name=name, size=attrs.st_size, modified_at=modified))
            return sorted(found, key=lambda f: f.name)

    def fetch(self, remote_name: str) -> bytes:
        path = f"{self.config.inbound_dir}/{remote_name}"
        with self, self._errors(f"downloading {path}"):
            buffer = io.BytesIO()
            self._session().getfo(path, buffer)
            return buffer.getvalue()

    def confirm_fetched(self, remote_name: str) -> None:
        if not self.config.delete_after_fetch:
            return
        path = f"{self.config.inbound_dir}/{remote_name}"
        with self, self._errors(f"removing {path}"):
            self._session().remove(path)

    # --- connection ---------------------------------------------------------------------------------------------

    def _session(self) -> paramiko.SFTPClient:
        assert self._sftp is not None, "used outside its with block"
        return self._sftp

    def _open(self) -> None:
        cfg = self.config
        client = paramiko.SSHClient()
        try:
            if cfg.host_key_fingerprint is None and cfg.known_hosts_file is not None and cfg.known_hosts_file.exists():
                with self._errors(f"reading the known_hosts file {cfg.known_hosts_file}"):
                    client.load_host_keys(str(cfg.known_hosts_file))
            client.set_missing_host_key_policy(_HostKeyCheck(self))
            credentials = self._credentials()
            timeout = cfg.connect_timeout_seconds
            with self._errors("connecting"):
                client.connect(
                    cfg.host,
                    port=cfg.port,
                    username=cfg.username,
                    timeout=timeout,
                    banner_timeout=timeout,
                    auth_timeout=timeout,
                    channel_timeout=timeout,
                    allow_agent=False,
                    look_for_keys=False,
                    **credentials,
                )
                sftp = client.open_sftp()
                channel = sftp.get_channel()
                if channel is not None:
                    channel.settimeout(cfg.operation_timeout_seconds)
        except BaseException:
            client.close()
            raise
        self._client, self._sftp = client, sftp

    def _close(self) -> None:
        sftp, client, self._sftp, self._client = self._sftp, self._client, None, None
        with contextlib.suppress(Exception):
            if sftp is not None:
                sftp.close()
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()

    def _credentials(self) -> dict[str, Any]:
        cfg = self.config
        credentials: dict[str, Any] = {}
        if cfg.password_env is not None:
            credentials["password"] = secret_from_env(self._environ, cfg.password_env, "password", cfg.name)
        if cfg.key_file is not None:
            passphrase = None
            if cfg.key_passphrase_env is not None:
                passphrase = secret_from_env(self._environ, cfg.key_passphrase_env, "key passphrase", cfg.name)
            credentials["pkey"] = _load_key(cfg.key_file, passphrase, self.where)
        return credentials

    def _check_unknown_host_key(self, hostname: str, key: paramiko.PKey) -> None:
        cfg = self.config
        offered = str(key.fingerprint)
        self.host_key_fingerprint = offered
        if cfg.host_key_fingerprint is not None:
            if offered != cfg.host_key_fingerprint:
                raise HostKeyRejected(
                    f"{self.where} presented the host key {offered}, not the configured {cfg.host_key_fingerprint}; "
                    "refused (the server's key changed or this is not the server)"
                )
            return
        if cfg.trust_on_first_use and cfg.known_hosts_file is not None:
            _remember(cfg.known_hosts_file, hostname, key)
            return
        raise HostKeyRejected(
            f"{self.where} presented the host key {offered}, which is not configured; refused. Confirm it with "
            "the clearinghouse and set host_key_fingerprint (or known_hosts_file with trust_on_first_use)"
        )

    def _connection_lost(self) -> bool:
        """A session was open and its SSH transport has died (the peer hung up or the connection was reset)."""
        if self._client is None:
            return False
        transport = self._client.get_transport()
        return transport is None or not transport.is_active()

    def _try_remove(self, path: str) -> None:
        if self._sftp is not None:
            with contextlib.suppress(Exception):
                self._sftp.remove(path)

    @contextlib.contextmanager
    def _errors(self, doing: str, *, maybe_delivered: bool = False, lost_only: bool = False) -> Iterator[None]:
        """paramiko's and the socket's exceptions as ``ClearinghouseError``; ``maybe_delivered`` marks a failure
        after which the file may be in place (``lost_only``: only when the connection was lost, not on a refusal)."""
        try:
            yield
        except ClearinghouseError:
            raise
        except paramiko.BadHostKeyException as exc:
            raise HostKeyRejected(
                f"{self.where} presented the host key {exc.key.fingerprint}, which does not match the one recorded "
                f"in {self.config.known_hosts_file}; refused (the server's key changed or this is not the server)"
            ) from exc
        except paramiko.AuthenticationException as exc:
            raise ClearinghouseError(
                f"{self.where}: the server refused the credentials of user {self.config.username}",
                code="clearinghouse_auth_failed",
            ) from exc
        except (ConnectionRefusedError, paramiko.ssh_exception.NoValidConnectionsError) as exc:
            raise ClearinghouseError(
                f"{self.where}: connection refused (is the server running, is the port right?)",
                code="clearinghouse_unreachable",
            ) from exc
        except TimeoutError as exc:
            raise ClearinghouseError(
                f"{self.where}: {doing} timed out", code="clearinghouse_unreachable", maybe_delivered=maybe_delivered
            ) from exc
        except socket.gaierror as exc:
            raise ClearinghouseError(
                f"{self.where}: the host name could not be resolved", code="clearinghouse_unreachable"
            ) from exc
        except (EOFError, paramiko.SSHException, ConnectionError) as exc:
            if self._client is None and doing == "connecting":
                lost = (
                    f"no SSH session within {self.config.connect_timeout_seconds:g} s "
                    "(the server did not answer as an SSH server, or hung up)"
                )
            else:
                lost = "the connection was lost"
            raise ClearinghouseError(
                f"{self.where}: {doing} failed: {lost} ({exc.__class__.__name__})",
                code="clearinghouse_unreachable",
                maybe_delivered=maybe_delivered,
            ) from exc
        except OSError as exc:  # the server's refusals (no such folder, permission denied) and local socket errors
            reason = exc.strerror or str(exc) or exc.__class__.__name__
            if exc.errno in _NETWORK_ERRNOS or self._connection_lost():  # paramiko's "Socket is closed", no route
                raise ClearinghouseError(
                    f"{self.where}: {doing} failed: the connection was lost ({reason})",
                    code="clearinghouse_unreachable",
                    maybe_delivered=maybe_delivered,
                ) from exc
            raise ClearinghouseError(
                f"{self.where}: {doing} failed: {reason}", maybe_delivered=maybe_delivered and not lost_only
            ) from exc


def _load_key(path: Path, passphrase: str | None, where: str) -> paramiko.PKey:
    try:
        return paramiko.PKey.from_path(path, password=None if passphrase is None else passphrase.encode())
    except FileNotFoundError as exc:
        raise ClearinghouseError(
            f"{where}: the key file {path} does not exist", code="clearinghouse_misconfigured"
        ) from exc
    except (OSError, ValueError, TypeError, paramiko.SSHException) as exc:
        raise ClearinghouseError(
            f"{where}: the key file {path} could not be read (not a private key, or a wrong or missing passphrase)",
            code="clearinghouse_misconfigured",
        ) from exc


def _remember(known_hosts: Path, hostname: str, key: paramiko.PKey) -> None:
    keys = paramiko.HostKeys()
    if known_hosts.exists():
        keys.load(str(known_hosts))
    keys.add(hostname, key.get_name(), key)
    known_hosts.parent.mkdir(parents=True, exist_ok=True)
    keys.save(str(known_hosts))
