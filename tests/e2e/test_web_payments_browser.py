"""Taking a payment in a real browser (Debian's Chromium through Playwright): from the patient's page to the receipt."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_web_browser import _sign_in, page  # noqa: F401  # the browser-tab fixture
from tests.integration.test_posting import era, run, submitted, typical

pytestmark = pytest.mark.browser


def test_the_front_desk_takes_a_payment_in_the_browser(page: Page, live_server: LiveServer) -> None:  # noqa: F811
    claim = submitted(live_server.practice)
    run(live_server.practice, era(typical(claim)))  # owes 35.00
    _sign_in(page)
    page.goto(f"/patients/{claim.patient_id}")
    expect(page.locator("#account-patient")).to_have_text("$35.00")
    page.get_by_role("link", name="Take a payment").click()
    page.get_by_label("Amount").fill("40.00")
    page.get_by_label("Method").select_option("check")
    page.get_by_label("Check number, or card last 4 / authorization").fill("1044")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator("#payment-taken")).to_have_text("Payment of $40.00 by check recorded; $5.00 left as credit.")
    expect(page.locator("#patient-owes")).to_have_text("$0.00")
    expect(page.locator("#patient-credit")).to_have_text("$5.00")
