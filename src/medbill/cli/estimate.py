"""`medbill estimate APPOINTMENT`: the patient's expected cost of a scheduled visit, line by line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, fail, print_json
from medbill.domain.money import Money


def estimate(
    appointment: Annotated[str, typer.Argument(help="the appointment id (see medbill appointments list)")],
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    pdf: Annotated[
        Path | None,
        typer.Option(help="also write the printable estimate here (the good-faith estimate for a self-pay patient)"),
    ] = None,
) -> None:
    """What insurance is expected to pay, and what the patient pays today and in all, with the reasons."""
    from medbill.services.good_faith import printable_estimate
    from medbill.services.users import operator

    pid = practice_id_for(practice)
    with container() as c:
        printable = printable_estimate(c.deps, operator(pid), appointment)
    result = printable.estimate
    est = result.estimate
    if pdf is not None:
        try:
            pdf.write_bytes(printable.pdf)
        except OSError as exc:
            fail(f"--pdf: {exc.strerror or exc}")
    if as_json:
        print_json(
            {
                "appointment_id": appointment,
                "self_pay": est.self_pay,
                "primary_payer": result.primary_payer.name if result.primary_payer else None,
                "insurance": str(Money(est.insurance_cents)),
                "patient_visit": str(Money(est.patient_visit_cents)),
                "due_today": str(Money(est.due_today_cents)),
                "patient_total": str(Money(est.patient_total_cents)),
                "prior_balance": str(Money(est.prior_balance_cents)),
                "credits": str(Money(est.credits_cents)),
                "benefits_source": result.benefits_source,
                "pdf": str(pdf) if pdf is not None else None,
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
    if pdf is not None:
        kind = "good-faith estimate" if est.self_pay else "estimate"
        console.print(f"{kind} written to {pdf}", highlight=False)


def accuracy(
    start: Annotated[str, typer.Option("--from", help="first appointment day, YYYY-MM-DD")],
    end: Annotated[str | None, typer.Option("--to", help="last day (default: the first)")] = None,
    practice: Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Estimates against what the payers did, by payer, for the appointments of a period (adjudicated visits)."""
    from medbill.services.estimate_accuracy import estimate_accuracy
    from medbill.services.users import operator

    try:
        first = date.fromisoformat(start)
        last = date.fromisoformat(end) if end else first
    except ValueError:
        fail("--from and --to are YYYY-MM-DD")
    with container() as c:
        report = estimate_accuracy(c.deps, operator(practice_id_for(practice)), first, last)
    rows: list[dict[str, Any]] = [
        {
            "payer": p.payer,
            "visits": p.visits,
            "estimated_patient": str(Money(p.estimated_patient_cents)),
            "actual_patient": str(Money(p.actual_patient_cents)),
            "estimated_insurance": str(Money(p.estimated_insurance_cents)),
            "actual_insurance": str(Money(p.actual_insurance_cents)),
            "mean_absolute_difference": str(Money(p.mean_absolute_difference_cents)),
            "within_tolerance": p.within_tolerance,
            "over_dispute_threshold": p.over_dispute_threshold,
        }
        for p in report.payers
    ]
    if as_json:
        print_json(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "payers": rows,
                "not_compared": list(report.not_compared),
            }
        )
        return
    table = Table(title=f"Estimate accuracy {first.isoformat()} to {last.isoformat()}")
    for column in ("payer", "visits", "patient est.", "patient actual", "plan est.", "plan actual", "mean |diff|"):
        table.add_column(column, justify="left" if column == "payer" else "right")
    for r in rows:
        table.add_row(
            r["payer"],
            str(r["visits"]),
            r["estimated_patient"],
            r["actual_patient"],
            r["estimated_insurance"],
            r["actual_insurance"],
            r["mean_absolute_difference"],
        )
    console.print(table)
    console.print(f"[dim]{len(report.not_compared)} appointments not compared (not billed or not adjudicated)[/dim]")
