"""`medbill queues …`: the work queues from the command line — list with filters, assign, close many, note, refresh."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, print_json
from medbill.domain.money import cents_to_str

app = typer.Typer(
    help="Work queues: denials, rejections, unmatched, underpayments, no response, past due.", no_args_is_help=True
)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@app.command("list")
def list_(
    queue: Annotated[
        str | None, typer.Argument(help="denial, rejection, unmatched, underpayment, no_response, past_due …")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="a username, or 'none' for unassigned")] = None,
    category: Annotated[str | None, typer.Option(help="denial category, e.g. medical_necessity")] = None,
    min_age_days: Annotated[int | None, typer.Option(help="only items at least this old")] = None,
    min_amount: Annotated[str | None, typer.Option(help="only items of at least this many dollars")] = None,
    text: Annotated[str | None, typer.Option("--text", help="words in the reason")] = None,
    order: Annotated[str, typer.Option(help="oldest, due or amount")] = "oldest",
    limit: int = 100,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Open items, filtered."""
    from medbill.domain.money import parse_cents
    from medbill.domain.work_items import Queue, WorkQuery
    from medbill.services import follow_up
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        query = WorkQuery(
            queue=Queue(queue) if queue else None,
            owner="" if owner == "none" else owner,
            category=category,
            created_before=follow_up.older_than(c.deps, min_age_days) if min_age_days is not None else None,
            min_amount_cents=parse_cents(min_amount, field="min_amount") if min_amount else None,
            text=text,
            order=order,
            limit=limit,
        )
        items = follow_up.find_work(c.deps, actor, query)
    rows = [
        {
            "id": w.id,
            "queue": w.queue.value,
            "reference": w.reference,
            "amount": cents_to_str(w.amount_cents),
            "owner": w.owner,
            "category": w.category,
            "next_action": w.next_action,
            "due_on": w.due_on.isoformat() if w.due_on else None,
            "created_at": w.created_at.isoformat(),
            "reason": w.reason,
        }
        for w in items
    ]
    if as_json:
        print_json({"items": rows})
        return
    table = Table("queue", "reference", "amount", "owner", "next action", "due", "reason")
    for r in rows:
        table.add_row(
            str(r["queue"]),
            str(r["reference"]),
            str(r["amount"]),
            str(r["owner"] or ""),
            str(r["next_action"] or ""),
            str(r["due_on"] or ""),
            str(r["reason"])[:80],
        )
    console.print(table)


@app.command("assign")
def assign(
    ids: Annotated[list[str], typer.Argument(help="work item ids")],
    owner: Annotated[str, typer.Option(help="a username of this practice, or 'none' to unassign")],
    practice: PracticeOpt = None,
) -> None:
    """Give items to a user of this practice."""
    from medbill.services import follow_up
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        moved = follow_up.assign(c.deps, actor, ids, None if owner == "none" else owner)
    console.print(f"{moved} item(s) assigned to {owner}")


@app.command("close")
def close(
    ids: Annotated[list[str], typer.Argument(help="work item ids")],
    resolution: Annotated[str, typer.Option(help="what was done")],
    practice: PracticeOpt = None,
) -> None:
    """Close items with what was done (they stay on record)."""
    from medbill.services import follow_up
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        closed = follow_up.close_items(c.deps, actor, ids, resolution)
    console.print(f"{closed} item(s) closed")


@app.command("note")
def note(
    item_id: Annotated[str, typer.Argument(help="work item id")],
    text: Annotated[str, typer.Argument(help="the note")],
    practice: PracticeOpt = None,
) -> None:
    """Add a note to an item."""
    from medbill.services import follow_up
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        follow_up.add_note(c.deps, actor, item_id, text)
    console.print("noted")


@app.command("refresh")
def refresh(
    no_response_days: Annotated[int, typer.Option(help="queue claims with no payer answer after this many days")] = 30,
    past_due_days: Annotated[int, typer.Option(help="queue patient balances owed this many days")] = 60,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Queue what needs chasing (never the same claim or account twice while its item is open)."""
    from medbill.services import follow_up
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        made = follow_up.refresh_follow_up(
            c.deps, actor, no_response_days=no_response_days, past_due_days=past_due_days
        )
    if as_json:
        print_json({"no_response": made.no_response, "past_due": made.past_due})
        return
    console.print(f"queued {made.no_response} claim(s) with no answer and {made.past_due} past-due account(s)")
