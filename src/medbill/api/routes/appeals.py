"""Following up a claim the payer did not pay: appeals with their letters (draft, revise, sent, outcome, the PDF),
insurance write-offs by reason, corrected (7) and void (8) claims, and collections status of patient accounts.
Amounts are decimal strings; a claim is named by its id or its claim number (CLM01)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.routes.claims import ClaimOut
from medbill.api.schemas import Strict
from medbill.domain.appeals import Appeal
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.collections import AccountCollections
from medbill.domain.money import cents_to_str
from medbill.domain.users import Actor
from medbill.services import appeals, claim_corrections, claims, collections, write_offs
from medbill.services.base import Deps
from medbill.services.collections import CollectionsAccount

router = APIRouter(tags=["appeals"])

PDF = "application/pdf"
AppealState = Literal["drafted", "sent", "won", "partly_won", "lost", "withdrawn"]
Outcome = Literal["won", "partly_won", "lost", "withdrawn"]
Reason = Literal[
    "timely_filing",
    "uncollectible",
    "small_balance",
    "courtesy",
    "appeal_lost",
    "no_authorization",
    "non_covered",
    "contractual_other",
]
CollectionState = Literal["reminder", "final_notice", "collections", "agency", "settled"]


class AppealIn(Strict):
    argument: str | None = Field(
        None, description="the letter's argument, paragraphs separated by blank lines; default: the category's template"
    )
    attachments: list[str] = Field(
        default_factory=list, description="the enclosures, one name each; default: the category's usual ones"
    )
    level: int = Field(1, ge=1, le=5, description="1, or the next level after a lost or partly won appeal")
    work_item_id: str | None = Field(None, description="the denial work item; default: the claim's open one")


class AppealOut(BaseModel):
    id: str
    claim_id: str
    work_item_id: str | None
    status: AppealState
    level: int
    reason: str = Field(description="the denial in words (CARC and RARC), as the letter states it")
    argument: str
    attachments: list[str]
    due_on: date | None = Field(description="the last day the payer accepts the appeal")
    created_at: datetime
    created_by: str
    sent_on: date | None
    answered_on: date | None
    outcome: str | None

    @classmethod
    def of(cls, a: Appeal) -> AppealOut:
        return cls(
            id=a.id,
            claim_id=a.claim_id,
            work_item_id=a.work_item_id,
            status=a.status.value,
            level=a.level,
            reason=a.reason,
            argument=a.argument,
            attachments=list(a.attachments),
            due_on=a.due_on,
            created_at=a.created_at,
            created_by=a.created_by,
            sent_on=a.sent_on,
            answered_on=a.answered_on,
            outcome=a.outcome,
        )


class AppealPlanOut(BaseModel):
    """What a new appeal of the claim would start from (nothing is written)."""

    claim_id: str
    work_item_id: str | None
    reason: str
    category: str
    level: int
    due_on: date | None
    argument: str
    attachments: list[str]


class ReviseIn(Strict):
    argument: str
    attachments: list[str] = Field(default_factory=list)


class SentIn(Strict):
    sent_on: date | None = Field(None, description="default: today")


class OutcomeIn(Strict):
    outcome: Outcome
    answered_on: date | None = Field(None, description="default: today")
    note: str = Field("", max_length=500, description="what the payer said")


class WriteOffIn(Strict):
    reason: Reason
    note: str = Field(min_length=1, max_length=200)


class WrittenOffLineOut(BaseModel):
    line_number: int
    amount: str


class ClaimWriteOffOut(BaseModel):
    claim_id: str
    reason: Reason
    lines: list[WrittenOffLineOut]
    total: str
    closed_work_items: list[str]


class CorrectionIn(Strict):
    payer_claim_number: str | None = Field(None, description="REF*F8; default: the one from the 277CA or 835")
    reason: str = Field("", max_length=200)


class CollectionsIn(Strict):
    status: CollectionState
    note: str = Field(min_length=1, max_length=500)


class CollectionsOut(BaseModel):
    patient_id: str
    status: CollectionState
    since: date
    note: str
    updated_by: str

    @classmethod
    def of(cls, r: AccountCollections) -> CollectionsOut:
        return cls(patient_id=r.patient_id, status=r.status.value, since=r.since, note=r.note, updated_by=r.updated_by)


class CollectionsAccountOut(CollectionsOut):
    account_number: str
    patient_name: str
    patient_balance: str

    @classmethod
    def of_account(cls, a: CollectionsAccount) -> CollectionsAccountOut:
        return cls(
            **CollectionsOut.of(a.record).model_dump(),
            account_number=a.account_number,
            patient_name=a.patient_name,
            patient_balance=cents_to_str(a.patient_balance_cents),
        )


# --- appeals --------------------------------------------------------------------------------------------------------


@router.get("/claims/{claim_id}/appeal-template", response_model=AppealPlanOut)
def appeal_template(claim_id: str, deps: DepsDep, actor: ActorDep) -> AppealPlanOut:
    """The denial, its category's default argument and enclosures, the next level and its deadline."""
    plan = appeals.plan_appeal(deps, actor, claims.claim_id_for(deps, actor, claim_id))
    return AppealPlanOut(
        claim_id=plan.claim.id,
        work_item_id=plan.work_item.id if plan.work_item else None,
        reason=plan.reason,
        category=plan.category,
        level=plan.level,
        due_on=plan.due_on,
        argument=plan.argument,
        attachments=list(plan.attachments),
    )


@router.post("/claims/{claim_id}/appeals", response_model=AppealOut, status_code=201)
def draft_appeal(claim_id: str, body: AppealIn, deps: DepsDep, actor: ActorDep) -> AppealOut:
    """Draft an appeal of a denied claim; its letter (PDF) is generated and kept."""
    made = appeals.draft_appeal(
        deps,
        actor,
        claims.claim_id_for(deps, actor, claim_id),
        work_item_id=body.work_item_id,
        argument=body.argument,
        attachments=body.attachments,
        level=body.level,
    )
    return AppealOut.of(made)


@router.get("/appeals", response_model=list[AppealOut])
def list_appeals(
    deps: DepsDep,
    actor: ActorDep,
    status: AppealState | None = None,
    claim_id: str | None = None,
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[AppealOut]:
    """Appeals, newest first."""
    found = appeals.list_appeals(deps, actor, status=status, claim_id=claim_id, limit=limit, offset=offset)
    return [AppealOut.of(a) for a in found]


@router.get("/appeals/{appeal_id}", response_model=AppealOut)
def get_appeal(appeal_id: str, deps: DepsDep, actor: ActorDep) -> AppealOut:
    return AppealOut.of(appeals.get_appeal(deps, actor, appeal_id))


@router.put("/appeals/{appeal_id}", response_model=AppealOut)
def revise_appeal(appeal_id: str, body: ReviseIn, deps: DepsDep, actor: ActorDep) -> AppealOut:
    """A drafted appeal's new argument and enclosures; its letter is generated again."""
    made = appeals.revise_appeal(deps, actor, appeal_id, argument=body.argument, attachments=body.attachments)
    return AppealOut.of(made)


@router.post("/appeals/{appeal_id}/sent", response_model=AppealOut)
def mark_sent(appeal_id: str, body: SentIn, deps: DepsDep, actor: ActorDep) -> AppealOut:
    return AppealOut.of(appeals.mark_sent(deps, actor, appeal_id, body.sent_on or deps.clock.today()))


@router.post("/appeals/{appeal_id}/outcome", response_model=AppealOut)
def record_outcome(appeal_id: str, body: OutcomeIn, deps: DepsDep, actor: ActorDep) -> AppealOut:
    """The payer's answer or our withdrawal; won or lost closes the denial work item."""
    made = appeals.record_outcome(
        deps, actor, appeal_id, body.outcome, body.answered_on or deps.clock.today(), body.note
    )
    return AppealOut.of(made)


@router.get(
    "/appeals/{appeal_id}/letter",
    response_class=Response,
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
def appeal_letter(appeal_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """The appeal's letter exactly as generated."""
    appeal, content = appeals.get_letter(deps, actor, appeal_id)
    disposition = f'inline; filename="appeal-{appeal.id}-level-{appeal.level}.pdf"'
    return Response(content, media_type=PDF, headers={"Content-Disposition": disposition})


# --- write-offs and corrections ----------------------------------------------------------------------------------------


@router.post("/claims/{claim_id}/write-off", response_model=ClaimWriteOffOut)
def write_off(claim_id: str, body: WriteOffIn, deps: DepsDep, actor: ActorDep) -> ClaimWriteOffOut:
    """Write off what insurance still owes on each of the claim's lines; refused when it owes nothing."""
    done = write_offs.write_off_claim(
        deps, actor, claims.claim_id_for(deps, actor, claim_id), body.reason, note=body.note
    )
    return ClaimWriteOffOut(
        claim_id=done.claim_id,
        reason=done.reason.value,
        lines=[WrittenOffLineOut(line_number=n, amount=cents_to_str(c)) for n, c in done.lines],
        total=cents_to_str(done.total_cents),
        closed_work_items=list(done.closed_items),
    )


def _corrected(
    correct: Callable[..., ClaimRecord], claim_id: str, body: CorrectionIn, deps: Deps, actor: Actor
) -> ClaimOut:
    made = correct(
        deps,
        actor,
        claims.claim_id_for(deps, actor, claim_id),
        payer_claim_number=body.payer_claim_number,
        reason=body.reason,
    )
    return ClaimOut.detail(claims.get_claim(deps, actor, made.id))


@router.post("/claims/{claim_id}/replacement", response_model=ClaimOut, status_code=201)
def replace_claim(claim_id: str, body: CorrectionIn, deps: DepsDep, actor: ActorDep) -> ClaimOut:
    """A replacement claim (frequency 7, REF*F8) rebuilt from the encounter; the original becomes replaced."""
    return _corrected(claim_corrections.replace_claim, claim_id, body, deps, actor)


@router.post("/claims/{claim_id}/void", response_model=ClaimOut, status_code=201)
def void_claim(claim_id: str, body: CorrectionIn, deps: DepsDep, actor: ActorDep) -> ClaimOut:
    """A void claim (frequency 8) of the claim as it was sent; the original becomes voided."""
    return _corrected(claim_corrections.void_claim, claim_id, body, deps, actor)


# --- collections ----------------------------------------------------------------------------------------------------


@router.put("/patients/{patient_id}/collections", response_model=CollectionsOut)
def set_collections(patient_id: str, body: CollectionsIn, deps: DepsDep, actor: ActorDep) -> CollectionsOut:
    """Put the patient's account at a collections step (settled takes it out)."""
    return CollectionsOut.of(collections.set_collections_status(deps, actor, patient_id, body.status, body.note))


@router.get("/collections", response_model=list[CollectionsAccountOut])
def list_collections(
    deps: DepsDep, actor: ActorDep, status: CollectionState | None = None
) -> list[CollectionsAccountOut]:
    """Accounts in collections (settled ones only with ``status=settled``) with what each patient owes."""
    return [CollectionsAccountOut.of_account(a) for a in collections.collections_list(deps, actor, status=status)]
