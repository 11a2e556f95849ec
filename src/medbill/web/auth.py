"""Signing in and out of the web UI: the login form, the session it starts, and logout."""

from __future__ import annotations

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill.domain.errors import AuthenticationFailed
from medbill.services.users import actor_for_user, authenticate, end_sessions
from medbill.web.context import WebRoute, codec_of, container_of, form_values, read_session, safe_next, source_of
from medbill.web.rendering import FormState, page
from medbill.web.session import new_session

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# One message for an unknown user, a wrong password and a deactivated account: it must not say which.
LOGIN_REFUSED = "That username and password do not match an active account. Check both and try again."


@router.get("/login")
def login_page(request: Request, next_url: str = Query("/", alias="next"), bye: str = "") -> Response:
    container = container_of(request)
    session = read_session(request)
    if session is not None and session.signed_in:
        return RedirectResponse(safe_next(next_url), status_code=303)
    session = session or new_session(None, container.deps.clock.now())
    message = "You have signed out." if bye else ""
    response = page(
        request,
        "login.html",
        {"csrf": session.csrf, "next": safe_next(next_url), "form": FormState.of(), "error": "", "notice": message},
    )
    codec_of(container).store(response, session)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    values = await form_values(request)  # CSRF first: a login form posted from elsewhere is refused
    container = container_of(request)
    username = values.get("username", "")
    try:
        actor = await run_in_threadpool(
            authenticate,
            container.deps,
            username=username,
            password=values.get("password", ""),
            source=source_of(request),
        )
    except AuthenticationFailed:
        session = read_session(request)
        return page(
            request,
            "login.html",
            {
                "csrf": session.csrf if session else "",
                "next": safe_next(values.get("next")),
                "form": FormState.of({"username": username.strip()[:40]}),
                "error": LOGIN_REFUSED,
                "notice": "",
            },
            status_code=401,
        )
    response = RedirectResponse(safe_next(values.get("next")), status_code=303)
    codec_of(container).store(response, new_session(actor.user_id, container.deps.clock.now()))
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await form_values(request)  # a cross-site page cannot sign anyone out either
    session = read_session(request)
    if session is not None and session.user_id is not None:
        deps = container_of(request).deps
        try:  # every session of this user stops working, including copies of this cookie
            actor = await run_in_threadpool(actor_for_user, deps, session.user_id, source_of(request))
            await run_in_threadpool(end_sessions, deps, actor)
        except AuthenticationFailed:
            pass  # already signed out or deactivated: clearing the cookie is all that is left
    response = RedirectResponse("/login?bye=1", status_code=303)
    codec_of(container_of(request)).clear(response)
    return response
