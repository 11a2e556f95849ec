"""`medbill jobs …` and `medbill worker`: start a background job and follow its chunks on a progress bar, list, show
and resume jobs, and run a Celery worker that takes the chunks (when a broker is configured)."""

from __future__ import annotations

import json
import time
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from medbill.cli.admin import practice_id_for
from medbill.cli.common import console, container, err_console, fail, print_json
from medbill.domain.jobs import ChunkStatus, JobStatus

if TYPE_CHECKING:
    from medbill.domain.jobs import Job
    from medbill.domain.users import Actor
    from medbill.services.base import Deps
    from medbill.services.jobs import JobDetail

app = typer.Typer(help="Background jobs: start one and follow it, list, show, resume.", no_args_is_help=True)

POLL_SECONDS = 0.5
PracticeOpt = Annotated[str | None, typer.Option(help="practice id or name (default: the only one)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]
WaitOpt = Annotated[bool, typer.Option("--wait/--no-wait", help="follow the job on a progress bar until it ends")]
JobArg = Annotated[str, typer.Argument(help="the job's id")]


def _loads(text: str) -> Any:
    return json.loads(text) if text else None


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind.value,
        "status": job.status.value,
        "params": json.loads(job.params),
        "chunks_total": job.chunks_total,
        "chunks_done": job.chunks_done,
        "chunks_failed": job.chunks_failed,
        "percent": job.percent,
        "created_at": job.created_at.isoformat(),
        "created_by": job.created_by,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def detail_json(detail: JobDetail) -> dict[str, Any]:
    return {
        **job_json(detail.job),
        "items_total": detail.items_total,
        "items_done": detail.items_done,
        "totals": detail.totals(),
        "chunks": [
            {
                "seq": c.seq,
                "status": c.status.value,
                "attempts": c.attempts,
                "size": c.size,
                "result": _loads(c.result),
                "error": c.error,
            }
            for c in detail.chunks
        ],
    }


def parse_params(pairs: list[str], kind: str) -> dict[str, Any]:
    """``key=value`` pairs as the kind's parameters: a value that parses as JSON (a number, a list) is taken as
    JSON, anything else as text; a value the kind refuses as JSON but takes as text (a phone number) stays text."""
    from medbill.domain.errors import ValidationError
    from medbill.services.jobs import spec_of

    raw: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationError(f"--param takes key=value, not {pair!r}", field="param")
        raw[key.strip()] = value
    params: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    check = spec_of(kind).check
    while True:
        try:
            check(params)
        except ValidationError as exc:
            if exc.field in raw and params[exc.field] != raw[exc.field]:
                params[exc.field] = raw[exc.field]
                continue
        return params


def _reason(detail: JobDetail) -> str:
    failed = [f"chunk {c.seq}: {c.error}" for c in detail.chunks if c.status is ChunkStatus.FAILED]
    return f"job {detail.job.id} ({detail.job.kind.value}) failed: " + "; ".join(failed)


def _follow(deps: Deps, actor: Actor, job_id: str, quiet: bool) -> JobDetail:
    """Poll the job until it is finished, on two progress bars (chunks and items) unless ``quiet``."""
    from medbill.services import jobs

    detail = jobs.job_detail(deps, actor, job_id)
    if quiet:
        while not detail.job.finished:
            time.sleep(POLL_SECONDS)
            detail = jobs.job_detail(deps, actor, job_id)
        return detail
    columns = (TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console) as bar:  # left on screen: the last state stays readable
        chunks = bar.add_task(f"{detail.job.kind.value} chunks", total=detail.job.chunks_total)
        items = bar.add_task("items", total=detail.items_total)
        while True:
            job = detail.job
            bar.update(chunks, completed=job.chunks_done + job.chunks_failed)
            bar.update(items, completed=detail.items_done)
            if job.finished:
                break
            time.sleep(POLL_SECONDS)
            detail = jobs.job_detail(deps, actor, job_id)
    return detail


def _report(detail: JobDetail, as_json: bool) -> None:
    """The finished (or, without --wait, the just-started) job; a failed job ends the command with its reason."""
    job = detail.job
    if as_json:
        print_json(detail_json(detail))
    elif job.finished:
        totals = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in detail.totals().items()) or "nothing to do"
        console.print(
            f"job {job.id} {job.kind.value} {job.status.value}: {job.chunks_done}/{job.chunks_total} chunks, "
            f"{detail.items_done}/{detail.items_total} items; {totals}",
            highlight=False,
            soft_wrap=True,
        )
    else:
        console.print(
            f"job {job.id} {job.kind.value} {job.status.value}: {job.chunks_total} chunks; "
            f"follow it with `medbill jobs show {job.id}`",
            highlight=False,
            soft_wrap=True,
        )
    if job.status is JobStatus.FAILED:
        fail(_reason(detail))


def _run(start: Any, deps: Deps, actor: Actor, wait: bool, as_json: bool) -> None:
    """Start (or resume) the job; an attempt that stopped on something not ours ends the command in one line."""
    from medbill.domain.errors import MedbillError
    from medbill.services import jobs

    try:
        job: Job = start()
    except MedbillError:
        raise
    except Exception as exc:  # in-process, a chunk's unexpected failure reaches us after the chunk went back
        fail(f"the job stopped ({type(exc).__name__}); see `medbill jobs list` and resume it")
    try:
        detail = _follow(deps, actor, job.id, as_json) if wait else jobs.job_detail(deps, actor, job.id)
    except KeyboardInterrupt:
        fail(f"stopped following; job {job.id} goes on (see `medbill jobs show {job.id}`)", code=130)
    _report(detail, as_json)


@app.command("start")
def start(
    kind: Annotated[
        str,
        typer.Argument(
            help="build_claims, scrub_claims, batch_claims, send_batches, poll_clearinghouse, claim_status, import_remittance, eligibility_run, statement_run or report"
        ),
    ],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value, repeatable (chunk_size=200, mailbox=acme)")
    ] = None,
    wait: WaitOpt = True,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Start a background job: in-process it has run when this returns; with a broker the workers run its chunks."""
    from medbill.bootstrap import dispatcher
    from medbill.services import jobs
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        params = parse_params(param or [], kind)
        _run(lambda: jobs.start_job(c.deps, actor, dispatcher(c), kind, params), c.deps, actor, wait, as_json)


@app.command("resume")
def resume(job_id: JobArg, wait: WaitOpt = True, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """Hand out again the job's chunks that are not done (the failed ones too, once their cause is fixed)."""
    from medbill.bootstrap import dispatcher
    from medbill.services import jobs
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        _run(lambda: jobs.resume_job(c.deps, actor, dispatcher(c), job_id), c.deps, actor, wait, as_json)


@app.command("list")
def list_(
    kind: Annotated[str | None, typer.Option(help="only jobs of this kind")] = None,
    limit: int = 50,
    practice: PracticeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Recent jobs, newest first."""
    from medbill.services import jobs
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        found = jobs.list_jobs(c.deps, actor, kind=kind, limit=limit)
    if as_json:
        print_json([job_json(j) for j in found])
        return
    table = Table("id", "kind", "status", "chunks", "%", "by", "started")
    for j in found:
        done = f"{j.chunks_done}/{j.chunks_total}" + (f" ({j.chunks_failed} failed)" if j.chunks_failed else "")
        when = j.created_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(j.id, j.kind.value, j.status.value, done, str(j.percent), j.created_by, when)
    console.print(table)


@app.command("show")
def show(job_id: JobArg, practice: PracticeOpt = None, as_json: JsonOpt = False) -> None:
    """A job and each of its chunks: status, attempts, size, result and error."""
    from medbill.services import jobs
    from medbill.services.users import operator

    actor = operator(practice_id_for(practice))
    with container() as c:
        detail = jobs.job_detail(c.deps, actor, job_id)
    if as_json:
        print_json(detail_json(detail))
        return
    job = detail.job
    console.print(
        f"job {job.id} {job.kind.value} {job.status.value} {job.percent}%: {job.chunks_done} done, "
        f"{job.chunks_failed} failed of {job.chunks_total} chunks; {detail.items_done}/{detail.items_total} items; "
        f"started by {job.created_by} {job.created_at:%Y-%m-%d %H:%M}; params {job.params}",
        highlight=False,
        soft_wrap=True,
    )
    table = Table("chunk", "status", "attempts", "size", "result", "error")
    for ch in detail.chunks:
        table.add_row(str(ch.seq), ch.status.value, str(ch.attempts), str(ch.size), ch.result, ch.error)
    if detail.chunks:
        console.print(table)


class Pool(StrEnum):
    PREFORK = "prefork"
    SOLO = "solo"
    THREADS = "threads"


def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="chunks run at once by this worker")] = 1,
    pool: Annotated[Pool, typer.Option(help="prefork (processes), threads, or solo (one at a time, in-process)")] = (
        Pool.PREFORK
    ),
    name: Annotated[str | None, typer.Option(help="the worker's node name (default: celery@host)")] = None,
    loglevel: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING …")] = "INFO",
) -> None:
    """Run a Celery worker that takes job chunks from MEDBILL_BROKER_URL's queue (blocks until stopped)."""
    from medbill.bootstrap import Settings

    if not Settings().broker_url:
        fail(
            "set MEDBILL_BROKER_URL to the broker the workers share (amqp://…, redis://…); "
            "without one, jobs run in the process that starts them and need no worker"
        )
    from medbill.jobs.tasks import run_worker

    run_worker(concurrency=concurrency, pool=pool.value, name=name, loglevel=loglevel)
