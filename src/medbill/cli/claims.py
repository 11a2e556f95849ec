"""`medbill claims …`: build claims from encounters, scrub them, batch them into 837P/837I files, list, show, print."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, err_console, print_json
from medbill.domain.money import cents_to_str

if TYPE_CHECKING:
    from medbill.domain.claim_records import ClaimRecord

app = typer.Typer(help="Claims: build, scrub, batch (837P/837I), list, show, CMS-1500 or UB-04.", no_args_is_help=True)

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


@contextmanager
def _progress(what: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (hidden for --json), fed by the service's (done, total) callback."""
    if quiet:
        yield lambda done, total: None
        return
    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _row(claim: ClaimRecord) -> dict[str, Any]:
    return {
        "id": claim.id,
        "claim_id": claim.patient_control_number,
        "status": claim.status.value,
        "payer": claim.payer_name,
        "total": cents_to_str(claim.total_charge_cents),
    }


@app.command("build")
def build(
    encounter: Annotated[
        list[str] | None, typer.Option(help="encounter id; repeatable (default: every unbilled)")
    ] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One claim per encounter to its primary payer; running it again builds nothing twice."""
    from medbill.services import claims
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c, _progress("building claims", as_json) as progress:
        result = claims.build_claims(c.deps, actor, encounter or None, on_progress=progress)
    if as_json:
        print_json(
            {
                "created": [_row(x) for x in result.created],
                "existing": [_row(x) for x in result.existing],
                "skipped": [{"encounter_id": s.encounter_id, "reason": s.reason} for s in result.skipped],
            }
        )
        return
    console.print(f"{len(result.created)} claims built, {len(result.existing)} already built")
    for s in result.skipped:
        console.print(f"[yellow]skipped[/yellow] encounter {s.encounter_id}: {s.reason}", highlight=False)


@app.command("scrub")
def scrub(
    claim: Annotated[list[str] | None, typer.Option(help="claim id; repeatable (default: every draft claim)")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the scrubber over draft claims (or the named ones) and keep the findings; exit 1 when any has an error."""
    from medbill.services import claims
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c, _progress("scrubbing claims", as_json) as progress:
        done = claims.scrub_claims(c.deps, actor, claim or None, on_progress=progress)
    if as_json:
        print_json(
            {
                "claims": [
                    {
                        "id": x.id,
                        "claim_id": x.patient_control_number,
                        "findings": [
                            {"rule": f.rule, "severity": f.severity.value, "line": f.line, "message": f.message}
                            for f in x.findings
                        ],
                    }
                    for x in done
                ]
            }
        )
    else:
        blocked = [x for x in done if x.blocking_findings]
        console.print(f"{len(done)} claims scrubbed, {len(blocked)} with errors")
        for x in blocked:
            for f in x.blocking_findings:
                line = f" line {f.line}" if f.line else ""
                console.print(f"  {x.patient_control_number}{line} [red]{f.rule}[/red]: {f.message}", highlight=False)
    if any(x.blocking_findings for x in done):
        raise typer.Exit(1)


@app.command("batch")
def batch(
    out: Annotated[Path | None, typer.Option("--out", help="also write each 837 file into this folder")] = None,
    force: Annotated[
        list[str] | None, typer.Option(help="claim id to batch despite errors (admin); repeatable")
    ] = None,
    contact_phone: Annotated[str | None, typer.Option(help="submitter contact phone (default: the practice's)")] = None,
    submitter_id: Annotated[str | None, typer.Option(help="ISA06 sender ID (default: the practice's TIN)")] = None,
    test: Annotated[bool, typer.Option("--test", help="mark the interchange as test data (ISA15 T)")] = False,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Scrubbed claims without errors into one 837 file per payer and kind (837P, 837I); the claims become queued."""
    from medbill.services import batches
    from medbill.services.batches import BatchOptions
    from medbill.services.users import operator

    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    actor = operator(practice_id_for(practice))
    options = BatchOptions(
        submitter_id=submitter_id, contact_phone=contact_phone, usage="T" if test else "P", force=tuple(force or ())
    )
    with container() as c, _progress("batching claims", as_json) as progress:
        result = batches.batch_claims(c.deps, actor, options=options, out_dir=out, on_progress=progress)
    rows = [
        {
            "id": b.batch.id,
            "file_name": b.batch.file_name,
            "payer": b.batch.receiver_name,
            "interchange_control_number": b.batch.interchange_control_number,
            "claims": b.batch.claim_count,
            "total": cents_to_str(b.batch.total_charge_cents),
            "path": str(b.path) if b.path else None,
        }
        for b in result.batches
    ]
    if as_json:
        print_json({"batches": rows, "held": [_row(x) for x in result.held]})
        return
    for r in rows:
        console.print(f"{r['file_name']}: {r['claims']} claims, {r['total']} to {r['payer']}", highlight=False)
    if not rows:
        console.print("no claims ready to batch")
    if result.held:
        console.print(f"[yellow]{len(result.held)} claims held for their errors[/yellow] (see medbill claims list)")


@app.command("list")
def list_claims(
    status: Annotated[str | None, typer.Option(help="draft, scrubbed, queued, submitted, …")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The practice's claims by claim number."""
    from medbill.services import claims
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        found = claims.list_claims(c.deps, actor, status=status, limit=10_000)
    if as_json:
        print_json({"claims": [_row(x) for x in found]})
        return
    table = Table(title="Claims")
    for column in ("claim", "status", "payer", "date", "total", "errors"):
        table.add_column(column)
    for x in found:
        table.add_row(
            x.patient_control_number,
            x.status.value,
            x.payer_name,
            x.date_of_service.isoformat(),
            cents_to_str(x.total_charge_cents),
            str(x.summary.errors),
        )
    console.print(table)


@app.command("show")
def show(claim_id: str, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """One claim (by id or claim number) with its lines, findings and history."""
    from medbill.services import claims
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        detail = claims.get_claim(c.deps, actor, claim_id)
    x = detail.claim
    data = {
        **_row(x),
        "date_of_service": x.date_of_service.isoformat(),
        "frequency": x.frequency.value,
        "lines": [
            {
                "line": ln.line_number,
                "line_control_number": ln.line_control_number,
                "procedure_code": ln.procedure_code,
                "modifiers": list(ln.modifiers),
                "units": ln.units,
                "charge": cents_to_str(ln.charge_cents),
            }
            for ln in x.lines
        ],
        "findings": [
            {"rule": f.rule, "severity": f.severity.value, "line": f.line, "message": f.message} for f in x.findings
        ],
        "history": [
            {"event": h.event.value, "from": h.from_status.value, "to": h.to_status.value, "at": h.at.isoformat()}
            | {"actor": h.actor, "reason": h.reason}
            for h in detail.history
        ],
    }
    if as_json:
        print_json(data)
        return
    console.print(f"{x.patient_control_number} {x.status.value} {x.payer_name} {data['total']}", highlight=False)
    for ln in data["lines"]:
        console.print(f"  {ln['line']}. {ln['procedure_code']} x{ln['units']} {ln['charge']}", highlight=False)
    for f in data["findings"]:
        console.print(f"  [{f['severity']}] {f['rule']}: {f['message']}", highlight=False)
    for h in data["history"]:
        console.print(f"  {h['at']} {h['event']}: {h['from']} -> {h['to']} by {h['actor']}", highlight=False)


@app.command("pdf")
def pdf(
    claim_id: str,
    out: Annotated[Path, typer.Option("--out", help="the PDF file to write")],
    mode: Annotated[str, typer.Option(help="full, or data_only for the red pre-printed form")] = "full",
    practice: PracticeOpt = None,
) -> None:
    """The claim as a CMS-1500 PDF."""
    from medbill.services import claim_forms, claims
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        content = claim_forms.get_claim_pdf(c.deps, actor, claims.claim_id_for(c.deps, actor, claim_id), mode=mode)
    out.write_bytes(content)
    console.print(f"wrote {out} ({len(content)} bytes)")
