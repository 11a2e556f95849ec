"""The same job on a real worker through each broker medbill supports: RabbitMQ (CI's) and Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from medbill.bootstrap import dispatcher
from medbill.domain.claim_states import ClaimStatus
from medbill.domain.jobs import JobStatus
from medbill.services import claims, jobs
from tests.integration.celery_support import BROKER_URL, celery_setup, wait_for
from tests.integration.claims_support import covered_encounter
from tests.support import FixedClock, create_pg_database, drop_pg_database, make_container, seed_practice

pytestmark = pytest.mark.postgres

REDIS_URL = os.environ.get("MEDBILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def pg_url() -> Iterator[str]:
    url, name = create_pg_database()
    yield url
    drop_pg_database(name)


@pytest.mark.parametrize("broker", [BROKER_URL, REDIS_URL], ids=["rabbitmq", "redis"])
def test_a_worker_takes_the_chunks_through_either_broker(
    broker: str, pg_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    clock = FixedClock()
    seeded = make_container(pg_url, clock)
    request.addfinalizer(seeded.close)
    p = seed_practice(seeded)
    for name in ("Alder", "Birch", "Cedar"):
        covered_encounter(p, last_name=name)
    with celery_setup(pg_url, tmp_path / "sandbox", tmp_path, clock.now().isoformat(), broker_url=broker) as (
        container,
        workers,
    ):
        workers.start("w1")
        job = jobs.start_job(container.deps, p.biller, dispatcher(container), "build_claims", {"chunk_size": 2})
        done = wait_for(container, p.biller, job, timeout=120, workers=workers)
        detail = jobs.job_detail(container.deps, p.biller, done.id)
    assert done.status is JobStatus.SUCCEEDED, workers.logs()
    assert (len(detail.chunks), detail.totals()) == (2, {"created": 3, "existing": 0, "skipped": 0})
    assert [c.status for c in claims.list_claims(seeded.deps, p.biller)] == [ClaimStatus.DRAFT] * 3
