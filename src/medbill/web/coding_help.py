"""Coding help for a person: the E/M level calculator and ICD-10-CM suggestions from a pasted clinical note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from medbill.codesets import suggest as suggesting
from medbill.domain.em import EmInput, EmResult, MdmLevel, PatientStatus, calculate
from medbill.domain.errors import MedbillError, ValidationError
from medbill.web.context import Posted, SignedIn, WebRoute, posted, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

LEVEL_CHOICES = (
    ("", "— not assessed —"),
    ("minimal", "Straightforward / minimal"),
    ("low", "Low / limited"),
    ("moderate", "Moderate"),
    ("high", "High / extensive"),
)
MAX_NOTE = 20_000


@dataclass(frozen=True, slots=True)
class EmAnswer:
    result: EmResult | None
    error: MedbillError | None


def em_answer(values: dict[str, str]) -> EmAnswer:
    """The E/M level for the submitted fields, or the refusal naming the field; nothing submitted → nothing."""
    if not any(values.get(k, "").strip() for k in ("total_minutes", "problems", "data", "risk")):
        return EmAnswer(None, None)
    try:
        minutes_text = values.get("total_minutes", "").strip()
        if minutes_text and not minutes_text.isdigit():
            raise ValidationError("total time is whole minutes", field="total_minutes")
        levels = {
            k: MdmLevel.parse(values[k], element=k) if values.get(k, "").strip() else None
            for k in ("problems", "data", "risk")
        }
        patient = PatientStatus.NEW if values.get("patient") == "new" else PatientStatus.ESTABLISHED
        return EmAnswer(
            calculate(EmInput(patient=patient, total_minutes=int(minutes_text) if minutes_text else None, **levels)),
            None,
        )
    except MedbillError as exc:
        return EmAnswer(None, exc)


@router.get("/coding/em")
def em_calculator(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    """With htmx, the result fragment for the encounter form's panel; without, the whole calculator page."""
    values = {k: v for k, v in request.query_params.items()}
    answer = em_answer(values)
    if request.headers.get("HX-Request"):
        return page(request, "_em_result.html", {"answer": answer})
    return page(
        request,
        "coding_help.html",
        {
            "em_values": values,
            "answer": answer,
            "levels": LEVEL_CHOICES,
            "note": "",
            "suggested": None,
            "nav": "coding",
        },
    )


@router.post("/coding/suggest")
def suggest_from_note(request: Request, form: Posted = Depends(posted)) -> Response:
    """Ranked ICD-10-CM candidates for a pasted note (POST: a note is PHI and must never sit in a URL or a log)."""
    note = form.values.get("note", "")[:MAX_NOTE]
    on_text = form.values.get("date_of_service", "").strip()
    try:
        on = date.fromisoformat(on_text) if on_text else None
    except ValueError:
        on = None
    result = suggesting.suggest(note, limit=10, on=on) if note.strip() else None
    return page(
        request,
        "coding_help.html",
        {
            "em_values": {},
            "answer": EmAnswer(None, None),
            "levels": LEVEL_CHOICES,
            "note": note,
            "suggested": result,
            "nav": "coding",
        },
    )
