"""The reports dashboard: KPIs against their targets, monthly charts as inline SVG, denials, aging, and each number
leading to the claims behind it."""

from __future__ import annotations

import html
import re

from tests.e2e.conftest import Web
from tests.integration.report_fixture import build_visits
from tests.support import FixedClock


def _href(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.S)
    assert match, pattern
    return html.unescape(match.group(1))


def test_the_dashboard_shows_kpis_against_targets_with_charts_and_links_to_the_claims(
    web: Web, clock: FixedClock
) -> None:
    visits = build_visits(web.practice, clock)
    home = web.client.get("/")
    assert '<a href="/reports"' in home.text

    page = web.client.get("/reports", params={"from": "2026-09-01", "to": "2026-11-26"})
    assert page.status_code == 200, page.text[:400]
    text = page.text
    # 3 of 4 claims clean = 75.00 %, below the 95 % target: shown missed, in red
    assert re.search(r'data-kpi="clean_claim_rate">.*?class="missed">75\.00%</a>', text, re.S)
    assert re.search(r'data-kpi="days_in_ar">.*?class="missed">66\.75 days</a>', text, re.S)
    assert re.search(r'data-kpi="charge_lag_days">.*?<a href="[^"]+" class="">1\.20 days</a>', text, re.S)
    assert text.count('<svg class="chart"') == 6
    assert "<title>Nov 2026: 66.75 days</title>" in text  # the days-in-A/R line's last point
    assert "<td>CO-50</td>" in text
    assert re.search(r'id="aging".*?Acme Health.*?\$151\.50</a> \(1\)', text, re.S)

    clean = web.client.get(_href(text, r'data-kpi="clean_claim_rate">.*?<a href="([^"]+)" class="missed"'))
    assert clean.status_code == 200
    shown = re.findall(r'data-claim="([^"]+)"', clean.text)
    assert sorted(shown) == sorted([visits.a.id, visits.c.id, visits.d.id])
    assert "3 claims." in clean.text

    every = web.client.get(_href(text, r'data-kpi="clean_claim_rate">.*?<a href="([^"]+part=base[^"]*)"'))
    assert len(re.findall(r'data-claim="', every.text)) == 4

    # Acme's row: 31-60 holds the denials still owed (B 31.50 + C 120.00 = $151.50), 120+ holds E's $151.50
    aged = web.client.get(_href(text, r'id="aging".*?Acme Health.*?\$151\.50</a>.*?<a href="([^"]+)">\$151\.50</a>'))
    assert re.findall(r'data-claim="([^"]+)"', aged.text) == [visits.e.id]
    assert f'href="/claims/{visits.e.id}/ledger"' in aged.text

    refused = web.client.get("/reports/claims", params={"kpi": "happiness"})
    assert refused.status_code == 422
