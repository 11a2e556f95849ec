"""Appointment pages: the day list, scheduling a visit with its planned services, and the patient's estimate."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.appointments import VisitType
from medbill.domain.errors import MedbillError
from medbill.domain.parties import ProviderRole
from medbill.services import appointments as appointment_services
from medbill.services import eligibility as eligibility_services
from medbill.services import estimates as estimate_services
from medbill.services import patients as patient_services
from medbill.services import setup
from medbill.services.appointments import AppointmentDraft
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.forms import Reader
from medbill.web.rendering import FormState, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SERVICE_ROWS = 4


def _day(text: str | None, today: date) -> date:
    try:
        return date.fromisoformat(text) if text else today
    except ValueError:
        return today


@router.get("/appointments")
def day_list(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    deps, actor = who.deps, who.actor
    day = _day(request.query_params.get("date"), deps.clock.today())
    found = appointment_services.appointments_on(deps, actor, day)
    people = {a.patient_id: patient_services.get_patient(deps, actor, a.patient_id) for a in found}
    providers = {p.id: p.display_name() for p in setup.list_providers(deps, actor)}
    return page(
        request,
        "appointments.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "found": found,
            "people": people,
            "checks": eligibility_services.checks_for_appointments(deps, actor, [a.id for a in found]),
            "providers": providers,
            "nav": "appointments",
        },
    )


def _form_context(who: SignedIn, patient_id: str, form: FormState) -> dict[str, Any]:
    deps, actor = who.deps, who.actor
    patient = patient_services.get_patient(deps, actor, patient_id)
    providers = [p for p in setup.list_providers(deps, actor) if ProviderRole.RENDERING in p.roles]
    return {
        "patient": patient,
        "form": form,
        "provider_choices": [(p.id, p.display_name()) for p in providers],
        "facility_choices": [(f.id, f.name) for f in setup.list_facilities(deps, actor)],
        "visit_choices": [(v.value, v.value.replace("_", " ")) for v in VisitType],
        "rows": range(1, SERVICE_ROWS + 1),
        "nav": "appointments",
    }


@router.get("/patients/{patient_id}/appointments/new")
def schedule_form(request: Request, patient_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    tomorrow = who.deps.clock.today() + timedelta(days=1)
    form = FormState.of({"day": tomorrow.isoformat(), "time": "09:00", "minutes": "15"})
    return page(request, "appointment_new.html", _form_context(who, patient_id, form))


def _read(values: dict[str, str], patient_id: str) -> tuple[AppointmentDraft | None, dict[str, str]]:
    reader = Reader(values)
    day = reader.date("day")
    clock = reader.required("time")
    provider = reader.required("provider_id")
    visit = reader.required("visit_type")
    minutes = reader.text("minutes") or "15"
    if not minutes.isdigit():
        reader.fail("minutes", "is a whole number of minutes")
    starts = None
    if day and clock:
        try:
            starts = datetime.combine(day, time.fromisoformat(clock), tzinfo=UTC)
        except ValueError:
            reader.fail("time", "is not a time (HH:MM)")
    services: list[tuple[str, int, tuple[str, ...]]] = []
    for row in range(1, SERVICE_ROWS + 1):
        code = reader.text(f"services[{row}].code")
        if not code:
            continue
        units = reader.text(f"services[{row}].units") or "1"
        if not units.isdigit():
            reader.fail(f"services[{row}].units", "is a whole number")
            continue
        modifiers = tuple(m for m in reader.text(f"services[{row}].modifiers").replace(",", " ").split() if m)
        services.append((code, int(units), modifiers))
    if reader.errors or starts is None:
        return None, reader.errors
    return AppointmentDraft(
        patient_id=patient_id,
        starts_at=starts,
        provider_id=provider,
        visit_type=visit,
        minutes=int(minutes),
        facility_id=reader.optional("facility_id"),
        services=tuple(services),
        note=reader.optional("note"),
    ), {}


@router.post("/patients/{patient_id}/appointments")
def schedule(request: Request, patient_id: str, post: Posted = Depends(posted)) -> Response:
    who = post.who
    draft, errors = _read(post.values, patient_id)
    form = FormState.of(post.values, errors)
    if draft is not None:
        try:
            made = appointment_services.schedule_appointment(who.deps, who.actor, draft)
        except MedbillError as exc:
            form = form.refuse(exc)
        else:
            return RedirectResponse(f"/appointments/{made.id}/estimate", status_code=303)
    return page(request, "appointment_new.html", _form_context(who, patient_id, form), status_code=422)


@router.get("/appointments/{appointment_id}/estimate")
def estimate(request: Request, appointment_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    try:
        result = estimate_services.estimate_appointment(who.deps, who.actor, appointment_id)
    except MedbillError as exc:
        return page(
            request, "estimate.html", {"result": None, "error": exc.message, "nav": "appointments"}, status_code=422
        )
    return page(request, "estimate.html", {"result": result, "error": None, "nav": "appointments"})
