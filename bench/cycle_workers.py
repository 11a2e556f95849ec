"""The full-cycle benchmark's background half: the steps after coding run as background jobs on real Celery worker
processes (RabbitMQ on 127.0.0.1:5672, PostgreSQL), the way a billing company would run them at scale.

``bench/cycle.py --database postgresql --workers 2`` uses it: registration and coding run in the bench process as
in the in-process cycle; then build, scrub, 837, send, answers and posting (each 835 file its own chunk), the
secondary round and the statements are each a job whose chunks the workers take. Each worker is a separate process
(solo pool); its peak memory is read from /proc before it stops.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.integration.celery_support import BROKER_URL, Workers, drop_queue, worker_settings

from medbill.bootstrap import Container, build, dispatcher
from medbill.domain.jobs import JobStatus
from medbill.services import jobs


@dataclass
class Pool:
    """The worker processes and a container that dispatches to them."""

    container: Container
    workers: Workers
    count: int
    peak_mb: dict[str, float] = field(default_factory=dict)

    def job(self, actor: Any, kind: str, params: dict[str, object] | None = None) -> jobs.JobDetail:
        """Start a job on the workers and wait for it; a failed chunk ends the bench."""
        started = jobs.start_job(self.container.deps, actor, dispatcher(self.container), kind, params)
        return self.wait(actor, started.id)

    def wait(self, actor: Any, job_id: str) -> jobs.JobDetail:
        while not jobs.get_job(self.container.deps, actor, job_id).finished:
            self.sample()
            time.sleep(0.25)
        detail = jobs.job_detail(self.container.deps, actor, job_id)
        if detail.job.status is not JobStatus.SUCCEEDED:
            errors = [c.error for c in detail.chunks if c.error][:3]
            raise SystemExit(f"job {detail.job.kind} failed: {errors}\n{self.workers.logs()}")
        return detail

    def sample(self) -> None:
        """Each worker's peak resident memory so far (VmHWM)."""
        for name, process in self.workers.processes.items():
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), int(line.split()[1]) / 1024)


def start_pool(url: str, sandbox_dir: Path, log_dir: Path, clock_at: str, count: int) -> Pool:
    settings, env = worker_settings(url, BROKER_URL, f"medbill-bench-{uuid.uuid4().hex[:8]}", sandbox_dir, clock_at)
    pool = Pool(build(settings), Workers(env, log_dir), count)
    for index in range(count):
        pool.workers.start(f"w{index + 1}")
    return pool


def stop_pool(pool: Pool) -> None:
    pool.sample()
    pool.workers.stop_all()
    keep = os.environ.get("MEDBILL_BENCH_LOG_DIR")  # the workers' logs, kept for reading after the run
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for log in pool.workers.log_dir.glob("w*.log"):
            (Path(keep) / log.name).write_bytes(log.read_bytes())
    drop_queue(pool.container)
    pool.container.close()


def job_steps(pool: Pool, actor: Callable[[], Any]) -> list[tuple[str, Callable[[Any], int], str]]:
    """The steps after coding, as jobs: each returns how many items it did, like the in-process steps."""

    def answers(c: Any) -> dict[str, int]:
        """The answers taken in; each 835 file posted by a chunk of its own, on whichever worker is free."""
        polled = pool.job(actor(), "poll_clearinghouse", {"split_835s": True})
        results = [json.loads(chunk.result) for chunk in polled.chunks]
        posted: dict[str, int] = {}
        for result in results:
            if "import_job" in result:
                for key, value in pool.wait(actor(), result["import_job"]).totals().items():
                    posted[key] = posted.get(key, 0) + value
        return posted

    def build_(c: Any) -> int:
        return pool.job(actor(), "build_claims", {"chunk_size": 1000}).totals()["created"]

    def scrub(c: Any) -> int:
        return pool.job(actor(), "scrub_claims", {"chunk_size": 1000}).totals()["scrubbed"]

    def batch(c: Any) -> int:
        return pool.job(actor(), "batch_claims", {"usage": "T"}).totals().get("batched", 0)

    def send(c: Any) -> int:
        return pool.job(actor(), "send_batches").totals().get("claims", 0)

    def ingest(c: Any) -> int:
        posted = answers(c)
        c.remittances += posted.get("transactions", 0) - posted.get("already_imported", 0)
        c.secondaries += posted.get("secondary_claims", 0)
        return posted.get("claim_payments", 0)

    def secondary(c: Any) -> int:
        """The secondary claims the 835s built (drafts): scrubbed, batched, sent and answered, as the demo does."""
        pool.job(actor(), "build_claims", {"chunk_size": 1000})  # none in this cycle; kept as the in-process step has
        pool.job(actor(), "scrub_claims", {"chunk_size": 1000})
        batched = batch(c)
        if batched:
            send(c)
            answers(c)
        return batched

    def statements(c: Any) -> int:
        c.statements = pool.job(actor(), "statement_run").totals().get("statements", 0)
        return int(c.statements)

    return [
        ("build", build_, "claims"),
        ("scrub", scrub, "claims"),
        ("837", batch, "claims"),
        ("send+sandbox", send, "claims"),
        ("ingest+post", ingest, "claims"),
        ("secondary", secondary, "claims"),
        ("statements", statements, "statements"),
    ]
