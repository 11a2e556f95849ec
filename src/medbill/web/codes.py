"""ICD-10-CM look-up for the diagnosis inputs: an htmx type-ahead (datalist options) and a plain search page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from medbill.codesets.store import icd10cm, icd10cm_search
from medbill.domain.errors import MedbillError
from medbill.web.context import SignedIn, WebRoute, signed_in
from medbill.web.forms import Reader
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

MAX_OPTIONS = 15


@dataclass(frozen=True, slots=True)
class CodeOption:
    code: str  # dotted, as people write it
    title: str
    billable: bool


def find_codes(query: str, on: date | None, *, limit: int = MAX_OPTIONS) -> list[CodeOption]:
    """Codes whose title or inclusion terms match the words (or whose code starts with the text), best first."""
    text = query.strip()[:80]
    if len(text) < 2:
        return []
    try:
        hits = icd10cm_search().search(text, limit=limit, on=on)
    except MedbillError:  # no edition loaded for that date of service: search today's instead
        hits = icd10cm_search().search(text, limit=limit)
    return [CodeOption(code=h.code, title=h.title, billable=h.billable) for h in hits]


def diagnosis_title(code: str, on: date) -> str:
    """The code's title in the edition in force on the date of service, or "" when the code set does not know it."""
    try:
        return icd10cm().title(code, on) or ""
    except MedbillError:
        return icd10cm().title(code) or ""


def _query_of(request: Request) -> tuple[str, date | None]:
    """The text typed: ``q``, or the value of the diagnosis input that fired the htmx request."""
    params = request.query_params
    text = params.get("q", "")
    if not text:
        text = next((v for k, v in params.multi_items() if k.startswith("diagnoses[") and v.strip()), "")
    reader = Reader({"date_of_service": params.get("date_of_service", "")})
    on = reader.date("date_of_service", required=False)
    return text, on


@router.get("/codes/icd10")
def icd10_lookup(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    """htmx asks for ``<option>``s to fill the diagnosis datalist; a person without htmx gets a search page."""
    text, on = _query_of(request)
    options = find_codes(text, on)
    if request.headers.get("HX-Request"):
        return page(request, "_icd10_options.html", {"options": options})
    return page(request, "codes.html", {"q": text, "options": options, "searched": bool(text.strip())})
