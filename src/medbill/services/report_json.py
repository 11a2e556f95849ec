"""Reports as plain JSON-ready data (the CLI's ``--json`` contracts, and what the API's models are filled from):
amounts as decimal strings, KPI values as decimal strings, counts as integers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from medbill.domain.kpis import Kpi, Targets
from medbill.domain.money import cents_to_str
from medbill.services.reports import AgingCell, AgingReport, KpiSet


def counts_json(counts: Mapping[str, int]) -> dict[str, int | str]:
    """Counts as they go out: amounts (``*_cents``) become decimal strings named ``*_amount``."""
    return {
        (key[: -len("_cents")] + "_amount" if key.endswith("_cents") else key): (
            cents_to_str(value) if key.endswith("_cents") else value
        )
        for key, value in counts.items()
    }


def kpi_json(kpi: Kpi, targets: Targets, *, label: str | None = None) -> dict[str, Any]:
    target = targets.for_key(kpi.key)
    data: dict[str, Any] = {
        "value": kpi.display,
        "unit": kpi.unit.value,
        "counts": counts_json(kpi.counts),
        "computed": kpi.computed,
        "available": kpi.available,
        "note": kpi.note,
        "target": None
        if target is None
        else {"threshold": str(target.threshold), "direction": target.direction.value, "met": targets.meets(kpi)},
        "claim_ids": list(kpi.claim_ids),
        "base_claim_ids": list(kpi.base_claim_ids),
    }
    if label is not None:
        data["label"] = label
    if kpi.groups:
        data["groups"] = {key: kpi_json(g, targets, label=key) for key, g in kpi.groups.items()}
    return data


def kpis_json(found: KpiSet, targets: Targets, payer_names: Mapping[str, str]) -> dict[str, Any]:
    """The contract: KPI name → value, counts and claims; payers' groups carry the payer's name as ``label``."""
    out = {key: kpi_json(kpi, targets) for key, kpi in found.kpis.items()}
    for key, group in out["denial_rate_by_payer"].get("groups", {}).items():
        group["label"] = payer_names.get(key, key)
    return out


def cell_json(c: AgingCell) -> dict[str, Any]:
    return {"amount": cents_to_str(c.amount_cents), "claims": c.claims, "visits": c.visits}


def aging_json(report: AgingReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "by": report.by.value,
        "basis": report.basis.value,
        "buckets": list(report.labels),
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "account_number": row.account_number,
                "buckets": {name: cell_json(row.buckets[name]) for name in report.labels},
                "total": cell_json(row.total),
            }
            for row in report.rows
        ],
        "totals": {name: cell_json(report.totals[name]) for name in report.labels},
        "total": cell_json(report.total),
    }
