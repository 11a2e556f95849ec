"""`medbill appeals …` (draft with its letter, revise, sent, outcome, list, letter), `medbill claims write-off`,
`claims replace` and `claims void` (frequency 7 and 8), and `medbill collections …` (set, list)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import cents_to_str

if TYPE_CHECKING:
    from medbill.bootstrap import Container
    from medbill.domain.appeals import Appeal
    from medbill.domain.users import Actor

app = typer.Typer(
    help="Appeals of denials: draft (with the letter), revise, sent, outcome, list, letter.", no_args_is_help=True
)
collections_app = typer.Typer(help="Collections status of patient accounts: set, list.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
ClaimArg = Annotated[str, typer.Argument(help="the claim's id or claim number (CLM01)")]
AppealArg = Annotated[str, typer.Argument(help="the appeal's id")]
OnOpt = Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default: today)")]


def _actor(practice: str | None) -> Actor:
    from medbill.services.users import operator

    return operator(practice_id_for(practice))


def _claim_id(c: Container, actor: Actor, given: str) -> str:
    from medbill.services.claims import claim_id_for

    return claim_id_for(c.deps, actor, given)


def _day(c: Container, given: str | None) -> Any:
    from medbill.domain.fields import parse_date

    return parse_date(given, "on") if given else c.deps.clock.today()


def appeal_json(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.id,
        "claim_id": a.claim_id,
        "work_item_id": a.work_item_id,
        "status": a.status.value,
        "level": a.level,
        "reason": a.reason,
        "argument": a.argument,
        "attachments": list(a.attachments),
        "due_on": a.due_on.isoformat() if a.due_on else None,
        "created_at": a.created_at.isoformat(),
        "created_by": a.created_by,
        "sent_on": a.sent_on.isoformat() if a.sent_on else None,
        "answered_on": a.answered_on.isoformat() if a.answered_on else None,
        "outcome": a.outcome,
    }


def _show(a: Appeal, as_json: bool, what: str) -> None:
    if as_json:
        print_json(appeal_json(a))
        return
    due = f", due {a.due_on:%m/%d/%Y}" if a.due_on else ""
    console.print(f"appeal {a.id} (level {a.level}) {what}: {a.status.value}{due}", highlight=False)


@app.command("draft")
def draft(
    claim: ClaimArg,
    argument: Annotated[
        str | None, typer.Option(help="the letter's argument (blank lines between paragraphs); default: the template")
    ] = None,
    argument_file: Annotated[Path | None, typer.Option(help="read the argument from this text file")] = None,
    attach: Annotated[
        list[str] | None, typer.Option("--attach", help="an enclosure's name; repeatable (default: the template's)")
    ] = None,
    level: Annotated[int, typer.Option(help="1, or the next level after a lost appeal")] = 1,
    work_item: Annotated[str | None, typer.Option(help="the denial work item (default: the claim's open one)")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft an appeal of a denied claim; its letter (PDF) is generated and kept."""
    from medbill.services import appeals

    if argument is not None and argument_file is not None:
        fail("give --argument or --argument-file, not both")
    text = argument_file.read_text(encoding="utf-8") if argument_file is not None else argument
    actor = _actor(practice)
    with container() as c:
        made = appeals.draft_appeal(
            c.deps,
            actor,
            _claim_id(c, actor, claim),
            work_item_id=work_item,
            argument=text,
            attachments=tuple(attach or ()),
            level=level,
        )
    _show(made, as_json, "drafted")


@app.command("revise")
def revise(
    appeal_id: AppealArg,
    argument: Annotated[str, typer.Option(help="the new argument (blank lines between paragraphs)")],
    attach: Annotated[list[str] | None, typer.Option("--attach", help="an enclosure's name; repeatable")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a drafted appeal's argument and enclosures; its letter is generated again."""
    from medbill.services import appeals

    actor = _actor(practice)
    with container() as c:
        made = appeals.revise_appeal(c.deps, actor, appeal_id, argument=argument, attachments=tuple(attach or ()))
    _show(made, as_json, "revised")


@app.command("sent")
def sent(appeal_id: AppealArg, on: OnOpt = None, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """The letter went to the payer (on --on)."""
    from medbill.services import appeals

    actor = _actor(practice)
    with container() as c:
        made = appeals.mark_sent(c.deps, actor, appeal_id, _day(c, on))
    _show(made, as_json, "marked sent")


@app.command("outcome")
def outcome(
    appeal_id: AppealArg,
    result: Annotated[str, typer.Argument(metavar="won|partly_won|lost|withdrawn", help="the payer's answer")],
    on: OnOpt = None,
    note: Annotated[str, typer.Option(help="what the payer said")] = "",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record the payer's answer; won or lost closes the denial work item."""
    from medbill.services import appeals

    actor = _actor(practice)
    with container() as c:
        made = appeals.record_outcome(c.deps, actor, appeal_id, result, _day(c, on), note)
    _show(made, as_json, "answered")


@app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="drafted, sent, won, partly_won, lost, withdrawn")] = None,
    claim: Annotated[str | None, typer.Option(help="one claim's appeals (id or CLM01)")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Appeals, newest first."""
    from medbill.services import appeals

    actor = _actor(practice)
    with container() as c:
        claim_id = _claim_id(c, actor, claim) if claim else None
        found = appeals.list_appeals(c.deps, actor, status=status, claim_id=claim_id)
    if as_json:
        print_json([appeal_json(a) for a in found])
        return
    table = Table("appeal", "claim", "level", "status", "due", "sent", "answered")
    for a in found:
        table.add_row(
            a.id,
            a.claim_id,
            str(a.level),
            a.status.value,
            f"{a.due_on:%m/%d/%Y}" if a.due_on else "",
            f"{a.sent_on:%m/%d/%Y}" if a.sent_on else "",
            f"{a.answered_on:%m/%d/%Y}" if a.answered_on else "",
        )
    console.print(table)


@app.command("letter")
def letter(
    appeal_id: AppealArg,
    out: Annotated[Path, typer.Option("--out", help="where to write the PDF")],
    practice: PracticeOpt = None,
) -> None:
    """Write the appeal's letter (PDF, as generated) to a file."""
    from medbill.services import appeals

    actor = _actor(practice)
    with container() as c:
        _, content = appeals.get_letter(c.deps, actor, appeal_id)
    out.write_bytes(content)
    console.print(f"wrote {out} ({len(content)} bytes)", highlight=False)


# --- `medbill claims write-off | replace | void` ----------------------------------------------------------------------


def write_off(
    claim: ClaimArg,
    reason: Annotated[
        str,
        typer.Option(
            help="timely_filing, uncollectible, small_balance, courtesy, appeal_lost, no_authorization, non_covered, "
            "contractual_other"
        ),
    ],
    note: Annotated[str, typer.Option(help="why, in a few words (kept on the entries and the work item)")],
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write off what insurance still owes on the claim, line by line, for a reason."""
    from medbill.services import write_offs

    actor = _actor(practice)
    with container() as c:
        done = write_offs.write_off_claim(c.deps, actor, _claim_id(c, actor, claim), reason, note=note)
    if as_json:
        print_json(
            {
                "claim_id": done.claim_id,
                "reason": done.reason.value,
                "lines": [{"line_number": n, "amount": cents_to_str(cents)} for n, cents in done.lines],
                "total": cents_to_str(done.total_cents),
                "closed_work_items": list(done.closed_items),
            }
        )
        return
    console.print(
        f"wrote off {cents_to_str(done.total_cents)} on {len(done.lines)} line(s) ({done.reason.value}); "
        f"{len(done.closed_items)} work item(s) closed",
        highlight=False,
    )


PayerNumberOpt = Annotated[
    str | None, typer.Option(help="the payer's claim control number (default: the one from its 277CA/835)")
]
ReasonOpt = Annotated[str, typer.Option(help="why, for the claim's history")]


def _correct(
    what: Literal["replacement", "void"],
    claim: str,
    payer_claim_number: str | None,
    reason: str,
    practice: str | None,
    as_json: bool,
) -> None:
    from medbill.services import claim_corrections

    correct = claim_corrections.replace_claim if what == "replacement" else claim_corrections.void_claim
    actor = _actor(practice)
    with container() as c:
        made = correct(c.deps, actor, _claim_id(c, actor, claim), payer_claim_number=payer_claim_number, reason=reason)
    if as_json:
        print_json(
            {
                "id": made.id,
                "claim_id": made.patient_control_number,
                "frequency": made.frequency.value,
                "original_claim_id": made.original_claim_id,
                "payer_claim_number": made.payer_claim_number,
                "status": made.status.value,
            }
        )
        return
    console.print(
        f"{what} claim {made.patient_control_number} ({made.id}) for payer claim {made.payer_claim_number}; "
        "scrub and batch it like any claim",
        highlight=False,
    )


def replace(
    claim: ClaimArg,
    payer_claim_number: PayerNumberOpt = None,
    reason: ReasonOpt = "",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A replacement claim (frequency 7) rebuilt from the encounter as it is now; the original becomes replaced."""
    _correct("replacement", claim, payer_claim_number, reason, practice, as_json)


def void(
    claim: ClaimArg,
    payer_claim_number: PayerNumberOpt = None,
    reason: ReasonOpt = "",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A void claim (frequency 8) of the claim as it was sent; the original becomes voided."""
    _correct("void", claim, payer_claim_number, reason, practice, as_json)


# --- `medbill collections …` ------------------------------------------------------------------------------------------


def _patient_id(c: Container, actor: Actor, given: str) -> str:
    from medbill.services import patients
    from medbill.services.ports import PatientQuery

    found = patients.search_patients(c.deps, actor, PatientQuery(account_number=given, limit=2))
    return found[0].id if len(found) == 1 else given


@collections_app.command("set")
def set_status(
    account: Annotated[str, typer.Argument(help="the patient's account number or id")],
    status: Annotated[str, typer.Argument(help="reminder, final_notice, collections, agency or settled")],
    note: Annotated[str, typer.Option(help="why (statements unanswered, agency name, settlement …)")],
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Put a patient account at a collections step."""
    from medbill.services import collections

    actor = _actor(practice)
    with container() as c:
        record = collections.set_collections_status(c.deps, actor, _patient_id(c, actor, account), status, note)
    if as_json:
        print_json(
            {
                "patient_id": record.patient_id,
                "status": record.status.value,
                "since": record.since.isoformat(),
                "note": record.note,
            }
        )
        return
    console.print(f"account {account}: {record.status.value} since {record.since:%m/%d/%Y}", highlight=False)


@collections_app.command("list")
def list_collections(
    status: Annotated[str | None, typer.Option(help="only this status (settled ones show only when asked)")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Accounts in collections with what each patient owes."""
    from medbill.services import collections

    actor = _actor(practice)
    with container() as c:
        found = collections.collections_list(c.deps, actor, status=status)
    rows = [
        {
            "patient_id": a.record.patient_id,
            "account_number": a.account_number,
            "patient": a.patient_name,
            "status": a.record.status.value,
            "since": a.record.since.isoformat(),
            "note": a.record.note,
            "patient_balance": cents_to_str(a.patient_balance_cents),
        }
        for a in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("account", "patient", "status", "since", "owes", "note")
    for r in rows:
        table.add_row(r["account_number"], r["patient"], r["status"], r["since"], r["patient_balance"], r["note"])
    console.print(table)
