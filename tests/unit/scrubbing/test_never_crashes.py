"""Whatever an EHR export puts in the fields, the scrubber answers with findings and never raises."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.domain.claims import Diagnosis, ProcedureCode, ServiceLine
from medbill.services.scrubbing import RULES, scrub_batch
from tests.unit.scrubbing.builders import clean_claim, context

CODE_TEXT = st.text(alphabet="ABCEIJKOSXZ0123456789.- ", min_size=0, max_size=8)
ICD = st.one_of(st.sampled_from(["E119", "I10", "F0280", "G300", "O80", "C61", "S52521A", "E11", "I420"]), CODE_TEXT)
PROC = st.one_of(st.sampled_from(["99213", "93000", "93010", "36415", "J1100", "A9155", "E0601", "0001F"]), CODE_TEXT)
LINES = st.lists(
    st.builds(
        lambda n, code, qual, mods, units, cents, ptrs, on: ServiceLine(
            number=n,
            procedure=ProcedureCode(qualifier=qual, code=code, modifiers=mods),
            charge_cents=cents,
            units=units,
            diagnosis_pointers=ptrs,
            service_date=on,
        ),
        st.integers(1, 50),
        PROC,
        st.sampled_from(["HC", "XX", ""]),
        st.lists(st.text(alphabet="0123456789ABGLRTXZ", max_size=3), max_size=4).map(tuple),
        st.decimals(min_value=Decimal(-3), max_value=Decimal(999), places=2),
        st.integers(-10_000, 10_000_000),
        st.lists(st.integers(-1, 14), max_size=5).map(tuple),
        st.one_of(st.none(), st.dates(date(2010, 1, 1), date(2028, 12, 31))),
    ),
    max_size=6,
)
DIAGNOSES = st.lists(
    st.builds(lambda q, c: Diagnosis(qualifier=q, code=c), st.sampled_from(["ABK", "ABF", "BK", "ABJ", "ZZ"]), ICD),
    max_size=14,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, diagnoses=DIAGNOSES, born=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2030, 1, 1))))
def test_any_claim_gets_findings_from_registered_rules_and_no_exception(
    lines: list[ServiceLine], diagnoses: list[Diagnosis], born: date | None
) -> None:
    base = clean_claim()
    claim = replace(
        base,
        lines=tuple(lines),
        diagnoses=tuple(diagnoses),
        subscriber=replace(base.subscriber, birth_date=born),
    )
    for _, findings in scrub_batch([claim, claim], context()):
        assert all(f.rule in RULES and f.message and (f.line is None or f.line >= -1) for f in findings)
