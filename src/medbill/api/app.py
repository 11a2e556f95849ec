"""Mounting the REST API: its error handlers and its routes under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI

from medbill.api.errors import install_error_handlers
from medbill.api.routes import router

API_PREFIX = "/api/v1"


def install(app: FastAPI) -> None:
    install_error_handlers(app)
    app.include_router(router, prefix=API_PREFIX)
