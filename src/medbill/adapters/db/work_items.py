"""The work queues in SQL: items, their filters, assignment and notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from medbill.adapters.db import tables as t
from medbill.adapters.db.bulk import insert_rows
from medbill.domain.errors import NotFound
from medbill.domain.work_items import Queue, WorkItem, WorkNote, WorkQuery, WorkStatus

_W = t.work_items.c


def _item_values(w: WorkItem) -> dict[str, Any]:
    return {
        "id": w.id,
        "practice_id": w.practice_id,
        "queue": w.queue.value,
        "status": w.status.value,
        "claim_id": w.claim_id,
        "remittance_id": w.remittance_id,
        "reference": w.reference[:50],
        "amount_cents": w.amount_cents,
        "reason": w.reason,
        "detail": w.detail,
        "created_at": w.created_at,
        "closed_at": w.closed_at,
        "closed_by": w.closed_by,
        "resolution": w.resolution,
        "owner": w.owner,
        "due_on": w.due_on,
        "category": w.category,
        "next_action": w.next_action,
        "payer_id": w.payer_id,
        "patient_id": w.patient_id,
    }


def _item_of(r: Row[Any]) -> WorkItem:
    return WorkItem(
        id=r.id,
        practice_id=r.practice_id,
        queue=Queue(r.queue),
        status=WorkStatus(r.status),
        claim_id=r.claim_id,
        remittance_id=r.remittance_id,
        reference=r.reference,
        amount_cents=int(r.amount_cents),
        reason=r.reason,
        detail=r.detail,
        created_at=r.created_at,
        closed_at=r.closed_at,
        closed_by=r.closed_by,
        resolution=r.resolution,
        owner=r.owner,
        due_on=r.due_on,
        category=r.category,
        next_action=r.next_action,
        payer_id=r.payer_id,
        patient_id=r.patient_id,
    )


class SqlWorkQueue:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, items: Sequence[WorkItem]) -> None:
        insert_rows(self._conn, t.work_items, [_item_values(w) for w in items])

    def get(self, practice_id: str, item_id: str) -> WorkItem:
        row = self._conn.execute(select(t.work_items).where(_W.practice_id == practice_id, _W.id == item_id)).first()
        if row is None:
            raise NotFound("no work item with that id in this practice")
        return _item_of(row)

    def list(
        self,
        practice_id: str,
        *,
        queue: Queue | None = None,
        status: WorkStatus | None = WorkStatus.OPEN,
        claim_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Sequence[WorkItem]:
        stmt = select(t.work_items).where(_W.practice_id == practice_id)
        if queue is not None:
            stmt = stmt.where(_W.queue == queue.value)
        if status is not None:
            stmt = stmt.where(_W.status == status.value)
        if claim_id is not None:
            stmt = stmt.where(_W.claim_id == claim_id)
        stmt = stmt.order_by(_W.created_at, _W.id).limit(limit).offset(offset)
        return [_item_of(r) for r in self._conn.execute(stmt).all()]

    def counts(self, practice_id: str) -> dict[str, int]:
        rows = self._conn.execute(
            select(_W.queue, func.count())
            .where(_W.practice_id == practice_id, _W.status == WorkStatus.OPEN.value)
            .group_by(_W.queue)
        )
        return {queue: int(n) for queue, n in rows}

    def close(self, practice_id: str, item_id: str, *, at: datetime, by: str, resolution: str) -> None:
        done = self._conn.execute(
            update(t.work_items)
            .where(_W.practice_id == practice_id, _W.id == item_id, _W.status == WorkStatus.OPEN.value)
            .values(status=WorkStatus.CLOSED.value, closed_at=at, closed_by=by[:60], resolution=resolution)
        )
        if done.rowcount != 1:
            raise NotFound("no open work item with that id in this practice")

    def find(self, practice_id: str, query: WorkQuery) -> Sequence[WorkItem]:
        """Items by queue, status, owner ("" for unassigned), payer, category, age, amount and words in the reason."""
        stmt = select(t.work_items).where(_W.practice_id == practice_id)
        if query.queue is not None:
            stmt = stmt.where(_W.queue == query.queue.value)
        if query.status is not None:
            stmt = stmt.where(_W.status == query.status.value)
        if query.owner is not None:
            stmt = stmt.where(_W.owner.is_(None) if query.owner == "" else _W.owner == query.owner)
        if query.payer_id is not None:
            stmt = stmt.where(_W.payer_id == query.payer_id)
        if query.provider_id is not None:
            c, e = t.claims.c, t.encounters.c
            rendered = (
                select(c.id)
                .join(t.encounters, e.id == c.encounter_id)
                .where(c.practice_id == practice_id, e.rendering_provider_id == query.provider_id)
            )
            stmt = stmt.where(_W.claim_id.in_(rendered))
        if query.category is not None:
            stmt = stmt.where(_W.category == query.category)
        if query.created_before is not None:
            stmt = stmt.where(_W.created_at < query.created_before)
        if query.min_amount_cents is not None:
            stmt = stmt.where(_W.amount_cents >= query.min_amount_cents)
        if query.text:
            stmt = stmt.where(func.lower(_W.reason).contains(query.text.lower(), autoescape=True))
        order = {
            "oldest": (_W.created_at, _W.id),
            "due": (_W.due_on.is_(None), _W.due_on, _W.id),
            "amount": (_W.amount_cents.desc(), _W.id),
        }[query.order]
        stmt = stmt.order_by(*order).limit(query.limit).offset(query.offset)
        return [_item_of(r) for r in self._conn.execute(stmt).all()]

    def assign(self, practice_id: str, item_ids: Sequence[str], owner: str | None) -> int:
        done = self._conn.execute(
            update(t.work_items)
            .where(_W.practice_id == practice_id, _W.id.in_(list(item_ids)), _W.status == WorkStatus.OPEN.value)
            .values(owner=owner)
        )
        return int(done.rowcount)

    def add_note(self, practice_id: str, item_id: str, *, at: datetime, author: str, text: str) -> None:
        n = t.work_item_notes.c
        position = self._conn.execute(
            select(func.coalesce(func.max(n.position), 0)).where(
                n.practice_id == practice_id, n.work_item_id == item_id
            )
        ).scalar_one()
        self._conn.execute(
            insert(t.work_item_notes).values(
                practice_id=practice_id,
                work_item_id=item_id,
                position=int(position) + 1,
                at=at,
                author=author[:60],
                text=text,
            )
        )

    def notes(self, practice_id: str, item_id: str) -> Sequence[WorkNote]:
        n = t.work_item_notes.c
        rows = self._conn.execute(
            select(t.work_item_notes)
            .where(n.practice_id == practice_id, n.work_item_id == item_id)
            .order_by(n.position)
        ).all()
        return [WorkNote(at=r.at, author=r.author, text=r.text) for r in rows]

    def open_references(self, practice_id: str, queue: Queue) -> set[str]:
        """The references (claim numbers, account ids) with an open item in ``queue``: what not to queue twice."""
        rows = self._conn.execute(
            select(_W.reference).where(
                _W.practice_id == practice_id, _W.queue == queue.value, _W.status == WorkStatus.OPEN.value
            )
        )
        return {r for (r,) in rows}
