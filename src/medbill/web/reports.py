"""The reports dashboard: the KPIs against their targets (met in green, missed in red), monthly trends as inline SVG
charts, denials by reason and payer, A/R aging; every number links to the claims behind it (``/reports/claims``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from medbill.domain.errors import ValidationError
from medbill.domain.kpis import Kpi, Targets, Unit
from medbill.services import reports
from medbill.services.reports import AgingReport, KpiReport, KpiSet
from medbill.web.charts import Point, chart
from medbill.web.context import SignedIn, WebRoute, container_of, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

TITLES = {
    "clean_claim_rate": "Clean-claim rate",
    "first_pass_resolution_rate": "First-pass resolution rate",
    "initial_denial_rate": "Initial denial rate (count)",
    "initial_denial_rate_dollars": "Initial denial rate (dollars)",
    "denial_rate_by_carc": "Denial rate by reason (CARC)",
    "denial_rate_by_payer": "Denial rate by payer",
    "days_in_ar": "Days in A/R",
    "gross_days_in_ar": "Days in A/R (gross)",
    "percent_ar_over_90": "A/R over 90 days",
    "net_collection_rate": "Net collection rate",
    "charge_lag_days": "Charge lag",
    "days_to_submit": "Days to submit",
    "estimate_accuracy": "Estimate accuracy",
}
TRENDS = (
    ("clean_claim_rate", "bar"),
    ("initial_denial_rate", "bar"),
    ("net_collection_rate", "bar"),
    ("percent_ar_over_90", "bar"),
    ("days_in_ar", "line"),
    ("charge_lag_days", "line"),
)


def shown(kpi: Kpi) -> str:
    """A KPI as people read it: a rate as a percentage to two places, days with the word."""
    if not kpi.available:
        return "not available"
    if kpi.unit is Unit.DAYS:
        return f"{kpi.value} days"
    return f"{(kpi.value * 100).quantize(Decimal('0.01'))}%"


def _day(request: Request, name: str) -> date | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{text!r} is not a date (YYYY-MM-DD)", field=name) from None


def claims_link(report: KpiReport, key: str, *, part: str = "numerator", group: str = "", scope: str = "") -> str:
    query = {"kpi": key, "part": part, "from": report.period.start.isoformat(), "to": report.period.end.isoformat()}
    if group:
        query["group"] = group
    if scope:
        query["scope"] = scope
    return "/reports/claims?" + urlencode(query)


def _trends(report: KpiReport) -> list[object]:
    targets = report.targets
    out: list[object] = []
    for key, kind in TRENDS:
        target = targets.for_key(key)
        scale = 100 if report.overall.kpis[key].unit is Unit.RATE else 1
        points = [
            Point(
                label=m.label,
                value=m.kpis[key].value * scale,
                shown=shown(m.kpis[key]),
                href=claims_link(report, key, scope=m.key),
            )
            for m in report.by_month
        ]
        out.append(
            chart(
                TITLES[key] + (" (%)" if scale == 100 else " (days)"),
                points,
                kind=kind,
                target=None if target is None else target.threshold * scale,
                target_text=target.text if target else "",
            )
        )
    return out


@router.get("/reports")
def dashboard(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    targets = Targets.parse(container_of(request).settings.kpi_targets)
    report = reports.kpis(who.deps, who.actor, _day(request, "from"), _day(request, "to"), targets=targets)
    aging = reports.ar_aging(who.deps, who.actor, by="payer", basis="service", as_of=report.period.end)
    context = {
        "report": report,
        "aging": aging,
        "titles": TITLES,
        "shown": shown,
        "targets": report.targets,
        "link": lambda key, **kw: claims_link(report, key, **kw),
        "aging_link": lambda row, bucket: _aging_link(aging, row, bucket),
        "trends": _trends(report),
        "nav": "reports",
    }
    return page(request, "reports.html", context)


def _aging_link(aging: AgingReport, row: str | None, bucket: str) -> str:
    query = {"aging": aging.by.value, "basis": aging.basis.value, "as_of": aging.as_of.isoformat(), "bucket": bucket}
    query["row"] = row if row is not None else ""
    return "/reports/claims?" + urlencode(query)


def _scope(report: KpiReport, scope: str) -> KpiSet:
    for found in (report.overall, *report.by_month, *report.by_payer, *report.by_provider):
        if found.key == (scope or "all"):
            return found
    raise ValidationError(f"no scope {scope!r} in this report", field="scope")


@router.get("/reports/claims")
def claims(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    """The claims behind a KPI (its numerator or its denominator, for one group or scope) or an aging cell."""
    q = request.query_params
    if q.get("aging"):
        as_of = _day(request, "as_of")
        aging = reports.ar_aging(who.deps, who.actor, by=q["aging"], basis=q.get("basis", "service"), as_of=as_of)
        row = next((r for r in aging.rows if (r.key or "") == q.get("row", "")), None)
        bucket = q.get("bucket", "")
        if bucket and bucket not in aging.labels:
            raise ValidationError(f"no bucket {bucket!r}", field="bucket")
        cell = (row.buckets[bucket] if bucket else row.total) if row else aging.totals.get(bucket, aging.total)
        ids: set[str] = set(cell.claim_ids)
        title = f"A/R aging by {aging.by.value}: {row.label if row else 'all'} {bucket or 'total'}"
        as_of_day = aging.as_of
    else:
        report = reports.kpis(who.deps, who.actor, _day(request, "from"), _day(request, "to"))
        key = q.get("kpi", "")
        found = _scope(report, q.get("scope", ""))
        if key not in found.kpis:
            raise ValidationError(f"no KPI {key!r}", field="kpi")
        kpi = found.kpis[key]
        if q.get("group"):
            if q["group"] not in kpi.groups:
                raise ValidationError(f"no group {q['group']!r} in {key}", field="group")
            kpi = kpi.groups[q["group"]]
        base = q.get("part") == "base"
        ids = set(kpi.base_claim_ids if base else kpi.claim_ids)
        title = f"{TITLES.get(key, key)}{' ' + q['group'] if q.get('group') else ''} · {found.label} · " + (
            "every claim counted" if base else "the claims in the numerator"
        )
        as_of_day = report.period.end
    rows = reports.claims_behind(who.deps, who.actor, ids, as_of=as_of_day)
    return page(request, "report_claims.html", {"title": title, "rows": rows, "nav": "reports"})
