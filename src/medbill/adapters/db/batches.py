"""The SQL repositories of 837 batches (listing rows, their bytes apart) and of the control counters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from medbill.adapters.db import tables as t
from medbill.domain.claim_records import BatchStatus, ClaimBatchRecord
from medbill.domain.claims import ClaimKind
from medbill.domain.errors import NotFound


def _batch_of(r: Row[Any]) -> ClaimBatchRecord:
    return ClaimBatchRecord(
        id=r.id,
        practice_id=r.practice_id,
        kind=ClaimKind(r.kind),
        payer_id=r.payer_id,
        sender_id=r.sender_id,
        receiver_id=r.receiver_id,
        receiver_name=r.receiver_name,
        file_name=r.file_name,
        interchange_control_number=int(r.interchange_control_number),
        group_control_number=int(r.group_control_number),
        claim_count=r.claim_count,
        total_charge_cents=int(r.total_charge_cents),
        status=BatchStatus(r.status),
        sha256=r.sha256,
        size_bytes=int(r.size_bytes),
        created_at=r.created_at,
        created_by=r.created_by,
        clearinghouse_file_id=r.clearinghouse_file_id,
    )


class SqlClaimBatchRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, batch: ClaimBatchRecord, content: bytes) -> None:
        self._conn.execute(
            insert(t.claim_batches).values(
                id=batch.id,
                practice_id=batch.practice_id,
                kind=batch.kind.value,
                payer_id=batch.payer_id,
                sender_id=batch.sender_id,
                receiver_id=batch.receiver_id,
                receiver_name=batch.receiver_name,
                file_name=batch.file_name,
                interchange_control_number=batch.interchange_control_number,
                group_control_number=batch.group_control_number,
                claim_count=batch.claim_count,
                total_charge_cents=batch.total_charge_cents,
                status=batch.status.value,
                sha256=batch.sha256,
                size_bytes=batch.size_bytes,
                created_at=batch.created_at,
                created_by=batch.created_by,
                clearinghouse_file_id=batch.clearinghouse_file_id,
            )
        )
        self._conn.execute(
            insert(t.claim_batch_contents).values(batch_id=batch.id, practice_id=batch.practice_id, content=content)
        )

    def get(self, practice_id: str, batch_id: str) -> ClaimBatchRecord:
        c = t.claim_batches.c
        row = self._conn.execute(select(t.claim_batches).where(c.id == batch_id, c.practice_id == practice_id)).first()
        if row is None:
            raise NotFound("no claim batch with that id in this practice")
        return _batch_of(row)

    def content(self, practice_id: str, batch_id: str) -> bytes:
        c = t.claim_batch_contents.c
        value = self._conn.execute(
            select(c.content).where(c.batch_id == batch_id, c.practice_id == practice_id)
        ).scalar_one_or_none()
        if value is None:
            raise NotFound("no claim batch with that id in this practice")
        return bytes(value)

    def mark_sent(self, practice_id: str, batch_id: str, file_id: str) -> None:
        c = t.claim_batches.c
        done = self._conn.execute(
            update(t.claim_batches)
            .where(c.id == batch_id, c.practice_id == practice_id)
            .values(status=BatchStatus.SENT.value, clearinghouse_file_id=file_id)
        )
        if done.rowcount != 1:
            raise NotFound("no batch with that id in this practice")

    def list(self, practice_id: str, *, limit: int = 100, offset: int = 0) -> Sequence[ClaimBatchRecord]:
        c = t.claim_batches.c
        rows = self._conn.execute(
            select(t.claim_batches)
            .where(c.practice_id == practice_id)
            .order_by(c.created_at.desc(), c.id)
            .limit(limit)
            .offset(offset)
        )
        return [_batch_of(r) for r in rows]


class SqlControlCounters:
    """Counters that move only forward, inside the caller's transaction (a rollback gives the numbers back); with
    ``apart`` on PostgreSQL, in a short transaction of their own committed at once: claim builders running side by
    side would otherwise queue on the counter's row lock for the whole of each other's transactions. A run that
    rolls back then leaves a gap, which claim numbers (CLM01) allow: they must be unique, not gapless. SQLite runs
    one writer at a time, so there the numbers are always taken in the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def next(self, practice_id: str, name: str, *, apart: bool = False) -> int:
        return self.take(practice_id, name, 1, apart=apart)

    def take(self, practice_id: str, name: str, count: int, *, apart: bool = False) -> int:
        """``count`` numbers at once (a run building thousands of claims): the first; the rest follow it."""
        if count < 1:
            raise ValueError("take at least one number")
        if not apart or self._conn.dialect.name != "postgresql":
            return _take(self._conn, practice_id, name, count)
        with self._conn.engine.connect() as own, own.begin():
            return _take(own, practice_id, name, count)


def _take(conn: Connection, practice_id: str, name: str, count: int) -> int:
    c = t.control_counters.c
    done = conn.execute(
        update(t.control_counters)
        .where(c.practice_id == practice_id, c.name == name)
        .values(value=c.value + count)
        .returning(c.value)
    ).first()
    if done is not None:
        return int(done.value) - count + 1
    return _first(conn, practice_id, name, count)


def _first(conn: Connection, practice_id: str, name: str, count: int) -> int:
    """The counter's first use: create it holding ``count``. Two transactions racing to create it (two workers
    building a practice's first claims) both insert; the loser's insert is undone in its savepoint and it takes its
    numbers from the winner's row."""
    try:
        with conn.begin_nested():
            conn.execute(insert(t.control_counters).values(practice_id=practice_id, name=name, value=count))
    except IntegrityError:
        return _take(conn, practice_id, name, count)
    return 1
