"""Two real Celery worker processes on the local RabbitMQ and PostgreSQL take a 5,000-claim cycle through build,
scrub, 837, the sandbox payer, 835 and posting, while the database drops every connection in the middle of the
scrub job and both workers are killed (SIGKILL) in the middle of posting the 835: nothing is lost or doubled."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from medbill.adapters.queue.celery import CeleryDispatcher
from medbill.bootstrap import dispatcher
from medbill.domain.jobs import ChunkStatus, JobStatus
from medbill.formats import x12
from medbill.services import jobs
from tests.integration.celery_support import celery_setup, clone_encounters, wait_for
from tests.integration.claims_support import covered_encounter
from tests.support import PG_ADMIN_URL, FixedClock, create_pg_database, drop_pg_database, make_container, seed_practice

pytestmark = pytest.mark.postgres

CLAIMS = 5000
CHARGE_CENTS = 15150  # 99213 at 120.00 (the Acme contract prices it) and 36415 x2 at 31.50


@pytest.fixture
def pg_database() -> Iterator[tuple[str, str]]:
    url, name = create_pg_database()
    yield url, name
    drop_pg_database(name)


def _terminate_connections(name: str) -> int:
    """Every connection to the database dropped by the server, as a restart does to its clients."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
            ),
            {"d": name},
        ).scalar_one()
    admin.dispose()
    return int(killed)


def _posting_in_flight(engine: Engine, name: str) -> bool:
    """A worker's transaction is writing ledger entries and has not committed."""
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND xact_start IS NOT NULL "
                    "AND state <> 'idle' AND query ILIKE '%ledger_entries%' AND pid <> pg_backend_pid()"
                ),
                {"d": name},
            ).scalar_one()
        )


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one() or 0)


def test_two_workers_run_a_5000_claim_cycle_through_a_database_drop_and_a_killed_posting(
    pg_database: tuple[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, name = pg_database
    clock = FixedClock()
    seeded = make_container(url, clock)
    request.addfinalizer(seeded.close)
    p = seed_practice(seeded)
    engine = seeded.engine
    template = covered_encounter(p)
    with engine.begin() as conn:  # the sandbox's Medicaid plan answers (members MCD*, no deductible: it pays)
        conn.execute(text("UPDATE payers SET payer_code = 'DMCD1' WHERE id = :id"), {"id": p.commercial_id})
        conn.execute(text("UPDATE coverages SET member_id = 'MCD000000000'"))
    clone_encounters(engine, p.biller.practice_id, template, CLAIMS - 1)
    biller = p.biller

    with celery_setup(url, tmp_path / "sandbox", tmp_path, clock.now().isoformat()) as (container, workers):
        to_celery = dispatcher(container)
        assert isinstance(to_celery, CeleryDispatcher) and dispatcher(container) is to_celery
        workers.start("w1")
        workers.start("w2")

        def run(kind: str, params: dict[str, object] | None = None, **kw: object) -> jobs.JobDetail:
            job = jobs.start_job(container.deps, biller, to_celery, kind, params)
            done = wait_for(container, biller, job, workers=workers, **kw)  # type: ignore[arg-type]
            detail = jobs.job_detail(container.deps, biller, done.id)
            assert done.status is JobStatus.SUCCEEDED, ([c.error for c in detail.chunks if c.error], workers.logs())
            return detail

        built = run("build_claims", {"chunk_size": 500})
        assert (len(built.chunks), built.totals()) == (10, {"created": CLAIMS, "existing": 0, "skipped": 0})

        # the database drops every connection while the scrub chunks run; the chunks retry and finish once each
        job = jobs.start_job(container.deps, biller, to_celery, "scrub_claims", {"chunk_size": 500})
        while jobs.get_job(container.deps, biller, job.id).chunks_done < 2:
            time.sleep(0.05)
        assert _terminate_connections(name) >= 1
        wait_for(container, biller, job, workers=workers)
        scrubbed = jobs.job_detail(container.deps, biller, job.id)
        assert scrubbed.job.status is JobStatus.SUCCEEDED, (scrubbed.chunks, workers.logs())
        assert scrubbed.totals() == {"scrubbed": CLAIMS, "with_errors": 0}
        assert _scalar(engine, "SELECT count(*) FROM claim_events WHERE event = 'scrub'") == CLAIMS

        batched = run("batch_claims", {"contact_phone": "2175550100"})
        assert batched.totals() == {"files": 1, "batched": CLAIMS, "held": 0}
        sent = run("send_batches")
        assert sent.totals() == {"files": 1, "claims": CLAIMS}

        # both workers are killed while the 835 is being posted; a new worker takes the redelivered chunk
        job = jobs.start_job(container.deps, biller, to_celery, "poll_clearinghouse")
        deadline = time.monotonic() + 120
        while not _posting_in_flight(engine, name):
            assert time.monotonic() < deadline, workers.logs()
            time.sleep(0.02)
        workers.kill("w1")
        workers.kill("w2")
        time.sleep(0.5)
        assert _scalar(engine, "SELECT count(*) FROM remittances") == 0  # the killed posting left nothing behind
        workers.start("w3")
        wait_for(container, biller, job, workers=workers)
        polled = jobs.job_detail(container.deps, biller, job.id)
        assert polled.job.status is JobStatus.SUCCEEDED, (polled.chunks, workers.logs())
        (chunk,) = polled.chunks
        assert chunk.status is ChunkStatus.DONE and chunk.attempts >= 2  # killed once or twice (w2 may take it first)
        assert json.loads(chunk.result)["posted"] == CLAIMS

    # exactly once, to the cent
    assert _scalar(engine, "SELECT count(*) FROM remittances") == 1
    assert _scalar(engine, "SELECT count(*) FROM claims WHERE status = 'paid'") == CLAIMS
    with engine.connect() as conn:
        content = conn.execute(
            text(
                "SELECT c.content FROM clearinghouse_file_contents c JOIN clearinghouse_files f ON f.id = c.file_id "
                "WHERE f.x12_kind = '835'"
            )
        ).scalar_one()
        totals = dict(conn.execute(text("SELECT kind, sum(amount_cents) FROM ledger_entries GROUP BY kind")).all())
        per_claim = conn.execute(
            text("SELECT DISTINCT sum(amount_cents) FROM ledger_entries WHERE kind = 'payer_payment' GROUP BY claim_id")
        ).all()
    (remittance,) = [t.document for t in x12.read(content)]
    paid = sum(c.paid_cents for c in remittance.claims)  # type: ignore[attr-defined]
    assert len(remittance.claims) == CLAIMS  # type: ignore[attr-defined]
    assert totals["charge"] == CLAIMS * CHARGE_CENTS
    assert paid > 0
    assert totals["payer_payment"] == paid == remittance.payment.amount_cents  # type: ignore[attr-defined]
    assert len(per_claim) == 1 and per_claim[0][0] * CLAIMS == paid  # every claim paid once, the same amount
    owed = totals["charge"] - sum(
        totals.get(k, 0) for k in ("payer_payment", "contractual_adjustment", "transfer_to_patient")
    )
    assert owed == 0  # nothing left on insurance: every cent charged is paid, adjusted or the patient's


def _can_restart_postgres() -> bool:
    """Root with the cluster tools, the local server, and no other test process running beside this one (the
    restart would cut their connections too: ``make test`` runs the suite in one process)."""
    return (
        os.geteuid() == 0
        and shutil.which("pg_ctlcluster") is not None
        and "127.0.0.1:5432" in PG_ADMIN_URL
        and "PYTEST_XDIST_WORKER" not in os.environ
    )


@pytest.mark.skipif(
    not _can_restart_postgres(), reason="restarting the local PostgreSQL takes root, pg_ctlcluster and a lone test run"
)
def test_a_job_survives_a_real_database_restart_and_builds_every_claim_once(
    pg_database: tuple[str, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, _ = pg_database
    clock = FixedClock()
    seeded = make_container(url, clock)
    request.addfinalizer(seeded.close)
    p = seed_practice(seeded)
    clone_encounters(seeded.engine, p.biller.practice_id, covered_encounter(p), 1199)
    with celery_setup(url, tmp_path / "sandbox", tmp_path, clock.now().isoformat()) as (container, workers):
        workers.start("w1")
        workers.start("w2")
        job = jobs.start_job(container.deps, p.biller, dispatcher(container), "build_claims", {"chunk_size": 100})
        while jobs.get_job(container.deps, p.biller, job.id).chunks_done < 2:
            time.sleep(0.05)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        done = wait_for(container, p.biller, job, workers=workers)
        detail = jobs.job_detail(container.deps, p.biller, job.id)
    assert done.status is JobStatus.SUCCEEDED, ([c.error for c in detail.chunks if c.error], workers.logs())
    totals = detail.totals()  # a chunk that committed just before the restart, but could not say so, finds its claims
    assert (totals["created"] + totals["existing"], totals["skipped"]) == (1200, 0), [
        (c.result, c.attempts, c.error) for c in detail.chunks
    ]
    assert max(c.attempts for c in detail.chunks) >= 2  # the restart did cut into the job
    assert _scalar(seeded.engine, "SELECT count(*) FROM claims") == 1200
    assert _scalar(seeded.engine, "SELECT count(DISTINCT encounter_id) FROM claims") == 1200
    assert _scalar(seeded.engine, "SELECT count(*) FROM claim_lines") == 2400
    assert _scalar(seeded.engine, "SELECT count(DISTINCT patient_control_number) FROM claims") == 1200
