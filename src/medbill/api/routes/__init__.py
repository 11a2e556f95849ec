"""The /api/v1 routes, one module per resource; every error response is documented as problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from medbill.api.deps import current_actor
from medbill.api.routes import (
    account,
    appointments,
    claims,
    clearinghouse,
    codes,
    documents,
    encounters,
    patients,
    payments,
    remittances,
    setup,
    work_items,
)
from medbill.api.routes import appeals as appeal_routes
from medbill.api.routes import eligibility as eligibility_routes
from medbill.api.routes import jobs as job_routes
from medbill.api.routes import reports as report_routes
from medbill.api.routes import statements as statement_routes
from medbill.api.schemas import Problem


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {"application/problem+json": {}}}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _problem("no token, or an unknown or revoked one"),
    403: _problem("the user's role lacks the permission"),
    404: _problem("nothing with that id in this practice"),
    409: _problem("it would duplicate or contradict a record"),
    422: _problem("a field was refused; `field` names it"),
}

router = APIRouter(responses=ERROR_RESPONSES)
for module in (account, setup, patients, encounters, appointments, claims, documents, remittances):
    router.include_router(module.router)
router.include_router(statement_routes.router)
router.include_router(payments.router)
router.include_router(work_items.router)
router.include_router(clearinghouse.router)
router.include_router(eligibility_routes.router)
router.include_router(appeal_routes.router)
router.include_router(report_routes.router)
router.include_router(job_routes.router)
# Code sets hold no PHI, but the API serves only callers with a token.
router.include_router(codes.router, dependencies=[Depends(current_actor)])
