"""The scrub engine: runs every rule over a claim (or a batch) and returns the findings in a stable order."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from medbill.domain.claims import Claim
from medbill.domain.scrub import Finding
from medbill.services.scrubbing import (
    rules_codes,
    rules_completeness,
    rules_conventions,
    rules_coverage,
    rules_identifiers,
    rules_lines,
    rules_ncci,
)
from medbill.services.scrubbing.context import LineSignature, ScrubContext
from medbill.services.scrubbing.lookups import Lookups, default_lookups
from medbill.services.scrubbing.payer_rules import shipped_rule_book
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import ClaimView, build_view

Check = Callable[..., None]


def _check_billing(v: ClaimView, out: list[Finding]) -> None:
    """The billing provider's findings depend on it and the form only; a batch has few billing providers."""

    def run() -> tuple[Finding, ...]:
        found: list[Finding] = []
        rules_completeness.check_billing_provider(v, found)
        rules_identifiers.check_billing_provider(v, found)
        return tuple(found)

    out.extend(v.lookups.remember_for("billing", v.professional, v.claim.billing_provider, run))


CHECKS: tuple[Check, ...] = (
    rules_completeness.check_parties,
    _check_billing,
    rules_completeness.check_providers,
    rules_completeness.check_claim_data,
    rules_lines.check_lines,
    rules_identifiers.check_providers,
    rules_identifiers.check_ids,
    rules_codes.check_diagnoses,
    rules_codes.check_procedures,
    rules_conventions.check_conventions,
    rules_ncci.check_ptp,
    rules_ncci.check_mue,
    rules_coverage.check_coverage,
    rules_coverage.check_payer,
)
_ORDER = {rule_id: n for n, rule_id in enumerate(RULES)}


def _key(f: Finding) -> tuple[int, int, int]:
    return (0 if f.line is None else f.line, _ORDER.get(f.rule, len(_ORDER)), 0 if f.blocks else 1)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Scrubbing makes many small acyclic objects; a full collection would rescan the code-set tables each time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scrub(claim: Claim, ctx: ScrubContext, lookups: Lookups) -> tuple[tuple[Finding, ...], ClaimView]:
    view = build_view(claim, ctx, lookups, ctx.payer_rules or shipped_rule_book())
    out: list[Finding] = []
    for check in CHECKS:
        check(view, out)
    if ctx.disabled:
        out = [f for f in out if f.rule not in ctx.disabled]
    out.sort(key=_key)
    return tuple(out), view


def scrub_claim(
    claim: Claim, context: ScrubContext | None = None, *, lookups: Lookups | None = None
) -> tuple[Finding, ...]:
    """Every finding of every rule on one claim: claim-level first, then by line, in registry order."""
    return _scrub(claim, context if context is not None else ScrubContext(), lookups or default_lookups())[0]


def scrub_batch(
    claims: Iterable[Claim], context: ScrubContext | None = None, *, lookups: Lookups | None = None
) -> list[tuple[Claim, tuple[Finding, ...]]]:
    """Each claim with its findings, in the order given; a file's claims are also checked against each other.

    A second claim with the same CLM01, or a line that repeats a line of an earlier claim in the batch (same
    patient, payer, date, code, modifiers), is reported as if the earlier claim had been sent.
    """
    ctx = context if context is not None else ScrubContext()
    lk = lookups or default_lookups()
    in_batch: dict[LineSignature, str] = dict(ctx.sent)
    batch_ctx = replace(ctx, sent=in_batch)  # grows as the batch goes
    seen_ids: set[str] = set()
    out: list[tuple[Claim, tuple[Finding, ...]]] = []
    dup_rule = RULES["identifiers.duplicate_claim_id"]
    with _no_cyclic_gc():
        for claim in claims:
            clm01 = claim.patient_control_number
            findings, view = _scrub(claim, batch_ctx, lk)
            if clm01 in seen_ids and dup_rule.id not in ctx.disabled:
                findings = (
                    dup_rule.finding(
                        f"Another claim in this batch already uses patient control number {clm01}; give each claim its "
                        "own, or acknowledgements and remittances cannot be matched to it.",
                        field="patient_control_number",
                        location="CMS-1500 box 26 / 837 2300 CLM01",
                    ),
                    *findings,
                )
            seen_ids.add(clm01)
            for _, sig in view.line_signatures():
                in_batch.setdefault(sig, clm01)
            out.append((claim, findings))
    return out


def scrub_claims(
    claims: Iterable[Claim], context: ScrubContext | None = None, *, lookups: Lookups | None = None
) -> dict[str, tuple[Finding, ...]]:
    """Findings keyed by CLM01 (claims sharing a CLM01 have their findings joined, duplicate finding included)."""
    out: dict[str, tuple[Finding, ...]] = {}
    for claim, findings in scrub_batch(claims, context, lookups=lookups):
        key = claim.patient_control_number
        out[key] = (*out[key], *findings) if key in out else findings
    return out


def has_errors(findings: Sequence[Finding]) -> bool:
    return any(f.blocks for f in findings)
