"""`medbill payments …`: take a patient's payment, apply credit, refund it, write off small balances, payment plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, print_json
from medbill.domain.money import cents_to_str

if TYPE_CHECKING:
    from medbill.bootstrap import Container
    from medbill.domain.users import Actor
    from medbill.services.patient_payments import PaymentResult
    from medbill.services.payment_plans import PlanView
    from medbill.services.ports import PatientPaymentRecord

app = typer.Typer(
    help="Patient payments: take, apply credit, refund, write off small balances, plans.", no_args_is_help=True
)
plan_app = typer.Typer(help="Payment plans: create, list, show, cancel.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
PatientArg = Annotated[str, typer.Argument(help="the patient's id or account number")]


def _actor(practice: str | None) -> Actor:
    from medbill.services.users import operator

    return operator(practice_id_for(practice))


def _patient_id(c: Container, actor: Actor, given: str) -> str:
    """A patient named by account number (as printed on statements) or by id."""
    from medbill.services import patients
    from medbill.services.ports import PatientQuery

    found = patients.search_patients(c.deps, actor, PatientQuery(account_number=given, limit=2))
    return found[0].id if len(found) == 1 else given


def _cents(text: str, field: str) -> int:
    from medbill.domain.money import parse_cents

    return parse_cents(text, field=field)


def payment_json(p: PatientPaymentRecord) -> dict[str, Any]:
    return {
        "id": p.id,
        "kind": p.kind.value,
        "received_on": p.received_on.isoformat(),
        "amount": cents_to_str(p.amount_cents),
        "method": p.method.value,
        "reference": p.reference,
        "unapplied": cents_to_str(p.unapplied_cents),
    }


def _applied_json(applied: tuple[tuple[str, int], ...]) -> list[dict[str, str]]:
    return [{"encounter_id": e, "amount": cents_to_str(c)} for e, c in applied]


@app.command("take")
def take(
    patient: PatientArg,
    amount: Annotated[str, typer.Argument(help="dollars and cents, e.g. 35.00")],
    method: Annotated[str, typer.Option(help="cash, check, card, ach or other")] = "cash",
    reference: Annotated[
        str | None, typer.Option(help="check number, or a card's last 4 / authorization code (never the card number)")
    ] = None,
    received_on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD (default: today)")] = None,
    visit: Annotated[
        list[str] | None, typer.Option(help="pay this visit (encounter id) only; repeat for several")
    ] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Apply a payment to the visits the patient owes on, oldest first (or the --visit ones); the rest is credit."""
    from medbill.domain.fields import parse_date, parse_enum
    from medbill.domain.payments import PatientPaymentDraft, PaymentMethod
    from medbill.services import patient_payments

    actor = _actor(practice)
    with container() as c:
        draft = PatientPaymentDraft(
            amount_cents=_cents(amount, "amount"),
            method=parse_enum(PaymentMethod, method, "method"),
            received_on=parse_date(received_on, "on") if received_on else c.deps.clock.today(),
            reference=reference,
            chosen=tuple(visit) if visit else None,
        )
        result = patient_payments.take_payment(c.deps, actor, _patient_id(c, actor, patient), draft)
    _show_payment(result, as_json)


def _show_payment(result: PaymentResult, as_json: bool) -> None:
    if as_json:
        print_json({**payment_json(result.payment), "applied": _applied_json(result.applied)})
        return
    p = result.payment
    console.print(
        f"payment {p.id}: {cents_to_str(p.amount_cents)} by {p.method.value}, applied to {len(result.applied)} "
        f"visit(s), credit {cents_to_str(p.unapplied_cents)}",
        highlight=False,
    )
    for encounter_id, cents in result.applied:
        console.print(f"  visit {encounter_id}: {cents_to_str(cents)}", highlight=False)


@app.command("credit")
def credit(patient: PatientArg, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """Apply the patient's unapplied credit to balances that appeared since (after a new 835, say)."""
    from medbill.services import patient_payments

    actor = _actor(practice)
    with container() as c:
        result = patient_payments.apply_credit(c.deps, actor, _patient_id(c, actor, patient))
    if as_json:
        print_json(
            {
                "applied": _applied_json(result.applied),
                "applied_total": cents_to_str(result.applied_cents),
                "credit": cents_to_str(result.credit_cents),
            }
        )
        return
    console.print(
        f"applied {cents_to_str(result.applied_cents)} to {len(result.applied)} visit(s); "
        f"credit left {cents_to_str(result.credit_cents)}",
        highlight=False,
    )


@app.command("refund")
def refund(
    patient: PatientArg,
    amount: Annotated[str, typer.Argument(help="dollars and cents, at most the patient's credit")],
    method: Annotated[str, typer.Option(help="check, cash, card, ach or other")] = "check",
    reference: Annotated[str | None, typer.Option(help="the refund check number or card authorization")] = None,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give back unapplied credit (never more than the credit)."""
    from medbill.services import patient_payments

    actor = _actor(practice)
    with container() as c:
        record = patient_payments.refund(
            c.deps, actor, _patient_id(c, actor, patient), _cents(amount, "amount"), method, reference
        )
    if as_json:
        print_json(payment_json(record))
        return
    console.print(f"refund {record.id}: {cents_to_str(record.amount_cents)} by {record.method.value}", highlight=False)


@app.command("write-off-small")
def write_off_small(
    threshold: Annotated[str, typer.Option(help="write off visits owing more than zero and at most this, e.g. 5.00")],
    reason: Annotated[str, typer.Option(help="why, up to 20 characters (kept on each entry)")] = "small balance",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write off every visit's small patient balance in the practice."""
    from medbill.services import patient_payments

    actor = _actor(practice)
    with container() as c:
        result = patient_payments.write_off_small_balances(
            c.deps, actor, threshold_cents=_cents(threshold, "threshold"), reason=reason
        )
    if as_json:
        print_json(
            {
                "visits": [
                    {"patient_id": p, "encounter_id": e, "amount": cents_to_str(cents)} for p, e, cents in result.visits
                ],
                "total": cents_to_str(result.total_cents),
            }
        )
        return
    console.print(
        f"wrote off {cents_to_str(result.total_cents)} on {len(result.visits)} visit(s)",
        highlight=False,
    )


def plan_json(view: PlanView) -> dict[str, Any]:
    plan, status = view.record.plan, view.status
    return {
        "id": view.record.id,
        "patient_id": view.record.patient_id,
        "state": view.state.value,
        "behind": view.behind,
        "total": cents_to_str(plan.total_cents),
        "installment": cents_to_str(plan.installment_cents),
        "frequency": plan.frequency.value,
        "first_due": plan.first_due.isoformat(),
        "created_on": plan.created_on.isoformat(),
        "paid": cents_to_str(status.paid_cents),
        "remaining": cents_to_str(status.remaining_cents),
        "next_due": (
            {"due": status.next_due.due.isoformat(), "amount": cents_to_str(status.next_due.amount_cents)}
            if status.next_due
            else None
        ),
        "missed": [{"due": i.due.isoformat(), "amount": cents_to_str(i.amount_cents)} for i in status.missed],
    }


def _show_plans(views: list[PlanView], as_json: bool) -> None:
    if as_json:
        print_json([plan_json(v) for v in views])
        return
    table = Table("plan", "state", "total", "installment", "paid", "remaining", "next due", "missed")
    for v in views:
        d = plan_json(v)
        state = f"{d['state']}{' (behind)' if v.behind else ''}"
        next_due = f"{d['next_due']['due']} {d['next_due']['amount']}" if d["next_due"] else "—"
        table.add_row(
            d["id"], state, d["total"], d["installment"], d["paid"], d["remaining"], next_due, str(len(d["missed"]))
        )
    console.print(table)


@plan_app.command("create")
def plan_create(
    patient: PatientArg,
    total: Annotated[str, typer.Option(help="what the plan covers, at most what the patient owes")],
    installment: Annotated[str, typer.Option(help="each installment; the last is the remainder")],
    first_due: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    frequency: Annotated[str, typer.Option(help="weekly, biweekly or monthly")] = "monthly",
    terms: Annotated[str, typer.Option(help="the wording the patient agreed to")] = "",
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Agree a payment plan (one active plan per patient)."""
    from medbill.domain.fields import parse_date
    from medbill.services import payment_plans

    actor = _actor(practice)
    with container() as c:
        draft = payment_plans.PlanDraft(
            total_cents=_cents(total, "total"),
            installment_cents=_cents(installment, "installment"),
            first_due=parse_date(first_due, "first_due"),
            frequency=frequency,
            terms=terms,
        )
        view = payment_plans.create_plan(c.deps, actor, _patient_id(c, actor, patient), draft)
    _show_plans([view], as_json)


@plan_app.command("list")
def plan_list(patient: PatientArg, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """The patient's plans with where each stands today."""
    from medbill.services import payment_plans

    actor = _actor(practice)
    with container() as c:
        views = payment_plans.list_plans(c.deps, actor, _patient_id(c, actor, patient))
    _show_plans(views, as_json)


@plan_app.command("show")
def plan_show(plan_id: str, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """One plan: paid, remaining, next due and missed installments."""
    from medbill.services import payment_plans

    actor = _actor(practice)
    with container() as c:
        view = payment_plans.plan_status(c.deps, actor, plan_id)
    _show_plans([view], as_json)
    if not as_json:
        for i in view.installments:
            console.print(f"  {i.due.isoformat()} {cents_to_str(i.amount_cents)}", highlight=False)


@plan_app.command("cancel")
def plan_cancel(plan_id: str, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """Cancel a plan (it stays on record)."""
    from medbill.services import payment_plans

    actor = _actor(practice)
    with container() as c:
        view = payment_plans.cancel_plan(c.deps, actor, plan_id)
    _show_plans([view], as_json)
