"""Payer-specific scrub rules as data: a rule book read from JSON (shipped `payer_rules.json`, or a practice's own).

A payer's entry may hold: ``name``, ``member_id_pattern`` (a regular expression the whole ID must match) with
``member_id_example``, ``max_diagnoses``, ``timely_filing_days``, ``rendering_required`` (bool),
``referring_required`` (code ranges), ``prior_authorization`` (code ranges) and ``modifier_required`` (a list of
``{"codes": [...], "modifiers": [...], "why": "..."}``: one of the modifiers must be on a line with one of the
codes). Code ranges are ``"70010-79999"`` or a single code ``"G0101"``. The top-level
``referring_required_codes`` is the list every payer shares (CMS ordering/referring edits). Unknown keys are
refused when the book is loaded, so a misspelt rule never goes silently unapplied.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("payer_rules.json")
_PAYER_KEYS = frozenset(
    {
        "name",
        "member_id_pattern",
        "member_id_example",
        "max_diagnoses",
        "timely_filing_days",
        "rendering_required",
        "referring_required",
        "prior_authorization",
        "modifier_required",
        "_comment",
    }
)


@dataclass(frozen=True, slots=True)
class CodeRanges:
    """Procedure codes as inclusive ranges of same-shaped codes (``70010-79999``, ``E0100-E8002``, ``G0101``)."""

    ranges: tuple[tuple[str, str], ...]
    _memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, items: list[str], where: str) -> CodeRanges:
        out: list[tuple[str, str]] = []
        for item in items:
            lo, _, hi = str(item).strip().upper().partition("-")
            hi = hi or lo
            if len(lo) != 5 or len(hi) != 5 or lo > hi:
                raise ValueError(f"{where}: {item!r} is not a code or a range of 5-character codes")
            out.append((lo, hi))
        return cls(tuple(out))

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        found = self._memo.get(code)
        if found is None:
            found = len(code) == 5 and any(
                lo <= code <= hi and lo[4].isdigit() == code[4].isdigit() for lo, hi in self.ranges
            )
            if len(self._memo) < 100_000:
                self._memo[code] = found
        return found


@dataclass(frozen=True, slots=True, kw_only=True)
class ModifierRequirement:
    codes: CodeRanges
    modifiers: frozenset[str]
    why: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PayerRules:
    """One payer's configured rules."""

    payer_id: str
    name: str = ""
    member_id_pattern: re.Pattern[str] | None = None
    member_id_example: str | None = None
    max_diagnoses: int | None = None
    timely_filing_days: int | None = None
    rendering_required: bool = False
    referring_required: CodeRanges = field(default_factory=lambda: CodeRanges(()))
    prior_authorization: CodeRanges = field(default_factory=lambda: CodeRanges(()))
    modifier_required: tuple[ModifierRequirement, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PayerRuleBook:
    """All payers' rules by payer ID, and the referring-provider code list every payer shares."""

    payers: dict[str, PayerRules]
    referring_required_codes: CodeRanges

    def for_payer(self, payer_id: str | None) -> PayerRules | None:
        return self.payers.get((payer_id or "").strip().upper())


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{where} must be a whole number ≥ 0")
    return value


def _payer(payer_id: str, raw: dict[str, Any]) -> PayerRules:
    where = f"payer {payer_id}"
    unknown = sorted(set(raw) - _PAYER_KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown rule(s) {', '.join(unknown)}; known: {', '.join(sorted(_PAYER_KEYS))}")
    pattern = raw.get("member_id_pattern")
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise ValueError(f"{where}: member_id_pattern is not a regular expression ({exc})") from exc
    mods = tuple(
        ModifierRequirement(
            codes=CodeRanges.parse(list(m["codes"]), f"{where} modifier_required"),
            modifiers=frozenset(str(x).upper() for x in m["modifiers"]),
            why=str(m.get("why", "")),
        )
        for m in raw.get("modifier_required", ())
    )
    return PayerRules(
        payer_id=payer_id,
        name=str(raw.get("name", "")),
        member_id_pattern=compiled,
        member_id_example=raw.get("member_id_example"),
        max_diagnoses=_int(raw["max_diagnoses"], f"{where} max_diagnoses") if "max_diagnoses" in raw else None,
        timely_filing_days=(
            _int(raw["timely_filing_days"], f"{where} timely_filing_days") if "timely_filing_days" in raw else None
        ),
        rendering_required=bool(raw.get("rendering_required", False)),
        referring_required=CodeRanges.parse(list(raw.get("referring_required", ())), f"{where} referring_required"),
        prior_authorization=CodeRanges.parse(list(raw.get("prior_authorization", ())), f"{where} prior_authorization"),
        modifier_required=mods,
    )


def parse_rule_book(data: dict[str, Any]) -> PayerRuleBook:
    """A rule book from its JSON object; `ValueError` naming the payer and the rule when something is wrong."""
    payers = data.get("payers", {})
    if not isinstance(payers, dict):
        raise ValueError("'payers' must be an object keyed by payer ID")
    return PayerRuleBook(
        payers={pid.strip().upper(): _payer(pid.strip().upper(), raw) for pid, raw in payers.items()},
        referring_required_codes=CodeRanges.parse(
            list(data.get("referring_required_codes", {}).get("codes", ())), "referring_required_codes"
        ),
    )


def load_rule_book(path: Path) -> PayerRuleBook:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the payer rule book {path}: {exc}") from exc
    return parse_rule_book(data)


@cache
def shipped_rule_book() -> PayerRuleBook:
    """The rule book that ships with medbill (payer_rules.json beside this module)."""
    return load_rule_book(SHIPPED)
