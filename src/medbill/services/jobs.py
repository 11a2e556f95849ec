"""Running long work as background jobs: plan a job into chunks in one transaction, hand the chunks to workers only
after it commits, run each chunk at least once (its work is idempotent), and record each chunk's result or failure.

The same code runs in-process (``InProcessDispatcher``: the chunks run at once, one after another, in the caller)
and on Celery workers (the queue adapter's dispatcher sends one task per chunk; the task calls ``run_chunk``).
A chunk that raises a typed medbill error has failed for good (the error is kept, without PHI, and the chunk can be
re-run with ``resume_job`` once the cause is fixed); any other exception (the database went away, the worker lost
its connection) puts the chunk back to pending and is raised again so the worker's retry policy takes it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medbill.domain.audit import AuditAction
from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fields import new_id, parse_enum
from medbill.domain.jobs import ChunkStatus, Job, JobChunk, JobKind, JobStatus
from medbill.domain.users import Actor, Permission, Role
from medbill.services.base import Deps, record_audit
from medbill.services.job_ports import Dispatcher, JobResources
from medbill.services.ports import UnitOfWork

ENTITY = "job"
JsonMap = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Planned:
    """One chunk of a plan: what it works on and how many items that is."""

    payload: JsonMap
    size: int


@dataclass(frozen=True, slots=True)
class ChunkContext:
    """What a chunk's work gets: the ports, the actor the job runs as, its parameters, and how to start more jobs."""

    deps: Deps
    actor: Actor
    resources: JobResources
    dispatcher: Dispatcher
    params: JsonMap


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A kind of job: who may start it, how it is split, and what one chunk does (returning counts for the record)."""

    kind: JobKind
    permission: Permission
    plan: Callable[[UnitOfWork, Actor, JsonMap], list[Planned]]
    run: Callable[[ChunkContext, JsonMap], dict[str, Any]]
    check: Callable[[JsonMap], dict[str, Any]] = field(default=lambda params: dict(params))  # params validated


_SPECS: dict[JobKind, JobSpec] = {}


def register(spec: JobSpec) -> JobSpec:
    _SPECS[spec.kind] = spec
    return spec


def spec_of(kind: str | JobKind) -> JobSpec:
    from medbill.services import job_kinds  # noqa: F401  (registers the kinds)

    parsed = kind if isinstance(kind, JobKind) else parse_enum(JobKind, kind, "kind")
    return _SPECS[parsed]


def kinds() -> list[JobKind]:
    spec_of(JobKind.REPORT)
    return sorted(_SPECS, key=lambda k: k.value)


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def plan_job(uow: UnitOfWork, deps: Deps, actor: Actor, kind: str | JobKind, params: JsonMap | None = None) -> Job:
    """Plan a job inside the caller's transaction (its chunks written with it); dispatch it only after commit."""
    spec = spec_of(kind)
    actor.require(spec.permission)
    checked = spec.check(params or {})
    planned = spec.plan(uow, actor, checked)
    job = Job(
        id=new_id(),
        practice_id=actor.practice_id,
        kind=spec.kind,
        status=JobStatus.SUCCEEDED if not planned else JobStatus.QUEUED,
        params=_json(checked),
        chunks_total=len(planned),
        chunks_done=0,
        chunks_failed=0,
        created_at=deps.clock.now(),
        created_by=actor.username,
        user_id=actor.user_id or None,
        role=actor.role.value,
        finished_at=deps.clock.now() if not planned else None,
    )
    chunks = [
        JobChunk(job_id=job.id, seq=seq, status=ChunkStatus.PENDING, payload=_json(p.payload), size=p.size)
        for seq, p in enumerate(planned)
    ]
    uow.jobs.add(job, chunks)
    record_audit(uow, deps, actor, AuditAction.CREATE, ENTITY, job.id, f"kind={spec.kind.value} chunks={len(chunks)}")
    return job


def start_job(
    deps: Deps, actor: Actor, dispatcher: Dispatcher, kind: str | JobKind, params: JsonMap | None = None
) -> Job:
    """Plan and commit a job, then hand its chunks to the dispatcher. A dispatcher that fails after the commit
    leaves the job queued; ``resume_job`` hands its pending chunks out again."""
    with deps.uow() as uow:
        job = plan_job(uow, deps, actor, kind, params)
        uow.commit()
    dispatcher.dispatch(actor.practice_id, job.id, range(job.chunks_total))
    return get_job(deps, actor, job.id)


def job_actor(job: Job) -> Actor:
    """The actor a job's chunks run as: whoever started it, with the role they had then."""
    return Actor(
        user_id=job.user_id or "",
        username=job.created_by,
        practice_id=job.practice_id,
        role=Role(job.role),
        source=f"job {job.id}",
    )


def _error_text(exc: MedbillError) -> str:
    where = f" ({exc.field})" if exc.field else ""
    return f"{exc.code}{where}: {exc.message}"


def run_chunk(
    deps: Deps, resources: JobResources, dispatcher: Dispatcher, practice_id: str, job_id: str, seq: int
) -> JobChunk | None:
    """Run one chunk (at least once: a retry of a chunk that is done does nothing). Returns the chunk as it ended,
    or None when there was nothing to do."""
    with deps.uow() as uow:
        job = uow.jobs.get(practice_id, job_id)
        chunk = uow.jobs.take(practice_id, job_id, seq, deps.clock.now())
        uow.commit()
    if chunk is None:
        return None
    spec = spec_of(job.kind)
    context = ChunkContext(
        deps=deps, actor=job_actor(job), resources=resources, dispatcher=dispatcher, params=json.loads(job.params)
    )
    status, result, error = ChunkStatus.DONE, "", ""
    try:
        result = _json(spec.run(context, json.loads(chunk.payload)))
    except MedbillError as exc:
        status, error = ChunkStatus.FAILED, _error_text(exc)
    except BaseException as exc:  # not ours: the attempt did not finish; the chunk goes back for a retry
        _release(deps, practice_id, job_id, seq, f"attempt {chunk.attempts} did not finish: {type(exc).__name__}")
        raise
    with deps.uow() as uow:
        uow.jobs.finish(practice_id, job_id, seq, status, result=result, error=error, at=deps.clock.now())
        uow.commit()
        return uow.jobs.chunk(practice_id, job_id, seq)


def _release(deps: Deps, practice_id: str, job_id: str, seq: int, error: str) -> None:
    try:
        with deps.uow() as uow:
            uow.jobs.release(practice_id, job_id, seq, error)
            uow.commit()
    except Exception:  # noqa: S110 - the database may be what failed; the chunk stays running and is retried anyway
        pass


def resume_job(deps: Deps, actor: Actor, dispatcher: Dispatcher, job_id: str) -> Job:
    """Hand out again every chunk of the job that is not finished, and the failed ones (after their cause is fixed)."""
    with deps.uow() as uow:
        job = uow.jobs.get(actor.practice_id, job_id)
        actor.require(spec_of(job.kind).permission)
        uow.jobs.reopen_failed(actor.practice_id, job_id)
        seqs = [c.seq for c in uow.jobs.chunks(actor.practice_id, job_id) if c.status is not ChunkStatus.DONE]
        record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, job_id, f"resumed chunks={len(seqs)}")
        uow.commit()
    dispatcher.dispatch(actor.practice_id, job_id, seqs)
    return get_job(deps, actor, job_id)


@dataclass(frozen=True, slots=True)
class JobDetail:
    job: Job
    chunks: tuple[JobChunk, ...]

    @property
    def items_total(self) -> int:
        return sum(c.size for c in self.chunks)

    @property
    def items_done(self) -> int:
        return sum(c.size for c in self.chunks if c.status is ChunkStatus.DONE)

    def totals(self) -> dict[str, int]:
        """The chunks' numeric results added up (claims built, payments posted …)."""
        out: dict[str, int] = {}
        for c in self.chunks:
            for key, value in (json.loads(c.result) if c.result else {}).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    out[key] = out.get(key, 0) + value
        return out


def _visible(actor: Actor, job: Job) -> bool:
    return actor.can(spec_of(job.kind).permission)


def get_job(deps: Deps, actor: Actor, job_id: str) -> Job:
    return job_detail(deps, actor, job_id).job


def job_detail(deps: Deps, actor: Actor, job_id: str) -> JobDetail:
    with deps.uow() as uow:
        job = uow.jobs.get(actor.practice_id, job_id)
        actor.require(spec_of(job.kind).permission)
        return JobDetail(job, tuple(uow.jobs.chunks(actor.practice_id, job_id)))


def list_jobs(deps: Deps, actor: Actor, *, kind: str | None = None, limit: int = 50) -> list[Job]:
    if kind is not None:
        parse_enum(JobKind, kind, "kind")
    if not 1 <= limit <= 500:
        raise ValidationError("limit is 1 to 500", field="limit")
    with deps.uow() as uow:
        return [j for j in uow.jobs.recent(actor.practice_id, kind=kind, limit=limit) if _visible(actor, j)]


class InProcessDispatcher:
    """The default: each chunk runs at once in the calling process, in order. A chunk's unexpected failure is
    raised to the caller after the chunk went back to pending (``resume_job`` runs it again)."""

    name = "in-process"

    def __init__(self, deps: Deps, resources: JobResources) -> None:
        self._deps = deps
        self._resources = resources

    def dispatch(self, practice_id: str, job_id: str, seqs: Sequence[int]) -> None:
        for seq in seqs:
            run_chunk(self._deps, self._resources, self, practice_id, job_id, seq)
