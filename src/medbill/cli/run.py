"""`medbill serve` and `medbill demo`: run the web UI and API, build the demo practice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from medbill.cli.common import console, fail, print_json
from medbill.domain.errors import MedbillError
from medbill.domain.money import Money


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the web UI at / and the REST API at /api/v1."""
    import uvicorn

    from medbill.bootstrap import Settings, build
    from medbill.server import create_app

    container = build(Settings())
    console.print(f"medbill on http://{host}:{port}  (API docs: http://{host}:{port}/api/v1/docs)")
    try:
        uvicorn.run(create_app(container), host=host, port=port, log_level="warning", access_log=False)
    finally:
        container.close()


def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="serve the UI when the demo is built")] = True,
    edi_out: Annotated[Path | None, typer.Option(help="also write every X12 file of the demo's cycle here")] = None,
    patients: Annotated[int, typer.Option(help="how many synthetic patients")] = 220,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build a demo practice of synthetic patients in the database (once), print a summary and the login."""
    from medbill.bootstrap import Settings, build, migrate_container, sandbox_clearinghouse, sandbox_over_sftp
    from medbill.services.demo import DEMO_PASSWORD, DEMO_USERS, build_demo, demo_exists
    from medbill.services.ports import Clearinghouse

    if edi_out is not None:
        edi_out.mkdir(parents=True, exist_ok=True)
    container = build(Settings())
    no_sftp: list[str] = []
    stop: Callable[[], None] | None = None
    try:
        migrate_container(container)
        fresh = not demo_exists(container.deps)
        over_sftp = sandbox_over_sftp(container, fresh=fresh, why=no_sftp.append)
        mailbox: Clearinghouse
        if over_sftp is not None:
            sftp_mailbox, stop = over_sftp
            mailbox, transport = sftp_mailbox, "sftp"
            sent = f"sent through SFTP to {sftp_mailbox.address}"
        else:
            mailbox, transport = sandbox_clearinghouse(container, fresh=fresh), "directory"
            sent = "through the sandbox folder" + (f" (no SFTP: {no_sftp[0]})" if no_sftp else "")
        summary = build_demo(container.deps, patients_count=patients, edi_out=edi_out, clearinghouse=mailbox)
    except MedbillError as exc:
        fail(str(exc))
    finally:
        try:
            if stop is not None:
                stop()
        finally:
            container.close()
    if as_json:
        print_json(
            {
                "practice_id": summary.practice_id,
                "transport": transport,
                "created": summary.created,
                "patients": summary.patients,
                "coverages": summary.coverages,
                "encounters": summary.encounters,
                "total_charges": str(Money(summary.total_charges_cents)),
                "appointments_tomorrow": summary.appointments,
                "claims": summary.claims,
                "claims_batched": summary.claims_batched,
                "claims_held": summary.claims_held,
                "claim_states": summary.claim_states,
                "remittances_posted": summary.remittances,
                "secondary_claims": summary.secondary_claims,
                "ledger": {kind: str(Money(cents)) for kind, cents in sorted(summary.ledger.items())},
                "work_queues": summary.queues,
                "statements": summary.statements,
                "eligibility_tomorrow": summary.eligibility,
                "estimates_tomorrow": summary.estimates,
                "users": sorted(DEMO_USERS),
                "password": DEMO_PASSWORD,
            }
        )
    else:
        if summary.created:
            console.print(f"[bold]Demo practice built[/bold] ({summary.practice_id})")
            console.print(
                f"  providers {summary.providers}   payers {summary.payers}   patients {summary.patients}"
                f"   coverages {summary.coverages}"
            )
            console.print(
                f"  encounters {summary.encounters}   charges {Money(summary.total_charges_cents).display()}"
                f"   appointments tomorrow {summary.appointments}"
            )
            console.print(
                f"  claims {summary.claims}: {summary.claims_batched} batched into 837P files, "
                f"{summary.claims_held} held by the scrubber (see medbill claims list --status scrubbed)"
            )
            states = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(summary.claim_states.items()))
            console.print(f"  batches {sent}")
            console.print(f"  after the sandbox payer's 999, 277CA and 835: {states}")
            money = summary.ledger
            console.print(
                f"  {summary.remittances} remittances posted: payers paid "
                f"{Money(money.get('payer_payment', 0)).display()}, adjusted "
                f"{Money(money.get('contractual_adjustment', 0) + money.get('other_adjustment', 0)).display()}, "
                f"{summary.secondary_claims} secondary claims billed"
            )
            console.print(f"  {summary.statements} patient statements produced (see /statements)")
            if summary.eligibility:
                checked = ", ".join(f"{n} {s}" for s, n in sorted(summary.eligibility.items()))
                console.print(
                    f"  eligibility for tomorrow: {checked}; {summary.estimates} estimates "
                    "(see medbill eligibility run, /appointments)"
                )
            if summary.queues:
                queues = ", ".join(f"{n} {q.replace('_', ' ')}" for q, n in sorted(summary.queues.items()))
                console.print(f"  work queues: {queues} (see /remittances)")
        else:
            console.print(f"Demo practice already present ({summary.practice_id}); nothing changed.")
        console.print(
            f"  sign in at http://{host}:{port}/ as [bold]biller[/bold] / [bold]{DEMO_PASSWORD}[/bold]"
            f" (also: {', '.join(u for u in DEMO_USERS if u != 'biller')})"
        )
        if edi_out is not None:
            console.print(f"  X12 files of the cycle are in {edi_out}")
    if serve_after:
        serve(host=host, port=port)
