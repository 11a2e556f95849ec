"""Files medbill writes pass the pyx12 validator (837P, 837I, 835, 999), judged by its own command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from medbill.domain.acknowledgements import (
    AckCode,
    ElementNote,
    FunctionalAcknowledgement,
    SegmentNote,
    TransactionSetResponse,
)
from medbill.domain.remittance import Remittance
from medbill.formats import x12
from medbill.formats.x12.writer import write_835, write_837, write_999
from tests.unit.x12.x12_helpers import REMIT_BODY, build, fixture, representative_batches

X12VALID = Path(sys.executable).parent / "x12valid"
pytestmark = pytest.mark.skipif(not X12VALID.exists() and not shutil.which("x12valid"), reason="pyx12 not installed")

ENVELOPE = x12.Envelope(
    sender_id="SENDER01",
    receiver_id="RECEIVER01",
    interchange_control_number=123,
    group_control_number=123,
    created=datetime(2026, 1, 7, 10, 15),
)

# real 835s pyx12 accepts as they are; what we write from them must stay clean
CLEAN_835 = [
    "835/botsedi__835-denial.dat",
    "835/botsedi__claim_adj_reason.dat",
    "835/botsedi__dollars_data_separate.dat",
    "835/edi835parser__emedny_sample.txt",
    "835/pyx12__835_mult_loops.txt",
]


def pyx12_errors(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.x12"
    path.write_text(text.replace("~", "~\n"), encoding="ascii")
    done = subprocess.run([str(X12VALID), str(path)], capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if " ERROR Line" in line or "ERROR Line" in line]
    assert output.strip().splitlines()[-1].endswith(": OK") or errors, output[-2000:]
    return errors


@pytest.mark.parametrize("name", sorted(representative_batches()))
def test_our_837s_pass_pyx12(name: str, tmp_path: Path) -> None:
    assert pyx12_errors(write_837([representative_batches()[name]], ENVELOPE), tmp_path) == []


def test_our_synthetic_835_passes_pyx12(tmp_path: Path) -> None:
    docs = [t.document for t in x12.read(build(REMIT_BODY))]
    assert pyx12_errors(write_835(docs, ENVELOPE), tmp_path) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("name", CLEAN_835)
def test_835s_rewritten_from_clean_real_files_pass_pyx12(name: str, tmp_path: Path) -> None:
    docs = [t.document for t in x12.read(fixture(name))]
    assert all(isinstance(d, Remittance) for d in docs)
    assert pyx12_errors(write_835(docs, ENVELOPE), tmp_path) == []  # type: ignore[arg-type]


def test_our_999s_pass_pyx12(tmp_path: Path) -> None:
    accepted = FunctionalAcknowledgement(
        functional_id="HC",
        group_control_number="5",
        version="005010X222A1",
        code=AckCode.ACCEPTED,
        sets_included=1,
        sets_received=1,
        sets_accepted=1,
        responses=(
            TransactionSetResponse(
                set_id="837", control_number="0001", implementation="005010X222A1", code=AckCode.ACCEPTED
            ),
        ),
    )
    rejected = FunctionalAcknowledgement(
        functional_id="HC",
        group_control_number="6",
        version="005010X222A1",
        code=AckCode.REJECTED,
        sets_included=1,
        sets_received=1,
        sets_accepted=0,
        responses=(
            TransactionSetResponse(
                set_id="837",
                control_number="0001",
                implementation="005010X222A1",
                code=AckCode.REJECTED,
                error_codes=("5",),
                segments=(
                    SegmentNote(
                        segment_id="NM1",
                        position=17,
                        loop_id="2010",
                        error_code="8",
                        elements=(ElementNote(position=9, reference_number="67", error_code="1"),),
                    ),
                ),
            ),
        ),
    )
    assert pyx12_errors(write_999([accepted, rejected], ENVELOPE), tmp_path) == []


def test_our_277ca_passes_pyx12(tmp_path: Path) -> None:
    from medbill.formats.x12.writer import write_277ca
    from tests.unit.x12.x12_helpers import claim_acknowledgement

    assert pyx12_errors(write_277ca([claim_acknowledgement()], ENVELOPE), tmp_path) == []
