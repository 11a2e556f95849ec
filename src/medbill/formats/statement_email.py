"""A patient statement as an email body, plain text and simple HTML: the printed statement's content minus the coupon."""

from __future__ import annotations

from datetime import date
from html import escape

from medbill.domain.money import Money
from medbill.domain.statements import AGING_LABELS, Statement, StatementVisit

VISIT_COLUMNS = ("Charges", "Insurance paid", "Insurance adjusted", "Insurance pending", "You paid", "Your balance")


def _money(cents: int) -> str:
    return Money(cents).display()


def _day(value: date) -> str:
    return value.strftime("%m/%d/%Y")


def _facts(statement: Statement) -> list[tuple[str, str]]:
    return [
        ("Statement date", _day(statement.statement_date)),
        ("Statement number", statement.statement_number),
        ("Account number", statement.account_number),
        ("Amount due", _money(statement.amount_due_cents)),
        ("Due date", _day(statement.due_date)),
    ]


def _visit_amounts(visit: StatementVisit) -> tuple[int, ...]:
    return (
        visit.charges_cents,
        visit.insurance_paid_cents,
        visit.insurance_adjusted_cents,
        visit.insurance_pending_cents,
        visit.patient_paid_cents,
        visit.patient_balance_cents,
    )


def _aging(statement: Statement) -> list[tuple[str, str]]:
    amounts = [cents for _, cents in statement.aging.buckets()] + [statement.aging.total_cents]
    return [(label, _money(cents)) for label, cents in zip([*AGING_LABELS, "Total"], amounts, strict=True)]


def _totals(statement: Statement) -> list[tuple[str, str]]:
    rows = [("Your visit balances", _money(statement.balance_cents))]
    if statement.credits_cents:
        rows.append(("Unapplied credits", _money(-statement.credits_cents)))
    if statement.insurance_pending_cents:
        rows.append(("Insurance pending (not due)", _money(statement.insurance_pending_cents)))
    rows.append(("Amount due", _money(statement.amount_due_cents)))
    rows.append(("Please pay by", _day(statement.due_date)))
    return rows


def _who(visit: StatementVisit) -> str:
    return f"Patient: {visit.patient_name}    Provider: {visit.provider_name}"


def statement_text(statement: Statement) -> str:
    """The statement as a plain-text email body."""
    s = statement
    out = [s.practice.name, *s.practice.address_lines]
    if s.practice.phone:
        out.append(s.practice.phone)
    out += ["", "PATIENT STATEMENT"]
    out += [f"{label}: {value}" for label, value in _facts(s)]
    out += ["", "Statement for:", s.guarantor.name, *s.guarantor.address_lines]
    if s.message:
        out += ["", s.message]
    out += ["", "Visits", "------"]
    for visit in s.visits:
        out.append(f"{_day(visit.date_of_service)}  {_who(visit)}")
        out += [f"  {line.procedure_code}  {line.description}  {_money(line.charge_cents)}" for line in visit.lines]
        amounts = " | ".join(
            f"{label} {_money(cents)}" for label, cents in zip(VISIT_COLUMNS, _visit_amounts(visit), strict=True)
        )
        out += [f"  {amounts}", f"  {visit.explanation()}", ""]
    out.append("Account aging: " + " | ".join(f"{label} {value}" for label, value in _aging(s)))
    out += [f"{label}: {value}" for label, value in _totals(s)]
    out += ["", "Mail your payment to:", s.remit_to.name, *s.remit_to.address_lines]
    if s.practice.phone:
        out += ["", f"Questions about this statement? Call {s.practice.phone}."]
    return "\n".join(out) + "\n"


def statement_html(statement: Statement) -> str:
    """The statement as a simple HTML email body; every value is escaped."""
    s = statement

    def lines(values: list[str]) -> str:
        return "<br>".join(escape(value) for value in values)

    def table(rows: list[tuple[str, str]]) -> str:
        body = "".join(f"<tr><th align='left'>{escape(k)}</th><td align='right'>{escape(v)}</td></tr>" for k, v in rows)
        return f"<table>{body}</table>"

    practice = [*s.practice.address_lines] + ([s.practice.phone] if s.practice.phone else [])
    parts = [
        "<!DOCTYPE html>",
        "<html><body>",
        f"<h1>{escape(s.practice.name)}</h1>",
        f"<p>{lines(practice)}</p>",
        "<h2>Patient statement</h2>",
        table(_facts(s)),
        f"<p>Statement for:<br>{lines([s.guarantor.name, *s.guarantor.address_lines])}</p>",
    ]
    if s.message:
        parts.append(f"<p><strong>{escape(s.message)}</strong></p>")
    head = "".join(f"<th align='right'>{escape(label)}</th>" for label in VISIT_COLUMNS)
    parts += ["<h3>Visits</h3>", f"<table><tr><th>Date</th><th>Service</th><th>Description</th>{head}</tr>"]
    for visit in s.visits:
        parts.append(
            f"<tr><td>{escape(_day(visit.date_of_service))}</td><td colspan='8'>{escape(_who(visit))}</td></tr>"
        )
        for line in visit.lines:
            parts.append(
                f"<tr><td></td><td>{escape(line.procedure_code)}</td><td>{escape(line.description)}</td>"
                f"<td align='right'>{escape(_money(line.charge_cents))}</td></tr>"
            )
        cells = "".join(f"<td align='right'>{escape(_money(cents))}</td>" for cents in _visit_amounts(visit))
        parts.append(f"<tr><td></td><td colspan='2'><strong>Visit total</strong></td>{cells}</tr>")
        parts.append(f"<tr><td></td><td colspan='8'><em>{escape(visit.explanation())}</em></td></tr>")
    parts.append("</table>")
    aging_head = "".join(f"<th align='right'>{escape(label)}</th>" for label, _ in _aging(s))
    aging_row = "".join(f"<td align='right'>{escape(value)}</td>" for _, value in _aging(s))
    parts += ["<h3>Account aging</h3>", f"<table><tr>{aging_head}</tr><tr>{aging_row}</tr></table>"]
    parts.append(table(_totals(s)))
    parts.append(f"<p>Mail your payment to:<br>{lines([s.remit_to.name, *s.remit_to.address_lines])}</p>")
    if s.practice.phone:
        parts.append(f"<p>Questions about this statement? Call {escape(s.practice.phone)}.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
