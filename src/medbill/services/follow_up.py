"""Working the queues: find items by filters, assign them, close many at once, keep notes, and make the follow-up
items no incoming file makes — claims with no answer after N days, patient balances past due.

Every queue is the same model (``domain.work_items``): an item with a queue, a claim or account, an owner, a due
date, a category and next action (denials are triaged when posted), a status and notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from medbill.domain.appeals import Appeal
from medbill.domain.audit import AuditAction
from medbill.domain.claim_states import ClaimStatus
from medbill.domain.errors import MedbillError, NotFound, ValidationError
from medbill.domain.money import Money
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkItem, WorkNote, WorkQuery, WorkStatus
from medbill.services.appeals import draft_in
from medbill.services.base import Deps, record_audit
from medbill.services.ports import ClaimQuery, UnitOfWork
from medbill.services.write_offs import ClaimWriteOff, WriteOffReason, parse_reason, write_off_in

_WAITING = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.PENDING)


def find_work(deps: Deps, actor: Actor, query: WorkQuery) -> Sequence[WorkItem]:
    actor.require(Permission.REMITTANCE_POST)
    if not 1 <= query.limit <= 1000:
        raise ValidationError("ask for 1 to 1000 items at a time", field="limit")
    if query.order not in ("oldest", "due", "amount"):
        raise ValidationError("order by oldest, due or amount", field="order")
    with deps.uow() as uow:
        return uow.work_items.find(actor.practice_id, query)


def older_than(deps: Deps, days: int) -> datetime:
    """The moment an item must have been created before to be ``days`` old (the age filter)."""
    return deps.clock.now() - timedelta(days=days)


def assign(deps: Deps, actor: Actor, item_ids: Sequence[str], owner: str | None) -> int:
    """Give open items to a user of this practice (or take them back with ``owner=None``); returns how many moved."""
    actor.require(Permission.REMITTANCE_POST)
    if not item_ids:
        raise ValidationError("choose at least one item", field="ids")
    with deps.uow() as uow:
        if owner is not None:
            user = uow.users.by_username(owner)
            if user is None or user.practice_id != actor.practice_id or not user.active:
                raise NotFound(f"no active user {owner!r} in this practice", field="owner")
        moved = uow.work_items.assign(actor.practice_id, item_ids, owner)
        record_audit(
            uow, deps, actor, AuditAction.UPDATE, "work_item", None, f"assigned {moved} to {owner or 'nobody'}"
        )
        uow.commit()
    return moved


def close_items(deps: Deps, actor: Actor, item_ids: Sequence[str], resolution: str) -> int:
    """Close many open items with one resolution (a bulk action); each stays on record."""
    actor.require(Permission.REMITTANCE_POST)
    text = resolution.strip()
    if not text:
        raise ValidationError(
            "say what was done (appealed, corrected, posted by hand, written off …)", field="resolution"
        )
    if not item_ids:
        raise ValidationError("choose at least one item", field="ids")
    with deps.uow() as uow:
        for item_id in item_ids:
            uow.work_items.close(
                actor.practice_id, item_id, at=deps.clock.now(), by=actor.username, resolution=text[:500]
            )
        record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", None, f"closed {len(item_ids)}")
        uow.commit()
    return len(item_ids)


_CLAIM_QUEUES = (Queue.DENIAL, Queue.UNDERPAYMENT)


def _claim_items(uow: UnitOfWork, actor: Actor, item_ids: Sequence[str]) -> list[tuple[int, WorkItem]]:
    """The chosen items, each an open denial or underpayment item on a claim (else refused naming it), first per claim
    (a claim's second item is resolved with its first)."""
    if not item_ids:
        raise ValidationError("choose at least one item", field="ids")
    chosen: list[tuple[int, WorkItem]] = []
    claims: set[str] = set()
    for index, item_id in enumerate(item_ids):
        try:
            item = uow.work_items.get(actor.practice_id, item_id)
        except NotFound:
            raise NotFound("no such work item in this practice", field=f"ids[{index}]") from None
        if item.queue not in _CLAIM_QUEUES or item.claim_id is None or item.status is not WorkStatus.OPEN:
            raise ValidationError(
                "only open denial and underpayment items on a claim can be written off or appealed together",
                field=f"ids[{index}]",
            )
        if item.claim_id not in claims:
            claims.add(item.claim_id)
            chosen.append((index, item))
    return chosen


def _refused(exc: MedbillError, index: int, item: WorkItem) -> MedbillError:
    """The refusal of one item, saying which one (its claim number) so the whole bulk action can be fixed."""
    return type(exc)(f"{item.reference}: {exc.message}", field=f"ids[{index}]", code=exc.code)


def bulk_write_off(
    deps: Deps, actor: Actor, item_ids: Sequence[str], reason: str | WriteOffReason, note: str
) -> list[ClaimWriteOff]:
    """Write off what insurance still owes on the claim of each chosen denial or underpayment item, for one reason
    (a bulk action): all in one unit of work, so one refused claim (insurance owes nothing on it) refuses them all
    and nothing is written; an audit row per claim and per item closed, as for one write-off."""
    actor.require(Permission.REMITTANCE_POST)
    actor.require(Permission.BALANCE_WRITE_OFF)
    why, text = parse_reason(reason, note)
    done: list[ClaimWriteOff] = []
    with deps.uow() as uow:
        for index, item in _claim_items(uow, actor, item_ids):
            try:
                done.append(write_off_in(uow, deps, actor, str(item.claim_id), why, text))
            except MedbillError as exc:
                raise _refused(exc, index, item) from None
        record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", None, f"bulk write-off of {len(done)} claims")
        uow.commit()
    return done


def bulk_draft_appeals(deps: Deps, actor: Actor, item_ids: Sequence[str]) -> list[Appeal]:
    """Draft an appeal (the denial category's argument and enclosures, the letter stored) for the claim of each chosen
    denial or underpayment item: all in one unit of work, so one refused (a claim with an open appeal, no denial
    to appeal) refuses them all and nothing is drafted."""
    actor.require(Permission.REMITTANCE_POST)
    drafted: list[Appeal] = []
    with deps.uow() as uow:
        for index, item in _claim_items(uow, actor, item_ids):
            try:
                drafted.append(draft_in(uow, deps, actor, str(item.claim_id), work_item_id=item.id))
            except MedbillError as exc:
                raise _refused(exc, index, item) from None
        record_audit(
            uow, deps, actor, AuditAction.CREATE, "work_item", None, f"bulk appeals drafted for {len(drafted)} claims"
        )
        uow.commit()
    return drafted


def add_note(deps: Deps, actor: Actor, item_id: str, text: str) -> WorkNote:
    actor.require(Permission.REMITTANCE_POST)
    body = text.strip()
    if not body:
        raise ValidationError("write the note", field="text")
    if len(body) > 2000:
        raise ValidationError("a note is at most 2000 characters", field="text")
    with deps.uow() as uow:
        uow.work_items.get(actor.practice_id, item_id)
        now = deps.clock.now()
        uow.work_items.add_note(actor.practice_id, item_id, at=now, author=actor.username, text=body)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", item_id, "note added")
        uow.commit()
    return WorkNote(at=now, author=actor.username, text=body)


@dataclass(frozen=True, slots=True)
class ItemDetail:
    item: WorkItem
    notes: tuple[WorkNote, ...]


def item_detail(deps: Deps, actor: Actor, item_id: str) -> ItemDetail:
    actor.require(Permission.REMITTANCE_POST)
    with deps.uow() as uow:
        item = uow.work_items.get(actor.practice_id, item_id)
        return ItemDetail(item=item, notes=tuple(uow.work_items.notes(actor.practice_id, item_id)))


@dataclass(frozen=True, slots=True)
class FollowUpReport:
    no_response: int
    past_due: int


def refresh_follow_up(
    deps: Deps, actor: Actor, *, no_response_days: int = 30, past_due_days: int = 60, today: date | None = None
) -> FollowUpReport:
    """Queue what needs chasing: claims with the payer and no answer for ``no_response_days`` (by their last
    move), and patient balances owed for ``past_due_days``. Running it again queues nothing twice."""
    actor.require(Permission.REMITTANCE_POST)
    if not (1 <= no_response_days <= 365 and 1 <= past_due_days <= 730):
        raise ValidationError("no-response days are 1 to 365 and past-due days 1 to 730", field="days")
    day = today or deps.clock.today()
    now = deps.clock.now()
    pid = actor.practice_id
    made: list[WorkItem] = []
    with deps.uow() as uow:
        payers = {p.id: p for p in uow.payers.list(pid)}
        open_claims = uow.work_items.open_references(pid, Queue.NO_RESPONSE)
        for claim in uow.claims.find(pid, ClaimQuery(statuses=_WAITING, limit=100_000)):
            waited = (day - claim.updated_at.date()).days
            if waited < no_response_days or claim.patient_control_number in open_claims:
                continue
            payer = payers.get(claim.payer_id)
            made.append(
                WorkItem(
                    practice_id=pid,
                    queue=Queue.NO_RESPONSE,
                    claim_id=claim.id,
                    reference=claim.patient_control_number,
                    amount_cents=claim.total_charge_cents,
                    reason=(
                        f"{claim.status.value} with {payer.name if payer else 'the payer'} since "
                        f"{claim.updated_at.date().isoformat()} ({waited} days) and no answer: call or send a 276"
                    ),
                    created_at=now,
                    payer_id=claim.payer_id,
                    patient_id=claim.patient_id,
                    next_action="review",
                    due_on=claim.date_of_service + timedelta(days=payer.timely_filing_days) if payer else None,
                )
            )
        open_accounts = uow.work_items.open_references(pid, Queue.PAST_DUE)
        past_due = 0
        for patient_id, cents, since in uow.ledger.patient_balances(pid):
            owed_days = (day - since.date()).days
            if owed_days < past_due_days or patient_id in open_accounts:
                continue
            past_due += 1
            made.append(
                WorkItem(
                    practice_id=pid,
                    queue=Queue.PAST_DUE,
                    reference=patient_id,
                    amount_cents=cents,
                    reason=f"the patient has owed {Money(cents).display()} for {owed_days} days",
                    created_at=now,
                    patient_id=patient_id,
                    next_action="bill_patient",
                )
            )
        uow.work_items.add(made)
        record_audit(uow, deps, actor, AuditAction.CREATE, "work_item", None, f"follow-up queued {len(made)}")
        uow.commit()
    return FollowUpReport(no_response=len(made) - past_due, past_due=past_due)
