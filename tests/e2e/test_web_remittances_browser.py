"""Posting an 835 in a real browser (Debian's Chromium through Playwright): upload, preview, post, then the denial
queue and the claim's ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from medbill.domain.remittance import ClaimStatus as Clp
from tests.e2e.conftest import LiveServer
from tests.e2e.test_web_browser import _sign_in, page  # noqa: F401  # the browser-tab fixture
from tests.integration.test_posting import cas, clp, era, submitted, svc, typical

pytestmark = pytest.mark.browser


def test_a_biller_previews_and_posts_an_835_then_works_the_denial(
    page: Page,  # noqa: F811
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    paid = submitted(live_server.practice)
    refused = submitted(live_server.practice, last_name="Birch")
    denied = clp(
        refused, svc(refused, 1, 0, cas("CO-50", 12000)), svc(refused, 2, 0, cas("CO-50", 3150)), status=Clp.DENIED
    )
    file = tmp_path / "acme.835"
    file.write_bytes(era(typical(paid), denied))
    _sign_in(page)
    page.goto("/remittances")
    page.get_by_label("An 835 remittance advice").set_input_files(str(file))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#era-report-title")).to_have_text("Preview of acme.835: nothing is posted yet")
    expect(page.locator("#era-summary")).to_contain_text("2 claim payments: 2 to post, 0 unmatched, 1 denied")
    page.get_by_role("button", name="Post this remittance").click()
    expect(page.locator("#era-report-title")).to_have_text("Posted acme.835")
    expect(page.locator("#remittance-list tbody tr")).to_have_count(1)
    expect(page.locator('[data-queue="denial"]')).to_have_text("1")
    page.get_by_role("link", name="Denials").click()
    row = page.locator("#queue-items tbody tr")
    expect(row).to_contain_text("claim denied: CO-50")
    row.get_by_role("link", name=refused.patient_control_number).click()
    expect(page.locator("#ledger-insurance")).to_have_text("$151.50")  # a denial stays owed until worked
    page.go_back()
    row.get_by_role("checkbox").check()
    page.get_by_label("Assign to").fill("me")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#queue-items tbody tr td").nth(7)).to_have_text("biller")
    page.get_by_label("Owner").fill("biller")
    page.get_by_label("Payer").select_option(label="Acme Health")
    page.get_by_label("Provider").select_option(index=1)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#queue-items tbody tr")).to_have_count(1)
    page.locator("#queue-items tbody tr").get_by_role("checkbox").check()
    page.get_by_label("What was done").fill("appealed with the visit notes")
    page.get_by_role("button", name="Close").click()
    expect(page.locator("#queue-empty")).to_have_text("Nothing waiting.")
