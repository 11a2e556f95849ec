"""Code sets over HTTP: search (type-ahead), show a code for a date of service, E/M level, note suggestions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from medbill.codesets import lookup, ncci, reference, store
from medbill.codesets import suggest as suggesting
from medbill.domain.coding import CodeSystem
from medbill.domain.em import EmInput, MdmLevel, PatientStatus, calculate

router = APIRouter(prefix="/codes", tags=["codes"])


class SearchResultOut(BaseModel):
    code: str
    title: str
    billable: bool
    score: float
    kind: str


class SearchOut(BaseModel):
    query: str
    results: list[SearchResultOut]


class NoteOut(BaseModel):
    text: str
    source: str
    references: list[str]


class SeventhOut(BaseModel):
    character: str
    meaning: str


class CodeRefOut(BaseModel):
    code: str
    title: str


class ReasonOut(BaseModel):
    code: str
    message: str


class CodeOut(BaseModel):
    """The `medbill codes show --json` contract, plus ICD-10-CM context where the system has it."""

    code: str
    system: str
    title: str
    billable: bool
    valid_on_date: bool
    date: str | None
    edition: str
    edition_on_date: str | None = None
    in_edition_on_date: bool | None = None
    reason: ReasonOut | None = None
    kind: str | None = None
    parent: str | None = None
    chapter: CodeRefOut | None = None
    block: CodeRefOut | None = None
    manifestation: bool | None = None
    needs_seventh_character: bool | None = None
    seventh_characters: list[SeventhOut] = Field(default_factory=list)
    notes: dict[str, list[NoteOut]] = Field(default_factory=dict)
    children: list[CodeRefOut] = Field(default_factory=list)
    editions_billable: list[str] = Field(default_factory=list)
    convention: dict[str, str | None] | None = None
    age_range: dict[str, Any] | None = None
    allowed_as_principal: bool | None = None
    title_note: str | None = None
    status: str | None = None
    opps_status_indicator: str | None = None
    opps_status_indicator_meaning: str | None = None
    effective_from: str | None = None
    effective_to: str | None = None
    mue: dict[str, Any] | None = None


class EmOut(BaseModel):
    code: str
    method: Literal["time", "mdm"]
    mdm_level: str | None
    reasons: list[str]
    prolonged_code: str | None
    prolonged_units: int


class SuggestIn(BaseModel):
    note: str = Field(min_length=1, max_length=100_000)
    limit: int = Field(10, ge=1, le=100)
    date_of_service: date | None = None


class SuggestionOut(BaseModel):
    code: str
    title: str
    billable: bool
    score: float
    evidence: list[str]
    notes: list[str]


class EmHintsOut(BaseModel):
    patient: str | None
    total_minutes: int | None
    problems: str | None
    data: str | None
    risk: str | None
    reasons: list[str]


class SuggestOut(BaseModel):
    suggestions: list[SuggestionOut]
    em: EmHintsOut
    negated: list[str]


@router.get("/search", response_model=SearchOut)
def search_codes(
    q: Annotated[str, Query(min_length=1, max_length=200, description="words or a code prefix (E11.4)")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    date_of_service: Annotated[date | None, Query(alias="date")] = None,
    system: Literal["ICD-10-CM", "HCPCS"] = "ICD-10-CM",
) -> SearchOut:
    if system == "HCPCS":
        refs = reference.hcpcs().search(q, limit=limit)
        return SearchOut(
            query=q,
            results=[
                SearchResultOut(
                    code=r.code, title=r.description, billable=r.status == "current", score=1.0, kind="code"
                )
                for r in refs
            ],
        )
    hits = store.icd10cm_search().search(q, limit=limit, on=date_of_service)
    return SearchOut(
        query=q,
        results=[
            SearchResultOut(code=h.code, title=h.title, billable=h.billable, score=h.score, kind=h.kind) for h in hits
        ],
    )


@router.get("/em", response_model=EmOut)
def em_level(
    patient: PatientStatus,
    total_minutes: Annotated[int | None, Query(ge=0, le=1440)] = None,
    problems: str | None = None,
    data: str | None = None,
    risk: str | None = None,
) -> EmOut:
    result = calculate(
        EmInput(
            patient=patient,
            total_minutes=total_minutes,
            problems=MdmLevel.parse(problems, element="problems") if problems else None,
            data=MdmLevel.parse(data, element="data") if data else None,
            risk=MdmLevel.parse(risk, element="risk") if risk else None,
        )
    )
    return EmOut(
        code=result.code,
        method="time" if result.method == "time" else "mdm",
        mdm_level=result.mdm_level.label if result.mdm_level else None,
        reasons=list(result.reasons),
        prolonged_code=result.prolonged_code,
        prolonged_units=result.prolonged_units,
    )


@router.post("/suggest", response_model=SuggestOut)
def suggest_codes(body: SuggestIn) -> SuggestOut:
    result = suggesting.suggest(body.note, limit=body.limit, on=body.date_of_service)
    return SuggestOut.model_validate(suggesting.to_json(result))


class PtpOut(BaseModel):
    column1: str
    column2: str
    effective_from: date
    deleted_after: date | None
    modifier_indicator: str
    modifier_allowed: bool


class PtpAnswer(BaseModel):
    date: date
    edit: PtpOut | None
    source: str = "NCCI PTP pairs as carried by the CMS I/OCE 27.1 (hospital outpatient table)"


@router.get("/ptp", response_model=PtpAnswer)
def ptp_edit(
    first: Annotated[str, Query(min_length=5, max_length=5)],
    second: Annotated[str, Query(min_length=5, max_length=5)],
    date_of_service: Annotated[date | None, Query(alias="date")] = None,
) -> PtpAnswer:
    on = date_of_service or date.today()
    edit = ncci.ptp().edit_on(first, second, on)
    out = (
        PtpOut(
            column1=edit.column1,
            column2=edit.column2,
            effective_from=edit.effective_from,
            deleted_after=edit.deleted_after,
            modifier_indicator=edit.modifier_indicator,
            modifier_allowed=edit.modifier_allowed,
        )
        if edit
        else None
    )
    return PtpAnswer(date=on, edit=out)


class RefCodeOut(BaseModel):
    code: str
    system: str
    description: str
    status: str
    effective_from: date | None
    effective_to: date | None
    details: dict[str, str]


@router.get("/reference/{code_set}/{code}", response_model=RefCodeOut)
def reference_code(code_set: str, code: str) -> RefCodeOut:
    """POS, CARC, RARC, group, claim status (category), modifier, taxonomy, HCPCS, OPPS status indicator."""
    ref = reference.reference_set(code_set).lookup(code)
    return RefCodeOut(
        code=ref.code,
        system=ref.system,
        description=ref.description,
        status=ref.status,
        effective_from=ref.effective_from,
        effective_to=ref.effective_to,
        details=dict(ref.extra),
    )


@router.get("/{code}", response_model=CodeOut)
def show_code(
    code: str,
    date_of_service: Annotated[date | None, Query(alias="date")] = None,
    system: Literal["ICD-10-CM", "HCPCS", "CPT"] | None = None,
) -> CodeOut:
    info = lookup.describe(code, date_of_service, CodeSystem(system) if system else None)
    return CodeOut.model_validate(info)
