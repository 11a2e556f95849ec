"""ERA benchmark (issue 7): import and post an 835 with N claim payments into PostgreSQL, end to end, and compare the
parse alone with the peers of the X12 benchmark on the same file.

    .venv/bin/python bench/era/bench_era.py                 # 10,000 claim payments, PostgreSQL, peers included
    .venv/bin/python bench/era/bench_era.py --claims 2000 --no-peers
    .venv/bin/python bench/era/bench_era.py --database sqlite

What it does: makes a scratch database (dropped at the end), seeds a practice through the services, records one
encounter and builds its claim through the services, then clones that claim N times with SQL (own ids, CLM01s and
REF*6R numbers, as if N claims had been sent), writes the payer's 835 for all N with medbill's writer (two service
lines each: paid, CO-45, PR-2 and PR-3), and times ``posting.import_remittance`` on the file's bytes: read, check the
balancing, match, write the entries and claim moves, commit. It then checks what was posted (entry count and total
paid) so a fast wrong answer cannot pass for a fast right one.

Figures are wall seconds for the import (it waits on the database) and CPU seconds for the parse comparisons.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.integration.claims_support import covered_encounter  # noqa: E402
from tests.support import (  # noqa: E402
    FixedClock,
    create_pg_database,
    drop_pg_database,
    make_container,
    seed_practice,
)

from medbill.adapters.db import tables as t  # noqa: E402
from medbill.domain.claim_json import claim_to_json  # noqa: E402
from medbill.domain.claim_records import line_control_number, patient_control_number  # noqa: E402
from medbill.domain.claims import EntityType, NamedEntity, ProcedureCode  # noqa: E402
from medbill.domain.remittance import (  # noqa: E402
    Adjustment,
    AdjustmentGroup,
    ClaimPayment,
    ClaimStatus,
    DateEntry,
    Payment,
    Remittance,
    ServicePayment,
)
from medbill.formats import x12  # noqa: E402
from medbill.services import claims, posting  # noqa: E402

DOS = date(2026, 11, 20)


def clone_claims(practice: object, n: int) -> list[tuple[str, list[tuple[str, str, int, tuple[str, ...]]]]]:
    """N sent claims cloned from one built through the services: (CLM01, [(REF*6R, code, charge, modifiers)])."""
    p = practice
    deps = p.container.deps  # type: ignore[attr-defined]
    encounter = covered_encounter(p)  # type: ignore[arg-type]
    template = claims.build_claims(deps, p.biller, [encounter]).created[0]  # type: ignore[attr-defined]
    engine = p.container.engine  # type: ignore[attr-defined]
    made: list[tuple[str, list[tuple[str, str, int, tuple[str, ...]]]]] = []
    with engine.begin() as conn:
        row = conn.execute(select(t.claims).where(t.claims.c.id == template.id)).one()._asdict()
        lines = [
            r._asdict() for r in conn.execute(select(t.claim_lines).where(t.claim_lines.c.claim_id == template.id))
        ]
        claim_rows, line_rows = [], []
        for i in range(n):
            number = patient_control_number(1000 + i)
            claim_id = uuid.uuid4().hex
            document = replace(template.document, patient_control_number=number)
            claim_rows.append(
                {
                    **row,
                    "id": claim_id,
                    "patient_control_number": number,
                    "build_key": f"bench:{i}",
                    "status": "submitted",
                    "document": claim_to_json(document),
                }
            )
            cloned = []
            for line in lines:
                lcn = line_control_number(number, line["line_number"])
                line_rows.append({**line, "claim_id": claim_id, "line_control_number": lcn})
                mods = tuple(m for m in line["modifiers"].split(",") if m)
                cloned.append((lcn, line["procedure_code"], int(line["charge_cents"]), mods))
            made.append((number, cloned))
        for start in range(0, n, 2000):
            conn.execute(insert(t.claims), claim_rows[start : start + 2000])
        for start in range(0, len(line_rows), 4000):
            conn.execute(insert(t.claim_lines), line_rows[start : start + 4000])
    return made


def remittance(made: list[tuple[str, list[tuple[str, str, int, tuple[str, ...]]]]]) -> Remittance:
    payments = []
    for number, lines in made:
        services = []
        for lcn, code, charge, mods in lines:
            copay = 1000 if code.startswith("99") else 0
            coins = charge // 10
            co = charge // 5
            paid = charge - co - coins - copay
            adjustments = [Adjustment(group=AdjustmentGroup.CONTRACTUAL, carc="45", amount_cents=co)]
            adjustments.append(Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, carc="2", amount_cents=coins))
            if copay:
                adjustments.append(
                    Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, carc="3", amount_cents=copay)
                )
            services.append(
                ServicePayment(
                    procedure=ProcedureCode(qualifier="HC", code=code, modifiers=mods),
                    charge_cents=charge,
                    paid_cents=paid,
                    adjustments=tuple(adjustments),
                    line_control_number=lcn,
                    dates=(DateEntry(qualifier="472", date=DOS),),
                )
            )
        charge = sum(s.charge_cents for s in services)
        patient = sum(a.amount_cents for s in services for a in s.adjustments if a.group.value == "PR")
        payments.append(
            ClaimPayment(
                claim_id=number,
                status=ClaimStatus.PRIMARY,
                charge_cents=charge,
                paid_cents=sum(s.paid_cents for s in services),
                patient_responsibility_cents=patient,
                filing_indicator="CI",
                payer_claim_number=f"P{number}",
                lines=tuple(services),
                entities=(NamedEntity(role="QC", entity_type=EntityType.PERSON, name="BENCH", first_name="PAT"),),
            )
        )
    return Remittance(
        payment=Payment(
            handling="I",
            amount_cents=sum(c.paid_cents for c in payments),
            credit_debit="C",
            method="ACH",
            format="CCP",
            date=date(2026, 11, 25),
            trace_number="BENCH0001",
            originator_id="1123456789",
            banking=("01", "999999992", "DA", "123456", "1123456789", "", "01", "888888880", "DA", "98765"),
        ),
        payer=NamedEntity(role="PR", entity_type=EntityType.ORGANIZATION, name="ACME HEALTH", identifier="ACME1"),
        payee=NamedEntity(
            role="PE",
            entity_type=EntityType.ORGANIZATION,
            name="BENCH PRACTICE",
            id_qualifier="XX",
            identifier="1234567893",
        ),
        claims=tuple(payments),
    )


def cpu_of_process(cmd: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} failed: {done.stderr[-400:]}")
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def parse_comparison(path: Path) -> dict[str, float | None]:
    """Whole-process CPU seconds parsing the same file: medbill, edi-835-parser and pyx12's validator."""
    sys.path.insert(0, str(ROOT / "bench" / "x12"))
    from peers import EDI_835_PARSER, ensure_venv  # type: ignore[import-not-found]

    script = "import sys; from medbill.formats import x12; print(len(x12.read(open(sys.argv[1],'rb').read())))"
    figures: dict[str, float | None] = {
        "medbill x12.read (process)": cpu_of_process([sys.executable, "-c", script, str(path)])
    }
    python = ensure_venv(EDI_835_PARSER)
    if python is not None:
        runner = Path(tempfile.mkdtemp()) / "peer.py"
        runner.write_text(EDI_835_PARSER.script)
        figures["edi-835-parser parse (process)"] = cpu_of_process([str(python), str(runner), str(path)])
    else:
        figures["edi-835-parser parse (process)"] = None
    x12valid = Path(sys.executable).parent / "x12valid"
    figures["pyx12 x12valid (process)"] = cpu_of_process([str(x12valid), str(path)]) if x12valid.exists() else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()

    clock = FixedClock(datetime(2026, 11, 26, 15, 30, tzinfo=UTC))
    workdir = Path(tempfile.mkdtemp(prefix="medbill-era-bench-"))
    pg_name = None
    if args.database == "postgresql":
        url, pg_name = create_pg_database()
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"
    try:
        container = make_container(url, clock)
        practice = seed_practice(container)
        started = time.perf_counter()
        made = clone_claims(practice, args.claims)
        data = x12.write_835(
            [remittance(made)],
            x12.Envelope(
                sender_id="ACME1",
                receiver_id="BENCH",
                interchange_control_number=1,
                group_control_number=1,
                created=datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
                line_breaks=True,
            ),
        ).encode()
        path = workdir / "bench.835"
        path.write_bytes(data)
        setup = time.perf_counter() - started
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        report = posting.import_remittance(container.deps, practice.biller, data, file_name=path.name)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        tr = report.transactions[0]
        expected_paid = sum(c.paid_cents for c in remittance(made).claims)
        assert (tr.posted, tr.unmatched, tr.balanced) == (args.claims, 0, True), tr
        assert tr.totals["payer_payment"] == expected_paid
        again = posting.import_remittance(container.deps, practice.biller, data, file_name=path.name)
        assert again.already_imported
        container.close()
        result: dict[str, object] = {
            "database": args.database,
            "claim_payments": args.claims,
            "file_mb": round(len(data) / 1_000_000, 2),
            "ledger_entries": tr.entries,
            "import_and_post_wall_s": round(wall, 2),
            "import_and_post_cpu_s": round(cpu, 2),
            "claim_payments_per_s": round(args.claims / wall),
            "target_per_s": 1000,
            "setup_s": round(setup, 1),
        }
        print(json.dumps(result, indent=2))
        if not args.no_peers:
            figures = parse_comparison(path)
            ours = figures["medbill x12.read (process)"] or 0.0
            print("parse alone, whole process, CPU seconds (same file):")
            for name, seconds in figures.items():
                ratio = f"{seconds / ours:.1f}x medbill" if seconds and ours else "not measured"
                shown = f"{seconds:8.2f}" if seconds is not None else "       -"
                print(f"  {name:34} {shown}  {ratio}")
    finally:
        if pg_name is not None:
            drop_pg_database(pg_name)


if __name__ == "__main__":
    main()
