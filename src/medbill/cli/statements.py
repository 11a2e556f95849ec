"""`medbill statements …`: run the statement cycle (with a dry run and PDFs to a folder), list what was sent, hold
and release a patient's statements."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.claims import _progress
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import Money, cents_to_str

if TYPE_CHECKING:
    from medbill.domain.users import Actor
    from medbill.services.base import Deps
    from medbill.services.statements import RunReport, SentStatement

app = typer.Typer(help="Patient statements: run the cycle, list, hold and release.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
PatientArg = Annotated[str, typer.Argument(help="the patient's account number or id")]


def _patient_id(deps: Deps, actor: Actor, given: str) -> str:
    """An account number names the patient; anything else is taken as the patient's id."""
    from medbill.services import patients
    from medbill.services.ports import PatientQuery

    found = patients.search_patients(deps, actor, PatientQuery(account_number=given, limit=1))
    return found[0].id if found else given


def report_dict(report: RunReport) -> dict[str, Any]:
    return {
        "run_id": report.run_id,
        "run_on": report.run_on.isoformat(),
        "dry_run": report.dry_run,
        "sent": report.sent,
        "skipped": report.skipped,
        "total_due": cents_to_str(report.total_due_cents),
        "statements": [
            {
                "id": None if report.dry_run else s.statement_id,
                "statement_number": s.statement_number,
                "guarantor": s.guarantor_name,
                "patient_ids": list(s.patient_ids),
                "amount_due": cents_to_str(s.amount_due_cents),
                "message": s.message,
            }
            for s in report.statements
        ],
        "skipped_guarantors": [
            {
                "guarantor": s.guarantor_name,
                "patient_ids": list(s.patient_ids),
                "code": s.code,
                "reason": s.reason,
                "amount_due": cents_to_str(s.amount_due_cents),
            }
            for s in report.skipped_guarantors
        ],
    }


@app.command("run")
def run_(
    min_balance: Annotated[str, typer.Option(help="smallest amount due worth a statement, in dollars")] = "5.00",
    cycle_days: Annotated[int, typer.Option(help="no second statement to a guarantor within this many days")] = 28,
    due_days: Annotated[int, typer.Option(help="the due date is this many days after the statement date")] = 21,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="decide and render, keep nothing")] = False,
    out: Annotated[Path | None, typer.Option(help="also write each statement's PDF into this folder")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One statement per guarantor whose balance is due: minimum balance, cycle and holds decide who is skipped."""
    from medbill.domain.money import parse_cents
    from medbill.domain.statements import StatementRules
    from medbill.services import statements
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    if out is not None:
        if out.exists() and not out.is_dir():
            fail(f"{out}: not a folder")
        out.mkdir(parents=True, exist_ok=True)

    def write(sent: SentStatement, pdf: bytes) -> None:
        if out is not None:
            (out / f"{sent.statement_number}.pdf").write_bytes(pdf)

    with container() as c, _progress("statements", as_json) as progress:
        rules = StatementRules(
            minimum_balance_cents=parse_cents(min_balance, field="min_balance"),
            cycle_days=cycle_days,
            due_in_days=due_days,
        )
        report = statements.run_statements(
            c.deps, actor, rules=rules, dry_run=dry_run, on_progress=progress, on_pdf=write
        )
    if as_json:
        print_json(report_dict(report))
        return
    verb = "would send" if dry_run else "sent"
    skipped = ", ".join(f"{n} {code.replace('_', ' ')}" for code, n in report.skipped.items() if n) or "none"
    console.print(
        f"{verb} {report.sent} statements, {Money(report.total_due_cents).display()} due; skipped: {skipped}",
        highlight=False,
    )
    table = Table("number", "guarantor", "patients", "amount due")
    for s in report.statements:
        table.add_row(s.statement_number, s.guarantor_name, str(len(s.patient_ids)), cents_to_str(s.amount_due_cents))
    if report.statements:
        console.print(table)
    if out is not None and report.statements:
        console.print(f"PDFs written to {out}", highlight=False)


@app.command("list")
def list_(
    patient: Annotated[str | None, typer.Option(help="only statements listing this patient (account or id)")] = None,
    limit: int = 200,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Statements sent, newest first."""
    from medbill.services import statements
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        patient_id = _patient_id(c.deps, actor, patient) if patient else None
        rows = statements.list_statements(c.deps, actor, patient_id, limit=limit)
    data: list[dict[str, Any]] = [
        {
            "id": s.record.id,
            "statement_number": s.record.statement_number,
            "statement_date": s.record.statement_date.isoformat(),
            "due_date": s.record.due_date.isoformat(),
            "guarantor": s.guarantor_name,
            "patient_ids": list(s.record.patient_ids),
            "amount_due": cents_to_str(s.record.amount_due_cents),
            "run_id": s.record.run_id,
        }
        for s in rows
    ]
    if as_json:
        print_json(data)
        return
    table = Table("number", "date", "due", "guarantor", "amount due")
    for d in data:
        table.add_row(d["statement_number"], d["statement_date"], d["due_date"], d["guarantor"], d["amount_due"])
    console.print(table)


@app.command("hold")
def hold(
    patient: PatientArg,
    reason: Annotated[str, typer.Option(help="why: a dispute, an appeal pending, a bankruptcy …")],
    practice: PracticeOpt = None,
) -> None:
    """No statement goes to the patient's guarantor until the hold is released."""
    from medbill.services import statements
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        statements.hold_statements(c.deps, actor, _patient_id(c.deps, actor, patient), reason)
    console.print(f"statements for {patient} on hold", highlight=False)


@app.command("release")
def release(patient: PatientArg, practice: PracticeOpt = None) -> None:
    """Lift a patient's statement hold."""
    from medbill.services import statements
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        statements.release_hold(c.deps, actor, _patient_id(c.deps, actor, patient))
    console.print(f"statement hold on {patient} released", highlight=False)
