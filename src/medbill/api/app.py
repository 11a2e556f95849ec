"""Mounting the REST API: its error handlers, its routes under /api/v1, and an OpenAPI document that tells the truth."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from medbill.api.errors import PROBLEM, install_error_handlers
from medbill.api.routes import router

API_PREFIX = "/api/v1"


def _problem_content_only(schema: dict[str, Any]) -> dict[str, Any]:
    """FastAPI lists a response model under application/json; our errors are application/problem+json only."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if PROBLEM in content and "application/json" in content:
                    content[PROBLEM] = content.pop("application/json")
    return schema


def install(app: FastAPI) -> None:
    install_error_handlers(app)
    app.include_router(router, prefix=API_PREFIX)
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _problem_content_only(build_schema())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
