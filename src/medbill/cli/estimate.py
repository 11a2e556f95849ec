"""`medbill estimate APPOINTMENT`: the patient's expected cost of a scheduled visit, line by line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, print_json
from medbill.domain.money import Money


def estimate(
    appointment: Annotated[str, typer.Argument(help="the appointment id (see medbill appointments list)")],
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What insurance is expected to pay, and what the patient pays today and in all, with the reasons."""
    from medbill.services.estimates import estimate_appointment
    from medbill.services.users import operator

    pid = practice_id_for(practice)
    with container() as c:
        result = estimate_appointment(c.deps, operator(pid), appointment)
    est = result.estimate
    if as_json:
        print_json(
            {
                "appointment_id": appointment,
                "self_pay": est.self_pay,
                "primary_payer": result.primary_payer.name if result.primary_payer else None,
                "insurance": str(Money(est.insurance_cents)),
                "due_today": str(Money(est.due_today_cents)),
                "patient_total": str(Money(est.patient_total_cents)),
                "lines": [
                    {
                        "procedure_code": x.line.procedure_code,
                        "charge": str(Money(x.line.charge_cents)),
                        "allowed": str(Money(x.line.allowed_cents)),
                        "insurance": str(Money(x.insurance_cents)),
                        "patient": str(Money(x.patient_cents)),
                        "reason": x.reason,
                    }
                    for x in est.lines
                ],
                "notes": list(result.notes),
            }
        )
        return
    payer = result.primary_payer.name if result.primary_payer else "none (self-pay)"
    table = Table(title=f"Estimate for {result.date_of_service.isoformat()} — {payer}")
    for column in ("code", "charge", "allowed", "insurance", "patient", "why"):
        table.add_column(column, justify="right" if column in {"charge", "allowed", "insurance", "patient"} else "left")
    for x in est.lines:
        table.add_row(
            x.line.procedure_code,
            Money(x.line.charge_cents).display(),
            Money(x.line.allowed_cents).display(),
            Money(x.insurance_cents).display(),
            Money(x.patient_cents).display(),
            x.reason,
        )
    console.print(table)
    console.print(
        f"due today {Money(est.due_today_cents).display()}   "
        f"patient total {Money(est.patient_total_cents).display()}   "
        f"insurance expected {Money(est.insurance_cents).display()}"
    )
    for note in result.notes:
        console.print(f"[dim]{note}[/dim]")
