"""Background jobs in a real browser with scripts off (Debian's Chromium through Playwright): start one from the form,
and watch an unfinished job's page refresh itself until a worker has run its chunk."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from medbill.bootstrap import ContainerResources
from medbill.services import jobs
from medbill.services.jobs import InProcessDispatcher
from tests.e2e.conftest import LiveServer
from tests.e2e.test_web_browser import _sign_in, page  # noqa: F401  # the browser-tab fixture
from tests.e2e.test_web_jobs import Idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", [False], indirect=True)
def test_start_a_job_and_watch_one_finish_without_scripts(page: Page, live_server: LiveServer) -> None:  # noqa: F811
    _sign_in(page)
    page.get_by_role("link", name="Jobs").click()
    page.get_by_label("Job", exact=True).select_option("report")
    page.get_by_label("From").fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-26")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("heading", name="KPI report of a period")).to_be_visible()
    expect(page.locator("#job-summary strong")).to_have_text("succeeded")
    expect(page.locator("#job-chunks tbody tr")).to_have_count(1)

    practice = live_server.practice
    container, biller = practice.container, practice.biller
    queued = jobs.start_job(container.deps, biller, Idle(), "statement_run")  # no worker has taken it yet
    page.goto(f"/jobs/{queued.id}")
    expect(page.locator("#job-summary strong")).to_have_text("queued")
    InProcessDispatcher(container.deps, ContainerResources(container)).dispatch(
        practice.admin.practice_id, queued.id, [0]
    )
    expect(page.locator("#job-summary strong")).to_have_text("succeeded")  # the meta refresh, every 2 s
    expect(page.locator("#job-progress")).to_contain_text("1/1 chunks finished, 1/1 items done")
    expect(page.locator("#job-resume")).to_have_count(0)
