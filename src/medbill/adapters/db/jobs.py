"""The SQL side of background jobs: a job and its chunks, taken and finished with single guarded UPDATEs so two
workers racing for one chunk, or a retry racing a slow first attempt, count it once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, case, func, insert, select, update

from medbill.adapters.db import tables as t
from medbill.domain.errors import NotFound
from medbill.domain.jobs import ChunkStatus, Job, JobChunk, JobKind, JobStatus

_J = t.jobs.c
_K = t.job_chunks.c
_OPEN = (ChunkStatus.PENDING.value, ChunkStatus.RUNNING.value)


def _job_of(r: Row[Any]) -> Job:
    return Job(
        id=r.id,
        practice_id=r.practice_id,
        kind=JobKind(r.kind),
        status=JobStatus(r.status),
        params=r.params,
        chunks_total=int(r.chunks_total),
        chunks_done=int(r.chunks_done),
        chunks_failed=int(r.chunks_failed),
        created_at=r.created_at,
        created_by=r.created_by,
        user_id=r.user_id,
        role=r.role,
        finished_at=r.finished_at,
    )


def _chunk_of(r: Row[Any]) -> JobChunk:
    return JobChunk(
        job_id=r.job_id,
        seq=int(r.seq),
        status=ChunkStatus(r.status),
        payload=r.payload,
        size=int(r.size),
        attempts=int(r.attempts),
        result=r.result,
        error=r.error,
        started_at=r.started_at,
        finished_at=r.finished_at,
    )


class SqlJobRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, job: Job, chunks: Sequence[JobChunk]) -> None:
        self._conn.execute(
            insert(t.jobs).values(
                id=job.id,
                practice_id=job.practice_id,
                kind=job.kind.value,
                status=job.status.value,
                params=job.params,
                chunks_total=job.chunks_total,
                chunks_done=job.chunks_done,
                chunks_failed=job.chunks_failed,
                created_at=job.created_at,
                created_by=job.created_by,
                user_id=job.user_id,
                role=job.role,
                finished_at=job.finished_at,
            )
        )
        if chunks:
            self._conn.execute(
                insert(t.job_chunks),
                [
                    {
                        "practice_id": job.practice_id,
                        "job_id": job.id,
                        "seq": c.seq,
                        "status": c.status.value,
                        "payload": c.payload,
                        "size": c.size,
                        "attempts": c.attempts,
                        "result": c.result,
                        "error": c.error,
                        "started_at": c.started_at,
                        "finished_at": c.finished_at,
                    }
                    for c in chunks
                ],
            )

    def get(self, practice_id: str, job_id: str) -> Job:
        row = self._conn.execute(select(t.jobs).where(_J.practice_id == practice_id, _J.id == job_id)).first()
        if row is None:
            raise NotFound("no job with that id in this practice")
        return _job_of(row)

    def recent(self, practice_id: str, *, kind: str | None = None, limit: int = 50) -> Sequence[Job]:
        query = select(t.jobs).where(_J.practice_id == practice_id)
        if kind is not None:
            query = query.where(_J.kind == kind)
        rows = self._conn.execute(query.order_by(_J.created_at.desc(), _J.id).limit(limit))
        return [_job_of(r) for r in rows]

    def chunks(self, practice_id: str, job_id: str) -> Sequence[JobChunk]:
        rows = self._conn.execute(
            select(t.job_chunks).where(_K.practice_id == practice_id, _K.job_id == job_id).order_by(_K.seq)
        )
        return [_chunk_of(r) for r in rows]

    def chunk(self, practice_id: str, job_id: str, seq: int) -> JobChunk:
        row = self._conn.execute(
            select(t.job_chunks).where(_K.practice_id == practice_id, _K.job_id == job_id, _K.seq == seq)
        ).first()
        if row is None:
            raise NotFound(f"job {job_id} has no chunk {seq}", field="seq")
        return _chunk_of(row)

    def take(self, practice_id: str, job_id: str, seq: int, at: datetime) -> JobChunk | None:
        taken = self._conn.execute(
            update(t.job_chunks)
            .where(_K.practice_id == practice_id, _K.job_id == job_id, _K.seq == seq, _K.status.in_(_OPEN))
            .values(status=ChunkStatus.RUNNING.value, attempts=_K.attempts + 1, started_at=at)
        ).rowcount
        if not taken:
            self.chunk(practice_id, job_id, seq)  # NotFound when there is no such chunk at all
            return None
        self._conn.execute(
            update(t.jobs)
            .where(_J.practice_id == practice_id, _J.id == job_id, _J.status == JobStatus.QUEUED.value)
            .values(status=JobStatus.RUNNING.value)
        )
        return self.chunk(practice_id, job_id, seq)

    def finish(
        self, practice_id: str, job_id: str, seq: int, status: ChunkStatus, *, result: str, error: str, at: datetime
    ) -> Job | None:
        closed = self._conn.execute(
            update(t.job_chunks)
            .where(
                _K.practice_id == practice_id,
                _K.job_id == job_id,
                _K.seq == seq,
                _K.status == ChunkStatus.RUNNING.value,
            )
            .values(status=status.value, result=result, error=error, finished_at=at)
        ).rowcount
        if not closed:
            return None
        done = 1 if status is ChunkStatus.DONE else 0
        where = and_(_J.practice_id == practice_id, _J.id == job_id)
        self._conn.execute(
            update(t.jobs)
            .where(where)
            .values(chunks_done=_J.chunks_done + done, chunks_failed=_J.chunks_failed + (1 - done))
        )
        # the job's status from its counts, in the same statement for every racing worker (the row is locked now)
        finished = _J.chunks_done + _J.chunks_failed >= _J.chunks_total
        self._conn.execute(
            update(t.jobs)
            .where(where)
            .values(
                status=case(
                    (and_(finished, _J.chunks_failed > 0), JobStatus.FAILED.value),
                    (finished, JobStatus.SUCCEEDED.value),
                    else_=JobStatus.RUNNING.value,
                ),
                finished_at=case((finished, at), else_=None),
            )
        )
        return self.get(practice_id, job_id)

    def release(self, practice_id: str, job_id: str, seq: int, error: str) -> None:
        self._conn.execute(
            update(t.job_chunks)
            .where(
                _K.practice_id == practice_id,
                _K.job_id == job_id,
                _K.seq == seq,
                _K.status == ChunkStatus.RUNNING.value,
            )
            .values(status=ChunkStatus.PENDING.value, error=error)
        )

    def reopen_failed(self, practice_id: str, job_id: str) -> list[int]:
        failed = [
            int(seq)
            for seq in self._conn.scalars(
                select(_K.seq).where(
                    _K.practice_id == practice_id, _K.job_id == job_id, _K.status == ChunkStatus.FAILED.value
                )
            )
        ]
        if failed:
            self._conn.execute(
                update(t.job_chunks)
                .where(_K.practice_id == practice_id, _K.job_id == job_id, _K.seq.in_(failed))
                .values(status=ChunkStatus.PENDING.value, finished_at=None)
            )
            self._conn.execute(
                update(t.jobs)
                .where(_J.practice_id == practice_id, _J.id == job_id)
                .values(chunks_failed=_J.chunks_failed - len(failed), status=JobStatus.RUNNING.value, finished_at=None)
            )
        return failed

    def claims_by_patient(self, practice_id: str, status: str) -> list[tuple[str, str]]:
        """(claim id, patient id) of the practice's claims in ``status``, by patient: what a scrub job plans over."""
        c = t.claims.c
        rows = self._conn.execute(
            select(c.id, c.patient_id)
            .where(c.practice_id == practice_id, c.status == status)
            .order_by(c.patient_id, c.id)
        )
        return [(r.id, r.patient_id) for r in rows]

    def claim_payers(self, practice_id: str, status: str) -> dict[str, int]:
        """How many of the practice's claims in ``status`` each payer has: what a batch job plans over."""
        c = t.claims.c
        rows = self._conn.execute(
            select(c.payer_id, func.count())
            .where(c.practice_id == practice_id, c.status == status)
            .group_by(c.payer_id)
        )
        return {payer_id: int(count) for payer_id, count in rows}
