"""`medbill scrub FILE`: the claim scrubber over the claims of an 837P/837I file, with no database and no network."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer

from medbill.domain.claims import Claim, ClaimBatch
from medbill.domain.scrub import Finding
from medbill.formats import x12 as codec

UNREADABLE = 2  # the file is not a readable 837; 1 is kept for "a claim has an error finding"


def _fail(message: str) -> typer.Exit:
    typer.echo("error: " + message.replace("\n", " "), err=True)
    return typer.Exit(code=UNREADABLE)


def read_claims(file: Path) -> list[Claim]:
    """The claims of every 837P/837I transaction in the file; `typer.Exit(2)` with one line when there are none."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        transactions = codec.read(data)
    except codec.X12Error as exc:
        raise _fail(f"{file} is not a readable 837: {exc}") from None
    claims: list[Claim] = []
    others: list[str] = []
    for t in transactions:
        if isinstance(t.document, ClaimBatch):
            claims.extend(t.document.claims)
        else:
            others.append(t.type.value)
    if not claims:
        what = f"it holds {', '.join(sorted(set(others)))}" if others else "it holds no transaction set"
        raise _fail(f"{file} holds no 837P or 837I claims ({what})")
    return claims


def finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "line": f.line,
        "message": f.message,
        "family": f.family.value,
        "field": f.field,
        "location": f.location,
    }


def _human(results: list[tuple[Claim, tuple[Finding, ...]]]) -> None:
    failing = 0
    for claim, findings in results:
        errors = sum(1 for f in findings if f.blocks)
        warnings = len(findings) - errors
        failing += 1 if errors else 0
        state = "clean" if not findings else f"{errors} error(s), {warnings} warning(s)"
        typer.echo(f"claim {claim.patient_control_number} ({claim.kind.value}, {len(claim.lines)} lines): {state}")
        for f in findings:
            where = "claim " if f.line is None else f"line {f.line}"
            typer.echo(f"  {f.severity.value:<7} {where:<7} {f.rule}: {f.message}")
            if f.location:
                typer.echo(f"  {'':<7} {'':<7} at {f.location}")
    typer.echo(f"{len(results)} claim(s): {failing} with errors, {len(results) - failing} ready to send")


def scrub(
    file: Path = typer.Argument(..., help="An 837P or 837I file."),
    as_json: bool = typer.Option(False, "--json", help='Print {"claims": [{"claim_id", "findings": [...]}]}.'),
    payer_rules: Path | None = typer.Option(
        None, "--payer-rules", help="A payer rule book (JSON) to use instead of the shipped one."
    ),
) -> None:
    """Scrub the claims in FILE; exit 1 when any claim has an error finding, 2 when FILE is not a readable 837."""
    from medbill.services.scrubbing import ScrubContext, has_errors, load_rule_book, scrub_batch  # loads code sets

    book = None
    if payer_rules is not None:
        try:
            book = load_rule_book(payer_rules)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    claims = read_claims(file)
    results = scrub_batch(claims, ScrubContext(today=date.today(), payer_rules=book))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "claims": [
                        {
                            "claim_id": claim.patient_control_number,
                            "kind": claim.kind.value,
                            "findings": [finding_json(f) for f in findings],
                        }
                        for claim, findings in results
                    ]
                }
            )
        )
    else:
        _human(results)
    if any(has_errors(findings) for _, findings in results):
        raise typer.Exit(code=1)
