"""Eligibility from the web: check a coverage now (the patient page's coverage section shows the latest answer and
its age), and the printable estimate of an appointment (a good-faith estimate for a self-pay patient)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill import bootstrap
from medbill.domain.errors import MedbillError
from medbill.services import eligibility, good_faith
from medbill.web.context import Posted, SignedIn, WebRoute, container_of, posted, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.post("/patients/{patient_id}/eligibility")
def check(request: Request, patient_id: str, post: Posted = Depends(posted)) -> Response:
    """Send a 270 for the chosen coverage (the primary in force when none is chosen) and show the patient again."""
    who = post.who
    try:
        box = bootstrap.clearinghouse(container_of(request), None)
        eligibility.check_eligibility(
            who.deps, who.actor, box, patient_id, coverage_id=post.values.get("coverage_id") or None
        )
    except MedbillError as exc:
        context = {"title": "Eligibility check refused", "message": exc.message, "nav": "patients"}
        return page(request, "refused.html", context, status_code=422)
    return RedirectResponse(f"/patients/{patient_id}#coverages", status_code=303)


@router.get("/appointments/{appointment_id}/estimate.pdf")
def estimate_pdf(request: Request, appointment_id: str, who: SignedIn = Depends(signed_in)) -> Response:
    try:
        found = good_faith.printable_estimate(who.deps, who.actor, appointment_id)
    except MedbillError as exc:
        context = {"title": "No printable estimate", "message": exc.message, "nav": "appointments"}
        return page(request, "refused.html", context, status_code=422)
    kind = "good-faith-estimate" if found.document.self_pay else "estimate"
    return Response(
        found.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{kind}-{appointment_id}.pdf"', "Cache-Control": "no-store"},
    )
