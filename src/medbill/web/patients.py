"""Patient pages: search, registration, the patient's chart of demographics, coverages and encounters, add coverage."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.coverage import CoverageOrder, Relationship
from medbill.domain.errors import MedbillError, PermissionDenied
from medbill.domain.parties import GuarantorRelationship
from medbill.services import accounts, setup
from medbill.services import eligibility as eligibility_services
from medbill.services import encounters as encounter_services
from medbill.services import patients as patient_services
from medbill.services.ports import PatientQuery
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.forms import SELF, Reader, coverage_draft, patient_draft
from medbill.web.rendering import FormState, page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

SEARCH_LIMIT = 50
SEX_CHOICES = (("F", "Female"), ("M", "Male"), ("U", "Unknown"))
RELATIONSHIP_LABELS = {
    Relationship.SELF: "Self (the patient is the subscriber)",
    Relationship.SPOUSE: "Spouse",
    Relationship.CHILD: "Child",
    Relationship.EMPLOYEE: "Employee",
    Relationship.LIFE_PARTNER: "Life partner",
    Relationship.OTHER: "Other relationship",
    Relationship.UNKNOWN: "Unknown",
}
GUARANTOR_CHOICES = tuple((r.value, r.value.capitalize()) for r in GuarantorRelationship if r.value != "self")


@router.get("/patients")
def search(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    values = {k: request.query_params.get(k, "").strip() for k in ("name", "birth_date", "account_number")}
    form = FormState.of(values)
    reader = Reader(values)
    birth_date = reader.date("birth_date", required=False)
    results: list[Any] = []
    searched = any(values.values())
    status = 200
    if reader.errors:
        form.errors.update(reader.errors)
        status = 422
    elif searched:
        query = PatientQuery(
            name=values["name"] or None,
            birth_date=birth_date,
            account_number=values["account_number"] or None,
            limit=SEARCH_LIMIT,
        )
        try:
            results = list(patient_services.search_patients(who.deps, who.actor, query))
        except PermissionDenied:  # the 403 page, not a field error
            raise
        except MedbillError as exc:
            form.refuse(exc)
            status = 422
    context = {"form": form, "results": results, "searched": searched, "limit": SEARCH_LIMIT, "nav": "patients"}
    return page(request, "patients.html", context, status_code=status)


def _registration(request: Request, form: FormState, status: int = 200) -> Response:
    context = {"form": form, "sexes": SEX_CHOICES, "guarantor_choices": GUARANTOR_CHOICES, "nav": "register"}
    return page(request, "patient_new.html", context, status_code=status)


@router.get("/patients/new")
def registration_form(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return _registration(request, FormState.of({"guarantor.same_address": "yes"}))


@router.post("/patients")
def register(request: Request, post: Posted = Depends(posted)) -> Response:
    form = FormState.of(post.values)
    if "guarantor.same_address" not in post.values:
        form.values["guarantor.same_address"] = ""
    draft, errors = patient_draft(post.values)
    if draft is None:
        form.errors.update(errors)
        return _registration(request, form, 422)
    try:
        patient = patient_services.register_patient(post.who.deps, post.who.actor, draft)
    except PermissionDenied:  # the 403 page, not a field error
        raise
    except MedbillError as exc:
        return _registration(request, form.refuse(exc), 422)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


def chart(request: Request, who: SignedIn, patient_id: str, coverage_form: FormState, status: int = 200) -> Response:
    """The patient page; reading it writes the audit row for this patient (get_patient does)."""
    deps, actor = who.deps, who.actor
    patient = patient_services.get_patient(deps, actor, patient_id)
    payers = list(setup.list_payers(deps, actor))
    providers = {p.id: p.display_name() for p in setup.list_providers(deps, actor)}
    context = {
        "patient": patient,
        "coverages": patient_services.list_coverages(deps, actor, patient_id),
        "encounters": encounter_services.list_encounters(deps, actor, patient_id=patient_id),
        "account": accounts.patient_account(deps, actor, patient_id, audit=False),
        "eligibility": eligibility_services.latest_for_patient(deps, actor, patient_id),
        "now": deps.clock.now(),
        "payers": payers,
        "payer_names": {p.id: p.name for p in payers},
        "providers": providers,
        "payer_choices": [(p.id, p.name) for p in payers],
        "order_choices": [(o.value, o.value.capitalize()) for o in CoverageOrder],
        "relationships": list(RELATIONSHIP_LABELS.items()),
        "sexes": SEX_CHOICES,
        "form": coverage_form,
        "nav": "patients",
    }
    return page(request, "patient.html", context, status_code=status)


@router.get("/patients/{patient_id}")
def patient_page(request: Request, patient_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    return chart(request, who, patient_id, FormState.of({"order": "primary", "relationship": SELF}))


@router.post("/patients/{patient_id}/coverages")
def add_coverage(request: Request, patient_id: str, post: Posted = Depends(posted)) -> Response:
    form = FormState.of(post.values)
    draft, errors = coverage_draft(post.values)
    if draft is None:
        form.errors.update(errors)
        return chart(request, post.who, patient_id, form, 422)
    try:
        patient_services.add_coverage(post.who.deps, post.who.actor, patient_id, draft)
    except PermissionDenied:  # the 403 page, not a field error
        raise
    except MedbillError as exc:
        if exc.code == "not_found" and exc.field is None:
            raise
        return chart(request, post.who, patient_id, form.refuse(exc), 422)
    return RedirectResponse(f"/patients/{patient_id}#coverages", status_code=303)
