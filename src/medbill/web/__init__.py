"""The web UI for billers, coders and the front desk: server-rendered Jinja2 pages with htmx, over the services.

Every page works as plain HTML forms; htmx (served from ``/static/vendor/htmx.min.js`` when present) only adds the
diagnosis type-ahead. Sessions are signed cookies, every POST carries a CSRF token, and nothing here logs PHI.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from medbill.web import appeals as appeal_pages
from medbill.web import appointments, auth, codes, coding_help, encounters, home, patients, remittances, x12_view
from medbill.web import clearinghouse as clearinghouse_pages
from medbill.web import eligibility as eligibility_pages
from medbill.web import jobs as job_pages
from medbill.web import payments as payment_pages
from medbill.web import reports as report_pages
from medbill.web import statements as statement_pages
from medbill.web.rendering import STATIC

_ACCESS_LOGGER = "uvicorn.access"
ROUTERS = (
    auth.router,
    home.router,
    patients.router,
    encounters.router,
    codes.router,
    coding_help.router,
    x12_view.router,
    appointments.router,
    remittances.router,
    appeal_pages.router,
    payment_pages.router,
    statement_pages.router,
    clearinghouse_pages.router,
    eligibility_pages.router,
    report_pages.router,
    job_pages.router,
)


class RedactQueryStrings(logging.Filter):
    """Access-log lines keep the path and drop the query string, where search terms (names, birth dates) travel."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?…", *args[3:])
        return True


def install(app: FastAPI) -> None:
    """Mount the web UI's routes, static files and session handling on ``app``."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    access = logging.getLogger(_ACCESS_LOGGER)
    if not any(isinstance(f, RedactQueryStrings) for f in access.filters):
        access.addFilter(RedactQueryStrings())
