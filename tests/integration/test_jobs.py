"""Background jobs run in-process (the default): the cycle as jobs, chunking, progress, failures and resuming."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
from medbill.domain.claim_states import ClaimStatus
from medbill.domain.errors import PermissionDenied, ValidationError
from medbill.domain.jobs import ChunkStatus, JobStatus
from medbill.domain.users import Role
from medbill.services import claims, jobs
from medbill.services import clearinghouse as mailbox
from medbill.services.jobs import InProcessDispatcher
from medbill.services.ports import Clearinghouse
from tests.integration.claims_support import covered_encounter, uncovered_encounter
from tests.integration.test_submission import sandbox_for
from tests.support import Practice


class Resources:
    def __init__(self, sandbox: SandboxClearinghouse) -> None:
        self.sandbox = sandbox
        self.asked: list[str | None] = []

    def clearinghouse(self, name: str | None) -> Clearinghouse:
        self.asked.append(name)
        return self.sandbox


@pytest.fixture
def runner(practice: Practice, tmp_path: Path) -> InProcessDispatcher:
    resources = Resources(sandbox_for(practice, tmp_path / "sandbox"))
    return InProcessDispatcher(practice.container.deps, resources)


def test_the_claim_cycle_runs_as_jobs_in_chunks_with_progress_and_results(
    practice: Practice, runner: InProcessDispatcher
) -> None:
    deps, biller = practice.container.deps, practice.biller
    for index, name in enumerate(["Alder", "Birch", "Cedar", "Dogwood", "Elm"]):
        covered_encounter(practice, last_name=name, on=date(2026, 11, 16 + index))
    uncovered_encounter(practice)  # self-pay: skipped by the build, with its reason counted

    built = jobs.start_job(deps, biller, runner, "build_claims", {"chunk_size": 2})
    assert (built.status, built.chunks_total, built.chunks_done, built.percent) == (JobStatus.SUCCEEDED, 3, 3, 100)
    detail = jobs.job_detail(deps, biller, built.id)
    assert [c.size for c in detail.chunks] == [2, 2, 2]
    assert all(c.status is ChunkStatus.DONE and c.attempts == 1 for c in detail.chunks)
    assert detail.totals() == {"created": 5, "existing": 0, "skipped": 1}

    scrubbed = jobs.start_job(deps, biller, runner, "scrub_claims", {"chunk_size": 2})
    assert (scrubbed.status, scrubbed.chunks_total) == (JobStatus.SUCCEEDED, 3)
    assert jobs.job_detail(deps, biller, scrubbed.id).totals() == {"scrubbed": 5, "with_errors": 0}
    for kind, params in [
        ("batch_claims", {"contact_phone": "2175550100"}),
        ("send_batches", {}),
        ("poll_clearinghouse", {"mailbox": "sandbox"}),
    ]:
        job = jobs.start_job(deps, biller, runner, kind, params)
        assert job.status is JobStatus.SUCCEEDED, jobs.job_detail(deps, biller, job.id).chunks
    polled = jobs.job_detail(deps, biller, job.id)
    assert polled.totals() == {"files": 3, "problems": 0, "claim_payments": 5, "posted": 5, "rejections_queued": 0}
    assert sorted(c.status for c in claims.list_claims(deps, biller)) == [ClaimStatus.PAID] * 5
    assert sorted(j.kind.value for j in jobs.list_jobs(deps, biller)) == [
        "batch_claims",
        "build_claims",
        "poll_clearinghouse",
        "scrub_claims",
        "send_batches",
    ]


def test_a_job_with_nothing_to_do_is_finished_at_once(practice: Practice, runner: InProcessDispatcher) -> None:
    job = jobs.start_job(practice.container.deps, practice.biller, runner, "build_claims")
    assert (job.status, job.chunks_total, job.percent) == (JobStatus.SUCCEEDED, 0, 100)


def test_a_chunk_that_fails_with_a_typed_error_is_recorded_and_can_be_resumed(
    practice: Practice, runner: InProcessDispatcher
) -> None:
    deps, biller = practice.container.deps, practice.biller
    covered_encounter(practice)
    claims.build_claims(deps, biller)
    claims.scrub_claims(deps, biller)
    batched = jobs.start_job(deps, biller, runner, "batch_claims")  # the seeded practice has no phone for PER04
    assert (batched.status, batched.chunks_failed) == (JobStatus.FAILED, 1)
    chunk = jobs.job_detail(deps, biller, batched.id).chunks[0]
    assert chunk.status is ChunkStatus.FAILED and chunk.error.startswith("invalid_input (contact_phone): the 837")

    again = jobs.resume_job(deps, biller, runner, batched.id)  # nothing fixed: it fails again, counted once
    assert (again.status, again.chunks_failed, again.chunks_done) == (JobStatus.FAILED, 1, 0)
    assert jobs.job_detail(deps, biller, batched.id).chunks[0].attempts == 2


def test_an_unexpected_error_puts_the_chunk_back_for_a_retry(practice: Practice, runner: InProcessDispatcher) -> None:
    deps, biller = practice.container.deps, practice.biller
    covered_encounter(practice)

    class Broken(Resources):
        def clearinghouse(self, name: str | None) -> Clearinghouse:
            raise ConnectionResetError("peer went away")

    broken = InProcessDispatcher(deps, Broken(runner._resources.sandbox))  # type: ignore[attr-defined]
    with pytest.raises(ConnectionResetError):
        jobs.start_job(deps, biller, broken, "send_batches")
    job = jobs.list_jobs(deps, biller, kind="send_batches")[0]
    chunk = jobs.job_detail(deps, biller, job.id).chunks[0]
    assert (job.status, chunk.status, chunk.attempts) == (JobStatus.RUNNING, ChunkStatus.PENDING, 1)
    assert chunk.error == "attempt 1 did not finish: ConnectionResetError"
    resumed = jobs.resume_job(deps, biller, runner, job.id)
    assert (resumed.status, resumed.chunks_done) == (JobStatus.SUCCEEDED, 1)
    assert json.loads(jobs.job_detail(deps, biller, job.id).chunks[0].result) == {"claims": 0, "files": 0}


def test_a_chunk_that_is_done_is_not_run_again(practice: Practice, runner: InProcessDispatcher) -> None:
    deps, biller = practice.container.deps, practice.biller
    covered_encounter(practice)
    job = jobs.start_job(deps, biller, runner, "build_claims")
    assert jobs.run_chunk(deps, runner._resources, runner, biller.practice_id, job.id, 0) is None  # type: ignore[attr-defined]
    assert jobs.job_detail(deps, biller, job.id).chunks[0].attempts == 1


def test_jobs_check_their_parameters_and_the_actors_permission(practice: Practice, runner: InProcessDispatcher) -> None:
    deps = practice.container.deps
    with pytest.raises(ValidationError) as bad:
        jobs.start_job(deps, practice.biller, runner, "build_claims", {"chunk_size": 0})
    assert bad.value.field == "chunk_size"
    with pytest.raises(ValidationError) as kind:
        jobs.start_job(deps, practice.biller, runner, "mine_bitcoin")
    assert kind.value.field == "kind"
    with pytest.raises(PermissionDenied):
        jobs.start_job(deps, replace(practice.biller, role=Role.VIEWER), runner, "statement_run")
    assert jobs.list_jobs(deps, practice.biller) == []


def test_files_a_crashed_poll_archived_but_did_not_take_in_are_taken_in_by_the_next(
    practice: Practice, runner: InProcessDispatcher
) -> None:
    deps, biller = practice.container.deps, practice.biller
    sandbox = runner._resources.sandbox  # type: ignore[attr-defined]
    covered_encounter(practice)
    for kind, params in [
        ("build_claims", {}),
        ("scrub_claims", {}),
        ("batch_claims", {"contact_phone": "2175550100"}),
        ("send_batches", {}),
    ]:
        assert jobs.start_job(deps, biller, runner, kind, params).status is JobStatus.SUCCEEDED
    archived = mailbox.poll(deps, biller, sandbox)  # fetched and archived; the process dies before taking them in
    assert sorted(a.file.x12_kind or "" for a in archived) == ["277CA", "835", "999"]
    assert [c.status for c in claims.list_claims(deps, biller)] == [ClaimStatus.SUBMITTED]

    polled = jobs.start_job(deps, biller, runner, "poll_clearinghouse")
    assert jobs.job_detail(deps, biller, polled.id).totals() == {
        "claim_payments": 1,
        "files": 3,
        "posted": 1,
        "problems": 0,
        "rejections_queued": 0,
    }
    assert [c.status for c in claims.list_claims(deps, biller)] == [ClaimStatus.PAID]
    again = jobs.start_job(deps, biller, runner, "poll_clearinghouse")  # nothing is taken in twice
    assert jobs.job_detail(deps, biller, again.id).totals()["files"] == 0
    status = jobs.start_job(deps, biller, runner, "claim_status", {"days": 1})  # nothing quiet: no 276 to send
    assert jobs.job_detail(deps, biller, status.id).totals() == {"claims": 0, "files": 0}


def test_a_poll_can_leave_each_835_to_a_posting_chunk_of_its_own(
    practice: Practice, runner: InProcessDispatcher
) -> None:
    deps, biller = practice.container.deps, practice.biller
    for index, name in enumerate(["Alder", "Birch"]):
        covered_encounter(practice, last_name=name, on=date(2026, 11, 16 + index))
    for kind, params in [
        ("build_claims", {}),
        ("scrub_claims", {}),
        ("batch_claims", {"contact_phone": "2175550100", "claims_per_file": 1}),
        ("send_batches", {}),
    ]:
        assert jobs.start_job(deps, biller, runner, kind, params).status is JobStatus.SUCCEEDED
    polled = jobs.start_job(deps, biller, runner, "poll_clearinghouse", {"split_835s": True})
    (chunk,) = jobs.job_detail(deps, biller, polled.id).chunks
    result = json.loads(chunk.result)
    assert (result["files"], result["remittance_files"], result["posted"]) == (6, 2, 0)
    posting_job = jobs.job_detail(deps, biller, result["import_job"])
    assert (posting_job.job.kind.value, posting_job.job.status, len(posting_job.chunks)) == (
        "import_remittance",
        JobStatus.SUCCEEDED,
        2,
    )
    assert posting_job.totals() == {
        "already_imported": 0,
        "claim_payments": 2,
        "posted": 2,
        "secondary_claims": 0,
        "transactions": 2,
    }
    assert [c.status for c in claims.list_claims(deps, biller)] == [ClaimStatus.PAID] * 2
    again = jobs.start_job(deps, biller, runner, "poll_clearinghouse", {"split_835s": True})
    assert json.loads(jobs.job_detail(deps, biller, again.id).chunks[0].result)["files"] == 0  # all processed
