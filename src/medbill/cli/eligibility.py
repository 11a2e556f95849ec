"""`medbill eligibility check PATIENT` (one 270/271 now) and `medbill eligibility run --date tomorrow` (every coverage
of every appointment of the day, with a progress bar); `medbill eligibility poll` completes checks a batch mailbox
answered later."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, err_console, fail, print_json
from medbill.domain.money import Money

if TYPE_CHECKING:
    from medbill.bootstrap import Container
    from medbill.domain.eligibility_checks import EligibilityCheck
    from medbill.domain.users import Actor

app = typer.Typer(help="Eligibility and benefits (X12 270/271) before the visit.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
MailboxOpt = Annotated[
    str | None,
    typer.Option(help="connection name in MEDBILL_CLEARINGHOUSE_CONFIG (default: the only one, else the sandbox)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@contextmanager
def _progress(what: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    if quiet:
        yield lambda done, total: None
        return
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _money(cents: int | None) -> str | None:
    return None if cents is None else str(Money(cents))


def check_json(check: EligibilityCheck) -> dict[str, Any]:
    b = check.benefits
    return {
        "id": check.id,
        "patient_id": check.patient_id,
        "coverage_id": check.coverage_id,
        "appointment_id": check.appointment_id,
        "status": check.status.value,
        "member_id": check.member_id,
        "service_types": list(check.service_types),
        "trace_number": check.trace_number,
        "requested_at": check.requested_at.isoformat(),
        "answered_at": check.answered_at.isoformat() if check.answered_at else None,
        "plan_name": b.plan_name if b else None,
        "plan_begin": b.plan_begin.isoformat() if b and b.plan_begin else None,
        "plan_end": b.plan_end.isoformat() if b and b.plan_end else None,
        "deductible_remaining": _money(b.deductible_remaining_cents()) if b else None,
        "out_of_pocket_remaining": _money(b.out_of_pocket_remaining_cents()) if b else None,
        "coinsurance_percent": f"{b.coinsurance_percent():f}" if b and b.coinsurance_percent() is not None else None,
        "office_copay": _money(b.copay_cents("98")) if b else None,
        "other_payers": [p.name for p in b.other_payers] if b else [],
        "problems": list(check.problems),
    }


def _patient_id(c: Container, actor: Actor, given: str) -> str:
    from medbill.services import patients
    from medbill.services.ports import PatientQuery

    found = patients.search_patients(c.deps, actor, PatientQuery(account_number=given, limit=2))
    return found[0].id if len(found) == 1 else given


def _say(check: EligibilityCheck) -> None:
    data = check_json(check)
    line = f"{data['status']}: {data['plan_name'] or 'no plan named'} (member {data['member_id']})"
    console.print(line, highlight=False)
    for key in ("deductible_remaining", "out_of_pocket_remaining", "coinsurance_percent", "office_copay"):
        if data[key] is not None:
            console.print(f"  {key.replace('_', ' ')}: {data[key]}", highlight=False)
    for problem in check.problems:
        console.print(f"  [yellow]{problem}[/yellow]", highlight=False)


@app.command("check")
def check(
    patient: Annotated[str, typer.Argument(help="the patient's account number or id")],
    coverage: Annotated[str | None, typer.Option(help="coverage id (default: the primary in force today)")] = None,
    service_type: Annotated[
        list[str] | None, typer.Option("--service-type", help="X12 service type code; repeat (default 30)")
    ] = None,
    mailbox: MailboxOpt = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send a 270 for the patient's coverage and show the payer's 271, normalized."""
    from medbill import bootstrap
    from medbill.domain.eligibility_checks import CheckStatus
    from medbill.services import eligibility
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        box = bootstrap.clearinghouse(c, mailbox)
        found = eligibility.check_eligibility(
            c.deps,
            actor,
            box,
            _patient_id(c, actor, patient),
            coverage_id=coverage,
            service_types=tuple(service_type or ("30",)),
        )
    if as_json:
        print_json(check_json(found))
    else:
        _say(found)
    if found.status is CheckStatus.ERROR:
        fail("; ".join(found.problems) or "the check failed")


def _day(text: str, today: date) -> date:
    named = {"today": today, "tomorrow": today + timedelta(days=1)}
    try:
        return named.get(text) or date.fromisoformat(text)
    except ValueError:
        fail(f"--date: '{text}' is not YYYY-MM-DD, today or tomorrow")


@app.command("run")
def run(
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD, 'today' or 'tomorrow'")] = "tomorrow",
    mailbox: MailboxOpt = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check every coverage of every appointment of the day; findings go to the front-desk queue."""
    from medbill import bootstrap
    from medbill.domain.eligibility_checks import CheckStatus
    from medbill.services import eligibility
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        wanted = _day(day, c.deps.clock.today())
        box = bootstrap.clearinghouse(c, mailbox)
        with _progress("checking eligibility", as_json) as progress:
            result = eligibility.run_eligibility(c.deps, actor, box, wanted, progress)
    counts = {s.value: result.count(s) for s in CheckStatus if result.count(s)}
    if as_json:
        print_json(
            {
                "date": wanted.isoformat(),
                "checks": len(result.checks),
                "by_status": counts,
                "findings": result.findings,
                "skipped": list(result.skipped),
                "results": [check_json(x) for x in result.checks],
            }
        )
        return
    table = Table(title=f"Eligibility for {wanted.isoformat()}")
    for column in ("patient", "member", "status", "deductible left", "findings"):
        table.add_column(column)
    for x in result.checks:
        left = x.benefits.deductible_remaining_cents() if x.benefits else None
        table.add_row(
            x.patient_id[:8],
            x.member_id,
            x.status.value,
            Money(left).display() if left is not None else "",
            "; ".join(x.problems),
        )
    console.print(table)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to check"
    console.print(f"{len(result.checks)} checks: {summary}; {result.findings} findings on the front-desk queue")
    for reason in result.skipped:
        console.print(f"[dim]skipped {reason}[/dim]", highlight=False)


@app.command("poll")
def poll(mailbox: MailboxOpt = None, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """Take in 271s that arrived since and complete the pending checks they answer."""
    from medbill import bootstrap
    from medbill.services import eligibility
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        done = eligibility.complete_pending(c.deps, actor, bootstrap.clearinghouse(c, mailbox))
    if as_json:
        print_json({"completed": [check_json(x) for x in done]})
    else:
        console.print(f"{len(done)} pending checks completed")
