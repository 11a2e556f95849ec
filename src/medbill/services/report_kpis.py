"""Assembling the KPIs of one scope (the whole practice, a month, a payer, a provider) from the facts the report
queries return: which claims and visits count where, then the formulas of ``domain.kpis``. No I/O here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from medbill.domain import kpis as k
from medbill.domain.kpis import Kpi
from medbill.domain.report_facts import ClaimFacts, Period, VisitMoney, months_of, prior_three_months, revenue_window

KPI_KEYS = (
    "clean_claim_rate",
    "first_pass_resolution_rate",
    "initial_denial_rate",
    "initial_denial_rate_dollars",
    "denial_rate_by_carc",
    "denial_rate_by_payer",
    "days_in_ar",
    "gross_days_in_ar",
    "percent_ar_over_90",
    "net_collection_rate",
    "charge_lag_days",
    "days_to_submit",
    "estimate_accuracy",
)
OVER_90_DAYS = 90


@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    """What one set of KPIs is computed over."""

    period: Period
    claims: Sequence[ClaimFacts]  # every claim known at the report's end, of this scope
    visits: Sequence[VisitMoney]  # the scope's visits with balances at the period's end and postings in it
    entered: Sequence[tuple[str, date, datetime]]  # visits of this scope entered in the period
    claim_of_visit: Mapping[str, str]  # encounter id → the claim its money is reported under
    denial_reason: Mapping[str, str]  # claim id → its principal denial reason ("CO-50")
    payer_label: Callable[[str], str]


def _ids(claims: Iterable[ClaimFacts]) -> tuple[str, ...]:
    return tuple(c.claim_id for c in claims)


def _visit_claims(scope: Scope, encounter_ids: Iterable[str]) -> tuple[str, ...]:
    found = {scope.claim_of_visit[e] for e in encounter_ids if e in scope.claim_of_visit}
    return tuple(sorted(found))


def claim_kpis(scope: Scope) -> dict[str, Kpi]:
    period = scope.period
    submitted = [c for c in scope.claims if period.holds(c.first_submitted_at)]
    clean = [c for c in submitted if c.clean]
    adjudicated = [c for c in scope.claims if period.holds(c.first_adjudicated_at)]
    resolved = [c for c in adjudicated if c.resolved_first_pass]
    prior = prior_three_months(period)
    months = len(months_of(period))
    before = [c for c in scope.claims if prior.holds(c.first_submitted_at)]
    denied = [c for c in scope.claims if period.holds(c.first_adjudicated_at) and c.initially_denied]
    note = f"denials in {period.label} over the monthly average of claims first submitted in {prior.label}"
    count = k.initial_denial_rate(len(denied), len(before), months, claim_ids=_ids(denied), base_claim_ids=_ids(before))
    dollars = k.initial_denial_rate_dollars(
        sum(c.total_charge_cents for c in denied),
        sum(c.total_charge_cents for c in before),
        months,
        claim_ids=_ids(denied),
        base_claim_ids=_ids(before),
    )
    by_carc: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in denied:
        by_carc[scope.denial_reason.get(c.claim_id, "unknown")].append(c)
    carc_groups = {
        reason: k.denial_rate_in_group(
            f"denial_rate_by_carc:{reason}",
            len(found),
            len(before),
            months,
            claim_ids=_ids(found),
            base_claim_ids=_ids(before),
        )
        for reason, found in sorted(by_carc.items())
    }
    payer_groups: dict[str, Kpi] = {}
    for payer_id in sorted({c.payer_id for c in (*before, *denied)}, key=scope.payer_label):
        theirs = [c for c in before if c.payer_id == payer_id]
        refused = [c for c in denied if c.payer_id == payer_id]
        payer_groups[payer_id] = k.denial_rate_in_group(
            f"denial_rate_by_payer:{payer_id}",
            len(refused),
            len(theirs),
            months,
            claim_ids=_ids(refused),
            base_claim_ids=_ids(theirs),
        )
    originals = [c for c in submitted if c.original_primary]
    submit_days = sum((c.first_submitted_at.date() - c.date_of_service).days for c in originals if c.first_submitted_at)
    return {
        "clean_claim_rate": k.clean_claim_rate(
            len(clean), len(submitted), claim_ids=_ids(clean), base_claim_ids=_ids(submitted)
        ),
        "first_pass_resolution_rate": k.first_pass_resolution_rate(
            len(resolved), len(adjudicated), claim_ids=_ids(resolved), base_claim_ids=_ids(adjudicated)
        ),
        "initial_denial_rate": _noted(count, note),
        "initial_denial_rate_dollars": _noted(dollars, note),
        "denial_rate_by_carc": replace(_noted(count, note), key="denial_rate_by_carc", groups=carc_groups),
        "denial_rate_by_payer": replace(_noted(count, note), key="denial_rate_by_payer", groups=payer_groups),
        "days_to_submit": k.days_to_submit(
            submit_days, len(originals), claim_ids=_ids(originals), base_claim_ids=_ids(originals)
        ),
    }


def _noted(kpi: Kpi, note: str) -> Kpi:
    return kpi if kpi.note else replace(kpi, note=note)


def money_kpis(scope: Scope) -> dict[str, Kpi]:
    period = scope.period
    visits = scope.visits
    ar = sum(v.ar_cents for v in visits)
    owing = [v.encounter_id for v in visits if v.ar_cents]
    old = [v for v in visits if v.ar_cents and (period.end - v.date_of_service).days > OVER_90_DAYS]
    over_90 = sum(v.ar_cents for v in old)
    charged = [v.encounter_id for v in visits if v.charges_cents or v.payments_cents or v.contractual_cents]
    lag_days = sum((at.date() - dos).days for _, dos, at in scope.entered)
    owing_claims = _visit_claims(scope, owing)
    window = revenue_window(period)
    window_days = (window.end - window.start).days + 1
    window_charges = sum(v.window_charges_cents for v in visits)
    return {
        "days_in_ar": k.days_in_ar(
            ar,
            window_charges,
            sum(v.window_deductions_cents for v in visits),
            window_days=window_days,
            claim_ids=owing_claims,
            base_claim_ids=owing_claims,
        ),
        "gross_days_in_ar": k.gross_days_in_ar(
            ar, window_charges, window_days=window_days, claim_ids=owing_claims, base_claim_ids=owing_claims
        ),
        "percent_ar_over_90": k.percent_ar_over_90(
            over_90, ar, claim_ids=_visit_claims(scope, (v.encounter_id for v in old)), base_claim_ids=owing_claims
        ),
        "net_collection_rate": k.net_collection_rate(
            sum(v.payments_cents for v in visits),
            sum(v.charges_cents for v in visits),
            sum(v.contractual_cents for v in visits),
            claim_ids=_visit_claims(scope, charged),
            base_claim_ids=_visit_claims(scope, charged),
        ),
        "charge_lag_days": k.charge_lag_days(
            lag_days,
            len(scope.entered),
            claim_ids=_visit_claims(scope, (e for e, _, _ in scope.entered)),
            base_claim_ids=_visit_claims(scope, (e for e, _, _ in scope.entered)),
        ),
    }


def scope_kpis(scope: Scope, estimate: Kpi | None = None) -> dict[str, Kpi]:
    """Every KPI of the scope, in the contract's order; estimate accuracy as given (or not available)."""
    found = {**claim_kpis(scope), **money_kpis(scope)}
    found["estimate_accuracy"] = estimate or k.unavailable(
        "estimate_accuracy", "computed for the whole practice and period only"
    )
    return {key: found[key] for key in KPI_KEYS}


def principal_reasons(rows: Sequence[tuple[str, str, str, int, datetime]]) -> dict[str, str]:
    """Claim id → the reason (group-CARC) of the largest adjustment in the first posting on the claim (the
    earliest moment anything was posted on it; ties go to the reason first in order)."""
    first_at: dict[str, datetime] = {}
    for claim_id, _, _, _, at in rows:
        if claim_id not in first_at or at < first_at[claim_id]:
            first_at[claim_id] = at
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for claim_id, group, carc, cents, at in rows:
        if at == first_at[claim_id]:
            label = f"{group}-{carc}" if group else carc or "unknown"
            sums[claim_id][label] += cents
    return {c: min(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c, reasons in sums.items()}
