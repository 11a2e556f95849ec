"""Patient statements, in the browser: run the cycle (or preview it) with the practice's rules, the runs and the
statements sent with their PDFs, and the holds with releasing one."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.money import Money, parse_cents
from medbill.domain.statements import StatementRules
from medbill.services import patients, statements
from medbill.services.ports import PatientQuery
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.rendering import page, secure

router = APIRouter(route_class=WebRoute, include_in_schema=False)

DEFAULTS = StatementRules()


def _days(values: dict[str, str], name: str, default: int) -> int:
    text = values.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) > 365:
        raise ValidationError("a whole number of days from 0 to 365", field=name)
    return int(text)


def _page(request: Request, who: SignedIn, **extra: object) -> Response:
    context: dict[str, object] = {
        "runs": statements.list_runs(who.deps, who.actor, limit=20),
        "statements": statements.list_statements(who.deps, who.actor, limit=100),
        "holds": statements.list_holds(who.deps, who.actor),
        "form": {
            "min_balance": str(Money(DEFAULTS.minimum_balance_cents)),
            "cycle_days": str(DEFAULTS.cycle_days),
            "due_days": str(DEFAULTS.due_in_days),
            "dry_run": "",
        },
        "report": None,
        "error": None,
        "hold_error": None,
        "hold_form": {},
        "nav": "statements",
    }
    context.update(extra)
    return page(
        request, "statements.html", context, status_code=422 if extra.get("error") or extra.get("hold_error") else 200
    )


@router.get("/statements")
def show(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return _page(request, who)


@router.post("/statements/run")
def run(request: Request, form: Posted = Depends(posted)) -> Response:
    """Run (or, with the box ticked, preview) the statement cycle with the rules on the form."""
    values = {k: form.values.get(k, "") for k in ("min_balance", "cycle_days", "due_days", "dry_run")}
    try:
        rules = StatementRules(
            minimum_balance_cents=parse_cents(values["min_balance"].strip() or "5.00", field="min_balance"),
            cycle_days=_days(values, "cycle_days", DEFAULTS.cycle_days),
            due_in_days=_days(values, "due_days", DEFAULTS.due_in_days),
        )
        report = statements.run_statements(form.who.deps, form.who.actor, rules=rules, dry_run=bool(values["dry_run"]))
    except MedbillError as exc:
        return _page(request, form.who, form=values, error=str(exc))
    return _page(request, form.who, form=values, report=report)


@router.get("/statements/{statement_id}/pdf")
def pdf(statement_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    record, content = statements.get_statement_pdf(who.deps, who.actor, statement_id)
    disposition = f'inline; filename="statement-{record.statement_number}.pdf"'
    return secure(Response(content, media_type="application/pdf", headers={"Content-Disposition": disposition}))


@router.post("/statements/holds")
def hold(request: Request, form: Posted = Depends(posted)) -> Response:
    """Hold the statements of the patient with this account number."""
    account = form.values.get("account_number", "").strip()
    try:
        if not account:
            raise ValidationError("the patient's account number", field="account_number")
        found = patients.search_patients(form.who.deps, form.who.actor, PatientQuery(account_number=account, limit=1))
        if not found:
            raise ValidationError(f"no patient with account number {account}", field="account_number")
        statements.hold_statements(form.who.deps, form.who.actor, found[0].id, form.values.get("reason", ""))
    except MedbillError as exc:
        return _page(request, form.who, hold_error=str(exc), hold_form=form.values)
    return RedirectResponse("/statements#holds", status_code=303)


@router.post("/statements/holds/{patient_id}/release")
def release(patient_id: str, form: Posted = Depends(posted)) -> Response:
    statements.release_hold(form.who.deps, form.who.actor, patient_id)
    return RedirectResponse("/statements#holds", status_code=303)
