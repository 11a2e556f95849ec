"""Volume for the query-plan test and bench/hot_paths.py: N claims on PostgreSQL in seconds, by cloning rows the
services wrote (one patient, coverage, encounter, claim) with ``INSERT … SELECT … FROM generate_series``, and the
hot read paths run through the services with every SELECT they send captured, to EXPLAIN exactly that SQL.

What N claims bring (proportions of a practice a year and a half into billing): N/4 patients each with a primary
coverage at one of 12 payers; one visit per claim (two lines, two diagnoses, two charge entries); claims spread over
540 days of service and the claim states (60 % paid with payment, contractual and patient-share entries per line on
one of N/100 remittances, 10 % denied with denial entries, the rest on their way); four history events per claim;
work items for about a fifth of the claims (denials, no response, underpayments), most closed, owned by five people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, select, text

from medbill.adapters.db import tables as t
from medbill.domain.claim_records import patient_control_number
from medbill.domain.work_items import Queue, WorkQuery
from medbill.services import accounts, claims, follow_up, reports, setup
from medbill.services.setup import PayerDraft
from tests.integration.claims_support import encounter_for
from tests.support import Practice, register_with_coverage

OWNERS = ("bea", "cal", "dee", "eli", "fay")
DAYS = 540  # dates of service spread back from this day
LAST_DOS = date(2026, 11, 20)
BIG_TABLES = ("claims", "ledger_entries", "work_items")


@dataclass(frozen=True, slots=True)
class Loaded:
    practice: Practice
    claims: int
    patients: int
    payer_ids: tuple[str, ...]

    def claim_number(self, i: int) -> str:
        """The CLM01 of the ``i``-th cloned claim (1 … N)."""
        return patient_control_number(_FIRST_NUMBER + i)

    def patient_id(self, j: int) -> str:
        """The id of the ``j``-th cloned patient (1 … N/4); claims ``i`` belong to patient ``1 + i % patients``."""
        return _md5_py(f"pat-{j}")


def _md5_py(value: str) -> str:
    import hashlib

    return hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()


def _pg_type(table: Table, column: str, conn: Connection) -> str:
    return str(table.c[column].type.compile(dialect=conn.dialect))


def _clone(
    conn: Connection,
    table: Table,
    template: dict[str, Any],
    overrides: dict[str, str],
    source: str,
    params: dict[str, Any],
) -> int:
    """INSERT INTO table SELECT … FROM source: each column from ``overrides`` (SQL over the source's columns) or else
    the template row's value, cast to the column's type. Autoincrement keys missing from both are left to the
    database."""
    names, exprs = [], []
    binds = dict(params)
    for column in table.c:
        if column.name in overrides:
            names.append(column.name)
            exprs.append(overrides[column.name])
        elif column.name in template and not (column.autoincrement is True or column.name == "seq"):
            names.append(column.name)
            exprs.append(f"CAST(:t_{column.name} AS {_pg_type(table, column.name, conn)})")
            binds[f"t_{column.name}"] = template[column.name]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {source}"
    return int(conn.execute(text(sql), binds).rowcount)


def _one(conn: Connection, table: Table, **where: str) -> dict[str, Any]:
    rows = _all(conn, table, **where)
    assert len(rows) == 1, (table.name, where, len(rows))
    return rows[0]


def _all(conn: Connection, table: Table, **where: str) -> list[dict[str, Any]]:
    stmt = select(table).where(*(table.c[k] == v for k, v in where.items()))
    return [r._asdict() for r in conn.execute(stmt)]


def _add_payers(p: Practice) -> tuple[str, ...]:
    ids = [p.commercial_id, p.medicare_id]
    for k in range(10):
        payer = setup.add_payer(
            p.container.deps,
            p.admin,
            PayerDraft(name=f"Volume Payer {k}", payer_id=f"VOL{k:02d}", claim_filing_indicator="CI"),
        )
        ids.append(payer.id)
    return tuple(ids)


# SQL over g(i), the claim's number: the same ids wherever a row points at another
_PATIENT_OF = "md5('pat-' || (1 + i % :patients))"
_DOS = "(CAST(:last_dos AS date) - (i % :days))"
_ENTERED = f"(CAST({_DOS} + 2 AS timestamp) + interval '15 hours') AT TIME ZONE 'UTC'"
_PAYER_OF = "(CAST(:payers AS varchar[]))[1 + (1 + i % :patients) % cardinality(CAST(:payers AS varchar[]))]"
# i % 10: 0-5 paid, 6 denied, 7 submitted, 8 accepted, 9 draft
_STATUS = (
    "CASE WHEN i % 10 < 6 THEN 'paid' WHEN i % 10 = 6 THEN 'denied' WHEN i % 10 = 7 THEN 'submitted' "
    "WHEN i % 10 = 8 THEN 'accepted' ELSE 'draft' END"
)
_FIRST_NUMBER = 1_000_000  # cloned claims are numbered from here: the practice's own counter is far below
_PCN = "pcn"  # CLM01s with their check digits, made in Python, unnested beside their number
_NUMBERED = (
    "(SELECT pcn, CAST(k AS integer) AS i FROM unnest(CAST(:numbers AS varchar[])) WITH ORDINALITY AS u(pcn, k)) AS g"
)


def load_claims(p: Practice, n: int) -> Loaded:
    """N claims (with everything that hangs off them) cloned into the practice of ``p``; ANALYZEd."""
    payer_ids = _add_payers(p)
    patient_id, coverage_id = register_with_coverage(p, last_name="Template")
    encounter_id = encounter_for(p, patient_id, on=LAST_DOS)
    template_claim = claims.build_claims(p.container.deps, p.biller, [encounter_id]).created[0]
    patients = max(1, n // 4)
    remittances = max(1, n // 100)
    params: dict[str, Any] = {
        "patients": patients,
        "last_dos": LAST_DOS,
        "days": DAYS,
        "payers": list(payer_ids),
        "n": n,
        "remittances": remittances,
        "numbers": [patient_control_number(_FIRST_NUMBER + i) for i in range(1, n + 1)],
    }
    with p.container.engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        # the rows are consistent by construction: skip the per-row foreign-key triggers while loading (superuser)
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        patient = _one(conn, t.patients, id=patient_id)
        coverage = _one(conn, t.coverages, id=coverage_id)
        encounter = _one(conn, t.encounters, id=encounter_id)
        claim = _one(conn, t.claims, id=template_claim.id)
        per_patient = "generate_series(1, :patients) AS g(j)"
        _clone(
            conn,
            t.patients,
            patient,
            {
                "id": "md5('pat-' || j)",
                "account_number": "'V' || lpad(CAST(j AS text), 9, '0')",
                "last_name": "'Volume' || j",
                "search_name": "'volume' || j || ',ada'",
                "birth_date": "CAST('1940-01-01' AS date) + (j * 37) % 29000",
            },
            per_patient,
            params,
        )
        _clone(
            conn,
            t.coverages,
            coverage,
            {
                "id": "md5('cov-' || j)",
                "patient_id": "md5('pat-' || j)",
                "payer_id": "(CAST(:payers AS varchar[]))[1 + j % cardinality(CAST(:payers AS varchar[]))]",
                "member_id": "'M' || lpad(CAST(j AS text), 11, '0')",
            },
            per_patient,
            params,
        )
        per_claim = "generate_series(1, :n) AS g(i)"
        _clone(
            conn,
            t.encounters,
            encounter,
            {
                "id": "md5('enc-' || i)",
                "patient_id": _PATIENT_OF,
                "date_of_service": _DOS,
                "created_at": _ENTERED,
            },
            per_claim,
            params,
        )
        for line in _all(conn, t.encounter_lines, encounter_id=encounter_id):
            _clone(conn, t.encounter_lines, line, {"encounter_id": "md5('enc-' || i)"}, per_claim, params)
        for diagnosis in _all(conn, t.encounter_diagnoses, encounter_id=encounter_id):
            _clone(conn, t.encounter_diagnoses, diagnosis, {"encounter_id": "md5('enc-' || i)"}, per_claim, params)
        _clone(
            conn,
            t.claims,
            claim,
            {
                "id": "md5('clm-' || i)",
                "encounter_id": "md5('enc-' || i)",
                "patient_id": _PATIENT_OF,
                "coverage_id": "md5('cov-' || (1 + i % :patients))",
                "payer_id": _PAYER_OF,
                "status": _STATUS,
                "patient_control_number": _PCN,
                "build_key": "'volume:' || i",
                "date_of_service": _DOS,
                "document": f"replace(CAST(:t_document AS text), :template_pcn, {_PCN})",
                "created_at": _ENTERED,
                "updated_at": _ENTERED,
            },
            _NUMBERED,
            {**params, "template_pcn": claim["patient_control_number"], "t_document": claim["document"]},
        )
        lines = _all(conn, t.claim_lines, claim_id=template_claim.id)
        for line in lines:
            _clone(
                conn,
                t.claim_lines,
                line,
                {
                    "claim_id": "md5('clm-' || i)",
                    "line_control_number": f"{_PCN} || '-' || {int(line['line_number'])}",
                },
                _NUMBERED,
                params,
            )
        _load_history(conn, claim["practice_id"], params)
        _load_remittances(conn, claim["practice_id"], params)
        charges = _all(conn, t.ledger_entries, encounter_id=encounter_id)
        _load_ledger(conn, charges, params)
        _load_work_items(conn, claim["practice_id"], params)
    with p.container.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return Loaded(practice=p, claims=n, patients=patients, payer_ids=payer_ids)


def _load_history(conn: Connection, practice_id: str, params: dict[str, Any]) -> None:
    """scrub → queue → submit → (pay | deny | accept) per claim, by its state."""
    steps = (
        ("scrub", "draft", "scrubbed", 0, "i % 10 <> 9"),
        ("queue", "scrubbed", "queued", 0, "i % 10 <> 9"),
        ("submit", "queued", "submitted", 1, "i % 10 <> 9"),
        ("pay", "accepted", "paid", 20, "i % 10 < 6"),
        ("deny", "accepted", "denied", 20, "i % 10 = 6"),
        ("accept", "submitted", "accepted", 2, "i % 10 = 8"),
    )
    for name, before, after, days, when in steps:
        conn.execute(
            text(
                "INSERT INTO claim_events (practice_id, claim_id, event, from_status, to_status, at, actor, reason) "
                f"SELECT :practice, md5('clm-' || i), :event, :before, :after, {_ENTERED} + :after_days * interval '1 day', "
                f"'volume', '' FROM generate_series(1, :n) AS g(i) WHERE {when}"
            ),
            {**params, "practice": practice_id, "event": name, "before": before, "after": after, "after_days": days},
        )


def _load_remittances(conn: Connection, practice_id: str, params: dict[str, Any]) -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    template = {
        "practice_id": practice_id,
        "status": "posted",
        "file_name": "volume.835",
        "transaction_index": 1,
        "control_number": "0001",
        "payer_name": "ACME HEALTH",
        "payer_identifier": "ACME1",
        "method": "ACH",
        "amount_cents": 1_000_000,
        "paid_on": LAST_DOS,
        "claim_count": 100,
        "posted_count": 100,
        "unmatched_count": 0,
        "denied_count": 10,
        "provider_adjustment_cents": 0,
        "difference_cents": 0,
        "problems": "",
        "sha256": "0" * 64,
        "imported_at": now,
        "imported_by": "volume",
        "posted_at": now,
    }
    _clone(
        conn,
        t.remittances,
        template,
        {
            "id": "md5('rem-' || r)",
            "import_key": "'volume-' || r",
            "trace_number": "'VOL' || r",
            "paid_on": "CAST(:last_dos AS date) - (r % :days) + 20",
        },
        "generate_series(1, :remittances) AS g(r)",
        params,
    )


def _load_ledger(conn: Connection, charges: Sequence[dict[str, Any]], params: dict[str, Any]) -> None:
    """The visit's charge entries per claim; payment, contractual and coinsurance per line on paid claims; a denial
    per line on denied ones."""
    per_claim = "generate_series(1, :n) AS g(i)"
    common = {
        "encounter_id": "md5('enc-' || i)",
        "patient_id": _PATIENT_OF,
        "at": _ENTERED,
    }
    adjudicated = {
        **common,
        "claim_id": "md5('clm-' || i)",
        "payer_id": _PAYER_OF,
        "remittance_id": "md5('rem-' || (1 + i % :remittances))",
        "at": f"{_ENTERED} + interval '20 days'",
    }
    for k, charge in enumerate(charges):
        _clone(conn, t.ledger_entries, charge, {**common, "id": f"md5('chg-{k}-' || i)"}, per_claim, params)
        amount = int(charge["amount_cents"])
        paid_claims = f"{per_claim} WHERE i % 10 < 6"
        for kind, cents, share, group, carc in (
            ("payer_payment", amount * 7 // 10, None, None, None),
            ("contractual_adjustment", amount // 10, None, "CO", "45"),
            ("transfer_to_patient", amount - amount * 7 // 10 - amount // 10, "coinsurance", "PR", "2"),
        ):
            row = {**charge, "kind": kind, "amount_cents": cents, "patient_share": share}
            row.update(group_code=group, reason_code=carc, source="volume 835")
            _clone(conn, t.ledger_entries, row, {**adjudicated, "id": f"md5('{kind}-{k}-' || i)"}, paid_claims, params)
        denial = {**charge, "kind": "denial", "group_code": "CO", "reason_code": "50", "source": "volume 835"}
        _clone(
            conn,
            t.ledger_entries,
            denial,
            {**adjudicated, "id": f"md5('denial-{k}-' || i)"},
            f"{per_claim} WHERE i % 10 = 6",
            params,
        )


def _load_work_items(conn: Connection, practice_id: str, params: dict[str, Any]) -> None:
    """A denial item per denied claim, a no-response item per submitted one, an underpayment per 25th paid one; a
    quarter of them still open, owners round-robin (one turn in six unassigned)."""
    template = {
        "practice_id": practice_id,
        "remittance_id": None,
        "reason": "CO-50 these are non-covered services because this is not deemed a medical necessity",
        "detail": "{}",
        "closed_at": None,
        "closed_by": None,
        "resolution": None,
        "category": "medical_necessity",
        "next_action": "appeal",
    }
    queue = (
        f"CASE WHEN i % 10 = 6 THEN '{Queue.DENIAL.value}' WHEN i % 10 = 7 THEN '{Queue.NO_RESPONSE.value}' "
        f"ELSE '{Queue.UNDERPAYMENT.value}' END"
    )
    owners = "(CAST(:owners AS varchar[]))[1 + (i / 10) % 6]"  # index 6 is past the end: NULL, unassigned
    _clone(
        conn,
        t.work_items,
        template,
        {
            "id": "md5('wrk-' || i)",
            "queue": queue,
            "status": "CASE WHEN (i / 10) % 4 = 0 THEN 'open' ELSE 'closed' END",
            "claim_id": "md5('clm-' || i)",
            "reference": _PCN,
            "amount_cents": "15150 + i % 1000",
            "created_at": f"{_ENTERED} + interval '21 days'",
            "due_on": f"{_DOS} + 180",
            "owner": owners,
            "payer_id": _PAYER_OF,
            "patient_id": _PATIENT_OF,
            "closed_at": f"CASE WHEN (i / 10) % 4 = 0 THEN NULL ELSE {_ENTERED} + interval '40 days' END",
            "closed_by": "CASE WHEN (i / 10) % 4 = 0 THEN NULL ELSE 'volume' END",
            "resolution": "CASE WHEN (i / 10) % 4 = 0 THEN NULL ELSE 'appealed' END",
        },
        f"{_NUMBERED} WHERE i % 10 IN (6, 7) OR i % 250 = 1",
        {**params, "owners": list(OWNERS)},
    )


# --- the hot paths, run through the services, their SELECTs captured -------------------------------------------------


@dataclass(slots=True)
class Captured:
    name: str
    statements: list[tuple[str, Any]] = field(default_factory=list)


@contextmanager
def capture(engine: Engine, into: Captured) -> Iterator[None]:
    """Every SELECT the engine sends while inside, with its parameters, as the driver got them."""

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and not executemany:
            into.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def hot_paths(loaded: Loaded) -> dict[str, Callable[[], object]]:
    """Each hot read path as a call of its service, on rows the load made."""
    p = loaded.practice
    deps = p.container.deps
    patient = loaded.patient_id(loaded.patients // 2)
    claim_number = loaded.claim_number(loaded.claims // 2 + 6 - (loaded.claims // 2) % 10)  # a denied claim
    payer = loaded.payer_ids[3]
    provider = p.provider_id

    def lookup() -> object:
        return claims.get_claim(deps, p.biller, claims.claim_id_for(deps, p.biller, claim_number))

    return {
        "work queue (denials, open, oldest)": lambda: follow_up.find_work(
            deps, p.biller, WorkQuery(queue=Queue.DENIAL, limit=50)
        ),
        "work queue (owner, open)": lambda: follow_up.find_work(deps, p.biller, WorkQuery(owner="cal", limit=50)),
        "work queue (payer, open)": lambda: follow_up.find_work(deps, p.biller, WorkQuery(payer_id=payer, limit=50)),
        "work queue (rendering provider, open)": lambda: follow_up.find_work(
            deps, p.biller, WorkQuery(provider_id=provider, limit=50)
        ),
        "work queue (denials, unassigned)": lambda: follow_up.find_work(
            deps, p.biller, WorkQuery(queue=Queue.DENIAL, owner="", limit=50)
        ),
        "A/R aging by payer": lambda: reports.ar_aging(deps, p.biller, by="payer"),
        "patient account": lambda: accounts.patient_account(deps, p.biller, patient),
        "claim lookup by CLM01": lookup,
    }


def explain(engine: Engine, statement: str, parameters: Any, *, analyze: bool) -> dict[str, Any]:
    """The plan of one captured statement (EXPLAIN … FORMAT JSON), the top node's dict."""
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN ({options}) {statement}", parameters).scalar_one()
        conn.rollback()
    return dict(plan[0])


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of a plan, depth first."""
    stack = [plan.get("Plan", plan)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("Plans", ()))


def scans(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(node type, relation, index) of every scan node of a plan."""
    out = []
    for node in nodes(plan):
        if "Scan" in node["Node Type"]:
            out.append((node["Node Type"], node.get("Relation Name", ""), node.get("Index Name", "")))
    return out


def run_captured(engine: Engine, name: str, call: Callable[[], object]) -> Captured:
    captured = Captured(name)
    with capture(engine, captured):
        call()
    return captured
