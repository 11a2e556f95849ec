"""The home page, work queue first: what was recorded today, what setup is missing, and the latest encounters."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from medbill.domain.money import Money
from medbill.services.dashboard import WorkSummary, work_summary
from medbill.web.context import SignedIn, WebRoute, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

RECENT = 15


@dataclass(frozen=True, slots=True)
class QueueItem:
    label: str
    count: int
    detail: str
    href: str


def _queue(summary: WorkSummary) -> list[QueueItem]:
    items = [
        QueueItem(
            label="Encounters recorded today",
            count=summary.encounters_today,
            detail=f"{Money(summary.charges_today_cents).display()} in charges since midnight (UTC)",
            href="#recent",
        )
    ]
    setup_gaps = [
        ("Payers", summary.payers, "add at least one payer before recording coverage"),
        ("Rendering providers", summary.providers, "add a provider before entering encounters"),
    ]
    items += [QueueItem(label=f"{name} set up", count=n, detail=hint, href="") for name, n, hint in setup_gaps if not n]
    return items


@router.get("/")
def home(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    summary = work_summary(who.deps, who.actor, recent=RECENT)
    return page(request, "home.html", {"queue": _queue(summary), "recent": summary.recent, "nav": "home"})
