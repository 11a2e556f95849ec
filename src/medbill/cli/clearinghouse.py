"""`medbill clearinghouse …` (send built 837s, poll and ingest the answers, once or every N seconds) and
`medbill claims status` (a 276 for the claims the payers have been quiet about)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from medbill.cli.admin import practice_id_for
from medbill.cli.claims import JsonOpt, PracticeOpt
from medbill.cli.common import console, container, err_console, print_json

if TYPE_CHECKING:
    from medbill.services.submission import Ingested

app = typer.Typer(help="The clearinghouse mailbox: send 837s, poll for 999/TA1/277CA/277/835.", no_args_is_help=True)

MailboxOpt = Annotated[
    str | None,
    typer.Option(help="connection name in MEDBILL_CLEARINGHOUSE_CONFIG (default: the only one, else the sandbox)"),
]


@contextmanager
def _progress(what: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (none with --json), fed by the service's (done, total) callback."""
    if quiet:
        yield lambda done, total: None
        return
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _summary(report: Ingested) -> dict[str, Any]:
    return {
        "files": dict(sorted(report.files.items())),
        "moves": dict(sorted(report.moves.items())),
        "rejections_queued": report.rejections_queued,
        "remittances_posted": sum(len(r.transactions) for r in report.remittances),
        "unmatched": report.unmatched,
        "problems": report.problems,
    }


def _say(summary: dict[str, Any], mailbox: str) -> None:
    files = ", ".join(f"{n} {k}" for k, n in summary["files"].items()) or "nothing new"
    moves = ", ".join(f"{n} {k}" for k, n in summary["moves"].items()) or "no claim moved"
    console.print(
        f"{mailbox}: {files}; {moves}; {summary['rejections_queued']} on the rejection queue", highlight=False
    )
    for name in summary["unmatched"]:
        console.print(f"[yellow]unmatched[/yellow] {name}", highlight=False)
    for problem in summary["problems"]:
        console.print(f"[red]problem[/red] {problem}", highlight=False)


@app.command("poll")
def poll(
    every: Annotated[
        float | None, typer.Option(help="poll again every SECONDS until interrupted (the periodic job)", min=1)
    ] = None,
    times: Annotated[int | None, typer.Option(help="with --every: stop after this many polls", min=1)] = None,
    mailbox: MailboxOpt = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch every new file from the mailbox (each once, archived) and let it move claims; 835s are posted."""
    from medbill import bootstrap
    from medbill.services import submission
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    polls = 0
    with container() as c:
        box = bootstrap.clearinghouse(c, mailbox)
        try:
            while True:
                if as_json:
                    report = submission.ingest_answers(c.deps, actor, box)
                else:
                    with err_console.status(f"polling {box.name}…"):
                        report = submission.ingest_answers(c.deps, actor, box)
                summary = _summary(report)
                if as_json and every is not None:
                    typer.echo(json.dumps({"mailbox": box.name, **summary}))  # one line per poll (JSON Lines)
                elif as_json:
                    print_json({"mailbox": box.name, **summary})
                else:
                    _say(summary, box.name)
                polls += 1
                if every is None or (times is not None and polls >= times):
                    break
                time.sleep(every)
        except KeyboardInterrupt:
            err_console.print(f"stopped after {polls} polls")


@app.command("send")
def send(mailbox: MailboxOpt = None, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """Send every built 837 batch not sent yet; its claims become submitted."""
    from medbill import bootstrap
    from medbill.services import submission
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        box = bootstrap.clearinghouse(c, mailbox)
        sent = submission.send_batches(c.deps, actor, box)
    rows = [{"batch_id": s.batch_id, "file_name": s.file_name, "claims": s.claims} for s in sent]
    if as_json:
        print_json({"mailbox": box.name, "sent": rows})
        return
    for row in rows:
        console.print(f"sent {row['file_name']} ({row['claims']} claims) to {box.name}", highlight=False)
    if not rows:
        console.print("no built batch waiting")


def claims_status(
    days: Annotated[int, typer.Option(help="ask about claims with no answer for this many days", min=0)] = 30,
    mailbox: MailboxOpt = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Send a 276 (one per payer) for the claims submitted, accepted or pending with no answer for DAYS days."""
    from medbill import bootstrap
    from medbill.services import claim_status
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c, _progress("asking for claim status", as_json) as progress:
        box = bootstrap.clearinghouse(c, mailbox)
        sent = claim_status.request_status(c.deps, actor, box, older_than_days=days, on_progress=progress)
    rows = [{"payer": s.receiver_id, "file_name": s.file_name, "claims": list(s.claims)} for s in sent]
    if as_json:
        print_json({"mailbox": box.name, "requests": rows})
        return
    for row in rows:
        console.print(f"276 {row['file_name']} to {row['payer']}: {len(row['claims'])} claims", highlight=False)
    if not rows:
        console.print(f"no claim has been waiting {days} days or more")
