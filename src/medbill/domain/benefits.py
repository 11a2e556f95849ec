"""A member's benefits as one flat, storable record: coverage status and dates, plan and group, and for each service
type × network (in / out) × level (individual / family) the copay, coinsurance, deductible and out-of-pocket amounts
with what remains of them, limitation and authorization flags, other payers named, and AAA reasons in words.

It is built from one member's 271 answer (``domain.eligibility``: the EB loops as the payer sent them) and read by
estimates and the front desk. ``as_json`` / ``from_json`` keep it as plain JSON (amounts in integer cents, percents
as decimal strings, never floats).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from medbill.domain.eligibility import (
    Authorization,
    Benefit,
    BenefitKind,
    CoverageLevel,
    CoverageStatus,
    EligibilityResponse,
    MemberEligibility,
    Network,
    TimePeriod,
    benefits_record,
)

PLAN = "30"  # EB03 service type 30: health benefit plan coverage, the plan as a whole

_FAMILY_LEVELS = {
    CoverageLevel.FAMILY,
    CoverageLevel.EMPLOYEE_AND_SPOUSE,
    CoverageLevel.EMPLOYEE_AND_CHILDREN,
    CoverageLevel.SPOUSE_AND_CHILDREN,
    CoverageLevel.CHILDREN,
    CoverageLevel.DEPENDENTS,
}
_REMAINING = {TimePeriod.REMAINING, TimePeriod.LIFETIME_REMAINING}
_PERIOD_WORDS = {
    TimePeriod.CALENDAR_YEAR: "per calendar year",
    TimePeriod.SERVICE_YEAR: "per service year",
    TimePeriod.CONTRACT: "per contract",
    TimePeriod.VISIT: "per visit",
    TimePeriod.LIFETIME: "per lifetime",
    TimePeriod.MONTH: "per month",
    TimePeriod.WEEK: "per week",
    TimePeriod.DAY: "per day",
    TimePeriod.ADMISSION: "per admission",
    TimePeriod.EPISODE: "per episode",
}
_QUANTITY_WORDS = {
    "VS": "visits",
    "DY": "days",
    "HS": "hours",
    "MN": "months",
    "YY": "years",
    "DB": "deductible blood units",
}


class NetworkTier(StrEnum):
    """EB12 in words: in network (Y), out of network (N), or stated for both / not stated (W or empty)."""

    IN = "in"
    OUT = "out"
    ANY = "any"


class Level(StrEnum):
    """EB02 folded to the two levels benefits are counted at: one person, or the family (any multi-person level)."""

    INDIVIDUAL = "individual"
    FAMILY = "family"


@dataclass(frozen=True, slots=True, kw_only=True)
class CostShare:
    """What the plan says for one service type, network and level; None where the 271 said nothing."""

    service_type: str  # EB03: 30 plan, 98 office visit, BY well visit, UC urgent care …
    network: NetworkTier
    level: Level
    copay_cents: int | None = None  # EB*B
    coinsurance_percent: Decimal | None = None  # EB*A, 20 → 20 % the member pays
    deductible_cents: int | None = None  # EB*C for its period (EB06 23 calendar year …)
    deductible_remaining_cents: int | None = None  # EB*C with EB06 29
    out_of_pocket_cents: int | None = None  # EB*G
    out_of_pocket_remaining_cents: int | None = None  # EB*G with EB06 29
    authorization_required: bool = False  # EB11 Y
    non_covered: bool = False  # EB*I
    limitations: tuple[str, ...] = ()  # EB*F in words, with the MSG lines that qualify it


@dataclass(frozen=True, slots=True, kw_only=True)
class OtherPayer:
    """A payer the 271 names in EB*R (other or additional payer): possible coordination of benefits."""

    name: str
    payer_id: str | None = None  # NM109 of the 2120C/D loop
    member_id: str | None = None  # REF*1W/IG/6P under the EB*R, when sent


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectionNote:
    """An AAA as words: where, which code, why, and what the payer asks us to do."""

    loop: str
    code: str
    reason: str
    follow_up: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberBenefits:
    """One member's 271, normalized and flat."""

    status: CoverageStatus
    member_id: str | None = None  # the subscriber's NM109 as the payer answered it
    plan_name: str | None = None
    group_number: str | None = None
    plan_begin: date | None = None
    plan_end: date | None = None
    shares: tuple[CostShare, ...] = ()
    other_payers: tuple[OtherPayer, ...] = ()
    rejections: tuple[RejectionNote, ...] = ()
    messages: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.status is CoverageStatus.ACTIVE

    def share(self, service_type: str, network: NetworkTier, level: Level) -> CostShare | None:
        return next(
            (s for s in self.shares if (s.service_type, s.network, s.level) == (service_type, network, level)), None
        )

    def value(
        self,
        name: str,
        service_type: str = PLAN,
        network: NetworkTier = NetworkTier.IN,
        level: Level = Level.INDIVIDUAL,
    ) -> Any:
        """A field for the service type: the network asked first, then one stated for both networks (or none)."""
        for tier in (network, NetworkTier.ANY):
            found = self.share(service_type, tier, level)
            if found is not None and getattr(found, name) is not None:
                return getattr(found, name)
        return None

    def copay_cents(self, service_type: str = PLAN, network: NetworkTier = NetworkTier.IN) -> int | None:
        value: int | None = self.value("copay_cents", service_type, network)
        return value

    def coinsurance_percent(self, service_type: str = PLAN, network: NetworkTier = NetworkTier.IN) -> Decimal | None:
        value: Decimal | None = self.value("coinsurance_percent", service_type, network)
        return value

    def deductible_remaining_cents(self, network: NetworkTier = NetworkTier.IN) -> int | None:
        """What the member still pays before coinsurance: the lesser of the individual and family amounts left; the
        plan's whole deductible when the payer gave no remaining amount."""
        return _least(self._left("deductible", network, level) for level in Level)

    def out_of_pocket_remaining_cents(self, network: NetworkTier = NetworkTier.IN) -> int | None:
        return _least(self._left("out_of_pocket", network, level) for level in Level)

    def _left(self, what: str, network: NetworkTier, level: Level) -> int | None:
        remaining: int | None = self.value(f"{what}_remaining_cents", PLAN, network, level)
        if remaining is not None:
            return remaining
        whole: int | None = self.value(f"{what}_cents", PLAN, network, level)
        return whole

    def authorization_required(self, service_type: str) -> bool:
        return any(s.authorization_required for s in self.shares if s.service_type == service_type)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "member_id": self.member_id,
            "plan_name": self.plan_name,
            "group_number": self.group_number,
            "plan_begin": self.plan_begin.isoformat() if self.plan_begin else None,
            "plan_end": self.plan_end.isoformat() if self.plan_end else None,
            "shares": [_share_json(s) for s in self.shares],
            "other_payers": [{f.name: getattr(p, f.name) for f in fields(p)} for p in self.other_payers],
            "rejections": [{f.name: getattr(r, f.name) for f in fields(r)} for r in self.rejections],
            "messages": list(self.messages),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> MemberBenefits:
        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return cls(
            status=CoverageStatus(raw["status"]),
            member_id=raw.get("member_id"),
            plan_name=raw.get("plan_name"),
            group_number=raw.get("group_number"),
            plan_begin=day(raw.get("plan_begin")),
            plan_end=day(raw.get("plan_end")),
            shares=tuple(_share_of(s) for s in raw.get("shares", ())),
            other_payers=tuple(OtherPayer(**p) for p in raw.get("other_payers", ())),
            rejections=tuple(RejectionNote(**r) for r in raw.get("rejections", ())),
            messages=tuple(raw.get("messages", ())),
        )


def _least(values: Any) -> int | None:
    found = [v for v in values if v is not None]
    return min(found) if found else None


def _share_json(s: CostShare) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(s):
        value = getattr(s, f.name)
        if isinstance(value, Decimal):
            value = f"{value.normalize():f}"
        elif isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _share_of(raw: dict[str, Any]) -> CostShare:
    percent = raw.get("coinsurance_percent")
    return CostShare(
        **{
            **raw,
            "network": NetworkTier(raw["network"]),
            "level": Level(raw["level"]),
            "coinsurance_percent": None if percent is None else Decimal(percent),
            "limitations": tuple(raw.get("limitations", ())),
        }
    )


def _tier(network: Network | None) -> NetworkTier:
    return {Network.IN: NetworkTier.IN, Network.OUT: NetworkTier.OUT}.get(network, NetworkTier.ANY)  # type: ignore[arg-type]


def _level(level: CoverageLevel | None) -> Level:
    return Level.FAMILY if level in _FAMILY_LEVELS else Level.INDIVIDUAL


def limitation_words(b: Benefit) -> str:
    """EB*F in words: "20 visits per calendar year", or the amount, or the payer's own description."""
    parts: list[str] = []
    if b.quantity is not None:
        parts.append(f"{b.quantity.normalize():f} {_QUANTITY_WORDS.get(b.quantity_qualifier or '', 'units')}")
    if b.amount_cents is not None:
        parts.append(f"${Decimal(b.amount_cents) / 100:.2f}")
    if b.time_period is not None:
        parts.append(_PERIOD_WORDS.get(b.time_period, "remaining" if b.time_period in _REMAINING else "per period"))
    text = " ".join(parts) or (b.plan_description or "limited")
    return "; ".join((text, *b.messages))


def _apply(share: CostShare, b: Benefit) -> CostShare:
    remaining = b.time_period in _REMAINING
    if b.kind is BenefitKind.COPAY and b.amount_cents is not None and share.copay_cents is None:
        share = replace(share, copay_cents=b.amount_cents)
    elif b.kind is BenefitKind.COINSURANCE and b.percent is not None and share.coinsurance_percent is None:
        share = replace(share, coinsurance_percent=b.percent)
    elif b.kind in (BenefitKind.DEDUCTIBLE, BenefitKind.OUT_OF_POCKET) and b.amount_cents is not None:
        stem = "deductible" if b.kind is BenefitKind.DEDUCTIBLE else "out_of_pocket"
        name = f"{stem}_remaining_cents" if remaining else f"{stem}_cents"
        if getattr(share, name) is None:
            changes: dict[str, Any] = {name: b.amount_cents}
            share = replace(share, **changes)
    elif b.kind is BenefitKind.LIMITATIONS:
        share = replace(share, limitations=(*share.limitations, limitation_words(b)))
    elif b.kind is BenefitKind.NON_COVERED:
        share = replace(share, non_covered=True)
    if b.authorization is Authorization.REQUIRED:
        share = replace(share, authorization_required=True)
    return share


_SHARE_KINDS = {
    BenefitKind.COPAY,
    BenefitKind.COINSURANCE,
    BenefitKind.DEDUCTIBLE,
    BenefitKind.OUT_OF_POCKET,
    BenefitKind.LIMITATIONS,
    BenefitKind.NON_COVERED,
}


def member_benefits(member: MemberEligibility, response: EligibilityResponse | None = None) -> MemberBenefits:
    """One member's 271 answer, normalized (with the response, the payer's and receiver's AAA reasons too)."""
    record = benefits_record(member, response)
    shares: dict[tuple[str, NetworkTier, Level], CostShare] = {}
    for code, b in record.lines:
        if b.kind not in _SHARE_KINDS and b.authorization is not Authorization.REQUIRED:
            continue
        key = (code, _tier(b.network), _level(b.coverage_level))
        shares[key] = _apply(shares.get(key) or CostShare(service_type=code, network=key[1], level=key[2]), b)
    others: list[OtherPayer] = []
    for b in member.benefits:
        if b.kind is not BenefitKind.OTHER_PAYER:
            continue
        member_ref = next((r.value for r in b.references if r.qualifier in ("1W", "IG", "6P", "SY")), None)
        named = [e for e in b.entities if e.role in ("PR", "PRP", "SEP", "TTP", "IL")] or list(b.entities)
        if not named and b.plan_description:
            others.append(OtherPayer(name=b.plan_description, member_id=member_ref))
        others += [OtherPayer(name=e.name, payer_id=e.identifier, member_id=member_ref) for e in named]
    return MemberBenefits(
        status=record.status,
        member_id=member.subscriber.identifier,
        plan_name=record.plan_name,
        group_number=record.group_number,
        plan_begin=record.plan_begin,
        plan_end=record.plan_end,
        shares=tuple(
            sorted(shares.values(), key=lambda s: (s.service_type != PLAN, s.service_type, s.network, s.level))
        ),
        other_payers=tuple(dict.fromkeys(others)),
        rejections=tuple(
            RejectionNote(loop=r.loop, code=r.reason_code, reason=r.reason, follow_up=r.follow_up)
            for r in record.rejections
        ),
        messages=record.messages,
    )
