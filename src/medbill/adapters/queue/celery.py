"""The Celery application and the dispatcher that hands job chunks to Celery workers, one task per chunk.

Delivery is at least once and never lost by a dying worker: a task is acknowledged only after it ran
(``acks_late``), a worker process that dies mid-task gives its message back to the broker
(``reject_on_worker_lost``), and a worker takes one message at a time (prefetch 1) so a crash strands nothing else.
Chunks are idempotent (see ``services.jobs``), which is what makes redelivery safe. No result backend: results and
failures are kept per chunk in the database, where the CLI, API and web UI read progress.
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import Celery

from medbill.services.job_ports import RUN_CHUNK_TASK


def make_celery(broker_url: str, *, queue: str = "medbill") -> Celery:
    app = Celery("medbill", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_store_errors_even_if_ignored=False,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=queue,
        task_create_missing_queues=True,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=10,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        enable_utc=True,
    )
    return app


class CeleryDispatcher:
    name = "celery"

    def __init__(self, app: Celery) -> None:
        self._app = app

    def dispatch(self, practice_id: str, job_id: str, seqs: Sequence[int]) -> None:
        """One message per chunk, all through one broker connection; persistent, so a broker restart keeps them."""
        with self._app.producer_or_acquire() as producer:
            for seq in seqs:
                self._app.send_task(RUN_CHUNK_TASK, args=[practice_id, job_id, int(seq)], producer=producer)

    def close(self) -> None:
        """Close the broker connections this dispatcher opened (a process that dispatches once, a test)."""
        self._app.close()
