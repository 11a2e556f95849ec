"""The web page that shows an uploaded X12 file as a readable document."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Web

SAMPLE = Path(__file__).parents[1] / "fixtures" / "x12" / "835" / "botsedi__835-denial.dat"


def test_an_uploaded_835_is_shown_with_loops_and_described_codes(web: Web) -> None:
    assert "Read an X12 file" in web.client.get("/x12").text
    shown = web.client.post(
        "/x12/view",
        data={"csrf_token": web.csrf},
        files={"file": ("remit.835", SAMPLE.read_bytes(), "application/edi-x12")},
    )
    assert shown.status_code == 200
    assert 'id="x12-types">Transactions: 835<' in shown.text
    assert '<span class="loop-id">2110</span> Service payment' in shown.text
    assert '<span class="el-ref">CAS02</span> <code>252</code> <span class="el-desc">An attachment/other' in (
        shown.text
    )


def test_an_upload_without_its_csrf_token_is_refused(web: Web) -> None:
    refused = web.client.post("/x12/view", files={"file": ("remit.835", SAMPLE.read_bytes(), "text/plain")})
    assert refused.status_code == 403


def test_a_file_that_is_not_x12_is_explained(web: Web) -> None:
    shown = web.client.post(
        "/x12/view", data={"csrf_token": web.csrf}, files={"file": ("a.txt", b"hello", "text/plain")}
    )
    assert shown.status_code == 422
    assert 'id="x12-error"' in shown.text
