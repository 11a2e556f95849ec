"""Claims and batches: build from encounters, scrub, batch into 837P files, read with history, CMS-1500 as PDF."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict

from medbill.api.deps import ActorDep, DepsDep
from medbill.domain.claim_records import ClaimBatchRecord, ClaimRecord
from medbill.domain.money import cents_to_str
from medbill.domain.scrub import Finding
from medbill.services import batches, claim_forms, claims
from medbill.services.batches import BatchOptions

router = APIRouter(tags=["claims"])

PDF = "application/pdf"
X12 = "application/edi-x12"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimSummaryOut(BaseModel):
    id: str
    claim_id: str  # CLM01, the patient control number
    status: str
    payer: str
    payer_id: str
    date_of_service: date
    frequency: str
    total: str  # decimal string, "123.40"
    errors: int
    warnings: int

    @classmethod
    def of(cls, c: ClaimRecord) -> ClaimSummaryOut:
        return cls(
            id=c.id,
            claim_id=c.patient_control_number,
            status=c.status.value,
            payer=c.payer_name,
            payer_id=c.payer_id,
            date_of_service=c.date_of_service,
            frequency=c.frequency.value,
            total=cents_to_str(c.total_charge_cents),
            errors=c.summary.errors,
            warnings=c.summary.warnings,
        )


class FindingOut(BaseModel):
    rule: str
    family: str
    severity: Literal["error", "warning"]
    line: int | None
    field: str | None
    location: str | None
    message: str

    @classmethod
    def of(cls, f: Finding) -> FindingOut:
        return cls(
            rule=f.rule,
            family=f.family.value,
            severity=f.severity.value,
            line=f.line,
            field=f.field,
            location=f.location,
            message=f.message,
        )


class ClaimLineOut(BaseModel):
    line: int
    line_control_number: str  # REF*6R
    procedure_code: str
    modifiers: list[str]
    units: int
    charge: str
    service_date: date


class TransitionOut(BaseModel):
    event: str
    from_status: str
    to_status: str
    at: datetime
    actor: str
    reason: str


class SnapshotOut(BaseModel):
    id: str
    batch_id: str
    taken_at: datetime
    total: str


class ClaimOut(ClaimSummaryOut):
    encounter_id: str
    patient_id: str
    coverage_order: str
    original_claim_id: str | None
    payer_claim_number: str | None
    next_coverage_id: str | None
    batch_id: str | None
    lines: list[ClaimLineOut]
    findings: list[FindingOut]
    history: list[TransitionOut]
    snapshots: list[SnapshotOut]

    @classmethod
    def detail(cls, d: claims.ClaimDetail) -> ClaimOut:
        c = d.claim
        return cls(
            **ClaimSummaryOut.of(c).model_dump(),
            encounter_id=c.encounter_id,
            patient_id=c.patient_id,
            coverage_order=c.order.value,
            original_claim_id=c.original_claim_id,
            payer_claim_number=c.payer_claim_number,
            next_coverage_id=c.next_coverage_id,
            batch_id=c.batch_id,
            lines=[
                ClaimLineOut(
                    line=ln.line_number,
                    line_control_number=ln.line_control_number,
                    procedure_code=ln.procedure_code,
                    modifiers=list(ln.modifiers),
                    units=ln.units,
                    charge=cents_to_str(ln.charge_cents),
                    service_date=ln.service_date,
                )
                for ln in c.lines
            ],
            findings=[FindingOut.of(f) for f in c.findings],
            history=[
                TransitionOut(
                    event=h.event.value,
                    from_status=h.from_status.value,
                    to_status=h.to_status.value,
                    at=h.at,
                    actor=h.actor,
                    reason=h.reason,
                )
                for h in d.history
            ],
            snapshots=[
                SnapshotOut(id=s.id, batch_id=s.batch_id, taken_at=s.taken_at, total=cents_to_str(s.total_charge_cents))
                for s in d.snapshots
            ],
        )


class BuildIn(_In):
    encounter_ids: list[str] | None = None  # None: every encounter not billed yet


class SkippedOut(BaseModel):
    encounter_id: str
    reason: str


class BuildOut(BaseModel):
    created: list[ClaimSummaryOut]
    existing: list[ClaimSummaryOut]
    skipped: list[SkippedOut]


class ScrubIn(_In):
    claim_ids: list[str] | None = None  # None: every draft claim


class ScrubbedOut(ClaimSummaryOut):
    findings: list[FindingOut]


class ScrubOut(BaseModel):
    claims: list[ScrubbedOut]


class BatchIn(_In):
    force: list[str] = []  # claim ids to batch despite error findings (admin only; audited)
    contact_phone: str | None = None
    submitter_id: str | None = None
    test: bool = False


class BatchOut(BaseModel):
    id: str
    kind: str
    payer_id: str
    receiver_id: str
    receiver_name: str
    file_name: str
    interchange_control_number: int
    group_control_number: int
    claim_count: int
    total: str
    status: str
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, b: ClaimBatchRecord) -> BatchOut:
        return cls(
            id=b.id,
            kind=b.kind.value,
            payer_id=b.payer_id,
            receiver_id=b.receiver_id,
            receiver_name=b.receiver_name,
            file_name=b.file_name,
            interchange_control_number=b.interchange_control_number,
            group_control_number=b.group_control_number,
            claim_count=b.claim_count,
            total=cents_to_str(b.total_charge_cents),
            status=b.status.value,
            created_at=b.created_at,
            created_by=b.created_by,
        )


class BatchResultOut(BaseModel):
    batches: list[BatchOut]
    held: list[ClaimSummaryOut]  # scrubbed claims kept out for their error findings


@router.post("/claims/build", response_model=BuildOut)
def build(body: BuildIn, deps: DepsDep, actor: ActorDep) -> BuildOut:
    """One claim per encounter to its primary payer; building again returns the claims already built."""
    result = claims.build_claims(deps, actor, body.encounter_ids)
    return BuildOut(
        created=[ClaimSummaryOut.of(c) for c in result.created],
        existing=[ClaimSummaryOut.of(c) for c in result.existing],
        skipped=[SkippedOut(encounter_id=s.encounter_id, reason=s.reason) for s in result.skipped],
    )


@router.post("/claims/scrub", response_model=ScrubOut)
def scrub(body: ScrubIn, deps: DepsDep, actor: ActorDep) -> ScrubOut:
    done = claims.scrub_claims(deps, actor, body.claim_ids)
    return ScrubOut(
        claims=[
            ScrubbedOut(**ClaimSummaryOut.of(c).model_dump(), findings=[FindingOut.of(f) for f in c.findings])
            for c in done
        ]
    )


@router.get("/claims", response_model=list[ClaimSummaryOut])
def list_claims(
    deps: DepsDep,
    actor: ActorDep,
    status: str | None = Query(None, description="draft, scrubbed, queued, submitted, accepted, …"),
    limit: int = Query(500, ge=1, le=10_000),
    offset: int = Query(0, ge=0),
) -> list[ClaimSummaryOut]:
    return [ClaimSummaryOut.of(c) for c in claims.list_claims(deps, actor, status=status, limit=limit, offset=offset)]


class ClaimCountOut(BaseModel):
    status: str
    payer_id: str
    count: int
    total: str


@router.get("/claims/counts", response_model=list[ClaimCountOut])
def claim_counts(deps: DepsDep, actor: ActorDep) -> list[ClaimCountOut]:
    """How many claims each payer has in each status, and what they charge (for work queues and the batch screen)."""
    return [
        ClaimCountOut(
            status=c.status.value, payer_id=c.payer_id, count=c.count, total=cents_to_str(c.total_charge_cents)
        )
        for c in claims.claim_counts(deps, actor)
    ]


@router.get("/claims/{claim_id}", response_model=ClaimOut)
def get_claim(claim_id: str, deps: DepsDep, actor: ActorDep) -> ClaimOut:
    """A claim with its lines, latest findings, history and snapshots; ``claim_id`` may also be the CLM01."""
    return ClaimOut.detail(claims.get_claim(deps, actor, claim_id))


_PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}
}


# decorators apply bottom-up: the CMS-1500 address is registered first
@router.get("/claims/{claim_id}/ub04.pdf", response_class=Response, responses=_PDF_RESPONSES)
@router.get("/claims/{claim_id}/cms1500.pdf", response_class=Response, responses=_PDF_RESPONSES)
def claim_form(
    claim_id: str,
    deps: DepsDep,
    actor: ActorDep,
    mode: Literal["full", "data_only"] = "full",
) -> Response:
    """The claim on paper: a CMS-1500 (02/12) or a UB-04, the whole form or data only for the red pre-printed form;
    both form addresses answer with the form the claim's kind calls for."""
    content = claim_forms.get_claim_pdf(deps, actor, claims.claim_id_for(deps, actor, claim_id), mode=mode)
    return Response(content, media_type=PDF)


@router.post("/batches", response_model=BatchResultOut)
def batch(body: BatchIn, deps: DepsDep, actor: ActorDep) -> BatchResultOut:
    """Scrubbed claims without errors (and any forced by an admin) into one 837P per payer; they become queued."""
    options = BatchOptions(
        submitter_id=body.submitter_id,
        contact_phone=body.contact_phone,
        usage="T" if body.test else "P",
        force=tuple(body.force),
    )
    result = batches.batch_claims(deps, actor, options=options)
    return BatchResultOut(
        batches=[BatchOut.of(b.batch) for b in result.batches], held=[ClaimSummaryOut.of(c) for c in result.held]
    )


@router.get("/batches", response_model=list[BatchOut])
def list_batches(
    deps: DepsDep, actor: ActorDep, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)
) -> list[BatchOut]:
    return [BatchOut.of(b) for b in batches.list_batches(deps, actor, limit=limit, offset=offset)]


@router.get(
    "/batches/{batch_id}/file",
    response_class=Response,
    responses={200: {"content": {X12: {"schema": {"type": "string", "format": "binary"}}}}},
)
def batch_file(batch_id: str, deps: DepsDep, actor: ActorDep) -> Response:
    """The 837 file of a batch, byte for byte as built."""
    record, content = batches.get_batch_file(deps, actor, batch_id)
    return Response(
        content, media_type=X12, headers={"Content-Disposition": f'attachment; filename="{record.file_name}"'}
    )
