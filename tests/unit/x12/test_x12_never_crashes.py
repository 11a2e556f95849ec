"""Whatever the bytes, reading X12 either succeeds or raises an X12 error that says where: never a crash."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.formats import x12
from medbill.formats.x12.writer import write_837
from tests.unit.x12.x12_helpers import REMIT_BODY, build, claim_batch, professional_claim

_ENVELOPE = x12.Envelope(
    sender_id="S1",
    receiver_id="R1",
    interchange_control_number=1,
    group_control_number=1,
    created=datetime(2026, 1, 1, 12, 0),
)
SEEDS = [
    build(REMIT_BODY),
    write_837([claim_batch([professional_claim(with_patient=True, lines=2, secondary=True)])], _ENVELOPE),
]
_noise = st.sampled_from(["*", "~", ":", "^", "", "X", "9", ".", "-", "\n", "ST", "SE*1*1~", "HL*9*9*23~", "é"])


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(_noise) + text[at + cut :]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_are_read_or_refused_with_an_x12_error(text: str) -> None:
    try:
        x12.read(text)
    except x12.X12Error as exc:
        assert exc.code.startswith("x12_")
        assert exc.location() or "empty" in exc.reason or "not an X12" in exc.reason


@settings(max_examples=150, deadline=None)
@given(mutated())
def test_validate_reports_instead_of_crashing(text: str) -> None:
    report = x12.validate(text)
    assert report.transactions >= 0
    assert all(f.code.startswith("x12_") for f in report.findings or [])
