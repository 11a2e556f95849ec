"""Patient statements: run the cycle (or preview it), list what was sent, a statement's PDF, holds on a patient's
statements. Amounts are decimal strings."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import Amount
from medbill.domain.money import cents_to_str, parse_cents
from medbill.domain.statements import StatementRules
from medbill.services import statements
from medbill.services.ports import StatementHold
from medbill.services.statements import RunReport, StatementSummary

router = APIRouter(tags=["statements"])

PDF = "application/pdf"


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_balance: Amount = Field("5.00", description="smallest amount due worth a statement")
    cycle_days: int = Field(28, ge=0, le=365, description="no second statement to a guarantor within this many days")
    due_days: int = Field(21, ge=0, le=365, description="the due date is this many days after the statement date")
    dry_run: bool = Field(False, description="decide and render, keep nothing")


class SentOut(BaseModel):
    id: str | None
    statement_number: str
    guarantor: str
    patient_ids: list[str]
    amount_due: str
    message: str


class SkippedOut(BaseModel):
    guarantor: str
    patient_ids: list[str]
    code: str
    reason: str
    amount_due: str


class RunOut(BaseModel):
    run_id: str | None
    run_on: date
    dry_run: bool
    sent: int
    skipped: dict[str, int]
    total_due: str
    statements: list[SentOut]
    skipped_guarantors: list[SkippedOut]

    @classmethod
    def of(cls, r: RunReport) -> RunOut:
        return cls(
            run_id=r.run_id,
            run_on=r.run_on,
            dry_run=r.dry_run,
            sent=r.sent,
            skipped=r.skipped,
            total_due=cents_to_str(r.total_due_cents),
            statements=[
                SentOut(
                    id=None if r.dry_run else s.statement_id,
                    statement_number=s.statement_number,
                    guarantor=s.guarantor_name,
                    patient_ids=list(s.patient_ids),
                    amount_due=cents_to_str(s.amount_due_cents),
                    message=s.message,
                )
                for s in r.statements
            ],
            skipped_guarantors=[
                SkippedOut(
                    guarantor=s.guarantor_name,
                    patient_ids=list(s.patient_ids),
                    code=s.code,
                    reason=s.reason,
                    amount_due=cents_to_str(s.amount_due_cents),
                )
                for s in r.skipped_guarantors
            ],
        )


class StatementOut(BaseModel):
    id: str
    run_id: str
    statement_number: str
    statement_date: date
    due_date: date
    guarantor: str
    patient_ids: list[str]
    amount_due: str
    message: str

    @classmethod
    def of(cls, s: StatementSummary) -> StatementOut:
        r = s.record
        return cls(
            id=r.id,
            run_id=r.run_id,
            statement_number=r.statement_number,
            statement_date=r.statement_date,
            due_date=r.due_date,
            guarantor=s.guarantor_name,
            patient_ids=list(r.patient_ids),
            amount_due=cents_to_str(r.amount_due_cents),
            message=r.message,
        )


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str


class HoldOut(BaseModel):
    patient_id: str
    reason: str
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, h: StatementHold) -> HoldOut:
        return cls(patient_id=h.patient_id, reason=h.reason, created_at=h.created_at, created_by=h.created_by)


@router.post("/statement-runs", response_model=RunOut)
def run_statements(body: RunIn, deps: DepsDep, actor: ActorDep) -> RunOut:
    """One statement per guarantor whose balance is due today, each stored with its PDF; skipped guarantors are
    counted by reason (`on_hold`, `nothing_due`, `below_minimum`, `in_cycle`). A dry run stores nothing."""
    rules = StatementRules(
        minimum_balance_cents=parse_cents(body.min_balance, field="min_balance"),
        cycle_days=body.cycle_days,
        due_in_days=body.due_days,
    )
    return RunOut.of(statements.run_statements(deps, actor, rules=rules, dry_run=body.dry_run))


@router.get("/statements", response_model=list[StatementOut])
def list_statements(
    deps: DepsDep,
    actor: ActorDep,
    patient_id: str | None = None,
    run_id: str | None = None,
    limit: int = Query(200, ge=1, le=1000),
) -> list[StatementOut]:
    """Statements sent, newest first: all, those listing one patient, or one run's."""
    found = statements.list_statements(deps, actor, patient_id, run_id=run_id, limit=limit)
    return [StatementOut.of(s) for s in found]


@router.get(
    "/statements/{statement_id}/pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
def statement_pdf(statement_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """The statement's PDF exactly as the run rendered it."""
    record, content = statements.get_statement_pdf(deps, actor, statement_id)
    return Response(
        content,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="statement-{record.statement_number}.pdf"'},
    )


@router.post("/patients/{patient_id}/statement-hold", response_model=HoldOut)
def hold_statements(patient_id: str, body: HoldIn, deps: DepsDep, actor: ActorDep) -> HoldOut:
    """No statement goes to the patient's guarantor until the hold is released; holding again changes the reason."""
    return HoldOut.of(statements.hold_statements(deps, actor, patient_id, body.reason))


@router.delete("/patients/{patient_id}/statement-hold", status_code=204, response_class=Response)
def release_hold(patient_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """Lift the hold (404 when there is none)."""
    statements.release_hold(deps, actor, patient_id)
    return Response(status_code=204)
