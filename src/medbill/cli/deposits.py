"""`medbill deposits …`: import the bank's CSV of deposits (idempotent), enter one by hand, reconcile against 835s."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import cents_to_str

if TYPE_CHECKING:
    from medbill.domain.reconciliation import Deposit, RemittancePayment
    from medbill.services.reconciliation import ReconciliationReport

app = typer.Typer(
    help="Bank deposits: import the bank's CSV, reconcile against payers' payments.", no_args_is_help=True
)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def deposit_json(d: Deposit) -> dict[str, str]:
    return {
        "id": d.id,
        "posted_on": d.posted_on.isoformat(),
        "amount": cents_to_str(d.amount_cents),
        "reference": d.reference,
        "description": d.description,
    }


def payment_json(p: RemittancePayment) -> dict[str, str]:
    return {
        "remittance_id": p.id,
        "payer": p.payer_name,
        "trace_number": p.trace_number,
        "method": p.method,
        "amount": cents_to_str(p.amount_cents),
        "paid_on": p.paid_on.isoformat(),
    }


def report_json(r: ReconciliationReport) -> dict[str, Any]:
    return {
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
        "window_days": r.window_days,
        "matched": [
            {
                "basis": m.basis.value,
                "deposit": deposit_json(m.deposit),
                "payment": payment_json(m.payment),
                "difference": cents_to_str(m.difference_cents),
            }
            for m in r.matched
        ],
        "unmatched_deposits": [deposit_json(d) for d in r.unmatched_deposits],
        "unmatched_payments": [payment_json(p) for p in r.unmatched_payments],
        "days": [
            {
                "day": d.day.isoformat(),
                "deposits": cents_to_str(d.deposits_cents),
                "payer_payments": cents_to_str(d.payer_payments_cents),
                "patient_payments": cents_to_str(d.patient_payments_cents),
                "difference": cents_to_str(d.difference_cents),
            }
            for d in r.days
        ],
    }


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="the bank statement exported as CSV")],
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add the statement's credits as deposits; rows imported before are recognised and not added again."""
    from medbill.services import reconciliation
    from medbill.services.users import operator

    if not file.is_file():
        fail(f"{file}: no such file")
    actor = operator(practice_id_for(practice))
    with container() as c:
        result = reconciliation.import_deposits(c.deps, actor, file.read_bytes(), file.name)
    if as_json:
        print_json(
            {
                "source": result.source,
                "read": result.read,
                "added": result.added,
                "already_imported": result.already,
                "message": result.message,
                "deposits": [deposit_json(d) for d in result.deposits],
            }
        )
        return
    console.print(result.message, highlight=False)


@app.command("add")
def add(
    amount: Annotated[str, typer.Argument(help="dollars and cents")],
    posted_on: Annotated[str, typer.Option("--on", help="YYYY-MM-DD the bank posted it")],
    reference: Annotated[str, typer.Option(help="the bank's reference or the trace number")] = "",
    description: Annotated[str, typer.Option(help="what the statement line says")] = "",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Enter one deposit by hand."""
    from medbill.domain.fields import parse_date
    from medbill.domain.money import parse_cents
    from medbill.services import reconciliation
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        deposit = reconciliation.add_deposit(
            c.deps,
            actor,
            posted_on=parse_date(posted_on, "on"),
            amount_cents=parse_cents(amount, field="amount"),
            reference=reference,
            description=description,
        )
    if as_json:
        print_json(deposit_json(deposit))
        return
    console.print(f"deposit {deposit.id}: {cents_to_str(deposit.amount_cents)} on {deposit.posted_on}", highlight=False)


@app.command("reconcile")
def reconcile(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD")],
    window: Annotated[
        int, typer.Option(help="days a deposit may trail or lead its payment when matched by amount")
    ] = 5,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Match the 835 payments of the period to deposits; list what is unmatched and the totals by day."""
    from medbill.domain.fields import parse_date
    from medbill.services import reconciliation
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        report = reconciliation.reconcile(
            c.deps, actor, parse_date(start, "from"), parse_date(end, "to"), window_days=window
        )
    data = report_json(report)
    if as_json:
        print_json(data)
        return
    console.print(
        f"{len(report.matched)} matched, {len(report.unmatched_deposits)} deposit(s) and "
        f"{len(report.unmatched_payments)} payment(s) unmatched",
        highlight=False,
    )
    matched = Table("deposit on", "amount", "payer", "trace", "paid on", "basis", "difference", title="Matched")
    for m in data["matched"]:
        d, p = m["deposit"], m["payment"]
        matched.add_row(
            d["posted_on"], d["amount"], p["payer"], p["trace_number"], p["paid_on"], m["basis"], m["difference"]
        )
    console.print(matched)
    for title, rows in (
        ("Unmatched deposits", data["unmatched_deposits"]),
        ("Unmatched payments", data["unmatched_payments"]),
    ):
        table = Table("date", "amount", "reference / trace", "description / payer", title=title)
        for row in rows:
            table.add_row(
                row.get("posted_on") or row["paid_on"],
                row["amount"],
                row.get("reference") or row.get("trace_number", ""),
                row.get("description") or row.get("payer", ""),
            )
        console.print(table)
    days = Table("day", "deposits", "payer payments", "patient cash/checks", "difference", title="By day")
    for d in data["days"]:
        days.add_row(d["day"], d["deposits"], d["payer_payments"], d["patient_payments"], d["difference"])
    console.print(days)
