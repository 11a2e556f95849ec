"""The jobs pages: start a job from the form, its page with the progress and the chunks, a failed chunk and resuming
it, a refused form, and the page of an unfinished job refreshing itself."""

from __future__ import annotations

from collections.abc import Sequence

from medbill.services import jobs
from tests.e2e.conftest import Web
from tests.integration.claims_support import covered_encounter


class Idle:
    """A dispatcher whose workers never come: the job stays queued."""

    name = "idle"

    def dispatch(self, practice_id: str, job_id: str, seqs: Sequence[int]) -> None:
        return None


def test_start_a_job_follow_it_and_resume_a_failed_chunk(web: Web) -> None:
    practice = web.practice
    deps = practice.container.deps
    covered_encounter(practice, last_name="Alder")
    covered_encounter(practice, last_name="Cedar")
    listing = web.client.get("/jobs")
    assert listing.status_code == 200
    assert '<a href="/jobs" aria-current="page">Jobs</a>' in listing.text
    assert '<option value="build_claims">Build claims from unbilled encounters</option>' in listing.text
    assert "No job yet." in listing.text

    started = web.post("/jobs", {"kind": "build_claims", "chunk_size": "1", "mailbox": "", "day": ""})
    assert started.status_code == 303
    [job] = jobs.list_jobs(deps, practice.biller)
    assert (started.headers["location"], job.chunks_total, job.params) == (f"/jobs/{job.id}", 2, '{"chunk_size":1}')
    shown = web.client.get(f"/jobs/{job.id}")
    assert shown.status_code == 200
    assert 'http-equiv="refresh"' not in shown.text  # finished: nothing to wait for
    assert '<progress value="2" max="2">100%</progress>' in shown.text
    assert "100%: 2/2 chunks finished, 2/2 items done" in shown.text
    assert "created: 2, existing: 0, skipped: 0" in shown.text
    assert shown.text.count('data-status="done"') == 2
    assert 'id="job-resume"' not in shown.text

    web.post("/jobs", {"kind": "scrub_claims", "chunk_size": "500"})
    web.post("/jobs", {"kind": "batch_claims"})  # the practice has no PER04 phone: the chunk fails
    failed = jobs.list_jobs(deps, practice.biller, kind="batch_claims")[0]
    page = web.client.get(f"/jobs/{failed.id}")
    assert "<strong>failed</strong>" in page.text and "(1 failed)" in page.text
    assert "invalid_input (contact_phone): the 837" in page.text
    assert f'action="/jobs/{failed.id}/resume"' in page.text
    resumed = web.post(f"/jobs/{failed.id}/resume", {}, follow=True)
    assert resumed.status_code == 200 and resumed.url.path == f"/jobs/{failed.id}"
    assert jobs.job_detail(deps, practice.biller, failed.id).chunks[0].attempts == 2

    listing = web.client.get("/jobs")
    assert listing.text.count("<tr data-job=") == 3
    assert "1/1 chunks, 0/2 items" in listing.text and "(1 chunk failed)" in listing.text
    assert "2/2 chunks, 2/2 items" in listing.text


def test_a_refused_job_keeps_the_form_and_starts_nothing(web: Web) -> None:
    refused = web.post("/jobs", {"kind": "batch_claims", "contact_phone": "555-0100"})
    assert refused.status_code == 422
    assert "contact_phone is ten digits (1000A PER04)" in refused.text
    assert 'value="555-0100"' in refused.text
    small = web.post("/jobs", {"kind": "build_claims", "chunk_size": "none"})
    assert "chunk_size is a whole number from 1 to 5000" in small.text
    assert jobs.list_jobs(web.practice.container.deps, web.practice.biller) == []


def test_the_page_of_an_unfinished_job_refreshes_itself(web: Web) -> None:
    practice = web.practice
    job = jobs.start_job(practice.container.deps, practice.biller, Idle(), "statement_run")
    page = web.client.get(f"/jobs/{job.id}")
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "0%: 0/1 chunks finished, 0/1 items done" in page.text
    assert f'action="/jobs/{job.id}/resume"' in page.text  # a queued chunk no worker took can be handed out again
    assert web.client.get("/jobs/nope").status_code == 404


def test_every_kind_of_job_has_its_label_on_the_start_form() -> None:
    from medbill.domain.jobs import JobKind
    from medbill.web.jobs import LABELS

    assert set(LABELS) == set(JobKind)
