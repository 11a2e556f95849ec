"""Background jobs: a long piece of work split into chunks that any worker may take, with progress and per-chunk results.

A job is planned once (its chunks written in the same transaction that asked for it) and only then handed to
workers. Each chunk is run at least once and its work is idempotent, so a retry after a crash does nothing twice;
a chunk that ran to its end is ``done`` and is never run again. The job is finished when no chunk is pending or
running: ``succeeded`` when every chunk is done, else ``failed`` (the failed chunks say why, and can be re-run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from medbill.domain.errors import ValidationError


class JobKind(StrEnum):
    BUILD_CLAIMS = "build_claims"  # claims for encounters not billed yet
    SCRUB_CLAIMS = "scrub_claims"  # the scrubber over draft claims, a patient's claims in one chunk
    BATCH_CLAIMS = "batch_claims"  # 837 files for the clean claims
    SEND_BATCHES = "send_batches"  # batches to the clearinghouse
    POLL_CLEARINGHOUSE = "poll_clearinghouse"  # acknowledgements, status and 835s from the clearinghouse, posted
    CLAIM_STATUS = "claim_status"  # 276 requests for claims with no answer after N days
    IMPORT_REMITTANCE = "import_remittance"  # one archived 835 file posted
    ELIGIBILITY_RUN = "eligibility_run"  # 270s for a day's appointments
    STATEMENT_RUN = "statement_run"  # patient statements
    REPORT = "report"  # the KPI report of a period, kept as JSON


class JobStatus(StrEnum):
    QUEUED = "queued"  # planned, no chunk finished yet
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # finished with at least one failed chunk


class ChunkStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"  # taken by a worker (a worker that died leaves it here; its retry takes it again)
    DONE = "done"
    FAILED = "failed"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    id: str
    practice_id: str
    kind: JobKind
    status: JobStatus
    params: str  # JSON: what the job was asked to do (no PHI: ids, dates, names of mailboxes)
    chunks_total: int
    chunks_done: int
    chunks_failed: int
    created_at: datetime
    created_by: str  # the username that asked
    user_id: str | None  # whose permissions the workers act with
    role: str
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """Whole percent of chunks finished (done or failed); a job of no chunks is complete."""
        if self.chunks_total == 0:
            return 100
        return (self.chunks_done + self.chunks_failed) * 100 // self.chunks_total


@dataclass(frozen=True, slots=True, kw_only=True)
class JobChunk:
    job_id: str
    seq: int  # 0-based position in the plan
    status: ChunkStatus
    payload: str  # JSON: what this chunk works on (ids)
    size: int  # how many items (encounters, claims, files …) the chunk covers
    attempts: int = 0
    result: str = ""  # JSON: what the chunk did (counts)
    error: str = ""  # the typed error's code and message when it failed (never PHI)
    started_at: datetime | None = None
    finished_at: datetime | None = None


def job_status(total: int, done: int, failed: int) -> JobStatus:
    """The job's status from its chunk counts."""
    if min(total, done, failed) < 0 or done + failed > total:
        raise ValidationError(f"chunk counts do not add up: {done} done + {failed} failed of {total}", field="chunks")
    if done + failed == total:
        return JobStatus.FAILED if failed else JobStatus.SUCCEEDED
    return JobStatus.RUNNING if done + failed else JobStatus.QUEUED


def split(items: list[str], size: int) -> list[list[str]]:
    """``items`` in order, in chunks of at most ``size``."""
    if size < 1:
        raise ValidationError("a chunk holds at least one item", field="chunk_size")
    return [items[i : i + size] for i in range(0, len(items), size)]
