"""Background jobs, in the browser: the recent jobs with their progress, a form to start one, a job's page with its
chunks (refreshing itself every two seconds until the job is finished), and resuming a job's unfinished chunks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from medbill import bootstrap
from medbill.domain.errors import MedbillError
from medbill.domain.jobs import ChunkStatus, JobKind, JobStatus
from medbill.domain.users import Actor
from medbill.services import jobs
from medbill.services.jobs import JobDetail
from medbill.web.context import Posted, SignedIn, WebRoute, container_of, posted, signed_in
from medbill.web.rendering import page

router = APIRouter(route_class=WebRoute, include_in_schema=False)

LISTED = 25
REFRESH_SECONDS = 2
FIELDS = ("kind", "chunk_size", "mailbox", "day", "days", "from", "to", "contact_phone", "file_ids")
LABELS = {
    JobKind.BUILD_CLAIMS: "Build claims from unbilled encounters",
    JobKind.SCRUB_CLAIMS: "Scrub draft claims",
    JobKind.BATCH_CLAIMS: "Batch clean claims into 837 files",
    JobKind.SEND_BATCHES: "Send batches to the clearinghouse",
    JobKind.POLL_CLEARINGHOUSE: "Take in the clearinghouse's answers",
    JobKind.CLAIM_STATUS: "Ask payers about claims with no answer (276)",
    JobKind.IMPORT_REMITTANCE: "Post archived 835 files",
    JobKind.ELIGIBILITY_RUN: "Check eligibility for a day's appointments",
    JobKind.STATEMENT_RUN: "Run patient statements",
    JobKind.REPORT: "KPI report of a period",
}


@dataclass(frozen=True, slots=True)
class Progress:
    """What a progress bar shows: chunks finished of the total, items done of the total."""

    finished: int
    chunks: int
    items_done: int
    items: int

    @classmethod
    def of(cls, detail: JobDetail) -> Progress:
        job = detail.job
        return cls(job.chunks_done + job.chunks_failed, job.chunks_total, detail.items_done, detail.items_total)


def _startable(actor: Actor) -> list[tuple[str, str]]:
    return [(k.value, LABELS[k]) for k in jobs.kinds() if actor.can(jobs.spec_of(k).permission)]


def params_of(values: dict[str, str]) -> dict[str, Any]:
    """The form's filled-in fields as the kind's parameters (each kind takes the ones it knows)."""
    params: dict[str, Any] = {}
    for name in FIELDS[1:]:
        text = values.get(name, "").strip()
        if not text:
            continue
        if name in ("chunk_size", "days"):
            params[name] = int(text) if text.isdigit() else text
        elif name == "file_ids":
            params[name] = [part for part in re.split(r"[\s,]+", text) if part]
        else:
            params[name] = text
    return params


def result_text(result: str) -> str:
    """A chunk's result in words: its counts and dates (a nested result, like a report's KPIs, by name only)."""
    if not result:
        return ""
    parts = []
    for key, value in json.loads(result).items():
        shown = value if isinstance(value, int | str) else "…"
        parts.append(f"{key.replace('_', ' ')}: {shown}")
    return ", ".join(parts)


def _list_page(request: Request, who: SignedIn, *, form: dict[str, str] | None = None, error: str = "") -> Response:
    details = [jobs.job_detail(who.deps, who.actor, j.id) for j in jobs.list_jobs(who.deps, who.actor, limit=LISTED)]
    context: dict[str, object] = {
        "rows": [(d.job, Progress.of(d)) for d in details],
        "kinds": _startable(who.actor),
        "labels": {k.value: v for k, v in LABELS.items()},
        "form": form or {"chunk_size": "500"},
        "error": error,
        "nav": "jobs",
    }
    return page(request, "jobs.html", context, status_code=422 if error else 200)


@router.get("/jobs")
def list_page(request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    return _list_page(request, who)


@router.post("/jobs")
def start(request: Request, form: Posted = Depends(posted)) -> Response:
    """Start the job the form describes and go to its page (in-process it has already run)."""
    values = {k: form.values.get(k, "") for k in FIELDS}
    try:
        job = jobs.start_job(
            form.who.deps,
            form.who.actor,
            bootstrap.dispatcher(container_of(request)),
            values["kind"],
            params_of(values),
        )
    except MedbillError as exc:
        return _list_page(request, form.who, form=values, error=str(exc))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def show(job_id: str, request: Request, who: SignedIn = Depends(signed_in)) -> Response:
    detail = jobs.job_detail(who.deps, who.actor, job_id)
    job = detail.job
    context: dict[str, object] = {
        "job": job,
        "label": LABELS[job.kind],
        "progress": Progress.of(detail),
        "totals": detail.totals(),
        "chunks": [(c, result_text(c.result)) for c in detail.chunks],
        "refresh": 0 if job.finished else REFRESH_SECONDS,
        "resumable": job.status is not JobStatus.SUCCEEDED
        and any(c.status in (ChunkStatus.FAILED, ChunkStatus.PENDING) for c in detail.chunks),
        "nav": "jobs",
    }
    return page(request, "job.html", context)


@router.post("/jobs/{job_id}/resume")
def resume(job_id: str, request: Request, form: Posted = Depends(posted)) -> Response:
    """Hand out again the chunks that are not done, then back to the job's page."""
    jobs.resume_job(form.who.deps, form.who.actor, bootstrap.dispatcher(container_of(request)), job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
