"""Rendering pages: the Jinja2 environment, the filters templates use, form state (values and errors) and headers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from medbill.domain.encounters import dotted
from medbill.domain.errors import MedbillError
from medbill.domain.money import Money

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTMX_URL = "/static/vendor/htmx.min.js"

# Pages carry PHI: never cached, never framed, scripts only from us, forms only posted back to us.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def field_id(name: str) -> str:
    """An element id for a form field name (``lines[2].charge`` → ``f-lines-2--charge``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name).rstrip("-")


@dataclass(slots=True)
class FormState:
    """What a form shows: the values typed (kept on refusal) and an error per field name.

    Templates call ``mark`` for every field they place, so ``unplaced`` can list, above the form, the errors
    that belong to no visible field (a refusal of the whole subscriber, say), and none is ever lost.
    """

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    _placed: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None) -> FormState:
        return cls(values=dict(values or {}), errors=dict(errors or {}))

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    def mark(self, *names: str) -> str:
        self._placed.update(names)
        return ""

    def unplaced(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.errors.items() if k not in self._placed]

    def refuse(self, exc: MedbillError) -> FormState:
        """Record a service's refusal under the field it names (``form`` when it names none)."""
        self.errors[exc.field or "form"] = exc.message
        return self


def _money(cents: int | None) -> str:
    return "" if cents is None else Money(cents).display()


def _dollars(cents: int | None) -> str:
    """Cents as the plain decimal a person would type back into a form (``12500`` → ``125.00``)."""
    return "" if cents is None else str(Money(cents))


def _us_date(day: date | None) -> str:
    return "" if day is None else day.strftime("%m/%d/%Y")


def _phone(digits: str | None) -> str:
    """Ten stored digits as people read them: ``(614) 555-0188``."""
    if not digits:
        return ""
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 and digits.isdigit() else digits


def _letters(pointers: Iterable[int]) -> str:
    return ",".join(chr(ord("A") + p - 1) for p in pointers)


def _make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, dollars=_dollars, us_date=_us_date, letters=_letters, dotted=dotted, phone=_phone)
    env.globals.update(field_id=field_id, htmx_url=HTMX_URL)
    return env


_ENV = _make_environment()


def render_html(template: str, context: Mapping[str, Any]) -> str:
    return _ENV.get_template(template).render(**context)


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A whole page (or, for htmx, a fragment template) with the security headers every page carries."""
    values: dict[str, Any] = {"request": request, "user": None, "csrf": "", "nav": ""}
    values.update(getattr(request.state, "web_context", {}))
    values.update(context or {})
    response = HTMLResponse(render_html(template, values), status_code=status_code)
    secure(response)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def secure(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response
