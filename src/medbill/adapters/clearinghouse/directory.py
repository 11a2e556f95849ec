"""A clearinghouse reached through a pair of local folders (the clearinghouse's own client moves the files).

A file is written under a temporary dot-name in the outbound folder, flushed to disk, then linked to its final
name, which fails rather than overwrite: a watcher never sees half a file and never loses one.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import os
import stat
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from medbill.adapters.clearinghouse.base import Nesting, Now, apply_pattern, utc_now
from medbill.adapters.clearinghouse.config import DirectoryConfig
from medbill.domain.errors import ClearinghouseError
from medbill.services.ports import RemoteFile

# link(2) is refused by some file systems (FAT, some network mounts); those fall back to an existence check + rename.
_NO_LINK = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}


class DirectoryClearinghouse(Nesting):
    transport = "directory"

    def __init__(self, config: DirectoryConfig, *, now: Now = utc_now) -> None:
        self.config = config
        self._now = now

    @property
    def name(self) -> str:
        return self.config.name

    def outbound_name(self, name: str) -> str:
        return apply_pattern(self.config.file_name_pattern, name, self._now())

    def _open(self) -> None:
        for folder in (self.config.outbound_dir, self.config.inbound_dir):
            if self.config.create_folders:
                with self._errors(f"creating the folder {folder}"):
                    folder.mkdir(parents=True, exist_ok=True)
            elif not folder.is_dir():
                raise ClearinghouseError(
                    f"mailbox {self.name}: the folder {folder} does not exist", code="clearinghouse_misconfigured"
                )

    def send(self, remote_name: str, data: bytes) -> None:
        with self:
            folder = self.config.outbound_dir
            final = folder / remote_name
            temp = folder / f".{remote_name}.{uuid.uuid4().hex[:8]}.part"
            with self._errors(f"writing {final}"):
                try:
                    _write_synced(temp, data)
                    _publish(temp, final, self._exists_error(final))
                finally:
                    temp.unlink(missing_ok=True)
                _sync_folder(folder)

    def list_inbound(self) -> Sequence[RemoteFile]:
        with self, self._errors(f"listing {self.config.inbound_dir}"):
            found = []
            for entry in os.scandir(self.config.inbound_dir):
                if entry.name.startswith(".") or not fnmatch.fnmatchcase(entry.name, self.config.inbound_glob):
                    continue
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode):
                    modified = datetime.fromtimestamp(info.st_mtime, UTC)
                    found.append(RemoteFile(name=entry.name, size=info.st_size, modified_at=modified))
            return sorted(found, key=lambda f: f.name)

    def fetch(self, remote_name: str) -> bytes:
        path = self.config.inbound_dir / remote_name
        with self, self._errors(f"reading {path}"):
            return path.read_bytes()

    def confirm_fetched(self, remote_name: str) -> None:
        if self.config.delete_after_fetch:
            path = self.config.inbound_dir / remote_name
            with self._errors(f"removing {path}"):
                path.unlink(missing_ok=True)

    def _exists_error(self, final: Path) -> Callable[[], ClearinghouseError]:
        return lambda: ClearinghouseError(
            f"mailbox {self.name}: {final} exists already; it was not overwritten", code="clearinghouse_conflict"
        )

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise ClearinghouseError(f"mailbox {self.name}: {doing} failed: {reason}") from exc


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _publish(temp: Path, final: Path, exists: Callable[[], ClearinghouseError]) -> None:
    try:
        os.link(temp, final)
    except FileExistsError:
        raise exists() from None
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
        if final.exists():
            raise exists() from None
        os.replace(temp, final)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
