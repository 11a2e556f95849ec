"""The SQL side of appeals (with each letter's PDF bytes, read only when asked for) and of collections status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from medbill.adapters.db import tables as t
from medbill.domain.appeals import Appeal, AppealStatus
from medbill.domain.collections import AccountCollections, CollectionStatus
from medbill.domain.errors import NotFound

_A = t.appeals.c
_C = t.account_collections.c
_LISTED = [c for c in t.appeals.c if c.name != "letter"]  # a list never drags the PDFs along


def _appeal_of(r: Row[Any]) -> Appeal:
    return Appeal(
        id=r.id,
        practice_id=r.practice_id,
        claim_id=r.claim_id,
        work_item_id=r.work_item_id,
        status=AppealStatus(r.status),
        level=int(r.level),
        reason=r.reason,
        argument=r.argument,
        attachments=tuple(line for line in r.attachments.split("\n") if line),
        due_on=r.due_on,
        created_at=r.created_at,
        created_by=r.created_by,
        sent_on=r.sent_on,
        answered_on=r.answered_on,
        outcome=r.outcome,
    )


def _values(appeal: Appeal) -> dict[str, Any]:
    return {
        "status": appeal.status.value,
        "level": appeal.level,
        "reason": appeal.reason,
        "argument": appeal.argument,
        "attachments": "\n".join(appeal.attachments),
        "due_on": appeal.due_on,
        "sent_on": appeal.sent_on,
        "answered_on": appeal.answered_on,
        "outcome": appeal.outcome,
    }


class SqlAppealRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, appeal: Appeal, letter: bytes) -> None:
        self._conn.execute(
            insert(t.appeals).values(
                id=appeal.id,
                practice_id=appeal.practice_id,
                claim_id=appeal.claim_id,
                work_item_id=appeal.work_item_id,
                created_at=appeal.created_at,
                created_by=appeal.created_by[:60],
                letter=letter,
                **_values(appeal),
            )
        )

    def update(self, appeal: Appeal, letter: bytes | None = None) -> None:
        values = _values(appeal)
        if letter is not None:
            values["letter"] = letter
        done = self._conn.execute(
            update(t.appeals).where(_A.practice_id == appeal.practice_id, _A.id == appeal.id).values(**values)
        )
        if done.rowcount == 0:
            raise NotFound("no such appeal in this practice")

    def get(self, practice_id: str, appeal_id: str) -> Appeal:
        row = self._conn.execute(select(*_LISTED).where(_A.practice_id == practice_id, _A.id == appeal_id)).first()
        if row is None:
            raise NotFound("no such appeal in this practice")
        return _appeal_of(row)

    def letter(self, practice_id: str, appeal_id: str) -> bytes:
        row = self._conn.execute(select(_A.letter).where(_A.practice_id == practice_id, _A.id == appeal_id)).first()
        if row is None or row.letter is None:
            raise NotFound("no such appeal letter in this practice")
        return bytes(row.letter)

    def list(
        self,
        practice_id: str,
        *,
        status: AppealStatus | None = None,
        claim_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> Sequence[Appeal]:
        query = select(*_LISTED).where(_A.practice_id == practice_id)
        if status is not None:
            query = query.where(_A.status == status.value)
        if claim_id is not None:
            query = query.where(_A.claim_id == claim_id)
        query = query.order_by(_A.created_at.desc(), _A.level.desc(), _A.id).limit(limit).offset(offset)
        return [_appeal_of(r) for r in self._conn.execute(query)]


def _collections_of(r: Row[Any]) -> AccountCollections:
    return AccountCollections(
        practice_id=r.practice_id,
        patient_id=r.patient_id,
        status=CollectionStatus(r.status),
        since=r.since,
        note=r.note,
        updated_by=r.updated_by,
    )


class SqlCollectionsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put(self, record: AccountCollections) -> None:
        values = {
            "status": record.status.value,
            "since": record.since,
            "note": record.note,
            "updated_by": record.updated_by[:60],
        }
        done = self._conn.execute(
            update(t.account_collections)
            .where(_C.practice_id == record.practice_id, _C.patient_id == record.patient_id)
            .values(**values)
        )
        if done.rowcount == 0:
            self._conn.execute(
                insert(t.account_collections).values(
                    practice_id=record.practice_id, patient_id=record.patient_id, **values
                )
            )

    def get(self, practice_id: str, patient_id: str) -> AccountCollections | None:
        row = self._conn.execute(
            select(t.account_collections).where(_C.practice_id == practice_id, _C.patient_id == patient_id)
        ).first()
        return _collections_of(row) if row is not None else None

    def list(self, practice_id: str, *, status: CollectionStatus | None = None) -> Sequence[AccountCollections]:
        query = select(t.account_collections).where(_C.practice_id == practice_id)
        if status is not None:
            query = query.where(_C.status == status.value)
        query = query.order_by(_C.since, _C.patient_id)
        return [_collections_of(r) for r in self._conn.execute(query)]
