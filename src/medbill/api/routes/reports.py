"""Reports: A/R aging by payer or patient, and the KPIs of a period (overall, by month, payer and provider), each
KPI with its value as a decimal string, the counts behind it and the claims behind its numerator and denominator."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from medbill.api.deps import ActorDep, DepsDep
from medbill.bootstrap import Container
from medbill.domain.kpis import Targets
from medbill.services import reports
from medbill.services.report_json import aging_json, kpis_json

router = APIRouter(tags=["reports"])


class AgingCellOut(BaseModel):
    amount: str = Field(description="dollars, as a decimal string")
    claims: int
    visits: int


class AgingRowOut(BaseModel):
    key: str | None = Field(description="the payer's or patient's id; null: visits not billed to a payer yet")
    label: str
    account_number: str | None
    buckets: dict[str, AgingCellOut]
    total: AgingCellOut


class AgingOut(BaseModel):
    as_of: date
    by: Literal["payer", "patient"]
    basis: Literal["service", "submission"]
    buckets: list[str] = Field(
        description="the bucket names in order: 0-30, 31-60, 61-90, 91-120, 120+ (and 'not sent')"
    )
    rows: list[AgingRowOut]
    totals: dict[str, AgingCellOut]
    total: AgingCellOut


class TargetOut(BaseModel):
    threshold: str
    direction: Literal["at_least", "below", "at_most"]
    met: bool | None


class KpiOut(BaseModel):
    value: str = Field(description="a rate to four places ('0.9500') or days to two ('41.90'); '0' when not computed")
    unit: Literal["rate", "days"]
    counts: dict[str, int | str] = Field(description="the counts behind the value; amounts as decimal strings")
    computed: bool
    available: bool
    note: str
    target: TargetOut | None
    claim_ids: list[str] = Field(description="the claims behind the numerator")
    base_claim_ids: list[str] = Field(description="the claims behind the denominator")
    label: str | None = None
    groups: dict[str, KpiOut] = Field(default_factory=dict, description="by CARC or by payer id")


class KpiSetOut(BaseModel):
    key: str
    label: str
    start: date
    end: date
    kpis: dict[str, KpiOut]


class KpisOut(BaseModel):
    start: date
    end: date
    kpis: dict[str, KpiOut] = Field(description="the whole practice over the period, by KPI name")
    by_month: list[KpiSetOut]
    by_payer: list[KpiSetOut]
    by_provider: list[KpiSetOut]


@router.get("/reports/aging", response_model=AgingOut)
def aging(
    deps: DepsDep,
    actor: ActorDep,
    by: Literal["payer", "patient"] = "payer",
    basis: Literal["service", "submission"] = "service",
    as_of: date | None = Query(None, description="the day to age to (default: today)"),
) -> Any:
    return aging_json(reports.ar_aging(deps, actor, by=by, basis=basis, as_of=as_of))


@router.get("/reports/kpis", response_model=KpisOut)
def kpis(
    request: Request,
    deps: DepsDep,
    actor: ActorDep,
    start: date | None = Query(None, alias="from", description="first day (default: six calendar months back)"),
    end: date | None = Query(None, alias="to", description="last day (default: today)"),
) -> Any:
    container: Container = request.app.state.container
    report = reports.kpis(deps, actor, start, end, targets=Targets.parse(container.settings.kpi_targets))

    def one(found: reports.KpiSet) -> dict[str, Any]:
        return {
            "key": found.key,
            "label": found.label,
            "start": found.period.start,
            "end": found.period.end,
            "kpis": kpis_json(found, report.targets, report.payer_names),
        }

    return {
        "start": report.period.start,
        "end": report.period.end,
        "kpis": kpis_json(report.overall, report.targets, report.payer_names),
        "by_month": [one(s) for s in report.by_month],
        "by_payer": [one(s) for s in report.by_payer],
        "by_provider": [one(s) for s in report.by_provider],
    }
