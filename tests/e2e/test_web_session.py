"""The web UI's doors: sign-in, the session cookie, its expiry, and the CSRF check that guards every form POST."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from medbill.server import create_app
from medbill.services import encounters, jobs, patients, statements
from medbill.services.ports import PatientQuery
from medbill.web import ROUTERS
from medbill.web.context import WebRoute
from medbill.web.session import COOKIE_NAME
from tests.e2e.conftest import Web, csrf_of, sign_in
from tests.support import FixedClock, Practice, register_with_coverage


@pytest.mark.parametrize("path", ["/", "/patients", "/patients/new", "/patients/abc", "/codes/icd10?q=flu"])
def test_pages_behind_the_login_send_a_stranger_to_the_login_page(anonymous: TestClient, path: str) -> None:
    answer = anonymous.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")
    landed = anonymous.get(path)
    assert landed.url.path == "/login"
    assert 'name="password"' in landed.text


def test_signing_in_lands_on_the_page_that_was_asked_for(anonymous: TestClient) -> None:
    login = anonymous.get("/patients/new")
    assert login.url.path == "/login" and login.url.params["next"] == "/patients/new"
    done = anonymous.post(
        "/login",
        data={
            "username": "biller",
            "password": "correct horse battery",
            "csrf_token": csrf_of(login.text),
            "next": "/patients/new",
        },
    )
    assert done.url.path == "/patients/new"
    assert "Register a patient" in done.text


def test_a_next_address_off_this_site_is_ignored(anonymous: TestClient) -> None:
    login = anonymous.get("/login")
    done = anonymous.post(
        "/login",
        data={
            "username": "biller",
            "password": "correct horse battery",
            "csrf_token": csrf_of(login.text),
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


@pytest.mark.parametrize(
    ("username", "password"), [("biller", "wrong password here"), ("nobody", "correct horse battery"), ("", "")]
)
def test_a_failed_login_does_not_say_which_part_was_wrong(anonymous: TestClient, username: str, password: str) -> None:
    login = anonymous.get("/login")
    refused = anonymous.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(login.text)}
    )
    assert refused.status_code == 401
    assert "That username and password do not match an active account." in refused.text
    assert "unknown" not in refused.text.lower() and "wrong password" not in refused.text.lower()
    assert anonymous.get("/", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_signed_httponly_samesite_lax_and_lasts_session_minutes(anonymous: TestClient) -> None:
    login = anonymous.get("/login")
    done = anonymous.post(
        "/login",
        data={"username": "biller", "password": "correct horse battery", "csrf_token": csrf_of(login.text)},
        follow_redirects=False,
    )
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "max-age", "path", "samesite"} <= attributes
    assert "samesite=lax" in cookie.lower() and "max-age=28800" in cookie.lower()
    assert "secure" not in attributes


def test_the_session_cookie_is_secure_when_the_settings_say_so(web_practice: Practice) -> None:
    container = web_practice.container
    secured = dataclasses.replace(container, settings=container.settings.model_copy(update={"cookie_secure": True}))
    with TestClient(create_app(secured), base_url="https://testserver") as client:
        page = client.get("/login")
        assert "; secure" in page.headers["set-cookie"].lower()


def test_a_session_ends_after_session_minutes(web: Web, clock: FixedClock) -> None:
    assert web.client.get("/", follow_redirects=False).status_code == 200
    clock.current += timedelta(minutes=479)
    assert web.client.get("/", follow_redirects=False).status_code == 200
    clock.current += timedelta(minutes=2)
    answer = web.client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_tampered_session_cookie_is_refused(web: Web) -> None:
    payload, signature = web.client.cookies[COOKIE_NAME].rsplit(".", 1)
    web.client.cookies.clear()
    web.client.cookies.set(COOKIE_NAME, f"{payload}.{signature[::-1]}")
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session(web: Web) -> None:
    out = web.post("/logout", {}, follow=True)
    assert out.url.path == "/login" and "You have signed out." in out.text
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_signing_out_voids_a_copied_session_cookie(web: Web, clock: FixedClock) -> None:
    copied = web.client.cookies[COOKIE_NAME]
    clock.current += timedelta(minutes=1)
    web.post("/logout", {})
    web.client.cookies.clear()
    web.client.cookies.set(COOKIE_NAME, copied)
    answer = web.client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def _state(p: Practice) -> tuple[object, ...]:
    deps, actor = p.container.deps, p.admin
    found = patients.search_patients(deps, actor, PatientQuery(name="a", limit=500))
    covers = sum(len(patients.list_coverages(deps, actor, x.id)) for x in found)
    with deps.uow() as uow:
        money = uow.ledger.totals_by_kind(actor.practice_id)
        queues = uow.work_items.counts(actor.practice_id)
    runs = len(statements.list_runs(deps, actor))
    holds = len(statements.list_holds(deps, actor))
    started = len(jobs.list_jobs(deps, actor, limit=500))
    visits = len(encounters.list_encounters(deps, actor, limit=500))
    return len(found), covers, visits, money, queues, runs, holds, started


def _forms(p: Practice, patient_id: str) -> dict[str, dict[str, str]]:
    """Every form the web UI posts, filled in validly: only the CSRF token is wrong or missing."""
    return {
        "/login": {"username": "biller", "password": "correct horse battery"},
        "/logout": {},
        "/patients": {
            "last_name": "Aster",
            "first_name": "Ann",
            "birth_date": "1970-01-02",
            "sex": "F",
            "address.line1": "3 Oak Rd",
            "address.city": "Dayton",
            "address.state": "OH",
            "address.zip": "45402",
        },
        "/patients/{patient_id}/coverages": {
            "payer_id": p.medicare_id,
            "order": "secondary",
            "member_id": "1EG4TE5MK73",
            "effective_from": "2026-01-01",
        },
        "/patients/{patient_id}/encounters": {
            "date_of_service": "2026-11-20",
            "rendering_provider_id": p.provider_id,
            "diagnoses[1]": "I10",
            "lines[1].procedure_code": "99213",
        },
        "/coding/suggest": {"note": "Type 2 diabetes mellitus without complications."},
        "/x12/view": {},
        "/patients/{patient_id}/appointments": {
            "day": "2026-11-30",
            "time": "09:00",
            "provider_id": p.provider_id,
            "visit_type": "established",
            "services[1].code": "99213",
        },
        "/patients/{patient_id}/payments": {"amount": "10.00", "method": "cash", "received_on": "2026-11-26"},
        "/remittances/preview": {},
        "/remittances/post": {"name": "x.835", "content": "SVNB"},
        "/queues/{queue}/bulk": {"ids": "x", "action": "close", "resolution": "appealed"},
        "/reconciliation/deposits": {},
        "/statements/run": {"min_balance": "5.00", "cycle_days": "28", "due_days": "21"},
        "/statements/holds": {"account_number": "A1", "reason": "dispute"},
        "/statements/holds/{patient_id}/release": {},
        "/patients/{patient_id}/eligibility": {},
        "/claims/{claim_id}/appeal": {"argument": "Please pay.", "attachments": "Records", "level": "1"},
        "/appeals/{appeal_id}/sent": {"sent_on": "2026-11-26"},
        "/appeals/{appeal_id}/outcome": {"outcome": "won", "answered_on": "2026-11-26", "note": ""},
        "/appeals/{appeal_id}/revise": {"argument": "Please pay.", "attachments": ""},
        "/claims/{claim_id}/write-off": {"reason": "courtesy", "note": "x"},
        "/jobs": {"kind": "report", "from": "2026-11-01", "to": "2026-11-26"},
        "/jobs/{job_id}/resume": {},
    }


def test_every_web_form_post_is_covered_by_the_csrf_test(web_practice: Practice) -> None:
    posts = {
        r.path for router in ROUTERS for r in router.routes if isinstance(r, Route) and "POST" in (r.methods or ())
    }
    assert all(isinstance(r, WebRoute) for router in ROUTERS for r in router.routes)
    assert posts == set(_forms(web_practice, "x"))


@pytest.mark.parametrize("token", ["", "not-the-token"])
@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/logout",
        "/patients",
        "/patients/{patient_id}/coverages",
        "/patients/{patient_id}/encounters",
        "/coding/suggest",
        "/x12/view",
        "/patients/{patient_id}/appointments",
        "/patients/{patient_id}/payments",
        "/remittances/preview",
        "/remittances/post",
        "/queues/{queue}/bulk",
        "/reconciliation/deposits",
        "/statements/run",
        "/statements/holds",
        "/statements/holds/{patient_id}/release",
        "/patients/{patient_id}/eligibility",
        "/claims/{claim_id}/appeal",
        "/appeals/{appeal_id}/sent",
        "/appeals/{appeal_id}/outcome",
        "/appeals/{appeal_id}/revise",
        "/claims/{claim_id}/write-off",
        "/jobs",
        "/jobs/{job_id}/resume",
    ],
)
def test_a_form_post_without_its_csrf_token_is_refused_and_changes_nothing(web: Web, path: str, token: str) -> None:
    patient_id, _ = register_with_coverage(web.practice)
    before = _state(web.practice)
    data = _forms(web.practice, patient_id)[path]
    if token:
        data = {**data, "csrf_token": token}
    url = path.format(patient_id=patient_id, queue="denial", item_id="x", claim_id="x", appeal_id="x", job_id="x")
    refused = web.client.post(url, data=data, follow_redirects=False)
    assert refused.status_code == 403
    assert "Nothing was saved" in refused.text
    assert _state(web.practice) == before
    assert web.client.get("/", follow_redirects=False).status_code == 200  # still signed in, as the same user


def test_a_token_from_another_session_is_refused(web: Web) -> None:
    practice = web.practice
    with TestClient(create_app(practice.container)) as other:
        other_token = sign_in(other, "admin")
    before = _state(practice)
    refused = web.client.post("/patients", data={**_forms(practice, "")["/patients"], "csrf_token": other_token})
    assert refused.status_code == 403 and _state(practice) == before


def test_htmx_may_send_the_token_as_a_header(web: Web) -> None:
    done = web.client.post("/logout", headers={"X-CSRF-Token": web.csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/login?bye=1"


def test_pages_carry_no_store_and_anti_framing_headers(web: Web) -> None:
    page = web.client.get("/patients")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
