"""The work queues: find items by queue, owner, payer, category, age, amount and words; assign them, close many at
once, write off or appeal many at once (all or nothing), keep notes, and queue the follow-up (no answer after N days, patient balances past due)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from medbill.api.deps import ActorDep, DepsDep
from medbill.domain.money import cents_to_str, parse_cents
from medbill.domain.work_items import Queue, WorkItem, WorkQuery, WorkStatus
from medbill.services import accounts, follow_up

router = APIRouter(tags=["work queues"])


class WorkItemOut(BaseModel):
    id: str
    queue: Queue
    status: Literal["open", "closed"]
    claim_id: str | None
    remittance_id: str | None
    reference: str
    amount: str
    reason: str
    created_at: datetime
    owner: str | None
    due_on: date | None
    category: str | None
    next_action: str | None
    payer_id: str | None
    patient_id: str | None
    closed_at: datetime | None
    closed_by: str | None
    resolution: str | None

    @classmethod
    def of(cls, w: WorkItem) -> WorkItemOut:
        return cls(
            id=w.id,
            queue=w.queue,
            status=w.status.value,
            claim_id=w.claim_id,
            remittance_id=w.remittance_id,
            reference=w.reference,
            amount=cents_to_str(w.amount_cents),
            reason=w.reason,
            created_at=w.created_at,
            owner=w.owner,
            due_on=w.due_on,
            category=w.category,
            next_action=w.next_action,
            payer_id=w.payer_id,
            patient_id=w.patient_id,
            closed_at=w.closed_at,
            closed_by=w.closed_by,
            resolution=w.resolution,
        )


class NoteOut(BaseModel):
    at: datetime
    author: str
    text: str


class WorkItemDetailOut(BaseModel):
    item: WorkItemOut
    notes: list[NoteOut]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignIn(_In):
    ids: list[str]
    owner: str | None  # a username; null takes the items back


class BulkCloseIn(_In):
    ids: list[str]
    resolution: str


class BulkWriteOffIn(_In):
    ids: list[str] = Field(description="open denial or underpayment items; each one's claim is written off once")
    reason: str = Field(description="a write-off reason: timely_filing, uncollectible, small_balance, courtesy …")
    note: str = Field(description="why, in a few words (at most 200 characters)")


class BulkAppealsIn(_In):
    ids: list[str] = Field(description="open denial or underpayment items; one appeal is drafted per claim")


class WrittenOffOut(BaseModel):
    claim_id: str
    reason: str
    amount: str  # decimal string
    closed_items: list[str]


class DraftedOut(BaseModel):
    appeal_id: str
    claim_id: str
    work_item_id: str | None
    due_on: date | None


class CloseIn(_In):
    resolution: str


class NoteIn(_In):
    text: str


class RefreshIn(_In):
    no_response_days: int = 30
    past_due_days: int = 60


class CountOut(BaseModel):
    count: int


class RefreshOut(BaseModel):
    no_response: int
    past_due: int


@router.get("/work-items", response_model=list[WorkItemOut])
def list_work_items(
    deps: DepsDep,
    actor: ActorDep,
    queue: Queue | None = None,
    status: Literal["open", "closed", "all"] = "open",
    owner: str | None = Query(None, description="a username; 'none' for unassigned items"),
    payer_id: str | None = None,
    provider_id: str | None = Query(None, description="the rendering provider of the item's claim"),
    category: str | None = None,
    min_age_days: int | None = Query(None, ge=0),
    min_amount: str | None = Query(None, description="decimal dollars, e.g. 100.00"),
    q: str | None = Query(None, description="words in the reason"),
    order: Literal["oldest", "due", "amount"] = "oldest",
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[WorkItemOut]:
    """What needs a person, filtered: unmatched remittance, denials, underpayments, rejections, no response, past due."""
    query = WorkQuery(
        queue=queue,
        status=None if status == "all" else WorkStatus(status),
        owner="" if owner == "none" else owner,
        payer_id=payer_id,
        provider_id=provider_id,
        category=category,
        created_before=follow_up.older_than(deps, min_age_days) if min_age_days is not None else None,
        min_amount_cents=parse_cents(min_amount, field="min_amount") if min_amount else None,
        text=q,
        order=order,
        limit=limit,
        offset=offset,
    )
    return [WorkItemOut.of(w) for w in follow_up.find_work(deps, actor, query)]


@router.get("/work-items/{item_id}", response_model=WorkItemDetailOut)
def get_work_item(item_id: str, deps: DepsDep, actor: ActorDep) -> WorkItemDetailOut:
    detail = follow_up.item_detail(deps, actor, item_id)
    return WorkItemDetailOut(
        item=WorkItemOut.of(detail.item),
        notes=[NoteOut(at=n.at, author=n.author, text=n.text) for n in detail.notes],
    )


@router.post("/work-items/assign", response_model=CountOut)
def assign_work_items(body: AssignIn, deps: DepsDep, actor: ActorDep) -> CountOut:
    return CountOut(count=follow_up.assign(deps, actor, body.ids, body.owner))


@router.post("/work-items/close", response_model=CountOut)
def close_work_items(body: BulkCloseIn, deps: DepsDep, actor: ActorDep) -> CountOut:
    """Close many items with one resolution."""
    return CountOut(count=follow_up.close_items(deps, actor, body.ids, body.resolution))


@router.post("/work-items/write-off", response_model=list[WrittenOffOut])
def write_off_work_items(body: BulkWriteOffIn, deps: DepsDep, actor: ActorDep) -> list[WrittenOffOut]:
    """Write off what insurance still owes on each chosen item's claim, for one reason; all or nothing."""
    done = follow_up.bulk_write_off(deps, actor, body.ids, body.reason, body.note)
    return [
        WrittenOffOut(
            claim_id=d.claim_id,
            reason=d.reason.value,
            amount=cents_to_str(d.total_cents),
            closed_items=list(d.closed_items),
        )
        for d in done
    ]


@router.post("/work-items/appeals", response_model=list[DraftedOut])
def draft_work_item_appeals(body: BulkAppealsIn, deps: DepsDep, actor: ActorDep) -> list[DraftedOut]:
    """Draft an appeal (default argument, enclosures and letter) for each chosen item's claim; all or nothing."""
    drafted = follow_up.bulk_draft_appeals(deps, actor, body.ids)
    return [
        DraftedOut(appeal_id=a.id, claim_id=a.claim_id, work_item_id=a.work_item_id, due_on=a.due_on) for a in drafted
    ]


@router.post("/work-items/refresh", response_model=RefreshOut)
def refresh_follow_up(body: RefreshIn, deps: DepsDep, actor: ActorDep) -> RefreshOut:
    """Queue claims with no answer after N days and patient balances past due (never twice)."""
    made = follow_up.refresh_follow_up(
        deps, actor, no_response_days=body.no_response_days, past_due_days=body.past_due_days
    )
    return RefreshOut(no_response=made.no_response, past_due=made.past_due)


@router.post("/work-items/{item_id}/close", response_model=WorkItemOut)
def close_work_item(item_id: str, body: CloseIn, deps: DepsDep, actor: ActorDep) -> WorkItemOut:
    return WorkItemOut.of(accounts.close_work_item(deps, actor, item_id, body.resolution))


@router.post("/work-items/{item_id}/notes", response_model=NoteOut)
def add_note(item_id: str, body: NoteIn, deps: DepsDep, actor: ActorDep) -> NoteOut:
    note = follow_up.add_note(deps, actor, item_id, body.text)
    return NoteOut(at=note.at, author=note.author, text=note.text)
