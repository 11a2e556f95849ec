"""The Celery task that runs one job chunk, and the worker that takes them (``medbill worker``).

A worker process builds its container (engine, ports) on its first task, after any fork, and keeps it. The task
retries what the chunk raised that is not ours (the database or the network went away) with exponential backoff;
a chunk's typed failure is already recorded by ``services.jobs.run_chunk`` and is not retried.
"""

from __future__ import annotations

from typing import Any

from celery import Celery, Task

from medbill.bootstrap import Container, ContainerResources, Settings, build, celery_app, dispatcher
from medbill.domain.errors import MedbillError
from medbill.services import jobs
from medbill.services.job_ports import RUN_CHUNK_TASK

MAX_RETRIES = 10


class _Process:
    """This worker process's container, built on first use."""

    container: Container | None = None

    @classmethod
    def get(cls) -> Container:
        if cls.container is None:
            cls.container = build(Settings())
        return cls.container


def register_tasks(app: Celery) -> Celery:
    @app.task(  # type: ignore[untyped-decorator]
        name=RUN_CHUNK_TASK,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(Exception,),
        dont_autoretry_for=(MedbillError,),
        retry_backoff=1,
        retry_backoff_max=30,
        retry_jitter=True,
        max_retries=MAX_RETRIES,
    )
    def run_chunk(self: Task[Any, Any], practice_id: str, job_id: str, seq: int) -> None:
        container = _Process.get()
        jobs.run_chunk(
            container.deps, ContainerResources(container), dispatcher(container), practice_id, job_id, int(seq)
        )

    return app


def worker_app(settings: Settings | None = None) -> Celery:
    """The Celery app with medbill's task, for ``celery -A medbill.jobs.tasks:worker_app worker`` or the CLI."""
    container = build(settings or Settings())
    try:
        return register_tasks(celery_app(container))
    finally:
        container.close()


def run_worker(*, concurrency: int = 1, pool: str = "prefork", name: str | None = None, loglevel: str = "INFO") -> None:
    """Start a Celery worker in this process on the configured broker and queue (blocks until stopped)."""
    app = worker_app()
    argv = ["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", f"--pool={pool}", "--without-gossip"]
    argv += ["--without-mingle", "--without-heartbeat"]
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv=argv)
