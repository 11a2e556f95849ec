"""Full-cycle benchmark: N synthetic encounters through every billing step, in one process, on a fresh database.

    .venv/bin/python bench/cycle.py --encounters 10000            # embedded SQLite (the default)
    .venv/bin/python bench/cycle.py --encounters 1000 --database postgresql
    .venv/bin/python bench/cycle.py --encounters 100000 --database postgresql --workers 2   # Celery on RabbitMQ

What it does: a fresh database (SQLite in a temp folder, or a scratch PostgreSQL database created and dropped as
bench/era does), the synthetic practice the demo uses (services.synthetic), then the steps of ``STEPS`` in order, each
a named callable over one ``Cycle``: register N patients with their coverages, record one office visit each (both
through the bulk services, a thousand a call, as a practice-management export is loaded), build claims, scrub,
batch the 837s, send them to the sandbox payer (it adjudicates each file as it arrives), ingest its 999/277CA/835
(posting the 835s), bill the secondary claims those 835s built and take in their answers, then run the patient
statements.

It then checks what was posted so a fast wrong answer cannot pass for a fast right one, and exits non-zero when:
- the ledger does not balance to the cent: total charges = payer payments + adjustments + patient responsibility +
  remaining insurance balance, with charges also equal to what the encounters recorded, and the insurance balance
  summed line by line through the domain's ``balance``;
- the primary claims by state do not add up to N, or all claims to N + the secondaries built.

The last line is the figure: end-to-end seconds, claims per second, seconds per step, peak RSS. The peer figure is
the target: under 60 s for N = 10,000 on SQLite on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import FixedClock, create_pg_database, drop_pg_database  # noqa: E402

from medbill.adapters.db import tables as t  # noqa: E402
from medbill.bootstrap import Container, Settings, build, migrate_container, sandbox_clearinghouse  # noqa: E402
from medbill.domain.ledger import EntryKind, LedgerEntry, PatientShare, balance  # noqa: E402
from medbill.domain.statements import StatementRules  # noqa: E402
from medbill.domain.users import Role  # noqa: E402
from medbill.services import batches, claims, statements, submission, synthetic  # noqa: E402
from medbill.services.ports import Clearinghouse  # noqa: E402

TARGET_SECONDS = 60.0  # the peer/reference figure: N = 10,000 on SQLite, 2 cores
TARGET_N = 10_000
WORKERS_TARGET_SECONDS = 15 * 60.0  # N = 100,000 on PostgreSQL with two Celery workers
WORKERS_TARGET_N = 100_000
NOW = datetime(2026, 7, 6, 15, 0, tzinfo=UTC)  # the loaded ICD-10-CM editions cover 90 days back
USERS = {"admin": (Role.ADMIN, "Bench Admin")}


@dataclass
class Cycle:
    """What the steps share: the container, the practice, the mailbox, and what earlier steps made."""

    n: int
    container: Container
    mailbox: Clearinghouse
    seed: int = 2026
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    practice: synthetic.SyntheticPractice | None = None
    patients: list[synthetic.SyntheticPatient] = field(default_factory=list)
    charges_cents: int = 0  # what the encounters recorded
    secondaries: int = 0  # secondary claims the primaries' 835s built
    remittances: int = 0
    statements: int = 0

    @property
    def sp(self) -> synthetic.SyntheticPractice:
        assert self.practice is not None
        return self.practice


def step_practice(c: Cycle) -> int:
    c.practice = synthetic.setup_practice(
        c.container.deps, c.rng, name="Bench Family Medicine", usernames=USERS, password="bench-pass", source="bench"
    )
    return 1


def step_register(c: Cycle) -> int:
    c.patients = synthetic.add_patients(c.container.deps, c.sp, c.rng, range(c.n))
    return len(c.patients)


def step_encounters(c: Cycle) -> int:
    recorded = synthetic.one_visit_each(c.container.deps, c.sp, c.rng, c.patients)
    c.charges_cents += sum(encounter.total_charge_cents for encounter in recorded)
    return len(recorded)


def step_build(c: Cycle) -> int:
    built = claims.build_claims(c.container.deps, c.sp.actor)
    if built.skipped:
        raise SystemExit(f"build skipped {len(built.skipped)} encounters: {built.skipped[0].reason}")
    return len(built.created)


def step_scrub(c: Cycle) -> int:
    return len(claims.scrub_claims(c.container.deps, c.sp.actor))


def step_837(c: Cycle) -> int:
    result = batches.batch_claims(c.container.deps, c.sp.actor, options=batches.BatchOptions(usage="T"))
    return sum(b.batch.claim_count for b in result.batches)


def step_send(c: Cycle) -> int:
    return sum(s.claims for s in submission.send_batches(c.container.deps, c.sp.actor, c.mailbox))


def _ingest(c: Cycle) -> int:
    ingested = submission.ingest_answers(c.container.deps, c.sp.actor, c.mailbox)
    if ingested.problems:
        raise SystemExit(f"ingest problems: {ingested.problems[:3]}")
    claims_answered = 0
    for report in ingested.remittances:
        for tr in report.transactions:
            c.remittances += 1 if tr.remittance_id and not tr.already_imported else 0
            c.secondaries += tr.secondary_claims
            claims_answered += len(tr.claims)
    return claims_answered


def step_ingest(c: Cycle) -> int:
    return _ingest(c)


def step_secondary(c: Cycle) -> int:
    """The demo's second round: the secondaries the 835s built are billed (build, scrub, batch), sent, answered."""
    deps, actor = c.container.deps, c.sp.actor
    billed = batches.bill_unbilled(deps, actor, options=batches.BatchOptions(usage="T"))
    if billed.batched:
        submission.send_batches(deps, actor, c.mailbox)
        _ingest(c)
    return billed.batched


def step_statements(c: Cycle) -> int:
    c.statements = len(statements.run_statements(c.container.deps, c.sp.actor, rules=StatementRules()).statements)
    return c.statements


# (label, step, what its items are): the order the cycle runs in; a job runner can take the same list
STEPS: list[tuple[str, Callable[[Cycle], int], str]] = [
    ("practice", step_practice, "practices"),
    ("register", step_register, "patients"),
    ("encounters", step_encounters, "encounters"),
    ("build", step_build, "claims"),
    ("scrub", step_scrub, "claims"),
    ("837", step_837, "claims"),
    ("send+sandbox", step_send, "claims"),
    ("ingest+post", step_ingest, "claims"),
    ("secondary", step_secondary, "claims"),
    ("statements", step_statements, "statements"),
]


def check(c: Cycle) -> list[str]:
    """What the cycle left in the database, checked exactly; the failures in words (empty: all good)."""
    failures: list[str] = []
    pid = c.sp.practice_id
    with c.container.engine.connect() as conn:
        lc = t.ledger_entries.c
        totals = {
            kind: int(cents or 0)
            for kind, cents in conn.execute(
                select(lc.kind, func.sum(lc.amount_cents)).where(lc.practice_id == pid).group_by(lc.kind)
            )
        }
        entries = [
            LedgerEntry(
                practice_id=pid,
                patient_id=r.patient_id,
                encounter_id=r.encounter_id,
                line_number=r.line_number,
                kind=EntryKind(r.kind),
                amount_cents=int(r.amount_cents),
                at=r.at,
                patient_share=PatientShare(r.patient_share) if r.patient_share else None,
                reverses=r.reverses,
                remittance_id=r.remittance_id,
            )
            for r in conn.execute(select(t.ledger_entries).where(lc.practice_id == pid))
        ]
        cc = t.claims.c
        states: dict[tuple[str, str], int] = {
            (order, status): int(n)
            for order, status, n in conn.execute(
                select(cc.coverage_order, cc.status, func.count())
                .where(cc.practice_id == pid)
                .group_by(cc.coverage_order, cc.status)
            )
        }
    by_line: dict[tuple[str | None, int | None], list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_line[(entry.encounter_id, entry.line_number)].append(entry)
    insurance = patient = 0
    for line_entries in by_line.values():
        b = balance(line_entries)
        if b.insurance_cents < 0 or b.patient_cents < 0:
            failures.append(f"a line's balance went negative: {b}")
            break
        insurance += b.insurance_cents
        patient += b.patient_cents
    charges = totals.get(EntryKind.CHARGE.value, 0)
    paid = totals.get(EntryKind.PAYER_PAYMENT.value, 0)
    adjusted = totals.get(EntryKind.CONTRACTUAL_ADJUSTMENT.value, 0) + totals.get(EntryKind.OTHER_ADJUSTMENT.value, 0)
    responsibility = totals.get(EntryKind.TRANSFER_TO_PATIENT.value, 0) - totals.get(
        EntryKind.TRANSFER_TO_INSURANCE.value, 0
    )
    if charges != c.charges_cents:
        failures.append(f"ledger charges {charges} != encounter charges {c.charges_cents}")
    if charges != paid + adjusted + responsibility + insurance:
        failures.append(
            f"does not balance: charges {charges} != payments {paid} + adjustments {adjusted} "
            f"+ patient {responsibility} + insurance {insurance}"
        )
    if responsibility != patient:
        failures.append(f"patient responsibility {responsibility} != patient balances {patient}")
    primaries = sum(n for (order, _), n in states.items() if order == "primary")
    if primaries != c.n:
        failures.append(f"primary claims by state add up to {primaries}, not {c.n}")
    if sum(states.values()) != c.n + c.secondaries:
        failures.append(f"claims by state add up to {sum(states.values())}, not {c.n} + {c.secondaries} secondaries")
    c.check_totals = (charges, paid, adjusted, responsibility, insurance, states)  # type: ignore[attr-defined]
    return failures


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encounters", type=int, default=TARGET_N, help="N: patients, one encounter each")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--workers", type=int, default=0, help="run the steps after coding as jobs on this many Celery workers"
    )
    args = parser.parse_args()
    n: int = args.encounters
    if args.workers and args.database != "postgresql":
        parser.error("--workers needs --database postgresql (worker processes share the database)")
    pool = None
    workdir = Path(tempfile.mkdtemp(prefix="medbill-cycle-bench-"))
    pg_name = None
    try:
        if args.database == "postgresql":
            url, pg_name = create_pg_database(migrated=False)
        else:
            url = f"sqlite:///{workdir / 'cycle.db'}"
        settings = Settings(
            database_url=url, fast_password_hashing=True, secret_key="bench", sandbox_dir=workdir / "sandbox"
        )
        container = build(settings, clock=FixedClock(NOW))
        started = time.perf_counter()
        migrate_container(container)
        migrate_seconds = time.perf_counter() - started
        cycle = Cycle(n=n, container=container, mailbox=sandbox_clearinghouse(container, fresh=True))
        steps = STEPS
        if args.workers:
            from cycle_workers import job_steps, start_pool  # beside this file

            pool = start_pool(url, workdir / "sandbox", workdir, NOW.isoformat(), args.workers)
            steps = [s for s in STEPS if s[0] in ("practice", "register", "encounters")]
            steps += job_steps(pool, lambda: cycle.sp.actor)
        timings: list[tuple[str, float, int, str]] = []
        cpu: dict[str, float] = {}
        try:
            for label, step, unit in steps:
                started, cpu_started = time.perf_counter(), time.process_time()
                items = step(cycle)
                timings.append((label, time.perf_counter() - started, items, unit))
                cpu[label] = time.process_time() - cpu_started
                print(f"  {label:<13} {timings[-1][1]:8.2f} s  {items:>7} {unit}", file=sys.stderr, flush=True)
            failures = check(cycle)
        finally:
            if pool is not None:
                from cycle_workers import stop_pool

                stop_pool(pool)
            container.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if pg_name is not None:
            drop_pg_database(pg_name)
    total = sum(seconds for _, seconds, _, _ in timings)
    claims_total = n + cycle.secondaries
    peak = _peak_rss_mb()
    print(
        f"cycle benchmark: N={n} encounters on {args.database} (schema migrated in {migrate_seconds:.1f} s, not counted)"
    )
    # wall seconds count; CPU seconds (this process) tell a slow step from a busy machine
    print(f"{'step':<14}{'seconds':>9}{'cpu s':>8}{'items':>9}{'items/s':>10}  unit")
    for label, seconds, items, unit in timings:
        rate = items / seconds if seconds > 0 else 0.0
        print(f"{label:<14}{seconds:>9.2f}{cpu[label]:>8.2f}{items:>9}{rate:>10.0f}  {unit}")
    print(
        f"{'end to end':<14}{total:>9.2f}{sum(cpu.values()):>8.2f}{claims_total:>9}{claims_total / total:>10.0f}  claims (primary + secondary)"
    )
    charges, paid, adjusted, responsibility, insurance, states = cycle.check_totals  # type: ignore[attr-defined]
    print(
        f"ledger (cents): charges {charges} = payer payments {paid} + adjustments {adjusted} "
        f"+ patient responsibility {responsibility} + insurance balance {insurance}"
    )
    by_state: dict[str, int] = defaultdict(int)
    for (_, status), count in states.items():
        by_state[status] += count
    print("claims by state: " + ", ".join(f"{s} {k}" for s, k in sorted(by_state.items())))
    print(
        f"remittances posted {cycle.remittances}, secondary claims {cycle.secondaries}, statements {cycle.statements}"
    )
    workers_peak = ", ".join(f"{name} {mb:.0f} MB" for name, mb in sorted(pool.peak_mb.items())) if pool else ""
    print(f"peak RSS {peak:.0f} MB (this process)" + (f"; workers {workers_peak}" if pool else ""))
    if pool is None:
        verdict = "meets" if total < TARGET_SECONDS * n / TARGET_N else "misses"
        print(
            f"target (peer/reference): N={TARGET_N} on sqlite in under {TARGET_SECONDS:.0f} s, 2 cores — this run {verdict} it pro rata"
        )
    else:
        verdict = "meets" if total < WORKERS_TARGET_SECONDS * n / WORKERS_TARGET_N else "misses"
        print(
            f"target (peer/reference): N={WORKERS_TARGET_N} on postgresql with 2 Celery workers in under "
            f"{WORKERS_TARGET_SECONDS / 60:.0f} min, 2 cores — this run {verdict} it pro rata"
        )
    for failure in failures:
        print(f"FAILED: {failure}")
    per_step = ", ".join(f"{label} {seconds:.1f} s" for label, seconds, _, _ in timings if label != "practice")
    print(
        f"cycle N={n} {args.database}{f' with {args.workers} Celery workers' if pool else ''}: {total:.1f} s end to "
        f"end, {claims_total / total:.0f} claims/s; {per_step}; peak RSS {peak:.0f} MB"
        + (f" (workers: {workers_peak})" if pool else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
