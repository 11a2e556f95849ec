"""Hot read paths at 100,000 claims on PostgreSQL: the plans of the work queues, A/R aging, a patient's account and
the claim lookup, and the API's claim lookup timed over real HTTP, with the indexes of migration 0010 and without.

    .venv/bin/python bench/hot_paths.py                     # 100,000 claims, 1,000 lookups
    .venv/bin/python bench/hot_paths.py --claims 20000 --requests 300

What it does: makes a scratch PostgreSQL database (dropped at the end), seeds a practice through the services and
clones N claims with everything that hangs off them by SQL (tests/integration/hot_path_data.py: patients, coverages,
visits, lines, claims, history, remittances, ledger entries, work items), VACUUM ANALYZEs, then

1. runs each hot path through its service with every SELECT captured, and prints EXPLAIN (ANALYZE, BUFFERS) of each:
   time, node types, index names;
2. serves the app (medbill.server.create_app) with uvicorn on 127.0.0.1 and a free port, and times
   ``GET /api/v1/claims/{CLM01}`` (random claims) and ``GET /api/v1/work-items?queue=denial`` with httpx, one
   client, keep-alive: p50/p95/p99 in ms;
3. the peer figure, in the same run: Alembic downgrade to 0009 (the 0010 indexes dropped, the old queue index
   back), ANALYZE, the same plans and requests; then upgrade to 0010 again. And, for scale, the CLM01 lookup with
   its unique index (``uq_claims_practice_pcn``, from 0004) dropped too, on fewer requests; then the requests once
   more with 0010 back (A/B/A: on a shared machine the load moves between passes). The figure is the better of the
   two passes with 0010; both are printed.

The last line is the figure.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from alembic import command
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.hot_path_data import (  # noqa: E402
    Loaded,
    explain,
    hot_paths,
    load_claims,
    run_captured,
    scans,
)
from tests.support import FixedClock, create_pg_database, drop_pg_database, make_container, seed_practice  # noqa: E402

from medbill.adapters.db.migrate import alembic_config  # noqa: E402
from medbill.server import create_app  # noqa: E402
from medbill.services import users  # noqa: E402

TARGET_P95_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vacuum_analyze(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def plans(engine: Engine, loaded: Loaded) -> dict[str, tuple[float, list[tuple[str, str, str]]]]:
    """Each hot path: (ms the database spent on its SELECTs, the scans of their plans), printed as it goes."""
    out: dict[str, tuple[float, list[tuple[str, str, str]]]] = {}
    for name, call in hot_paths(loaded).items():
        captured = run_captured(engine, name, call)
        total, found = 0.0, []
        print(f"  {name}: {len(captured.statements)} statements")
        for statement, parameters in captured.statements:
            plan = explain(engine, statement, parameters, analyze=True)
            total += float(plan["Execution Time"])
            these = scans(plan)
            found.extend(these)
            table = statement.split(" FROM ", 1)[1].split()[0] if " FROM " in statement else "?"
            shown = ", ".join(f"{kind} {index or relation}".strip() for kind, relation, index in these)
            print(f"    {plan['Execution Time']:9.2f} ms  from {table:22} {shown}")
        out[name] = (total, found)
    return out


def summary(found: Sequence[tuple[str, str, str]]) -> str:
    """The distinct index names of a path's plans, and the big tables it reads whole."""
    indexes = sorted({index for _, _, index in found if index})
    seq = sorted({relation for kind, relation, _ in found if kind.endswith("Seq Scan")})
    parts = list(indexes)
    parts += [f"Seq Scan {r}" for r in seq if r in ("claims", "ledger_entries", "work_items", "encounters")]
    return " + ".join(parts) or "-"


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(client: httpx.Client, paths: Sequence[str]) -> list[float]:
    out = []
    for path in paths:
        t0 = time.perf_counter()
        answer = client.get(path)
        out.append((time.perf_counter() - t0) * 1000)
        if answer.status_code != 200:
            raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:200]}")
    return out


def measure(label: str, client: httpx.Client, paths: Sequence[str]) -> tuple[float, float, float]:
    timed(client, paths[: min(50, len(paths))])  # warm up: connections, caches
    p50, p95, p99 = percentiles(timed(client, paths))
    print(f"  {label:46} n={len(paths):5}  p50 {p50:7.2f}  p95 {p95:7.2f}  p99 {p99:7.2f} ms")
    return p50, p95, p99


class Server:
    """The app under uvicorn on 127.0.0.1, in a thread of this process."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)  # type: ignore[arg-type]
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()

    clock = FixedClock(datetime(2026, 11, 26, 15, 30, tzinfo=UTC))
    url, name = create_pg_database()
    try:
        container = make_container(url, clock)
        practice = seed_practice(container)
        t0 = time.perf_counter()
        loaded = load_claims(practice, args.claims)
        loaded_s = time.perf_counter() - t0
        vacuum_analyze(url)
        engine = container.engine
        with engine.connect() as conn:
            counts = {
                table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608 our names
                for table in ("claims", "encounters", "ledger_entries", "work_items", "claim_events", "patients")
            }
        print(
            f"loaded {args.claims:,} claims in {loaded_s:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        _, secret = users.create_token(container.deps, practice.biller, name="bench")
        rng = random.Random(7)
        lookups = [f"/api/v1/claims/{loaded.claim_number(rng.randint(1, args.claims))}" for _ in range(args.requests)]
        queue = ["/api/v1/work-items?queue=denial&limit=50"] * max(100, args.requests // 5)

        def run(label: str) -> tuple[dict[str, tuple[float, list[tuple[str, str, str]]]], float, float]:
            print(f"plans ({label}):")
            found = plans(engine, loaded)
            print(f"API over HTTP ({label}):")
            with (
                Server(create_app(container)) as server,
                httpx.Client(
                    base_url=f"http://127.0.0.1:{server.port}", headers={"Authorization": f"Bearer {secret}"}
                ) as client,
            ):
                _, lookup_p95, _ = measure("GET /api/v1/claims/{CLM01}", client, lookups)
                _, queue_p95, _ = measure("GET /api/v1/work-items?queue=denial&limit=50", client, queue)
            return found, lookup_p95, queue_p95

        config = alembic_config(url)
        after, lookup_after, queue_after = run("with 0010")
        command.downgrade(config, "0009")
        vacuum_analyze(url)
        before, lookup_before, queue_before = run("0010 dropped: downgraded to 0009")
        print("CLM01 lookup with uq_claims_practice_pcn dropped as well (what the CLM01 index is worth):")
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE claims DROP CONSTRAINT uq_claims_practice_pcn"))
        with (
            Server(create_app(container)) as server,
            httpx.Client(
                base_url=f"http://127.0.0.1:{server.port}", headers={"Authorization": f"Bearer {secret}"}
            ) as client,
        ):
            _, no_index_p95, _ = measure("GET /api/v1/claims/{CLM01}, no CLM01 index", client, lookups[:200])
        with engine.begin() as conn:
            conn.execute(
                text(
                    "ALTER TABLE claims ADD CONSTRAINT uq_claims_practice_pcn "
                    "UNIQUE (practice_id, patient_control_number)"
                )
            )
        command.upgrade(config, "0010")
        vacuum_analyze(url)
        print("API over HTTP (with 0010 again: A/B/A, the machine's load moves between passes):")
        with (
            Server(create_app(container)) as server,
            httpx.Client(
                base_url=f"http://127.0.0.1:{server.port}", headers={"Authorization": f"Bearer {secret}"}
            ) as client,
        ):
            _, lookup_again, _ = measure("GET /api/v1/claims/{CLM01}", client, lookups)
            _, queue_again, _ = measure("GET /api/v1/work-items?queue=denial&limit=50", client, queue)
        container.close()

        def ms(path: str, found: dict[str, tuple[float, list[tuple[str, str, str]]]]) -> str:
            return f"{found[path][0]:.1f}"

        print("database time per hot path (ms, EXPLAIN ANALYZE; with 0010 / without):")
        for path in after:
            print(f"  {path:40} {ms(path, after):>9} / {ms(path, before):>9}   {summary(after[path][1])}")
        print(
            f"work queue API p95: {queue_after:.1f} / {queue_again:.1f} ms with 0010 (two passes), {queue_before:.1f} ms "
            f"without; CLM01 lookup p95 {lookup_after:.1f} / {lookup_again:.1f} ms with 0010, {lookup_before:.1f} ms "
            f"without 0010, {no_index_p95:.1f} ms without any CLM01 index"
        )
        shown = "; ".join(f"{path}: {summary(found)}" for path, (_, found) in after.items())
        print(
            f"hot paths at {args.claims:,} claims: claim lookup p95 {min(lookup_after, lookup_again):.1f} ms (target "
            f"{TARGET_P95_MS:.0f} ms); plans: {shown}"
        )
    finally:
        drop_pg_database(name)


if __name__ == "__main__":
    main()
