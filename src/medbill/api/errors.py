"""The one place where errors become HTTP: domain errors and request validation errors as problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from medbill.domain.errors import (
    AuthenticationFailed,
    ClearinghouseError,
    CodeSetError,
    Conflict,
    FormatError,
    InvalidTransition,
    MedbillError,
    NotFound,
    PermissionDenied,
    ValidationError,
)

PROBLEM = "application/problem+json"

_STATUS: list[tuple[type[MedbillError], int]] = [
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (Conflict, 409),
    (InvalidTransition, 409),
    (ValidationError, 422),
    (CodeSetError, 422),
    (FormatError, 422),
    (ClearinghouseError, 502),  # the clearinghouse, not the caller, failed
]


def status_for(exc: MedbillError) -> int:
    if isinstance(exc, ClearinghouseError) and exc.code == "clearinghouse_conflict":
        return 409
    if isinstance(exc, NotFound):
        # A missing thing named in the path is 404; a body field naming a missing thing is bad input.
        return 422 if exc.field else 404
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://medbill.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if field is not None:
        body["field"] = field
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MedbillError)
    async def _domain(request: Request, exc: MedbillError) -> JSONResponse:
        status = status_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return problem(status, exc.code, exc.code.replace("_", " "), exc.message, field=exc.field, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": _field_of(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))} for e in exc.errors()]
        first = errors[0] if errors else {"field": "body", "message": "invalid request"}
        return problem(
            422,
            "invalid_input",
            "invalid input",
            f"{first['field']}: {first['message']}",
            field=first["field"],
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        if not request.url.path.startswith("/api/"):
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        code = {
            401: "authentication_failed",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
        }.get(exc.status_code, "http_error")
        return problem(
            exc.status_code, code, code.replace("_", " "), str(exc.detail), headers=getattr(exc, "headers", None)
        )
