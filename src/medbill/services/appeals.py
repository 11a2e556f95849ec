"""Appealing a denial: draft the appeal with its letter (the denial's reason, category and deadline found from the
denial work item or the claim's ledger), mark it sent, record the payer's answer, and take a lost appeal to the next
level. Each verb is one unit of work with its audit row; a refused act raises before anything is written.

Where the facts come from: the reason is the denial work item's (CARC and RARC in words, as posting wrote it) or,
without one, the claim's own denial adjustments; the category picks the letter's default argument and enclosures;
the due date is the work item's appeal deadline, else the remittance date (for a higher level: the date the level
below was answered) plus the payer's appeal window. A won or lost appeal closes the denial item with its outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from medbill.codesets import reference
from medbill.domain.appeals import (
    Appeal,
    AppealLetter,
    AppealStatus,
    argument_text,
    attachment_list,
    check_level,
    default_argument,
    default_attachments,
    paragraphs_of,
)
from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.denials import NextAction, category_of
from medbill.domain.errors import NotFound, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.ledger import EntryKind, LedgerEntry
from medbill.domain.parties import Address
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkItem, WorkStatus
from medbill.formats.pdf.appeal_letter import render_appeal_letter
from medbill.services.base import Deps, record_audit
from medbill.services.ports import UnitOfWork

__all__ = [
    "AppealPlan",
    "draft_appeal",
    "get_appeal",
    "get_letter",
    "list_appeals",
    "mark_sent",
    "plan_appeal",
    "record_outcome",
    "revise_appeal",
]

PERMISSION = Permission.REMITTANCE_POST  # appeals are the denial queue's work
ENTITY = "appeal"
_DENIAL_GROUPS = frozenset({"CO", "OA", "PI", "CR"})
_ADJUSTMENT_KINDS = frozenset({EntryKind.CONTRACTUAL_ADJUSTMENT, EntryKind.OTHER_ADJUSTMENT})
_CLOSES = frozenset({AppealStatus.WON, AppealStatus.LOST})


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealPlan:
    """What an appeal of the claim would start from: the denial, its category's default argument and enclosures, the
    next level and its deadline; with the claim's appeals so far (newest first)."""

    claim: ClaimRecord
    work_item: WorkItem | None
    reason: str
    category: str
    level: int
    due_on: date | None
    argument: str
    attachments: tuple[str, ...]
    appeals: tuple[Appeal, ...]


# --- the denial behind an appeal --------------------------------------------------------------------------------------


def _words(group: str, carc: str, remarks: Sequence[str]) -> str:
    found = reference.carc().get(carc)
    text = f"{group}-{carc}" + (f": {found.description}" if found else "")
    for code in remarks:
        remark = reference.rarc().get(code)
        text += f"; {code}" + (f": {remark.description}" if remark else "")
    return text


def _denial_entries(entries: Sequence[LedgerEntry], claim_id: str) -> list[LedgerEntry]:
    """The claim's adjustments that refused money (not the contractual CO-45 write-down, not the patient's share,
    not our own write-offs), net of reversals."""
    reversed_ids = {e.reverses for e in entries if e.reverses}
    return [
        e
        for e in entries
        if e.claim_id == claim_id
        and e.remittance_id is not None
        and e.kind in _ADJUSTMENT_KINDS
        and e.group_code in _DENIAL_GROUPS
        and e.reason_code not in (None, "45")
        and e.amount_cents > 0
        and e.reverses is None
        and e.id not in reversed_ids
    ]


def _from_entries(entries: Sequence[LedgerEntry]) -> tuple[str, str]:
    """(reason in words, category) from denial entries: each CARC once, the largest first."""
    by_code: dict[tuple[str, str], int] = {}
    remarks: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        key = (e.group_code or "", e.reason_code or "")
        by_code[key] = by_code.get(key, 0) + e.amount_cents
        for code in e.remark_codes:
            if code not in remarks.setdefault(key, []):
                remarks[key].append(code)
    ordered = sorted(by_code, key=lambda k: (-by_code[k], k))
    reason = " | ".join(_words(group, carc, remarks.get((group, carc), [])) for group, carc in ordered)
    return reason, category_of(ordered[0][1]).value


def _denial_item(uow: UnitOfWork, actor: Actor, claim: ClaimRecord, work_item_id: str | None) -> WorkItem | None:
    if work_item_id:
        try:
            item = uow.work_items.get(actor.practice_id, work_item_id)
        except NotFound as exc:
            raise NotFound("no such work item in this practice", field="work_item_id") from exc
        if item.claim_id != claim.id:
            raise ValidationError("that work item is about another claim", field="work_item_id")
        return item
    items = uow.work_items.list(actor.practice_id, queue=Queue.DENIAL, status=None, claim_id=claim.id)
    open_items = [w for w in items if w.status is WorkStatus.OPEN]
    ranked = sorted(open_items or items, key=lambda w: w.created_at, reverse=True)
    return ranked[0] if ranked else None


def _plan(uow: UnitOfWork, actor: Actor, claim_id: str, work_item_id: str | None, level: int | None) -> AppealPlan:
    pid = actor.practice_id
    claim = uow.claims.get(pid, claim_id)
    earlier = tuple(uow.appeals.list(pid, claim_id=claim.id))
    item = _denial_item(uow, actor, claim, work_item_id)
    entries = _denial_entries(uow.ledger.for_claims(pid, [claim.id]), claim.id)
    if item is not None:
        reason = item.reason
        category = item.category or (_from_entries(entries)[1] if entries else "other")
    elif entries:
        reason, category = _from_entries(entries)
    else:
        raise ValidationError(
            "this claim has no denial to appeal: no denial work item and no denial adjustments on its ledger",
            field="claim_id",
        )
    answered = [a for a in earlier if a.status is not AppealStatus.WITHDRAWN]
    next_level = level if level is not None else max((a.level for a in answered), default=0) + 1
    window = timedelta(days=uow.payers.get(pid, claim.payer_id).appeal_window_days)
    due: date | None = None
    below = [a for a in answered if a.level == next_level - 1 and a.answered_on is not None]
    if next_level > 1 and below:
        due = max(a.answered_on for a in below if a.answered_on is not None) + window
    elif item is not None and item.due_on is not None and item.next_action == NextAction.APPEAL.value:
        due = item.due_on
    else:
        remittance_id = item.remittance_id if item is not None else None
        if remittance_id is None and entries:
            remittance_id = max(entries, key=lambda e: e.at).remittance_id
        if remittance_id:
            due = uow.remittances.get(pid, remittance_id).paid_on + window
    return AppealPlan(
        claim=claim,
        work_item=item,
        reason=reason,
        category=category,
        level=next_level,
        due_on=due,
        argument=default_argument(category),
        attachments=default_attachments(category),
        appeals=earlier,
    )


# --- the letter -------------------------------------------------------------------------------------------------------


def _zip(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == 9 else code


def address_lines(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ()
    street = (address.line1, address.line2) if address.line2 else (address.line1,)
    return (*street, f"{address.city}, {address.state} {_zip(address.zip)}")


def _signer(uow: UnitOfWork, actor: Actor) -> str:
    user = uow.users.by_username(actor.username)
    return user.display_name if user is not None and user.practice_id == actor.practice_id else actor.username


def _letter(uow: UnitOfWork, actor: Actor, claim: ClaimRecord, appeal: Appeal, on: date) -> bytes:
    pid = actor.practice_id
    practice = uow.practices.get(pid)
    payer = uow.payers.get(pid, claim.payer_id)
    patient = uow.patients.get(pid, claim.patient_id)
    coverage = uow.coverages.get(pid, claim.coverage_id)
    encounter = uow.encounters.get(pid, claim.encounter_id)
    try:
        provider = uow.providers.get(pid, encounter.rendering_provider_id)
        provider_name: str | None = (
            f"{provider.first_name} {provider.last_name}" if provider.first_name else provider.last_name
        )
        provider_npi: str | None = provider.npi
    except NotFound:
        provider_name = provider_npi = None
    days = [line.service_date for line in claim.lines] or [claim.date_of_service]
    letter = AppealLetter(
        practice_name=practice.name,
        practice_address=address_lines(practice.address),
        practice_phone=practice.phone,
        practice_npi=practice.npi,
        practice_tin=practice.tin,
        letter_date=on,
        payer_name=payer.name,
        payer_address=address_lines(payer.address),
        payer_identifier=payer.payer_id,
        level=appeal.level,
        patient_name=f"{patient.name.first} {patient.name.last}",
        patient_birth_date=patient.birth_date,
        member_id=coverage.member_id,
        claim_number=claim.patient_control_number,
        payer_claim_number=claim.payer_claim_number,
        service_from=min(days),
        service_to=max(days),
        billed_cents=claim.total_charge_cents,
        denial=appeal.reason,
        argument=tuple(paragraphs_of(appeal.argument)),
        enclosures=appeal.attachments,
        signer_name=_signer(uow, actor),
        provider_name=provider_name,
        provider_npi=provider_npi,
        due_on=appeal.due_on,
    )
    return render_appeal_letter(letter)


# --- the verbs --------------------------------------------------------------------------------------------------------


def plan_appeal(
    deps: Deps, actor: Actor, claim_id: str, *, work_item_id: str | None = None, level: int | None = None
) -> AppealPlan:
    """What a new appeal of the claim would say and when it is due (the draft page's prefilled form); writes nothing."""
    actor.require(PERMISSION)
    with deps.uow() as uow:
        return _plan(uow, actor, claim_id, work_item_id, level)


def draft_appeal(
    deps: Deps,
    actor: Actor,
    claim_id: str,
    *,
    work_item_id: str | None = None,
    argument: str | None = None,
    attachments: Sequence[str] = (),
    level: int = 1,
) -> Appeal:
    """Draft an appeal of a denied claim with its letter (PDF, stored). No argument: the denial category's default;
    no attachments: the category's usual enclosures. A higher level follows only a lost or partly won one below it."""
    actor.require(PERMISSION)
    with deps.uow() as uow:
        appeal = draft_in(
            uow,
            deps,
            actor,
            claim_id,
            work_item_id=work_item_id,
            argument=argument,
            attachments=attachments,
            level=level,
        )
        uow.commit()
    return appeal


def draft_in(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    claim_id: str,
    *,
    work_item_id: str | None = None,
    argument: str | None = None,
    attachments: Sequence[str] = (),
    level: int = 1,
) -> Appeal:
    """``draft_appeal`` inside the caller's unit of work (which checked the permission and commits)."""
    plan = _plan(uow, actor, claim_id, work_item_id, level)
    check_level(level, plan.appeals)
    enclosures = attachment_list(attachments) or plan.attachments
    now = deps.clock.now()
    appeal = Appeal(
        practice_id=actor.practice_id,
        claim_id=plan.claim.id,
        work_item_id=plan.work_item.id if plan.work_item is not None else None,
        level=level,
        reason=plan.reason,
        argument=argument_text(argument if argument is not None else plan.argument),
        attachments=enclosures,
        due_on=plan.due_on,
        created_at=now,
        created_by=actor.username,
    )
    uow.appeals.add(appeal, _letter(uow, actor, plan.claim, appeal, deps.clock.today()))
    record_audit(
        uow,
        deps,
        actor,
        AuditAction.CREATE,
        ENTITY,
        appeal.id,
        f"claim={appeal.claim_id} level={level} enclosures={len(enclosures)}",
    )
    return appeal


def revise_appeal(deps: Deps, actor: Actor, appeal_id: str, *, argument: str, attachments: Sequence[str]) -> Appeal:
    """A drafted appeal's new argument and enclosures; its letter is rendered again."""
    actor.require(PERMISSION)
    with deps.uow() as uow:
        appeal = uow.appeals.get(actor.practice_id, appeal_id)
        revised = appeal.revised(argument=argument, attachments=attachments)
        claim = uow.claims.get(actor.practice_id, appeal.claim_id)
        uow.appeals.update(revised, _letter(uow, actor, claim, revised, deps.clock.today()))
        record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, appeal.id, "revised")
        uow.commit()
    return revised


def mark_sent(deps: Deps, actor: Actor, appeal_id: str, sent_on: date) -> Appeal:
    """The letter went to the payer on ``sent_on``; from now on the appeal waits for the answer."""
    actor.require(PERMISSION)
    with deps.uow() as uow:
        appeal = uow.appeals.get(actor.practice_id, appeal_id)
        sent = appeal.sent(sent_on)
        uow.appeals.update(sent)
        record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, appeal.id, f"sent on={sent_on.isoformat()}")
        uow.commit()
    return sent


def record_outcome(
    deps: Deps, actor: Actor, appeal_id: str, outcome: str | AppealStatus, answered_on: date, note: str = ""
) -> Appeal:
    """The payer's answer (won, partly_won, lost) or our withdrawal. Won or lost closes the appeal's open denial
    item with the outcome as its resolution; partly won leaves it open for what is still unpaid."""
    actor.require(PERMISSION)
    status = parse_enum(AppealStatus, outcome, "outcome")
    with deps.uow() as uow:
        appeal = uow.appeals.get(actor.practice_id, appeal_id)
        answered = appeal.answered(status, answered_on, note)
        uow.appeals.update(answered)
        detail = f"outcome={status.value} on={answered_on.isoformat()}"
        if status in _CLOSES and appeal.work_item_id:
            item = uow.work_items.get(actor.practice_id, appeal.work_item_id)
            if item.status is WorkStatus.OPEN:
                resolution = f"level {appeal.level} appeal {status.value}: {answered.outcome}"[:500]
                uow.work_items.close(
                    actor.practice_id, item.id, at=deps.clock.now(), by=actor.username, resolution=resolution
                )
                record_audit(
                    uow, deps, actor, AuditAction.UPDATE, "work_item", item.id, f"closed by appeal {appeal.id}"
                )
                detail += " work_item=closed"
        record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, appeal.id, detail)
        uow.commit()
    return answered


def list_appeals(
    deps: Deps,
    actor: Actor,
    *,
    status: str | AppealStatus | None = None,
    claim_id: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[Appeal]:
    actor.require(PERMISSION)
    which = parse_enum(AppealStatus, status, "status") if status else None
    if not 1 <= limit <= 1000:
        raise ValidationError("limit is between 1 and 1000", field="limit")
    with deps.uow() as uow:
        return uow.appeals.list(actor.practice_id, status=which, claim_id=claim_id, limit=limit, offset=offset)


def get_appeal(deps: Deps, actor: Actor, appeal_id: str) -> Appeal:
    actor.require(PERMISSION)
    with deps.uow() as uow:
        return uow.appeals.get(actor.practice_id, appeal_id)


def get_letter(deps: Deps, actor: Actor, appeal_id: str) -> tuple[Appeal, bytes]:
    """The appeal and its letter's PDF as generated; the read is audited (the letter names the patient)."""
    actor.require(PERMISSION)
    with deps.uow() as uow:
        appeal = uow.appeals.get(actor.practice_id, appeal_id)
        content = uow.appeals.letter(actor.practice_id, appeal_id)
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, appeal.id, "letter")
        uow.commit()
    return appeal, content
