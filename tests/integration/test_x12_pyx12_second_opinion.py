"""276/277 (no pyx12 5010 map): the files we write are parsed into models by a second outside reader, x12sdk.

x12sdk needs pydantic 2 and its own dependencies: it runs from its own virtual environment, found at
``$MEDBILL_X12SDK`` (the ``x12sdk`` executable) or ``/tmp/x12sdk-venv/bin/x12sdk``; the test skips without it.
    python3 -m venv /tmp/x12sdk-venv && /tmp/x12sdk-venv/bin/pip install x12sdk==2.2.0
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from medbill.formats import x12
from medbill.formats.x12.writer import write_276, write_277
from tests.unit.x12.test_x12_claim_status import ENVELOPE, VALID_276, VALID_277
from tests.unit.x12.x12_helpers import fixture

X12SDK = Path(os.environ.get("MEDBILL_X12SDK", "/tmp/x12sdk-venv/bin/x12sdk"))
pytestmark = pytest.mark.skipif(not X12SDK.exists(), reason="x12sdk (own venv) not installed")


@pytest.mark.parametrize("name", VALID_276 + VALID_277)
def test_x12sdk_reads_the_276_and_277_we_write(name: str, tmp_path: Path) -> None:
    docs = [t.document for t in x12.read(fixture(name))]
    text = (write_276 if name.startswith("276") else write_277)(docs, ENVELOPE)  # type: ignore[arg-type]
    path = tmp_path / "out.x12"
    path.write_text(text)
    done = subprocess.run([str(X12SDK), "-m", "-x", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
    models = json.loads(done.stdout)
    assert (
        models and models[0]["footer"]["se_segment"]["transaction_segment_count"] == text.count("~") - 4
    )  # all but ISA, GS, GE, IEA
