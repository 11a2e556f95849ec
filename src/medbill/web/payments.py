"""The patient's money and the bank, in the browser: take a payment at the front desk (the patient's visits, credit,
payments and plans beside the form), and reconcile deposits (upload the bank's CSV, pick dates, see what matched)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.errors import FormatError, MedbillError, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.money import Money
from medbill.domain.payments import PatientPaymentDraft, PaymentMethod
from medbill.domain.users import Permission
from medbill.services import accounts, patient_payments, payment_plans, reconciliation
from medbill.services import patients as patient_services
from medbill.services.documents import MAX_UPLOAD_BYTES
from medbill.web.context import Posted, PostedUpload, SignedIn, WebRoute, posted, posted_upload, signed_in
from medbill.web.forms import Reader
from medbill.web.rendering import FormState, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

METHOD_CHOICES = [(m.value, m.value.upper() if m is PaymentMethod.ACH else m.value.capitalize()) for m in PaymentMethod]
_FIELDS = {"amount_cents": "amount", "chosen": "visit", "encounter_ids[0]": "visit"}


def _payments_context(who: SignedIn, patient_id: str, form: FormState, taken: str | None = None) -> dict[str, Any]:
    deps, actor = who.deps, who.actor
    patient = patient_services.get_patient(deps, actor, patient_id)  # writes this read's audit row
    account = accounts.patient_account(deps, actor, patient_id, audit=False)
    payments = patient_payments.list_payments(deps, actor, patient_id, audit=False)
    owing = [v for v in account.visits if v.balance.patient_cents > 0]
    return {
        "patient": patient,
        "account": account,
        "owing": owing,
        "visit_choices": [
            (v.encounter_id, f"{v.date_of_service:%m/%d/%Y}: owes {Money(v.balance.patient_cents).display()}")
            for v in owing
        ],
        "payments": payments,
        "plans": payment_plans.list_plans(deps, actor, patient_id),
        "taken": next((p for p in payments.payments if p.id == taken), None),
        "methods": METHOD_CHOICES,
        "can_take": actor.can(Permission.PATIENT_PAYMENT),
        "form": form,
        "nav": "patients",
    }


@router.get("/patients/{patient_id}/payments")
def payments_page(request: Request, patient_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    form = FormState.of({"method": "cash", "received_on": who.deps.clock.today().isoformat()})
    taken = request.query_params.get("taken")
    return page(request, "payments.html", _payments_context(who, patient_id, form, taken))


def _read(values: dict[str, str]) -> tuple[PatientPaymentDraft | None, dict[str, str]]:
    reader = Reader(values)
    amount = reader.cents("amount")
    if amount is None and "amount" not in reader.errors:
        reader.fail("amount", "is required")
    received_on = reader.date("received_on")
    method = reader.required("method")
    visit = reader.optional("visit")
    if reader.errors or amount is None or received_on is None:
        return None, reader.errors
    try:
        draft = PatientPaymentDraft(
            amount_cents=amount,
            method=parse_enum(PaymentMethod, method, "method"),
            received_on=received_on,
            reference=reader.optional("reference"),
            chosen=(visit,) if visit else None,
        )
    except ValidationError as exc:
        return None, {_FIELDS.get(exc.field or "", exc.field or "form"): exc.message}
    return draft, {}


@router.post("/patients/{patient_id}/payments")
def take_payment(request: Request, patient_id: str, post: Posted = Depends(posted)) -> Response:
    who = post.who
    draft, errors = _read(post.values)
    form = FormState.of(post.values, errors)
    if draft is not None:
        try:
            result = patient_payments.take_payment(who.deps, who.actor, patient_id, draft)
        except MedbillError as exc:
            field = _FIELDS.get(exc.field or "", exc.field)
            form.errors[field or "form"] = exc.message
        else:
            return RedirectResponse(f"/patients/{patient_id}/payments?taken={result.payment.id}", status_code=303)
    return page(request, "payments.html", _payments_context(who, patient_id, form), status_code=422)


# --- reconciliation ---------------------------------------------------------------------------------------------


def _dates(request: Request, today: date) -> tuple[date, date, dict[str, str]]:
    values = {k: request.query_params.get(k, "") for k in ("start", "end")}
    reader = Reader(values)
    start = reader.date("start", required=False) or today.replace(day=1)
    end = reader.date("end", required=False) or today
    return start, end, reader.errors


def _reconciliation_page(
    request: Request, who: SignedIn, *, imported: reconciliation.DepositImport | None = None, error: str = ""
) -> Response:
    who.actor.require(Permission.REMITTANCE_POST)
    start, end, errors = _dates(request, who.deps.clock.today())
    report = None
    if not errors:
        try:
            report = reconciliation.reconcile(who.deps, who.actor, start, end)
        except ValidationError as exc:
            errors[exc.field or "form"] = exc.message
    context = {
        "form": FormState.of({"start": start.isoformat(), "end": end.isoformat()}, errors),
        "report": report,
        "imported": imported,
        "error": error,
        "nav": "reconciliation",
    }
    return page(request, "reconciliation.html", context, status_code=422 if error or errors else 200)


@router.get("/reconciliation")
def reconciliation_page(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return _reconciliation_page(request, who)


@router.post("/reconciliation/deposits")
async def upload_deposits(request: Request, upload: PostedUpload = Depends(posted_upload)) -> Response:
    """The bank's CSV: its credits become deposits (a second upload of the same rows adds nothing)."""
    name, data = upload.files.get("file", ("", b""))

    def run() -> Response:
        try:
            if not data:
                raise ValidationError("choose the bank statement CSV", field="file")
            if len(data) > MAX_UPLOAD_BYTES:
                raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
            result = reconciliation.import_deposits(upload.who.deps, upload.who.actor, data, name or "deposits.csv")
        except (ValidationError, FormatError) as exc:
            return _reconciliation_page(request, upload.who, error=exc.message)
        return _reconciliation_page(request, upload.who, imported=result)

    return await run_in_threadpool(run)
