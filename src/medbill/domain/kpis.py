"""The revenue-cycle KPIs as formulas over plain counts and amounts, each rounded once, half-up, and the targets.

Every function takes the counts a query produced and returns a ``Kpi``: the value as a ``Decimal`` (rates to four
places, ``0.9500``; days to two, ``12.50``), the counts behind it, a note when it could not be computed (a zero
denominator gives ``0`` with a note, never a crash), and the claims behind its numerator and its denominator for
drill-down. Which claims count where is decided by ``report_facts``; this module only does the arithmetic.

HFMA MAP Keys are named where one exists; where the practice-management convention (MGMA) differs, the docstring
says which one this is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from medbill.domain.errors import ValidationError

RATE_PLACES = 4
DAYS_PLACES = 2
PRIOR_MONTHS = 3  # the initial denial rate's denominator: the monthly average of the three months before the period


class Unit(StrEnum):
    RATE = "rate"  # a fraction: 0.9500 is 95 %
    DAYS = "days"


@dataclass(frozen=True, slots=True, kw_only=True)
class Kpi:
    """One KPI's value with what it was computed from."""

    key: str
    value: Decimal
    unit: Unit = Unit.RATE
    counts: Mapping[str, int] = field(default_factory=dict)  # integers: claim counts, days, or cents (``*_cents``)
    note: str = ""  # why the value is 0 when it could not be computed, or what it leaves out
    claim_ids: tuple[str, ...] = ()  # the numerator's claims (the clean ones, the denied ones …)
    base_claim_ids: tuple[str, ...] = ()  # the denominator's claims
    computed: bool = True  # False when the denominator was zero: the value is a plain ``0`` and the note says why
    available: bool = True  # False for a KPI medbill cannot compute yet
    groups: Mapping[str, Kpi] = field(default_factory=dict)  # by CARC or by payer: one KPI per group

    @property
    def display(self) -> str:
        return str(self.value)


def divide(numerator: int, denominator: int, places: int) -> Decimal | None:
    """``numerator / denominator`` rounded once, half-up (away from zero at .5), to ``places``; None for a zero
    denominator. Integer arithmetic, so nothing is rounded before the one rounding."""
    if denominator == 0:
        return None
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator) * 10**places, abs(denominator)
    q, r = divmod(n, d)
    if 2 * r >= d:
        q += 1
    return Decimal(sign * q).scaleb(-places)


ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Ratio:
    """One KPI formula: ``numerator ÷ denominator`` under ``key``, the two counts kept under their names, and the
    note given when the denominator is zero (``empty``, formatted with the counts)."""

    key: str
    numerator: str  # the numerator's name in ``Kpi.counts``
    denominator: str  # the denominator's name in ``Kpi.counts``
    empty: str
    unit: Unit = Unit.RATE

    def __call__(
        self, numerator: int, denominator: int, *, claim_ids: Iterable[str] = (), base_claim_ids: Iterable[str] = ()
    ) -> Kpi:
        counts = {self.numerator: numerator, self.denominator: denominator}
        return self.kpi(numerator, denominator, counts, claim_ids=claim_ids, base_claim_ids=base_claim_ids)

    def kpi(
        self,
        numerator: int,
        denominator: int,
        counts: Mapping[str, int],
        *,
        claim_ids: Iterable[str] = (),
        base_claim_ids: Iterable[str] = (),
    ) -> Kpi:
        """The KPI of numbers already worked out from ``counts`` (for formulas that are more than one count over
        another)."""
        value = divide(numerator, denominator, DAYS_PLACES if self.unit is Unit.DAYS else RATE_PLACES)
        return Kpi(
            key=self.key,
            value=ZERO if value is None else value,
            unit=self.unit,
            counts=dict(counts),
            note=self.empty.format(**counts) if value is None else "",
            computed=value is not None,
            claim_ids=tuple(claim_ids),
            base_claim_ids=tuple(base_claim_ids),
        )


_PRIOR_EMPTY = "no claims were first submitted in the three months before the period"

clean_claim_rate = Ratio("clean_claim_rate", "clean", "submitted", "no claims were first submitted in the period")
"""Clean-claim rate (HFMA MAP Key "Clean claim rate") = claims that passed every edit with no manual touch
÷ claims submitted for the first time in the period.

Clean: the scrub the claim was sent with found nothing (no error, no warning), it was scrubbed once and never
edited before its first submission, and the 999/277CA did not reject it. Decided from stored data only: the claim's
error and warning counts and the kinds and order of its events (``report_facts.ClaimFacts.clean``)."""

first_pass_resolution_rate = Ratio(
    "first_pass_resolution_rate",
    "resolved_first_pass",
    "adjudicated",
    "no claims were first adjudicated in the period",
)
"""First-pass resolution rate = claims paid on their first adjudication (submitted once, never rejected, not
denied in whole or part, never reversed) ÷ claims first adjudicated in the period."""


def _prior_average(
    key: str,
    numerator: str,
    denominator: str,
    denied: int,
    submitted_before: int,
    months: int,
    *,
    claim_ids: Iterable[str],
    base_claim_ids: Iterable[str],
) -> Kpi:
    counts = {numerator: denied, denominator: submitted_before, "prior_months": PRIOR_MONTHS, "period_months": months}
    formula = Ratio(key, numerator, denominator, _PRIOR_EMPTY)
    # denied ÷ (submitted_before ÷ 3 × months), in integers so it is rounded once
    return formula.kpi(
        denied * PRIOR_MONTHS, submitted_before * months, counts, claim_ids=claim_ids, base_claim_ids=base_claim_ids
    )


def initial_denial_rate(
    denied: int,
    submitted_before: int,
    months: int,
    *,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
    key: str = "initial_denial_rate",
) -> Kpi:
    """Initial denial rate by count, as the HFMA Claim Integrity Task Force defines it ("Standardizing denial metrics
    for revenue cycle benchmarking and process improvement", 2020: total initial denial claims ÷ total claims
    submitted, the denominator being the average of the three months before the start of the reporting month):

        claims whose first adjudication in the period denied the whole claim
        ÷ (claims first submitted in the three calendar months before the period's first month ÷ 3 × the months
          the period touches)

    The denominator trails because a month's denials answer claims sent in the months before it (the issue's
    "trailing three-month denominator"); for a one-month period it is exactly the task force's formula. HFMA's MAP
    Key AR-5 (remittance denial rate: denials ÷ remits of the same month) is a different measure and is not this
    one. Counts: ``denied``, ``submitted`` (in the three months before), ``prior_months`` (3), ``period_months``."""
    return _prior_average(
        key, "denied", "submitted", denied, submitted_before, months, claim_ids=claim_ids, base_claim_ids=base_claim_ids
    )


def initial_denial_rate_dollars(
    denied_cents: int,
    submitted_before_cents: int,
    months: int,
    *,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """Initial denial rate by dollars (same source) = the gross charges of the claims initially denied in the period
    ÷ (the gross charges of the claims first submitted in the three calendar months before the period's first month
    ÷ 3 × the months the period touches)."""
    return _prior_average(
        "initial_denial_rate_dollars",
        "denied_cents",
        "submitted_cents",
        denied_cents,
        submitted_before_cents,
        months,
        claim_ids=claim_ids,
        base_claim_ids=base_claim_ids,
    )


percent_ar_over_90 = Ratio(
    "percent_ar_over_90", "over_90_cents", "ar_cents", "no accounts receivable at the period's end"
)
"""Percent of A/R over 90 days (HFMA MAP Key "Aged A/R as a percentage of total billed A/R") = A/R more than
90 days past its date of service ÷ total A/R, both at the period's end."""

charge_lag_days = Ratio(
    "charge_lag_days", "total_days", "encounters", "no charges entered in the period", unit=Unit.DAYS
)
"""Charge lag = average days from the date of service to the day the charge was entered, over the visits
entered in the period."""

days_to_submit = Ratio(
    "days_to_submit",
    "total_days",
    "claims",
    "no original primary claims were first submitted in the period",
    unit=Unit.DAYS,
)
"""Days to submit = average days from the date of service to the first submission, over original primary
claims first submitted in the period (secondaries wait for the primary, so they are left out)."""


def denial_rate_in_group(
    key: str,
    denied: int,
    submitted_before: int,
    months: int,
    *,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """One row of the denial rate by CARC or by payer: that group's initial denials in the period over the same
    trailing denominator as ``initial_denial_rate`` (every claim first submitted in the three months before for a
    CARC, the payer's own for a payer)."""
    return initial_denial_rate(
        denied, submitted_before, months, claim_ids=claim_ids, base_claim_ids=base_claim_ids, key=key
    )


_NET_DAYS_IN_AR = Ratio(
    "days_in_ar",
    "ar_cents",
    "net_revenue_cents",
    "no net patient service revenue in the {window_days} days (three months) to the period's end",
    Unit.DAYS,
)
_GROSS_DAYS_IN_AR = Ratio(
    "gross_days_in_ar",
    "ar_cents",
    "charges_cents",
    "no charges in the {window_days} days (three months) to the period's end",
    Unit.DAYS,
)


def days_in_ar(
    ar_cents: int,
    charges_cents: int,
    deductions_cents: int,
    *,
    window_days: int,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """Net days in A/R (HFMA MAP Key "Net days in accounts receivable") = net A/R ÷ average daily net patient
    service revenue, where

    - net A/R is what is owed at the period's end (insurance and patient balances from the ledger: charges less
      every payment, adjustment and write-off posted by then). medbill books no allowance estimate on claims not
      yet adjudicated, so those count at their charge until the payer answers;
    - net patient service revenue is the gross charges posted in the trailing three calendar months ending with the
      period (the first of the month two months before the period's last month, to its last day) less the
      deductions from revenue posted then: contractual adjustments, other payer adjustments and insurance
      write-offs, patient write-offs (``ledger.ADJUSTMENTS``);
    - the average daily figure divides it by the days in that window (``window_days``: 92 for July–September).

    = ar_cents × window_days ÷ (charges_cents − deductions_cents), rounded once to two places."""
    counts = {
        "ar_cents": ar_cents,
        "net_revenue_cents": charges_cents - deductions_cents,
        "charges_cents": charges_cents,
        "deductions_cents": deductions_cents,
        "window_days": window_days,
    }
    return _NET_DAYS_IN_AR.kpi(
        ar_cents * window_days,
        charges_cents - deductions_cents,
        counts,
        claim_ids=claim_ids,
        base_claim_ids=base_claim_ids,
    )


def gross_days_in_ar(
    ar_cents: int,
    charges_cents: int,
    *,
    window_days: int,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """Gross days in A/R (the MGMA "days of gross FFS charges in A/R" form, kept beside the HFMA net one) = the
    same A/R ÷ average daily gross charges over the same trailing three calendar months
    = ar_cents × window_days ÷ charges_cents."""
    counts = {"ar_cents": ar_cents, "charges_cents": charges_cents, "window_days": window_days}
    return _GROSS_DAYS_IN_AR.kpi(
        ar_cents * window_days, charges_cents, counts, claim_ids=claim_ids, base_claim_ids=base_claim_ids
    )


_NET_COLLECTION = Ratio(
    "net_collection_rate",
    "payments_cents",
    "charges_cents",
    "no charges net of contractual adjustments in the period",
)


def net_collection_rate(
    payments_cents: int,
    charges_cents: int,
    contractual_cents: int,
    *,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """Net collection rate (MGMA "adjusted collection rate") = payments (payers' and patients', less refunds)
    ÷ (charges − contractual adjustments), every amount posted in the period."""
    counts = {
        "payments_cents": payments_cents,
        "charges_cents": charges_cents,
        "contractual_adjustments_cents": contractual_cents,
    }
    return _NET_COLLECTION.kpi(
        payments_cents, charges_cents - contractual_cents, counts, claim_ids=claim_ids, base_claim_ids=base_claim_ids
    )


_ESTIMATE_ACCURACY = Ratio(
    "estimate_accuracy",
    "within_tolerance",
    "compared",
    "no adjudicated visits with an appointment to compare in the period",
)


def estimate_accuracy(
    within_tolerance: int,
    compared: int,
    *,
    tolerance_cents: int,
    claim_ids: Iterable[str] = (),
    base_claim_ids: Iterable[str] = (),
) -> Kpi:
    """Estimate accuracy = visits whose patient share, once adjudicated, came within ``tolerance_cents`` of the
    estimate computed for the appointment ÷ visits compared (adjudicated visits that had an appointment)."""
    counts = {"within_tolerance": within_tolerance, "compared": compared, "tolerance_cents": tolerance_cents}
    return _ESTIMATE_ACCURACY.kpi(
        within_tolerance, compared, counts, claim_ids=claim_ids, base_claim_ids=base_claim_ids
    )


def unavailable(key: str, why: str) -> Kpi:
    """A KPI that cannot be computed here (``why`` says so), reported as ``0`` and not available, never guessed."""
    return Kpi(key=key, value=ZERO, note=f"not available: {why}", computed=False, available=False)


class Direction(StrEnum):
    AT_LEAST = "at_least"
    BELOW = "below"
    AT_MOST = "at_most"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    threshold: Decimal
    direction: Direction

    def met(self, value: Decimal) -> bool:
        if self.direction is Direction.AT_LEAST:
            return value >= self.threshold
        if self.direction is Direction.BELOW:
            return value < self.threshold
        return value <= self.threshold

    @property
    def text(self) -> str:
        sign = {Direction.AT_LEAST: "≥", Direction.BELOW: "<", Direction.AT_MOST: "≤"}[self.direction]
        return f"{sign} {self.threshold}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Targets:
    """What good looks like (defaults from the issue: clean-claim ≥ 95 %, denial < 5 %, days in A/R ≤ 40,
    A/R over 90 days < 15 %, net collection ≥ 95 %); a practice may set its own."""

    clean_claim_rate: Target = Target(threshold=Decimal("0.95"), direction=Direction.AT_LEAST)
    initial_denial_rate: Target = Target(threshold=Decimal("0.05"), direction=Direction.BELOW)
    days_in_ar: Target = Target(threshold=Decimal(40), direction=Direction.AT_MOST)
    percent_ar_over_90: Target = Target(threshold=Decimal("0.15"), direction=Direction.BELOW)
    net_collection_rate: Target = Target(threshold=Decimal("0.95"), direction=Direction.AT_LEAST)

    @classmethod
    def parse(cls, text: str) -> Targets:
        """A practice's own thresholds, as ``clean_claim_rate=0.97,days_in_ar=35`` (rates as fractions); each keeps
        its direction; an unknown name or a value that is not a number is refused naming it."""
        chosen: dict[str, Target] = {}
        defaults = cls()
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            key, _, value = part.partition("=")
            key = key.strip()
            if key not in _TARGETED:
                names = ", ".join(sorted(_TARGETED))
                raise ValidationError(f"{key!r} has no target; targets are set for {names}", field="targets")
            try:
                threshold = Decimal(value.strip())
            except ArithmeticError:
                raise ValidationError(f"{key}: {value.strip()!r} is not a number", field="targets") from None
            if not threshold.is_finite() or threshold < 0:
                raise ValidationError(f"{key}: a target is a number of zero or more", field="targets")
            default = getattr(defaults, key)
            chosen[key] = Target(threshold=threshold, direction=default.direction)
        return cls(**chosen)

    def for_key(self, key: str) -> Target | None:
        if key == "initial_denial_rate_dollars":
            key = "initial_denial_rate"
        found = getattr(self, key, None) if key in _TARGETED else None
        return found if isinstance(found, Target) else None

    def meets(self, kpi: Kpi) -> bool | None:
        """True or False against the target; None when the KPI has no target or could not be computed."""
        target = self.for_key(kpi.key)
        if target is None or not kpi.computed:
            return None
        return target.met(kpi.value)


_TARGETED = frozenset(
    {"clean_claim_rate", "initial_denial_rate", "days_in_ar", "percent_ar_over_90", "net_collection_rate"}
)
