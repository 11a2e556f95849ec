"""The sandbox payers as data: pricing, member benefits, copay families and denial settings, read from JSON."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from medbill.domain.claims import EntityType, NamedEntity, PostalAddress
from medbill.domain.errors import ValidationError

DEFAULT_CONFIG = Path(__file__).with_name("payers.json")


@dataclass(frozen=True, slots=True, kw_only=True)
class CopayFamily:
    """A visit type by its codes (single codes or ``99211-99215`` ranges of five-character codes) and its copay."""

    family: str
    codes: tuple[str, ...]
    copay_cents: int

    def matches(self, code: str) -> bool:
        code = code.strip().upper()
        for spec in self.codes:
            low, _, high = spec.partition("-")
            if (high and len(code) == len(low) and low <= code <= high) or code == low:
                return True
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberPlan:
    """One member's (or a pattern of members') benefits at the start of the sandbox's year."""

    member_id: str | None = None
    pattern: str | None = None
    deductible_cents: int = 0
    deductible_remaining_cents: int = 0
    coinsurance_percent: Decimal = Decimal(0)
    out_of_pocket_max_cents: int | None = None
    out_of_pocket_remaining_cents: int | None = None
    copays: bool = True  # the payer's copay families apply to this member
    effective: date | None = None
    terminated: date | None = None  # last day of coverage

    def matches(self, member_id: str) -> bool:
        if self.member_id is not None:
            return member_id == self.member_id
        return self.pattern is not None and fnmatch.fnmatchcase(member_id, self.pattern)


@dataclass(frozen=True, slots=True, kw_only=True)
class SandboxPayer:
    """A sandbox payer: who it is, how it prices (Medicare-like or a percent of it) and its members and rules."""

    payer_id: str
    name: str
    tax_id: str
    address: PostalAddress
    pricing: str  # "medicare" or "commercial"
    locality: str  # MAC-locality-state whose GPCIs price every line
    percent: Decimal  # of the Medicare amount: 100 for Medicare-like
    timely_filing_days: int
    filing_indicator: str  # 835 CLP06: MB Medicare Part B, 12 PPO, HM HMO … (837's CI is not an 835 code)
    non_covered: frozenset[str]
    fees: dict[str, int]  # codes priced outside the PFS (lab fee schedule, supplies), per unit
    institutional_percent: Decimal  # 837I lines: this percent of the charge
    copays: tuple[CopayFamily, ...]
    members: tuple[MemberPlan, ...]
    review_over_cents: int | None = None  # claims charging more are pended for review (no 835; a 276 hears P2)

    def member(self, member_id: str) -> MemberPlan | None:
        """The explicit member, else the first pattern that matches; None for an unknown member ID."""
        explicit = next((m for m in self.members if m.member_id is not None and m.matches(member_id)), None)
        return explicit or next((m for m in self.members if m.member_id is None and m.matches(member_id)), None)

    def copay_family(self, code: str) -> CopayFamily | None:
        return next((f for f in self.copays if f.matches(code)), None)

    @property
    def entity(self) -> NamedEntity:
        return NamedEntity(
            role="PR", entity_type=EntityType.ORGANIZATION, name=self.name, id_qualifier="PI", identifier=self.payer_id
        )


def _opt_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _member(m: dict[str, Any]) -> MemberPlan:
    oop_max = m.get("out_of_pocket_max_cents")
    return MemberPlan(
        member_id=m.get("id"),
        pattern=m.get("pattern"),
        deductible_cents=int(m.get("deductible_cents", 0)),
        deductible_remaining_cents=int(m.get("deductible_remaining_cents", 0)),
        coinsurance_percent=Decimal(str(m.get("coinsurance_percent", "0"))),
        out_of_pocket_max_cents=None if oop_max is None else int(oop_max),
        out_of_pocket_remaining_cents=(
            None if oop_max is None else int(m.get("out_of_pocket_remaining_cents", oop_max))
        ),
        copays=bool(m.get("copays", True)),
        effective=_opt_date(m.get("effective")),
        terminated=_opt_date(m.get("terminated")),
    )


def _payer(p: dict[str, Any]) -> SandboxPayer:
    pricing = p.get("pricing", {})
    kind = pricing.get("kind", "medicare")
    if kind not in ("medicare", "commercial"):
        raise ValidationError(f"pricing kind {kind!r} is neither 'medicare' nor 'commercial'", field="pricing.kind")
    return SandboxPayer(
        payer_id=p["payer_id"],
        name=p["name"],
        tax_id=p["tax_id"],
        address=PostalAddress(**p["address"]),
        pricing=kind,
        locality=pricing["locality"],
        percent=Decimal(str(pricing.get("percent", "100"))),
        timely_filing_days=int(p.get("timely_filing_days", 365)),
        filing_indicator=p.get("filing_indicator", "ZZ"),
        non_covered=frozenset(c.upper() for c in p.get("non_covered", ())),
        fees={k.upper(): int(v) for k, v in p.get("fees", {}).items()},
        institutional_percent=Decimal(str(p.get("institutional_percent_of_charge", "60"))),
        copays=tuple(
            CopayFamily(family=c["family"], codes=tuple(c["codes"]), copay_cents=int(c["copay_cents"]))
            for c in p.get("copays", ())
        ),
        members=tuple(_member(m) for m in p.get("members", ())),
        review_over_cents=None if p.get("review_over_cents") is None else int(p["review_over_cents"]),
    )


def load_payers(path: Path = DEFAULT_CONFIG) -> dict[str, SandboxPayer]:
    """The sandbox payers of a JSON file, by payer ID (``payers.json`` beside this module by default)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        payers = [_payer(p) for p in raw["payers"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"the sandbox payer file {path.name} cannot be used: {exc}", field="sandbox") from exc
    return {p.payer_id: p for p in payers}
