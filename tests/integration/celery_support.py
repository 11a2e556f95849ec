"""Helpers for the tests that run real Celery workers: many encounters cloned in SQL, worker processes started and
killed, a queue of the test's own on the local RabbitMQ, and waiting for a job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from medbill.bootstrap import Container, Settings, build
from medbill.domain.jobs import Job
from medbill.domain.users import Actor
from medbill.services import jobs

BROKER_URL = os.environ.get("MEDBILL_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
ROOT = Path(__file__).resolve().parents[2]
_ID = "substr(md5({} || '-' || g::text), 1, 32)"  # a copy's id: the template's id and the copy number, hashed


def clone_encounters(engine: Engine, practice_id: str, encounter_id: str, copies: int) -> None:
    """``copies`` more patients like the encounter's (account B00000001 …, member ID: its first three characters + the copy number), each with the
    same coverage, one encounter like it and its charge entries: what registering and coding them would have stored.
    PostgreSQL only (generate_series); one statement a table."""
    series = f"generate_series(1, {int(copies)}) AS g"
    with engine.begin() as conn:
        patient_id = conn.execute(
            text("SELECT patient_id FROM encounters WHERE id = :e"), {"e": encounter_id}
        ).scalar_one()

        def clone(table: str, where: str, overrides: dict[str, str]) -> None:
            columns = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                        "ORDER BY ordinal_position"
                    ),
                    {"t": table},
                )
            ]
            chosen = ", ".join(overrides.get(c, f"src.{c}") for c in columns)
            conn.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} src, {series} WHERE {where}"
                ),
                {"p": patient_id, "e": encounter_id, "practice": practice_id},
            )

        new_patient = _ID.format("src.patient_id")
        clone(
            "patients",
            "src.id = :p",
            {"id": _ID.format("src.id"), "account_number": "'B' || lpad(g::text, 8, '0')"},
        )
        clone(
            "coverages",
            "src.patient_id = :p",
            {
                "id": _ID.format("src.id"),
                "patient_id": new_patient,
                "member_id": "substr(src.member_id, 1, 3) || lpad(g::text, 9, '0')",
            },
        )
        clone("encounters", "src.id = :e", {"id": _ID.format("src.id"), "patient_id": new_patient})
        new_encounter = _ID.format("src.encounter_id")
        clone("encounter_diagnoses", "src.encounter_id = :e", {"encounter_id": new_encounter})
        clone("encounter_lines", "src.encounter_id = :e", {"encounter_id": new_encounter})
        clone(
            "ledger_entries",
            "src.encounter_id = :e",
            {"id": _ID.format("src.id"), "encounter_id": new_encounter, "patient_id": new_patient},
        )
        conn.execute(text("ANALYZE"))


@dataclass
class Workers:
    """Celery worker processes (``medbill.jobs.tasks.run_worker``, solo pool: the process is the one doing the
    work, so killing it kills the work) on the test's own queue."""

    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str) -> None:
        code = f"from medbill.jobs.tasks import run_worker; run_worker(pool='solo', name='{name}@medbill-test')"
        with (self.log_dir / f"{name}.log").open("ab") as log:  # the child keeps its own copy of the handle
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-c", code], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.log_dir.glob("*.log")))


def worker_settings(
    database_url: str, broker_url: str, queue: str, sandbox_dir: Path, clock_at: str
) -> tuple[Settings, dict[str, str]]:
    """The settings of a process that dispatches to a queue of its own, and the environment its workers run with
    (the same database, broker, queue, sandbox mailbox and clock)."""
    settings = Settings(
        database_url=database_url,
        broker_url=broker_url,
        queue_name=queue,
        sandbox_dir=sandbox_dir,
        fast_password_hashing=True,
        secret_key="test-secret",
    )
    env = {
        **os.environ,
        "MEDBILL_DATABASE_URL": database_url,
        "MEDBILL_BROKER_URL": broker_url,
        "MEDBILL_QUEUE_NAME": queue,
        "MEDBILL_SANDBOX_DIR": str(sandbox_dir),
        "MEDBILL_CLOCK_AT": clock_at,
        "MEDBILL_FAST_PASSWORD_HASHING": "true",
        "PYTHONPATH": str(ROOT),
    }
    return settings, env


@contextmanager
def celery_setup(
    database_url: str, sandbox_dir: Path, log_dir: Path, clock_at: str, *, broker_url: str = BROKER_URL
) -> Iterator[tuple[Container, Workers]]:
    """A container that dispatches to Celery on a queue of its own, and the environment for its workers; the queue
    is deleted at the end."""
    settings, env = worker_settings(
        database_url, broker_url, f"medbill-test-{uuid.uuid4().hex[:10]}", sandbox_dir, clock_at
    )
    container = build(settings)
    workers = Workers(env, log_dir)
    try:
        yield container, workers
    finally:
        workers.stop_all()
        drop_queue(container)
        container.close()


def drop_queue(container: Container) -> None:
    """Delete the container's broker queue (what a test or a bench made for itself)."""
    from medbill.bootstrap import celery_app

    app = celery_app(container)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(container.settings.queue_name)
    app.close()


def wait_for(
    container: Container, actor: Actor, job: Job, *, timeout: float = 300, workers: Workers | None = None
) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        try:
            current = jobs.get_job(container.deps, actor, job.id)
        except DBAPIError:  # the database is restarting: ask again
            time.sleep(0.5)
            continue
        if current.finished:
            return current
        if time.monotonic() > deadline:
            logs = workers.logs() if workers else ""
            raise AssertionError(f"job {job.kind} not finished after {timeout} s: {current}\n{logs}")
        time.sleep(0.2)
