"""`medbill jobs …` and `medbill worker` as an operator types them, from the installed script: a job followed on its
progress bars, --json, show, a failed job's exit code and reason, resume, and `medbill worker` with and without a
broker."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from medbill.bootstrap import Container
from tests.e2e.test_cli import MEDBILL, run
from tests.integration.celery_support import celery_setup
from tests.integration.claims_support import covered_encounter
from tests.support import seed_practice

CLOCK = {"MEDBILL_CLOCK_AT": "2026-11-26T15:30:00+00:00", "MEDBILL_BROKER_URL": "", "COLUMNS": "100"}


def test_start_follow_show_and_a_failed_job(sqlite_container: Container, sqlite_url: str) -> None:
    practice = seed_practice(sqlite_container)
    for index, name in enumerate(["Alder", "Birch", "Cedar"]):
        covered_encounter(practice, last_name=name, on=date(2026, 11, 16 + index))

    built = run("jobs", "start", "build_claims", "--param", "chunk_size=2", url=sqlite_url, extra_env=CLOCK)
    # the bars are left on screen in their last state: both chunks and all three encounters
    [chunk_bar, item_bar] = [line for line in built.stderr.splitlines() if line.strip()]
    assert chunk_bar.startswith("build_claims chunks") and "2/2" in chunk_bar
    assert item_bar.startswith("items") and "3/3" in item_bar
    assert built.stdout.strip().endswith(
        "build_claims succeeded: 2/2 chunks, 3/3 items; created 3, existing 0, skipped 0"
    )

    scrubbed = json.loads(run("jobs", "start", "scrub_claims", "--json", url=sqlite_url, extra_env=CLOCK).stdout)
    assert {k: scrubbed[k] for k in ("kind", "status", "params", "percent", "items_done", "totals")} == {
        "kind": "scrub_claims",
        "status": "succeeded",
        "params": {"chunk_size": 500},
        "percent": 100,
        "items_done": 3,
        "totals": {"scrubbed": 3, "with_errors": 0},
    }

    failed = run("jobs", "start", "batch_claims", url=sqlite_url, extra_env=CLOCK, check=False)
    assert failed.returncode == 1
    reason = failed.stderr.strip().splitlines()[-1]
    job_id = reason.split()[2]
    assert reason.startswith(f"error: job {job_id} (batch_claims) failed: chunk 0: invalid_input (contact_phone): ")

    shown = json.loads(run("jobs", "show", job_id, "--json", url=sqlite_url, extra_env=CLOCK).stdout)
    assert (shown["status"], shown["chunks_failed"], shown["items_total"], shown["items_done"]) == (
        "failed",
        1,
        3,
        0,
    )  # one payer: a chunk of its 3 claims
    [chunk] = shown["chunks"]
    assert (chunk["seq"], chunk["status"], chunk["attempts"], chunk["size"], chunk["result"]) == (
        0,
        "failed",
        1,
        3,
        None,
    )
    assert chunk["error"].startswith("invalid_input (contact_phone): the 837")
    table = run("jobs", "show", job_id, url=sqlite_url, extra_env=CLOCK).stdout
    assert f"job {job_id} batch_claims failed 100%: 0 done, 1 failed of 1 chunks" in table

    again = run("jobs", "resume", job_id, "--json", url=sqlite_url, extra_env=CLOCK, check=False)
    assert again.returncode == 1 and json.loads(again.stdout)["chunks"][0]["attempts"] == 2

    # a phone number parses as JSON (a number) but the kind takes it as text
    batched = run(
        "jobs", "start", "batch_claims", "-p", "contact_phone=2175550100", "--no-wait", url=sqlite_url, extra_env=CLOCK
    )
    assert "batch_claims succeeded: 1/1 chunks, 3/3 items; batched 3, files 1, held 0" in batched.stdout

    listed = json.loads(run("jobs", "list", "--kind", "batch_claims", "--json", url=sqlite_url, extra_env=CLOCK).stdout)
    assert sorted(j["status"] for j in listed) == ["failed", "succeeded"]
    refused = run("jobs", "start", "build_claims", "-p", "chunk_size=0", url=sqlite_url, extra_env=CLOCK, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "error: chunk_size: chunk_size is a whole number from 1 to 5000"


def test_worker_refuses_without_a_broker(tmp_path: Path) -> None:
    done = run("worker", url=f"sqlite:///{tmp_path / 'none.db'}", extra_env={"MEDBILL_BROKER_URL": ""}, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("error: set MEDBILL_BROKER_URL to the broker the workers share")


def test_a_job_started_with_a_broker_is_followed_until_medbill_worker_has_run_it(
    sqlite_container: Container, sqlite_url: str, tmp_path: Path
) -> None:
    practice = seed_practice(sqlite_container)
    for name in ["Alder", "Birch", "Cedar"]:
        covered_encounter(practice, last_name=name)
    setup = celery_setup(sqlite_url, tmp_path / "sandbox", tmp_path, CLOCK["MEDBILL_CLOCK_AT"])
    with setup as (_, workers), (tmp_path / "worker.log").open("ab") as log:
        env = {k: v for k, v in workers.env.items() if k.startswith("MEDBILL_")}
        workers.processes["cli"] = subprocess.Popen(
            [MEDBILL, "worker", "--pool", "solo", "--name", "cli@medbill-test", "--loglevel", "WARNING"],
            env=workers.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        built = run("jobs", "start", "build_claims", "-p", "chunk_size=1", url=sqlite_url, extra_env=env, check=False)
        assert built.returncode == 0, built.stderr + workers.logs()
        [chunk_bar, item_bar] = [line for line in built.stderr.splitlines() if line.strip()]
        assert "3/3" in chunk_bar and "3/3" in item_bar
        assert "build_claims succeeded: 3/3 chunks, 3/3 items; created 3, existing 0, skipped 0" in built.stdout
