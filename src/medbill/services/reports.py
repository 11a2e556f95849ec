"""The reports billers are measured by: A/R aging (by payer or patient, from the date of service or of the last
submission) and the KPIs of a period, overall and by month, payer and provider, each with the claims behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.kpis import Kpi, Targets, unavailable
from medbill.domain.kpis import estimate_accuracy as accuracy_kpi
from medbill.domain.report_facts import (
    AGING_BUCKETS,
    AgingBasis,
    ClaimFacts,
    Period,
    VisitMoney,
    aging_bucket,
    current_claim,
    months_of,
    primary_claim,
    revenue_window,
)
from medbill.domain.users import Actor, Permission
from medbill.services import estimate_accuracy
from medbill.services.base import Deps, record_audit
from medbill.services.estimate_accuracy import VisitComparison
from medbill.services.ports import UnitOfWork
from medbill.services.report_kpis import Scope, principal_reasons, scope_kpis

ENTITY = "report"
MAX_DAYS = 731
NOT_BILLED = "not billed yet"
UNSENT = "not sent"


class AgingBy(StrEnum):
    PAYER = "payer"
    PATIENT = "patient"


@dataclass(slots=True)
class AgingCell:
    amount_cents: int = 0
    claim_ids: set[str] = field(default_factory=set)
    visits: int = 0

    @property
    def claims(self) -> int:
        return len(self.claim_ids)

    def add(self, cents: int, claim_id: str | None) -> None:
        self.amount_cents += cents
        self.visits += 1
        if claim_id:
            self.claim_ids.add(claim_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgingRow:
    key: str | None  # the payer's or the patient's id (None: visits not billed to any payer yet)
    label: str
    account_number: str | None
    buckets: dict[str, AgingCell]
    total: AgingCell


@dataclass(frozen=True, slots=True, kw_only=True)
class AgingReport:
    as_of: date
    by: AgingBy
    basis: AgingBasis
    labels: tuple[str, ...]  # the buckets in order (plus "not sent" when aged from the last submission)
    rows: tuple[AgingRow, ...]
    totals: dict[str, AgingCell]
    total: AgingCell


def _require(actor: Actor) -> None:
    actor.require(Permission.ENCOUNTER_READ)
    actor.require(Permission.SETUP_READ)


def _claims_by_visit(facts: Iterable[ClaimFacts]) -> dict[str, list[ClaimFacts]]:
    by_visit: dict[str, list[ClaimFacts]] = defaultdict(list)
    for c in facts:
        by_visit[c.encounter_id].append(c)
    return by_visit


def _payer_names(uow: UnitOfWork, practice_id: str) -> dict[str, str]:
    return {p.id: p.name for p in uow.payers.list(practice_id)}


def ar_aging(
    deps: Deps, actor: Actor, *, by: str = "payer", basis: str = "service", as_of: date | None = None
) -> AgingReport:
    """What is owed at ``as_of`` (default today) in 0–30, 31–60, 61–90, 91–120 and 120+ days: the insurance
    balance by payer (the payer of the claim the visit waits on), or the patient balance by patient; aged from the
    date of service or from the claim's last submission (balances never sent go under "not sent")."""
    _require(actor)
    grouping = parse_enum(AgingBy, by, "by")
    aged_from = parse_enum(AgingBasis, basis, "basis")
    day = as_of or deps.clock.today()
    until = Period(day, day).until
    pid = actor.practice_id
    with deps.uow() as uow:
        facts = uow.reports.claim_facts(pid, until)
        visits = uow.reports.visit_money(pid, since=until, until=until, window_since=until)
        payers = _payer_names(uow, pid)
        owing = [v for v in visits if (v.insurance_cents if grouping is AgingBy.PAYER else v.patient_cents)]
        patients = uow.reports.patient_labels(pid, {v.patient_id for v in owing}) if grouping is AgingBy.PATIENT else {}
        record_audit(uow, deps, actor, AuditAction.SEARCH, ENTITY, None, f"aging by={grouping} basis={aged_from}")
        uow.commit()
    labels = tuple(label for label, _, _ in AGING_BUCKETS) + ((UNSENT,) if aged_from is AgingBasis.SUBMISSION else ())
    by_visit = _claims_by_visit(facts)
    rows: dict[str | None, dict[str, AgingCell]] = {}
    for v in owing:
        claim = current_claim(by_visit.get(v.encounter_id, ()))
        cents = v.insurance_cents if grouping is AgingBy.PAYER else v.patient_cents
        key = (claim.payer_id if claim else None) if grouping is AgingBy.PAYER else v.patient_id
        if aged_from is AgingBasis.SERVICE:
            label = aging_bucket((day - v.date_of_service).days)
        elif claim is None or claim.last_submitted_at is None:
            label = UNSENT
        else:
            label = aging_bucket((day - claim.last_submitted_at.date()).days)
        cells = rows.setdefault(key, {name: AgingCell() for name in labels})
        cells[label].add(cents, claim.claim_id if claim else None)

    def label_of(key: str | None) -> tuple[str, str | None]:
        if grouping is AgingBy.PATIENT:
            name, account = patients.get(key or "", ("", ""))
            return name, account
        return (payers.get(key, key) if key else NOT_BILLED), None

    out = []
    for key, cells in rows.items():
        name, account = label_of(key)
        out.append(AgingRow(key=key, label=name, account_number=account, buckets=cells, total=_sum(cells.values())))
    out.sort(key=lambda r: (r.key is None, r.label.lower(), r.key or ""))
    totals = {name: _sum(r.buckets[name] for r in out) for name in labels}
    return AgingReport(
        as_of=day,
        by=grouping,
        basis=aged_from,
        labels=labels,
        rows=tuple(out),
        totals=totals,
        total=_sum(totals.values()),
    )


def _sum(cells: Iterable[AgingCell]) -> AgingCell:
    total = AgingCell()
    for c in cells:
        total.amount_cents += c.amount_cents
        total.visits += c.visits
        total.claim_ids |= c.claim_ids
    return total


# --- KPIs -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiSet:
    key: str  # "all", "2026-11", a payer's or a provider's id
    label: str
    period: Period
    kpis: dict[str, Kpi]


@dataclass(frozen=True, slots=True, kw_only=True)
class KpiReport:
    period: Period
    overall: KpiSet
    by_month: tuple[KpiSet, ...]
    by_payer: tuple[KpiSet, ...]
    by_provider: tuple[KpiSet, ...]
    targets: Targets
    payer_names: dict[str, str]


def default_period(today: date) -> Period:
    """The last six calendar months, this one included, to today."""
    first = date(today.year, today.month, 1)
    for _ in range(5):
        first = date((first - timedelta(days=1)).year, (first - timedelta(days=1)).month, 1)
    return Period(first, today)


def _period(deps: Deps, start: date | None, end: date | None) -> Period:
    last = end or deps.clock.today()
    first = start or default_period(last).start
    if last < first:
        raise ValidationError("the period ends on or after its start", field="to")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError(f"a report covers at most {MAX_DAYS} days", field="from")
    return Period(first, last)


def _visit_money(uow: UnitOfWork, pid: str, period: Period) -> Sequence[VisitMoney]:
    window = revenue_window(period)
    return uow.reports.visit_money(pid, since=period.since, until=period.until, window_since=window.since)


def kpis(
    deps: Deps,
    actor: Actor,
    start: date | None = None,
    end: date | None = None,
    *,
    targets: Targets | None = None,
) -> KpiReport:
    """Every KPI of the period (default: the last six calendar months to today), overall and by month, payer and
    rendering provider; claim KPIs by each claim's payer, money KPIs by the payer of the visit's primary claim.
    Claim histories are read as of the period's end (a September claim rejected in October counts as not clean in
    September's trend); balances are read as of each month's end."""
    _require(actor)
    period = _period(deps, start, end)
    months = months_of(period)
    pid = actor.practice_id
    with deps.uow() as uow:
        facts = list(uow.reports.claim_facts(pid, period.until))
        overall_money = _visit_money(uow, pid, period)
        monthly_money = [_visit_money(uow, pid, m) for m in months]
        entered = list(uow.reports.entered_visits(pid, since=period.since, until=period.until))
        denied = [c.claim_id for c in facts if c.initially_denied]
        reasons = principal_reasons(uow.reports.denial_adjustments(pid, denied))
        payers = _payer_names(uow, pid)
        providers = {p.id: p.display_name() for p in uow.providers.list(pid)}
        record_audit(uow, deps, actor, AuditAction.SEARCH, ENTITY, None, f"kpis {period.label}")
        uow.commit()
    by_visit = _claims_by_visit(facts)
    money_claim: dict[str, str] = {}
    money_payer: dict[str, str | None] = {}
    for encounter_id, claims in by_visit.items():
        first = primary_claim(claims)
        if first is not None:
            money_claim[encounter_id] = first.claim_id
            money_payer[encounter_id] = first.payer_id
    provider_of = {c.encounter_id: c.provider_id for c in facts}
    provider_of.update({v.encounter_id: v.provider_id for v in overall_money})

    def label(payer_id: str) -> str:
        return payers.get(payer_id, payer_id)

    def scope(p: Period, claims: Sequence[ClaimFacts], visits: Sequence[VisitMoney], keep: set[str] | None) -> Scope:
        ins = [e for e in entered if p.holds(e[2]) and (keep is None or e[0] in keep)]
        return Scope(
            period=p,
            claims=claims,
            visits=visits if keep is None else [v for v in visits if v.encounter_id in keep],
            entered=ins,
            claim_of_visit=money_claim,
            denial_reason=reasons,
            payer_label=label,
        )

    estimate = _estimate_accuracy(deps, actor, period, by_visit)
    overall = KpiSet(
        key="all", label="All", period=period, kpis=scope_kpis(scope(period, facts, overall_money, None), estimate)
    )
    by_month = tuple(
        KpiSet(
            key=m.start.strftime("%Y-%m"),
            label=m.start.strftime("%b %Y"),
            period=m,
            kpis=scope_kpis(scope(m, facts, money, None)),
        )
        for m, money in zip(months, monthly_money, strict=True)
    )
    by_payer = []
    for payer_id in sorted({c.payer_id for c in facts}, key=label):
        keep = {e for e, p in money_payer.items() if p == payer_id}
        claims = [c for c in facts if c.payer_id == payer_id]
        by_payer.append(
            KpiSet(
                key=payer_id,
                label=label(payer_id),
                period=period,
                kpis=scope_kpis(scope(period, claims, overall_money, keep)),
            )
        )
    by_provider = []
    for provider_id in sorted(set(provider_of.values()), key=lambda p: providers.get(p, p)):
        keep = {e for e, p in provider_of.items() if p == provider_id}
        claims = [c for c in facts if c.provider_id == provider_id]
        by_provider.append(
            KpiSet(
                key=provider_id,
                label=providers.get(provider_id, provider_id),
                period=period,
                kpis=scope_kpis(scope(period, claims, overall_money, keep)),
            )
        )
    return KpiReport(
        period=period,
        overall=overall,
        by_month=by_month,
        by_payer=tuple(by_payer),
        by_provider=tuple(by_provider),
        targets=targets or Targets(),
        payer_names=payers,
    )


def _estimate_accuracy(deps: Deps, actor: Actor, period: Period, by_visit: dict[str, list[ClaimFacts]]) -> Kpi:
    """Estimate accuracy from ``services.estimate_accuracy`` (estimates computed again as of each appointment)."""
    key = "estimate_accuracy"
    if not actor.can(Permission.REMITTANCE_POST):
        return unavailable(key, "needs the remittance.post permission")
    try:
        report = estimate_accuracy.estimate_accuracy(deps, actor, period.start, period.end)
    except ValidationError as exc:
        return unavailable(key, exc.message)
    within = [v for v in report.visits if abs(v.patient_difference_cents) <= report.tolerance_cents]

    def claims(visits: Iterable[VisitComparison]) -> tuple[str, ...]:
        found = {primary_claim(by_visit.get(v.encounter_id, ())) for v in visits}
        return tuple(sorted(c.claim_id for c in found if c is not None))

    return accuracy_kpi(
        len(within),
        len(report.visits),
        tolerance_cents=report.tolerance_cents,
        claim_ids=claims(within),
        base_claim_ids=claims(report.visits),
    )


# --- drill-down ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimLine:
    facts: ClaimFacts
    payer: str
    patient: str
    account_number: str


def claims_behind(deps: Deps, actor: Actor, claim_ids: Iterable[str], *, as_of: date | None = None) -> list[ClaimLine]:
    """The claims named (a KPI's or an aging cell's), by claim number, with payer and patient; the read is audited."""
    _require(actor)
    actor.require(Permission.PATIENT_READ)
    wanted = set(claim_ids)
    day = as_of or deps.clock.today()
    pid = actor.practice_id
    with deps.uow() as uow:
        facts = [c for c in uow.reports.claim_facts(pid, Period(day, day).until) if c.claim_id in wanted]
        payers = _payer_names(uow, pid)
        patients = uow.reports.patient_labels(pid, {c.patient_id for c in facts})
        record_audit(uow, deps, actor, AuditAction.SEARCH, ENTITY, None, f"claims behind a report: {len(facts)}")
        uow.commit()
    return [
        ClaimLine(
            facts=c,
            payer=payers.get(c.payer_id, c.payer_id),
            patient=patients.get(c.patient_id, ("", ""))[0],
            account_number=patients.get(c.patient_id, ("", ""))[1],
        )
        for c in facts
    ]
