"""Who is asking: the session and actor behind each web request, the CSRF check on every POST, refusals as pages."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.bootstrap import Container
from medbill.domain.errors import AuthenticationFailed, NotFound, PermissionDenied
from medbill.domain.users import Actor
from medbill.services.base import Deps
from medbill.services.documents import MAX_UPLOAD_BYTES
from medbill.services.users import actor_for_user
from medbill.web.rendering import page, secure
from medbill.web.session import COOKIE_NAME, CSRF_FIELD, CSRF_HEADER, SessionCodec, WebSession


class LoginRequired(Exception):
    """The request needs a signed-in user and has none (or its session ended)."""

    def __init__(self, next_url: str = "/") -> None:
        super().__init__("sign in first")
        self.next_url = next_url


class CsrfRefused(Exception):
    """A POST came without the CSRF token of its session: refused before anything is read or changed."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    session: WebSession
    deps: Deps


@dataclass(frozen=True, slots=True)
class Posted:
    """A form POST whose CSRF token checked out, from a signed-in user."""

    who: SignedIn
    values: dict[str, str]


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def codec_of(container: Container) -> SessionCodec:
    settings = container.settings
    return SessionCodec(container.secret_key, minutes=settings.session_minutes, secure=settings.cookie_secure)


def source_of(request: Request) -> str:
    """Where a request came from, as the audit log records it."""
    return f"web {request.client.host}" if request.client else "web"


def read_session(request: Request) -> WebSession | None:
    container = container_of(request)
    return codec_of(container).decode(request.cookies.get(COOKIE_NAME), container.deps.clock.now())


def safe_next(url: str | None) -> str:
    """Only a path on this site is a place to go after signing in (never ``//evil.example``)."""
    if not url or not url.startswith("/") or url.startswith("//") or url.startswith("/\\"):
        return "/"
    return url


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def signed_in(request: Request) -> SignedIn:
    """The dependency of every page behind the login: the actor, re-checked against the database each request."""
    session = read_session(request)
    if session is None or session.user_id is None:
        raise LoginRequired(_here(request) if request.method == "GET" else "/")
    deps = container_of(request).deps
    actor = actor_for_user(deps, session.user_id, source_of(request), session_issued_at=session.issued_at)
    request.state.web_context = {"user": actor, "csrf": session.csrf}
    return SignedIn(actor=actor, session=session, deps=deps)


def check_csrf(request: Request, form: FormData) -> None:
    """The form's CSRF token (hidden input, or the header htmx sends) must be its session's, else CsrfRefused."""
    session = read_session(request)
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = request.headers.get(CSRF_HEADER)
    if session is None or not session.csrf_matches(token):
        raise CsrfRefused()


async def form_values(request: Request) -> dict[str, str]:
    """The posted form's text fields, after its CSRF token matched the session."""
    form = await request.form()
    check_csrf(request, form)
    return {k: v for k, v in form.multi_items() if not isinstance(v, UploadFile) and k != CSRF_FIELD}


@dataclass(frozen=True, slots=True)
class PostedUpload:
    """A multipart POST whose CSRF token checked out: its text fields and its files (name, bytes)."""

    who: SignedIn
    values: dict[str, str]
    files: dict[str, tuple[str, bytes]]


async def posted_upload(request: Request) -> PostedUpload:
    """The dependency of every upload behind the login: the CSRF check before any file is read."""
    form = await request.form(max_part_size=MAX_UPLOAD_BYTES + 1)
    try:
        check_csrf(request, form)
        who = await run_in_threadpool(signed_in, request)
        values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != CSRF_FIELD}
        files = {
            k: (v.filename or k, await v.read(MAX_UPLOAD_BYTES + 1))
            for k, v in form.multi_items()
            if isinstance(v, UploadFile)
        }
    finally:
        await form.close()  # the spooled temporary files go now, refused or not
    return PostedUpload(who=who, values=values, files=files)


async def posted(request: Request) -> Posted:
    """The dependency of every POST behind the login: the CSRF check first, then who is posting."""
    values = await form_values(request)
    who = await run_in_threadpool(signed_in, request)
    return Posted(who=who, values=values)


def _login_redirect(request: Request, next_url: str) -> Response:
    target = "/login" if next_url == "/" else f"/login?next={quote(next_url, safe='')}"
    if request.headers.get("HX-Request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


class WebRoute(APIRoute):
    """A route of the web UI: refusals become pages here, so the API's problem+json handlers never see them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                response = await handler(request)
            except LoginRequired as exc:
                response = _login_redirect(request, exc.next_url)
            except AuthenticationFailed:
                response = _login_redirect(request, "/")
                codec_of(container_of(request)).clear(response)
            except CsrfRefused:
                response = page(
                    request,
                    "refused.html",
                    {
                        "title": "Form expired",
                        "message": "This form was not accepted because it had expired or did not come from this "
                        "medbill page. Nothing was saved. Go back, reload the page and try again.",
                    },
                    status_code=403,
                )
            except PermissionDenied as exc:
                response = page(
                    request, "refused.html", {"title": "Not allowed", "message": exc.message}, status_code=403
                )
            except NotFound as exc:
                response = page(
                    request, "refused.html", {"title": "Not found", "message": exc.message}, status_code=404
                )
            return secure(response)

        return guarded
