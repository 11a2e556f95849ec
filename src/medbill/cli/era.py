"""`medbill era …`: import and post 835 remittance advice (with a dry-run preview), list what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import cents_to_str

app = typer.Typer(help="Remittance advice (835): import and post, preview, list.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="an 835 file (one or more transaction sets)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what posting would do; keep nothing")] = False,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the three balancing rules, match claims and lines, post typed ledger entries, fill the work queues.

    Importing the same advice again posts nothing. An advice that does not balance is held, not posted."""
    from medbill.services import posting
    from medbill.services.users import operator

    if not file.is_file():
        fail(f"{file}: no such file")
    actor = operator(practice_id_for(practice))
    with container() as c:
        report = posting.import_remittance(
            c.deps,
            actor,
            file.read_bytes(),
            file_name=file.name,
            dry_run=dry_run,
            tolerance_cents=c.settings.underpayment_tolerance_cents,
        )
    if as_json:
        print_json(posting.report_dict(report))
        return
    verb = "would post" if dry_run else "posted"
    for tr in report.transactions:
        head = f"{tr.payer_name} {tr.method} {tr.trace_number} {cents_to_str(tr.amount_cents)} on {tr.paid_on}"
        if tr.already_imported:
            console.print(f"{head}: [yellow]already imported[/yellow], nothing posted", highlight=False)
            continue
        if tr.held:
            console.print(f"{head}: [red]held[/red], does not balance", highlight=False)
            for problem in tr.problems:
                console.print(f"  {problem}", highlight=False)
            continue
        console.print(
            f"{head}: {verb} {tr.posted} of {tr.claim_payments} claim payments, {tr.unmatched} unmatched, "
            f"{tr.denied} denied, {tr.reversed} reversed, {tr.underpaid} underpaid line(s), {tr.entries} entries",
            highlight=False,
        )
        table = Table("entry kind", "amount")
        for kind, cents in sorted(tr.totals.items()):
            table.add_row(kind, cents_to_str(cents))
        for reason, ref, cents in tr.provider_adjustments:
            table.add_row(f"PLB {reason} {ref or ''}".strip(), cents_to_str(cents))
        console.print(table)


@app.command("list")
def list_(practice: PracticeOpt = None, limit: int = 50, as_json: JsonOpt = False) -> None:
    """The imported remittances, newest first."""
    from medbill.services import accounts
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        rows = accounts.list_remittances(c.deps, actor, limit=limit)
    data = [
        {
            "id": r.id,
            "status": r.status.value,
            "payer": r.payer_name,
            "trace_number": r.trace_number,
            "amount": cents_to_str(r.amount_cents),
            "paid_on": r.paid_on.isoformat(),
            "claims": r.claim_count,
            "posted": r.posted_count,
            "unmatched": r.unmatched_count,
            "denied": r.denied_count,
            "difference": cents_to_str(r.difference_cents),
            "file": r.file_name,
        }
        for r in rows
    ]
    if as_json:
        print_json(data)
        return
    table = Table("status", "payer", "trace", "amount", "paid on", "claims", "posted", "unmatched", "denied")
    for d in data:
        table.add_row(
            *(
                str(d[k])
                for k in (
                    "status",
                    "payer",
                    "trace_number",
                    "amount",
                    "paid_on",
                    "claims",
                    "posted",
                    "unmatched",
                    "denied",
                )
            )
        )
    console.print(table)


@app.command("manual")
def manual(
    claim: Annotated[str, typer.Argument(help="the claim's number (CLM01, as the EOB prints it) or id")],
    check: Annotated[str, typer.Option(help="the check (or EFT) number on the EOB")],
    paid_on: Annotated[str, typer.Option(help="the EOB's payment date, YYYY-MM-DD")],
    line: Annotated[list[str], typer.Option(help="N:paid=65.00,CO-45=20.00,PR-3=25.00; repeat per line")],
    denied: Annotated[bool, typer.Option("--denied", help="the EOB denies the claim")] = False,
    payer_claim_number: Annotated[str | None, typer.Option(help="the payer's claim number")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what posting would do; keep nothing")] = False,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Post a paper EOB: the same entries, checks and queues as an 835 (it becomes one)."""
    from datetime import date

    from medbill.services import paper_eob, posting
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        try:
            day = date.fromisoformat(paid_on)
        except ValueError:
            fail(f"--paid-on: {paid_on!r} is not a date as YYYY-MM-DD")
        eob = paper_eob.PaperEob(
            claim_id=claim,
            check_number=check,
            paid_on=day,
            lines=paper_eob.parse_lines(line),
            payer_claim_number=payer_claim_number,
            denied=denied,
        )
        report = paper_eob.post_paper_eob(
            c.deps, actor, eob, dry_run=dry_run, tolerance_cents=c.settings.underpayment_tolerance_cents
        )
    if as_json:
        print_json(posting.report_dict(report))
        return
    tr = report.transactions[0]
    if tr.already_imported:
        console.print("already posted: nothing changed")
        return
    verb = "would post" if dry_run else "posted"
    console.print(
        f"{verb} check {tr.trace_number} {cents_to_str(tr.amount_cents)}: {tr.entries} entries", highlight=False
    )
