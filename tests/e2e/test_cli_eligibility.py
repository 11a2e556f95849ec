"""`medbill eligibility check|run|poll`, `medbill estimate --pdf` and `medbill estimate-accuracy` as a person types
them, on a small demo practice whose payers the sandbox payer plays."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run


def test_eligibility_estimates_and_the_good_faith_pdf_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = json.loads(run("demo", "--no-serve", "--patients", "12", "--json", url=url).stdout)
    day = json.loads(run("appointments", "list", "--date", "tomorrow", "--json", url=url).stdout)["appointments"]
    assert len(day) == demo["appointments_tomorrow"] == 12

    again = json.loads(run("eligibility", "run", "--date", "tomorrow", "--json", url=url).stdout)
    assert again["checks"] == sum(demo["eligibility_tomorrow"].values())
    assert set(again["by_status"]) <= {"active", "inactive", "rejected"}
    assert all(r["trace_number"] and r["answered_at"] for r in again["results"])

    # one patient whose coverage the sandbox payer knows (a demo member may be unknown to it: rejected)
    active = {r["appointment_id"] for r in again["results"] if r["status"] == "active"}
    account = next(a["account_number"] for a in day if a["id"] in active)
    one = json.loads(
        run("eligibility", "check", account, "--service-type", "30", "--service-type", "98", "--json", url=url).stdout
    )
    assert (one["service_types"], one["status"]) == (["30", "98"], "active")
    assert one["deductible_remaining"] is not None and one["plan_name"]
    text = run("eligibility", "check", account, url=url).stdout
    assert text.startswith("active: ") and "deductible remaining" in text
    refused = run("eligibility", "check", account, "--service-type", "???", url=url, check=False)
    assert refused.returncode == 1 and "service types" in refused.stderr
    assert json.loads(run("eligibility", "poll", "--json", url=url).stdout) == {"completed": []}

    pdf = tmp_path / "estimate.pdf"
    visit = next(a["id"] for a in day if a["id"] in active)
    shown = json.loads(run("estimate", visit, "--pdf", str(pdf), "--json", url=url).stdout)
    assert shown["benefits_source"] == "271" and shown["pdf"] == str(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    report = json.loads(
        run("estimate-accuracy", "--from", "2020-01-01", "--to", "2020-01-31", "--json", url=url).stdout
    )
    assert report == {"from": "2020-01-01", "to": "2020-01-31", "payers": [], "not_compared": []}
