"""`medbill appointments …`: the day list and scheduling, from the command line (acting as the operator)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json

app = typer.Typer(help="Appointments: what billing needs to know before a visit.", no_args_is_help=True)


def _service(text: str) -> tuple[str, int, tuple[str, ...]]:
    """``99213``, ``97110x2`` or ``93000:26`` or ``97110x2:GP,59`` → (code, units, modifiers)."""
    code_units, _, mods = text.partition(":")
    code, _, units = code_units.partition("x")
    if units and not units.isdigit():
        fail(f"service '{text}': units after x must be a whole number")
    return code, int(units or 1), tuple(m for m in mods.split(",") if m)


@app.command("create")
def create(
    patient: Annotated[str, typer.Option(help="the patient's account number")],
    at: Annotated[datetime, typer.Option(help="start, e.g. 2026-11-27T09:30:00-05:00 (UTC when no offset)")],
    provider: Annotated[str, typer.Option(help="the provider's NPI")],
    visit_type: Annotated[str, typer.Option(help="new_patient, established, annual_wellness, preventive, …")],
    service: Annotated[list[str] | None, typer.Option(help="planned service CODE[xUNITS][:MOD,…]; repeatable")] = None,
    minutes: Annotated[int, typer.Option()] = 15,
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Schedule an appointment with its planned services."""
    from medbill.services import appointments, patients, setup
    from medbill.services.appointments import AppointmentDraft
    from medbill.services.ports import PatientQuery
    from medbill.services.users import operator

    pid = practice_id_for(practice)
    actor = operator(pid)
    starts = at if at.tzinfo else at.replace(tzinfo=datetime.now().astimezone().tzinfo)
    with container() as c:
        found = patients.search_patients(c.deps, actor, PatientQuery(account_number=patient, limit=1))
        if not found:
            fail(f"no patient with account number {patient}")
        doctors = [p for p in setup.list_providers(c.deps, actor) if p.npi == provider]
        if not doctors:
            fail(f"no provider with NPI {provider} in this practice")
        made = appointments.schedule_appointment(
            c.deps,
            actor,
            AppointmentDraft(
                patient_id=found[0].id,
                starts_at=starts,
                provider_id=doctors[0].id,
                visit_type=visit_type,
                minutes=minutes,
                services=tuple(_service(s) for s in service or ()),
            ),
        )
    if as_json:
        print_json({"id": made.id, "starts_at": made.starts_at.isoformat(), "status": made.status.value})
    else:
        console.print(f"appointment {made.id} at {made.starts_at:%Y-%m-%d %H:%M %Z}")


@app.command("list")
def day_list(
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD, 'today' or 'tomorrow'")] = "today",
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The day's appointments in time order (the UTC day)."""
    from medbill.services import appointments, patients
    from medbill.services.users import operator

    pid = practice_id_for(practice)
    actor = operator(pid)
    with container() as c:
        today = c.deps.clock.today()
        try:
            wanted = {"today": today, "tomorrow": date.fromordinal(today.toordinal() + 1)}.get(day) or (
                date.fromisoformat(day)
            )
        except ValueError:
            fail(f"--date: '{day}' is not YYYY-MM-DD, today or tomorrow")
        found = appointments.appointments_on(c.deps, actor, wanted)
        names = {a.patient_id: patients.get_patient(c.deps, actor, a.patient_id) for a in found}
    if as_json:
        print_json(
            {
                "date": wanted.isoformat(),
                "appointments": [
                    {
                        "id": a.id,
                        "starts_at": a.starts_at.isoformat(),
                        "patient_id": a.patient_id,
                        "account_number": names[a.patient_id].account_number,
                        "visit_type": a.visit_type.value,
                        "status": a.status.value,
                        "services": [
                            {"code": s.procedure_code, "units": s.units, "modifiers": list(s.modifiers)}
                            for s in a.services
                        ],
                    }
                    for a in found
                ],
            }
        )
        return
    table = Table(title=f"Appointments {wanted.isoformat()}")
    for column in ("time (UTC)", "patient", "account", "visit", "status", "planned"):
        table.add_column(column)
    for a in found:
        p = names[a.patient_id]
        table.add_row(
            f"{a.starts_at:%H:%M}",
            p.name.display(),
            p.account_number,
            a.visit_type.value,
            a.status.value,
            " ".join(f"{s.procedure_code}x{s.units}" for s in a.services),
        )
    console.print(table)
