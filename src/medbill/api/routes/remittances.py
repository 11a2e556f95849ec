"""Getting paid: import and post 835s (with a dry-run preview), imported remittances, the work queues, a claim's
ledger and a patient's account. Amounts are decimal strings."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.routes.work_items import WorkItemOut
from medbill.bootstrap import Container
from medbill.domain.errors import ValidationError
from medbill.domain.ledger import Balance, LedgerEntry
from medbill.domain.money import cents_to_str, parse_cents
from medbill.domain.remittance_records import RemittanceRecord
from medbill.services import accounts, paper_eob, posting
from medbill.services.accounts import VisitAccount
from medbill.services.documents import MAX_UPLOAD_BYTES

router = APIRouter(tags=["remittances"])


class ClaimOutcomeOut(BaseModel):
    claim_id: str
    status: str
    charge: str
    paid: str
    patient_responsibility: str
    action: str
    event: str | None
    note: str


class ProviderAdjustmentOut(BaseModel):
    reason: str
    reference: str | None
    amount: str


class TransactionOut(BaseModel):
    remittance_id: str | None
    control_number: str
    payer: str
    trace_number: str
    method: str
    amount: str
    paid_on: date
    claim_payments: int
    balanced: bool
    difference: str
    problems: list[str]
    already_imported: bool
    held: bool
    posted: int
    unmatched: int
    unmatched_lines: int
    denied: int
    reversed: int
    underpaid: int
    entries: int
    totals: dict[str, str]
    provider_adjustments: list[ProviderAdjustmentOut]
    claims: list[ClaimOutcomeOut]


class ImportOut(BaseModel):
    file: str
    dry_run: bool
    claim_payments: int
    posted: int
    unmatched: int
    balanced: bool
    already_imported: bool
    transactions: list[TransactionOut]


class RemittanceOut(BaseModel):
    id: str
    status: str
    payer: str
    trace_number: str
    method: str
    amount: str
    paid_on: date
    claims: int
    posted: int
    unmatched: int
    denied: int
    provider_adjustments: str
    difference: str
    problems: list[str]
    file: str
    imported_at: datetime
    imported_by: str

    @classmethod
    def of(cls, r: RemittanceRecord) -> RemittanceOut:
        return cls(
            id=r.id,
            status=r.status.value,
            payer=r.payer_name,
            trace_number=r.trace_number,
            method=r.method,
            amount=cents_to_str(r.amount_cents),
            paid_on=r.paid_on,
            claims=r.claim_count,
            posted=r.posted_count,
            unmatched=r.unmatched_count,
            denied=r.denied_count,
            provider_adjustments=cents_to_str(r.provider_adjustment_cents),
            difference=cents_to_str(r.difference_cents),
            problems=list(r.problems),
            file=r.file_name,
            imported_at=r.imported_at,
            imported_by=r.imported_by,
        )


class EntryOut(BaseModel):
    id: str
    line_number: int
    kind: str
    amount: str
    at: datetime
    claim_id: str | None
    payer_id: str | None
    remittance_id: str | None
    group_code: str | None
    reason_code: str | None
    remark_codes: list[str]
    patient_share: str | None
    source: str
    reverses: str | None

    @classmethod
    def of(cls, e: LedgerEntry) -> EntryOut:
        return cls(
            id=e.id,
            line_number=e.line_number,
            kind=e.kind.value,
            amount=cents_to_str(e.amount_cents),
            at=e.at,
            claim_id=e.claim_id,
            payer_id=e.payer_id,
            remittance_id=e.remittance_id,
            group_code=e.group_code,
            reason_code=e.reason_code,
            remark_codes=list(e.remark_codes),
            patient_share=e.patient_share.value if e.patient_share else None,
            source=e.source,
            reverses=e.reverses,
        )


class RemittanceDetailOut(BaseModel):
    remittance: RemittanceOut
    provider_adjustments: list[ProviderAdjustmentOut]
    entries: list[EntryOut]
    work_items: list[WorkItemOut]


class BalanceOut(BaseModel):
    charges: str
    payments: str
    adjustments: str
    refunds: str
    insurance_balance: str
    patient_balance: str
    interest: str

    @classmethod
    def of(cls, b: Balance) -> BalanceOut:
        return cls(
            charges=cents_to_str(b.charges_cents),
            payments=cents_to_str(b.payments_cents),
            adjustments=cents_to_str(b.adjustments_cents),
            refunds=cents_to_str(b.refunds_cents),
            insurance_balance=cents_to_str(b.insurance_cents),
            patient_balance=cents_to_str(b.patient_cents),
            interest=cents_to_str(b.interest_cents),
        )


class LineOut(BaseModel):
    line_number: int
    procedure_code: str
    balance: BalanceOut
    entries: list[EntryOut]


class VisitOut(BaseModel):
    encounter_id: str
    date_of_service: date
    balance: BalanceOut
    owed_by_share: dict[str, str]
    lines: list[LineOut]

    @classmethod
    def of(cls, v: VisitAccount) -> VisitOut:
        return cls(
            encounter_id=v.encounter_id,
            date_of_service=v.date_of_service,
            balance=BalanceOut.of(v.balance),
            owed_by_share={k: cents_to_str(c) for k, c in v.owed_by_share.items()},
            lines=[
                LineOut(
                    line_number=li.line_number,
                    procedure_code=li.procedure_code,
                    balance=BalanceOut.of(li.balance),
                    entries=[EntryOut.of(e) for e in li.entries],
                )
                for li in v.lines
            ],
        )


class ClaimLedgerOut(BaseModel):
    claim_id: str
    encounter_id: str
    visit: VisitOut | None
    work_items: list[WorkItemOut]


class PatientAccountOut(BaseModel):
    patient_id: str
    balance: BalanceOut
    visits: list[VisitOut]


class EobLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_number: int
    paid: str  # decimal string
    adjustments: dict[str, str] = {}  # "CO-45": "20.00"


class EobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check_number: str
    paid_on: date
    lines: list[EobLineIn]
    payer_claim_number: str | None = None
    denied: bool = False


@router.post("/remittances", response_model=ImportOut)
async def import_remittance(
    request: Request,
    file: UploadFile,
    deps: DepsDep,
    actor: ActorDep,
    dry_run: bool = Query(False, description="preview: do everything, keep nothing"),
) -> ImportOut:
    """Import an 835: check balancing, match claims and lines, post typed ledger entries, fill the work queues.
    The same advice imported again posts nothing (`already_imported`); one that does not balance is held."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    container: Container = request.app.state.container
    report = posting.import_remittance(
        deps,
        actor,
        data,
        file_name=file.filename or "upload.835",
        dry_run=dry_run,
        tolerance_cents=container.settings.underpayment_tolerance_cents,
    )
    return ImportOut.model_validate(posting.report_dict(report))


@router.get("/remittances", response_model=list[RemittanceOut])
def list_remittances(
    deps: DepsDep, actor: ActorDep, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)
) -> list[RemittanceOut]:
    return [RemittanceOut.of(r) for r in accounts.list_remittances(deps, actor, limit=limit, offset=offset)]


@router.get("/remittances/{remittance_id}", response_model=RemittanceDetailOut)
def get_remittance(remittance_id: str, deps: DepsDep, actor: ActorDep) -> RemittanceDetailOut:
    detail = accounts.get_remittance(deps, actor, remittance_id)
    return RemittanceDetailOut(
        remittance=RemittanceOut.of(detail.record),
        provider_adjustments=[
            ProviderAdjustmentOut(reason=a.reason, reference=a.reference, amount=cents_to_str(a.amount_cents))
            for a in detail.provider_adjustments
        ],
        entries=[EntryOut.of(e) for e in detail.entries],
        work_items=[WorkItemOut.of(w) for w in detail.work_items],
    )


@router.get("/claims/{claim_id}/ledger", response_model=ClaimLedgerOut)
def claim_ledger(claim_id: str, deps: DepsDep, actor: ActorDep) -> ClaimLedgerOut:
    """The claim's service lines with every entry on them and their derived balances."""
    ledger = accounts.claim_ledger(deps, actor, claim_id)
    return ClaimLedgerOut(
        claim_id=ledger.claim_id,
        encounter_id=ledger.encounter_id,
        visit=VisitOut.of(ledger.visit) if ledger.visit else None,
        work_items=[WorkItemOut.of(w) for w in ledger.work_items],
    )


@router.get("/patients/{patient_id}/account", response_model=PatientAccountOut)
def patient_account(patient_id: str, deps: DepsDep, actor: ActorDep) -> PatientAccountOut:
    """Each visit: charged, paid, adjusted, what insurance and the patient still owe, and why the patient owes."""
    account = accounts.patient_account(deps, actor, patient_id)
    return PatientAccountOut(
        patient_id=account.patient_id,
        balance=BalanceOut.of(account.balance),
        visits=[VisitOut.of(v) for v in account.visits],
    )


@router.post("/claims/{claim_id}/eob", response_model=ImportOut)
def post_paper_eob(
    claim_id: str,
    body: EobIn,
    request: Request,
    deps: DepsDep,
    actor: ActorDep,
    dry_run: bool = Query(False, description="preview: do everything, keep nothing"),
) -> ImportOut:
    """Post a paper EOB for one claim: it becomes the 835 the payer would have sent and posts the same way."""
    lines = tuple(
        paper_eob.EobLine(
            line_number=line.line_number,
            paid_cents=parse_cents(line.paid, field=f"lines[{i}].paid"),
            adjustments=tuple(
                (code, parse_cents(cents, field=f"lines[{i}].adjustments")) for code, cents in line.adjustments.items()
            ),
        )
        for i, line in enumerate(body.lines, 1)
    )
    eob = paper_eob.PaperEob(
        claim_id=claim_id,
        check_number=body.check_number,
        paid_on=body.paid_on,
        lines=lines,
        payer_claim_number=body.payer_claim_number,
        denied=body.denied,
    )
    container: Container = request.app.state.container
    report = paper_eob.post_paper_eob(
        deps, actor, eob, dry_run=dry_run, tolerance_cents=container.settings.underpayment_tolerance_cents
    )
    return ImportOut.model_validate(posting.report_dict(report))


class PayerTotalsOut(BaseModel):
    payer_id: str
    payments: str
    adjustments: str
    to_patient: str
    interest: str


@router.get("/payers/{payer_id}/totals", response_model=PayerTotalsOut)
def payer_totals(payer_id: str, deps: DepsDep, actor: ActorDep) -> PayerTotalsOut:
    """What one payer has paid, adjusted and put on patients, over every remittance posted (from the ledger)."""
    totals = accounts.totals_by_payer(deps, actor, payer_id)
    return PayerTotalsOut(
        payer_id=payer_id,
        payments=cents_to_str(totals.payments_cents),
        adjustments=cents_to_str(totals.adjustments_cents),
        to_patient=cents_to_str(totals.to_patient_cents),
        interest=cents_to_str(totals.interest_cents),
    )
