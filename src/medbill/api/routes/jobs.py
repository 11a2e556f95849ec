"""Background jobs: start one (202: it runs in the background, or has already run in-process), list recent jobs,
follow one's progress chunk by chunk, and resume the chunks that did not finish."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from medbill import bootstrap
from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import Strict
from medbill.bootstrap import Container
from medbill.domain.jobs import Job, JobChunk
from medbill.services import jobs
from medbill.services.job_ports import Dispatcher

router = APIRouter(tags=["jobs"])

KINDS = ", ".join(k.value for k in jobs.kinds())


class JobIn(Strict):
    kind: str = Field(examples=["build_claims"], description=f"one of: {KINDS}")
    params: dict[str, Any] = Field(
        default_factory=dict,
        examples=[{"chunk_size": 500}],
        description="build_claims, scrub_claims: chunk_size; batch_claims: usage (P/T), contact_phone; "
        "send_batches, poll_clearinghouse: mailbox; import_remittance: file_ids; eligibility_run: day, mailbox; "
        "report: from, to; statement_run: none",
    )


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "succeeded", "failed"]
    params: dict[str, Any] = Field(description="the parameters as the job took them (defaults filled in)")
    chunks_total: int
    chunks_done: int
    chunks_failed: int
    percent: int = Field(description="whole percent of chunks finished, done or failed")
    created_at: datetime
    created_by: str
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            id=job.id,
            kind=job.kind.value,
            status=job.status.value,
            params=json.loads(job.params),
            chunks_total=job.chunks_total,
            chunks_done=job.chunks_done,
            chunks_failed=job.chunks_failed,
            percent=job.percent,
            created_at=job.created_at,
            created_by=job.created_by,
            finished_at=job.finished_at,
        )


class ChunkOut(BaseModel):
    seq: int = Field(description="0-based position in the job's plan")
    status: Literal["pending", "running", "done", "failed"]
    attempts: int
    size: int = Field(description="how many items (encounters, claims, files …) the chunk covers")
    result: dict[str, Any] | None = Field(description="what the chunk did (counts); null until it is done")
    error: str = Field(description="why it failed: the error's code, field and message; empty when it did not")
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, c: JobChunk) -> ChunkOut:
        return cls(
            seq=c.seq,
            status=c.status.value,
            attempts=c.attempts,
            size=c.size,
            result=json.loads(c.result) if c.result else None,
            error=c.error,
            started_at=c.started_at,
            finished_at=c.finished_at,
        )


class JobDetailOut(BaseModel):
    job: JobOut
    percent: int
    items_total: int
    items_done: int = Field(description="items in the chunks that are done")
    totals: dict[str, int] = Field(description="the chunks' counts added up (claims built, payments posted …)")
    chunks: list[ChunkOut]


def _dispatcher(request: Request) -> Dispatcher:
    container: Container = request.app.state.container
    return bootstrap.dispatcher(container)


@router.post("/jobs", response_model=JobOut, status_code=202)
def start_job(body: JobIn, request: Request, deps: DepsDep, actor: ActorDep) -> JobOut:
    """Plan the job and hand out its chunks. Without a broker they run before this answers (the job comes back
    finished); with one, the workers run them and GET /jobs/{job_id} follows the progress."""
    return JobOut.of(jobs.start_job(deps, actor, _dispatcher(request), body.kind, body.params))


@router.get("/jobs", response_model=list[JobOut])
def list_jobs(
    deps: DepsDep,
    actor: ActorDep,
    kind: str | None = Query(None, description=f"only jobs of this kind: {KINDS}"),
    limit: int = Query(50, ge=1, le=500),
) -> list[JobOut]:
    """Recent jobs the caller's role may see, newest first."""
    return [JobOut.of(j) for j in jobs.list_jobs(deps, actor, kind=kind, limit=limit)]


@router.get("/jobs/{job_id}", response_model=JobDetailOut)
def get_job(job_id: str, deps: DepsDep, actor: ActorDep) -> JobDetailOut:
    """A job's progress: chunks and items done, its results added up, and each chunk with its result or error."""
    detail = jobs.job_detail(deps, actor, job_id)
    return JobDetailOut(
        job=JobOut.of(detail.job),
        percent=detail.job.percent,
        items_total=detail.items_total,
        items_done=detail.items_done,
        totals=detail.totals(),
        chunks=[ChunkOut.of(c) for c in detail.chunks],
    )


@router.post("/jobs/{job_id}/resume", response_model=JobOut, status_code=202)
def resume_job(job_id: str, request: Request, deps: DepsDep, actor: ActorDep) -> JobOut:
    """Hand out again every chunk that is not done: pending ones a worker lost, and failed ones once their cause is
    fixed (a chunk that is done never runs again)."""
    return JobOut.of(jobs.resume_job(deps, actor, _dispatcher(request), job_id))
