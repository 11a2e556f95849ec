"""Encounter pages: the entry form (diagnoses A–L, service lines, add a line) and the recorded encounter with its total."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.encounters import MAX_MODIFIERS, dotted
from medbill.domain.errors import MedbillError, PermissionDenied
from medbill.domain.parties import ProviderRole
from medbill.services import encounters as encounter_services
from medbill.services import patients as patient_services
from medbill.services import setup
from medbill.web.codes import diagnosis_title
from medbill.web.coding_help import LEVEL_CHOICES
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.encounter_form import LETTERS, START_ROWS, read_encounter, row_count
from medbill.web.rendering import FormState, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

_MAY_REFER = frozenset({ProviderRole.REFERRING, ProviderRole.RENDERING})

# CMS place-of-service codes a physician practice uses most (the full list is public at cms.gov).
COMMON_PLACES = (
    ("11", "Office"),
    ("02", "Telehealth, not in the patient's home"),
    ("10", "Telehealth in the patient's home"),
    ("12", "Home"),
    ("19", "Off-campus outpatient hospital"),
    ("20", "Urgent care facility"),
    ("21", "Inpatient hospital"),
    ("22", "On-campus outpatient hospital"),
    ("23", "Emergency room, hospital"),
    ("24", "Ambulatory surgical center"),
    ("31", "Skilled nursing facility"),
    ("32", "Nursing facility"),
    ("81", "Independent laboratory"),
)


def _entry(request: Request, who: SignedIn, patient_id: str, form: FormState, rows: int, status: int = 200) -> Response:
    deps, actor = who.deps, who.actor
    patient = patient_services.get_patient(deps, actor, patient_id)
    providers = list(setup.list_providers(deps, actor))
    context: dict[str, Any] = {
        "patient": patient,
        "rendering_choices": [(p.id, p.display_name()) for p in providers if ProviderRole.RENDERING in p.roles],
        "referring_choices": [(p.id, p.display_name()) for p in providers if p.roles & _MAY_REFER],
        "facility_choices": [(f.id, f.name) for f in setup.list_facilities(deps, actor)],
        "blank_form": FormState.of(),
        "places": COMMON_PLACES,
        "letters": LETTERS,
        "rows": rows,
        "modifier_slots": range(1, MAX_MODIFIERS + 1),
        "form": form,
        "nav": "patients",
        "em_levels": LEVEL_CHOICES,
    }
    return page(request, "encounter_new.html", context, status_code=status)


@router.get("/patients/{patient_id}/encounters/new")
def entry_form(request: Request, patient_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    today = who.deps.clock.today().isoformat()
    form = FormState.of({"date_of_service": today, "line_count": str(START_ROWS)})
    return _entry(request, who, patient_id, form, START_ROWS)


@router.post("/patients/{patient_id}/encounters")
def record(request: Request, patient_id: str, post: Posted = Depends(posted)) -> Response:
    form = FormState.of(post.values)
    if post.values.get("action") == "add_line":  # the no-script way to get another line: the form comes back longer
        rows = row_count(post.values, extra=1)
        form.values["line_count"] = str(rows)
        return _entry(request, post.who, patient_id, form, rows)
    rows = row_count(post.values)
    form.values["line_count"] = str(rows)
    read = read_encounter(post.values, patient_id)
    if read.draft is None:
        form.errors.update(read.errors)
        return _entry(request, post.who, patient_id, form, rows, 422)
    try:
        encounter = encounter_services.record_encounter(post.who.deps, post.who.actor, read.draft)
    except PermissionDenied:  # the 403 page, not a field error
        raise
    except MedbillError as exc:
        if exc.field == "patient_id":
            raise
        form.errors[read.place(exc.field)] = exc.message
        return _entry(request, post.who, patient_id, form, rows, 422)
    return RedirectResponse(f"/encounters/{encounter.id}?saved=1", status_code=303)


@router.get("/encounters/{encounter_id}")
def encounter_page(
    request: Request, encounter_id: str, saved: str = "", who: SignedIn = Depends(signed_in)
) -> Response:
    deps, actor = who.deps, who.actor
    encounter = encounter_services.get_encounter(deps, actor, encounter_id)
    patient = patient_services.get_patient(deps, actor, encounter.patient_id)
    providers = {p.id: p.display_name() for p in setup.list_providers(deps, actor)}
    facilities = {f.id: f.name for f in setup.list_facilities(deps, actor)}
    diagnoses = [
        (LETTERS[i], dotted(code), diagnosis_title(code, encounter.date_of_service))
        for i, code in enumerate(encounter.diagnoses)
    ]
    context = {
        "encounter": encounter,
        "patient": patient,
        "providers": providers,
        "facility": facilities.get(encounter.facility_id or "", ""),
        "places": dict(COMMON_PLACES),
        "diagnoses": diagnoses,
        "saved": bool(saved),
        "nav": "patients",
    }
    return page(request, "encounter.html", context)
