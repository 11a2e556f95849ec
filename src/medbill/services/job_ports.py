"""The ports background jobs need: where jobs and chunks are kept, who hands chunks to workers, what workers use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from medbill.domain.jobs import ChunkStatus, Job, JobChunk

if TYPE_CHECKING:
    from medbill.services.ports import Clearinghouse

RUN_CHUNK_TASK = "medbill.run_chunk"  # the one task name: the dispatcher sends it, the workers run it


class JobRepository(Protocol):
    def add(self, job: Job, chunks: Sequence[JobChunk]) -> None: ...
    def get(self, practice_id: str, job_id: str) -> Job: ...
    def recent(self, practice_id: str, *, kind: str | None = None, limit: int = 50) -> Sequence[Job]: ...
    def chunks(self, practice_id: str, job_id: str) -> Sequence[JobChunk]: ...
    def chunk(self, practice_id: str, job_id: str, seq: int) -> JobChunk: ...
    def take(self, practice_id: str, job_id: str, seq: int, at: datetime) -> JobChunk | None:
        """Mark the chunk running and count the attempt; None when it is done or failed (nothing to do)."""
        ...

    def finish(
        self, practice_id: str, job_id: str, seq: int, status: ChunkStatus, *, result: str, error: str, at: datetime
    ) -> Job | None:
        """Close a running chunk as done or failed and count it on the job (finishing the job with its last chunk);
        None when the chunk was not running (another attempt closed it first)."""
        ...

    def release(self, practice_id: str, job_id: str, seq: int, error: str) -> None:
        """A running chunk back to pending after an attempt that did not finish (it will be retried)."""
        ...

    def reopen_failed(self, practice_id: str, job_id: str) -> list[int]:
        """Failed chunks back to pending (and the job running again); their numbers."""
        ...

    def claims_by_patient(self, practice_id: str, status: str) -> list[tuple[str, str]]: ...
    def claim_payers(self, practice_id: str, status: str) -> dict[str, int]: ...  # payer id → claims


class Dispatcher(Protocol):
    """Hands chunks to workers. Called only after the transaction that planned them has committed."""

    name: str  # "in-process", "celery"

    def dispatch(self, practice_id: str, job_id: str, seqs: Sequence[int]) -> None: ...


class JobResources(Protocol):
    """What a chunk may need beyond the database."""

    def clearinghouse(self, name: str | None) -> Clearinghouse: ...
