"""Scrubber benchmark: 10,000 claims through every rule, against the same rules without the scrubber's caches.

    .venv/bin/python bench/scrub/bench_scrub.py                 # 10,000 claims, 5 runs, baseline once
    .venv/bin/python bench/scrub/bench_scrub.py --claims 2000 --repeat 3

Inputs: every claim of the readable real 837P/837I fixtures, replicated to N claims with their own CLM01, moved to
dates of service in 2026 (so every rule has work: the ICD-10-CM edition checks, NCCI pairs on one date, MUE,
conventions), with ICD-10-CM diagnoses, procedure codes and modifiers drawn from pools that hit and miss edits,
and a context with coverage, timely filing and a sent-lines map. Each run uses fresh lookup caches, so the figure
includes filling them. Prints wall and CPU claims/second for each run (the machine is shared: the range is the
point) and the baseline: the same rules with `Lookups(cached=False)`, i.e. every code-set question asked again.
Not a timed test.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from medbill.domain.claims import Claim, ClaimBatch, Diagnosis, ProcedureCode
from medbill.formats import x12
from medbill.services.scrubbing import ClaimFacts, CoveragePeriod, Lookups, ScrubContext, scrub_batch, sent_map

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "x12"
DX = [
    "E119",
    "I10",
    "E785",
    "J449",
    "K219",
    "M5450",
    "R519",
    "Z7984",
    "F419",
    "E109",
    "F0280",
    "G300",
    "N184",
    "I120",
    "Z794",
    "S52521A",
    "S52521",
    "I50",
    "C61",
    "N8030",
    "O80",
    "H04531",
    "E1122",
    "R0789",
    "Z0000",
]
PROCEDURES = [
    "99213",
    "99214",
    "36415",
    "93000",
    "93010",
    "83036",
    "85025",
    "80053",
    "97110",
    "20610",
    "76942",
    "J1100",
    "G0008",
    "90686",
    "99203",
    "71046",
    "E0601",
    "A6460",
    "11042",
    "97597",
]
MODIFIERS = [(), (), (), ("25",), ("59",), ("RT",), ("XS",), ("GP",)]


def source_claims() -> list[Claim]:
    out: list[Claim] = []
    for path in sorted((*FIXTURES.glob("837P/*"), *FIXTURES.glob("837I/*"))):
        try:
            transactions = x12.read(path.read_bytes())
        except x12.X12Error:
            continue  # the fixtures kept because they are wrong
        out.extend(c for t in transactions if isinstance(t.document, ClaimBatch) for c in t.document.claims)
    return out


def make_claims(n: int, seed: int = 5) -> list[Claim]:
    rng = random.Random(seed)
    base = source_claims()
    claims: list[Claim] = []
    for i in range(n):
        c = base[i % len(base)]
        on = date(2026, 4, 1) + timedelta(days=rng.randrange(150))
        dx = tuple(
            Diagnosis(qualifier="ABK" if k == 0 else "ABF", code=code)
            for k, code in enumerate(rng.sample(DX, rng.randint(1, 5)))
        )
        lines = []
        for ln in c.lines:
            proc = ln.procedure
            if proc is not None:
                proc = ProcedureCode(qualifier="HC", code=rng.choice(PROCEDURES), modifiers=rng.choice(MODIFIERS))
            lines.append(
                replace(
                    ln,
                    procedure=proc,
                    service_date=on,
                    units=Decimal(rng.choice([1, 1, 1, 2, 3])),
                    diagnosis_pointers=tuple(range(1, min(len(dx), 4) + 1)) if c.lines[0].diagnosis_pointers else (),
                )
            )
        claims.append(replace(c, patient_control_number=f"BENCH{i:06d}", diagnoses=dx, lines=tuple(lines)))
    return claims


def context(claims: list[Claim]) -> ScrubContext:
    facts = {
        c.patient_control_number: ClaimFacts(coverage=(CoveragePeriod(start=date(2026, 1, 1)),)) for c in claims[::3]
    }
    return ScrubContext(
        today=date(2026, 9, 15),
        facts=facts,
        timely_filing_days={"99999": 120, "999996666": 90},
        sent=sent_map(claims[::50]),
    )


def run(claims: list[Claim], ctx: ScrubContext, lookups: Lookups) -> tuple[float, float, int]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    results = scrub_batch(claims, ctx, lookups=lookups)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, sum(len(f) for _, f in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--baseline-claims", type=int, default=None, help="claims for the uncached baseline (default: all)"
    )
    args = parser.parse_args()
    t = time.perf_counter()
    Lookups()  # load the code sets once (ICD-10-CM, NCCI PTP, MUE, HCPCS, CPT numbers …): not part of the figure
    load = time.perf_counter() - t
    claims = make_claims(args.claims)
    ctx = context(claims)
    lines = sum(len(c.lines) for c in claims)
    print(
        f"{len(claims):,} claims, {lines:,} lines, {sum(len(c.diagnoses) for c in claims):,} diagnoses; "
        f"code sets loaded in {load:.2f} s"
    )
    rates = []
    for k in range(args.repeat):
        wall, cpu, found = run(claims, ctx, Lookups())
        rates.append(len(claims) / wall)
        print(
            f"  run {k + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU: {len(claims) / wall:,.0f} claims/s "
            f"({len(claims) / cpu:,.0f} per CPU second), {found:,} findings"
        )
    print(f"medbill scrubber: {min(rates):,.0f}–{max(rates):,.0f} claims/s over {args.repeat} runs (target 5,000)")
    sample = claims[: args.baseline_claims or len(claims)]
    sctx = context(sample) if len(sample) != len(claims) else ctx
    wall, cpu, found = run(sample, sctx, Lookups(cached=False))
    print(
        f"baseline, same rules without the scrubber's caches: {len(sample) / wall:,.0f} claims/s "
        f"({wall:.3f} s wall, {cpu:.3f} s CPU for {len(sample):,} claims, {found:,} findings)"
    )


if __name__ == "__main__":
    main()
