"""Identifier rules: NPI check digits, NPI entity type against the role, taxonomy, TIN and member ID shapes."""

from __future__ import annotations

from collections.abc import Iterator

from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.errors import InvalidIdentifier
from medbill.domain.identifiers import validate_ein, validate_member_id, validate_ssn
from medbill.domain.scrub import Finding
from medbill.services.scrubbing.registry import RULES
from medbill.services.scrubbing.view import CLAIM_ROLES, ClaimView

R = RULES
ROLE_NAMES = {
    "85": "billing provider",
    "82": "rendering provider",
    "DN": "referring provider",
    "DK": "ordering provider",
    "DQ": "supervising provider",
    "71": "attending provider",
    "72": "operating provider",
    "ZZ": "other operating provider",
    "77": "service facility",
    "DD": "assistant surgeon",
    "P3": "primary care provider",
}
PERSON_ROLES = frozenset({"82", "DN", "DK", "DQ", "71", "72", "ZZ", "DD"})
ORGANIZATION_ROLES = frozenset({"77"})


def _entities(v: ClaimView) -> Iterator[tuple[int | None, NamedEntity]]:
    """The claim's providers other than the billing provider (2310x), then the line-level ones (2420x)."""
    for p in v.claim.providers:
        yield None, p
    for line in v.claim.lines:
        for p in line.providers:
            yield line.number, p


# 837P 2420x line-level provider loops by role
LINE_LOOPS = {"82": "2420A", "77": "2420C", "DQ": "2420D", "DK": "2420E", "DN": "2420F"}


def _where(v: ClaimView, role: str, line: int | None) -> str:
    if role == "85":
        return v.where("billing_npi")
    if line is not None:
        kind = "837P" if v.professional else "837I"
        return f"{kind} {LINE_LOOPS.get(role, '2420')} NM1*{role} (line {line})"
    key = CLAIM_ROLES.get(role)
    return v.where(key) if key else f"{'837P' if v.professional else '837I'} 2310 NM1*{role}"


def _names(role: str, line: int | None) -> tuple[str, str]:
    """("Line 2: the ordering provider" or "The billing provider", its field name) for a message."""
    name = ROLE_NAMES.get(role, f"provider ({role})")
    at = f"Line {line}: the {name}" if line is not None else f"The {name}"
    prefix = f"lines[{line}]." if line is not None else ""
    return at, f"{prefix}{name.replace(' ', '_')}"


def check_providers(v: ClaimView, out: list[Finding]) -> None:
    """NPI, entity type and taxonomy of the rendering, referring, attending, facility … providers."""
    for line, e in _entities(v):
        _check_entity(v, line, e, out)


def check_billing_provider(v: ClaimView, out: list[Finding]) -> None:
    """NPI, taxonomy and tax ID of the billing provider (2010AA)."""
    _check_entity(v, None, v.claim.billing_provider, out)
    _check_tin(v, out)


def _check_entity(v: ClaimView, line: int | None, e: NamedEntity, out: list[Finding]) -> None:
    lk = v.lookups
    if e.id_qualifier == "XX" and e.identifier:
        problem = lk.npi_problem(e.identifier)
        if problem is not None:
            at, field = _names(e.role, line)
            out.append(
                R["identifiers.npi_check_digit"].finding(
                    f"{at} NPI {e.identifier} is not valid: {problem}.",
                    line=line,
                    field=f"{field}.npi",
                    location=_where(v, e.role, line),
                )
            )
    kind = e.entity_type
    if (e.role in PERSON_ROLES and kind is not EntityType.PERSON) or (
        e.role in ORGANIZATION_ROLES and kind is not EntityType.ORGANIZATION
    ):
        at, field = _names(e.role, line)
        want = (
            "a person (NM102 = 1) with an individual (type 1) NPI, not an organization"
            if e.role in PERSON_ROLES
            else "an organization (NM102 = 2) with its organization (type 2) NPI"
        )
        out.append(
            R["identifiers.npi_entity_type"].finding(
                f"{at} must be {want}.", line=line, field=f"{field}.entity_type", location=_where(v, e.role, line)
            )
        )
    if e.taxonomy:
        tax = lk.taxonomy_problem(e.taxonomy)
        if tax is not None:
            at, field = _names(e.role, line)
            rule, text = tax
            out.append(
                R[rule].finding(
                    f"{at} taxonomy {e.taxonomy!r}: {text}.",
                    line=line,
                    field=f"{field}.taxonomy",
                    location=_where(v, e.role, line),
                )
            )


def _check_tin(v: ClaimView, out: list[Finding]) -> None:
    for ref in v.claim.billing_provider.references:
        if ref.qualifier in ("EI", "SY"):
            try:
                (validate_ein if ref.qualifier == "EI" else validate_ssn)(ref.value)
            except InvalidIdentifier as exc:
                kind = "EIN" if ref.qualifier == "EI" else "SSN"
                out.append(
                    R["identifiers.tin_shape"].finding(
                        f"The billing provider's {kind} is not valid: {exc.message}.",
                        field="billing_provider.tin",
                        location=v.where("billing_tin"),
                    )
                )


def check_ids(v: ClaimView, out: list[Finding]) -> None:
    """The member ID's shape (2010BA NM109)."""
    member = v.claim.subscriber.subscriber.identifier
    if member:
        try:
            validate_member_id(member)
        except InvalidIdentifier as exc:
            out.append(
                R["identifiers.member_id_shape"].finding(
                    f"The member ID is not valid: {exc.message}; copy it from the insurance card.",
                    field="subscriber.member_id",
                    location=v.where("subscriber_id"),
                )
            )
