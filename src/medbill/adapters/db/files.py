"""The SQL archive of clearinghouse files: one listing row per file, its bytes in a table of their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from medbill.adapters.db import tables as t
from medbill.domain.errors import NotFound
from medbill.services.ports import ClearinghouseFile, FileDirection, FileStatus

_FILES = t.clearinghouse_files
_CONTENTS = t.clearinghouse_file_contents
_CHUNK = 500  # names per IN (…) list


def _file_of(row: Row[Any]) -> ClearinghouseFile:
    m = row._mapping
    return ClearinghouseFile(
        id=m["id"],
        practice_id=m["practice_id"],
        mailbox=m["mailbox"],
        transport=m["transport"],
        direction=FileDirection(m["direction"]),
        status=FileStatus(m["status"]),
        remote_name=m["remote_name"],
        x12_kind=m["x12_kind"],
        sha256=m["sha256"],
        size_bytes=int(m["size_bytes"]),
        created_at=m["created_at"],
        remote_size=None if m["remote_size"] is None else int(m["remote_size"]),
        remote_modified_at=m["remote_modified_at"],
    )


class SqlClearinghouseFileRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, file: ClearinghouseFile, content: bytes) -> None:
        self._conn.execute(
            insert(_FILES).values(
                id=file.id,
                practice_id=file.practice_id,
                mailbox=file.mailbox,
                transport=file.transport,
                direction=file.direction.value,
                status=file.status.value,
                remote_name=file.remote_name,
                x12_kind=file.x12_kind,
                sha256=file.sha256,
                size_bytes=file.size_bytes,
                remote_size=file.remote_size,
                remote_modified_at=file.remote_modified_at,
                created_at=file.created_at,
            )
        )
        self._conn.execute(insert(_CONTENTS).values(file_id=file.id, practice_id=file.practice_id, content=content))

    def set_status(self, practice_id: str, file_id: str, status: FileStatus) -> None:
        c = _FILES.c
        done = self._conn.execute(
            update(_FILES).where(c.id == file_id, c.practice_id == practice_id).values(status=status.value)
        )
        if done.rowcount != 1:
            raise NotFound("no clearinghouse file with that id in this practice")

    def remove(self, practice_id: str, file_id: str) -> None:
        # the bytes first: their foreign key points at the file
        self._conn.execute(
            delete(_CONTENTS).where(_CONTENTS.c.file_id == file_id, _CONTENTS.c.practice_id == practice_id)
        )
        self._conn.execute(delete(_FILES).where(_FILES.c.id == file_id, _FILES.c.practice_id == practice_id))

    def get(self, practice_id: str, file_id: str) -> ClearinghouseFile:
        c = _FILES.c
        row = self._conn.execute(select(_FILES).where(c.id == file_id, c.practice_id == practice_id)).first()
        if row is None:
            raise NotFound("no clearinghouse file with that id in this practice")
        return _file_of(row)

    def content(self, practice_id: str, file_id: str) -> bytes:
        c = _CONTENTS.c
        value = self._conn.execute(
            select(c.content).where(c.file_id == file_id, c.practice_id == practice_id)
        ).scalar_one_or_none()
        if value is None:
            raise NotFound("no clearinghouse file with that id in this practice")
        return bytes(value)

    def find(
        self, practice_id: str, mailbox: str, direction: FileDirection, remote_name: str, sha256: str
    ) -> ClearinghouseFile | None:
        c = _FILES.c
        row = self._conn.execute(
            select(_FILES).where(
                c.practice_id == practice_id,
                c.mailbox == mailbox,
                c.direction == direction.value,
                c.remote_name == remote_name,
                c.sha256 == sha256,
            )
        ).first()
        return _file_of(row) if row else None

    def received(self, practice_id: str, mailbox: str, remote_names: Sequence[str]) -> Sequence[ClearinghouseFile]:
        c = _FILES.c
        names = sorted(set(remote_names))
        found: list[ClearinghouseFile] = []
        for start in range(0, len(names), _CHUNK):
            rows = self._conn.execute(
                select(_FILES).where(
                    c.practice_id == practice_id,
                    c.mailbox == mailbox,
                    c.direction == FileDirection.INBOUND.value,
                    c.remote_name.in_(names[start : start + _CHUNK]),
                )
            )
            found.extend(_file_of(r) for r in rows)
        return found

    def unprocessed(self, practice_id: str, mailbox: str) -> Sequence[ClearinghouseFile]:
        c = _FILES.c
        rows = self._conn.execute(
            select(_FILES)
            .where(
                c.practice_id == practice_id,
                c.mailbox == mailbox,
                c.direction == FileDirection.INBOUND.value,
                c.status == FileStatus.RECEIVED.value,
            )
            .order_by(c.created_at, c.remote_name, c.id)
        )
        return [_file_of(r) for r in rows]

    def list(
        self, practice_id: str, *, direction: FileDirection | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[ClearinghouseFile]:
        c = _FILES.c
        stmt = select(_FILES).where(c.practice_id == practice_id)
        if direction is not None:
            stmt = stmt.where(c.direction == direction.value)
        stmt = stmt.order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        return [_file_of(r) for r in self._conn.execute(stmt)]
