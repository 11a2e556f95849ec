"""270/271 (no pyx12 5010 map): the files we write are parsed into 005010X279A1 models by x12sdk, an outside reader.

x12sdk needs pydantic 2 and its own dependencies: it runs from its own virtual environment, found at
``$MEDBILL_X12SDK`` (the ``x12sdk`` executable) or ``/tmp/x12sdk-venv/bin/x12sdk``; the test skips without it.
    python3 -m venv /tmp/x12sdk-venv && /tmp/x12sdk-venv/bin/pip install x12sdk==2.2.0

Four limits of x12sdk 2.2.0 shape what is sent to it (medbill reads and writes all three as the guide has them):
a 2000C subscriber that has benefits of its own and 2000D dependents under it is not modelled (it crashes); its
2100D AAA accepts only the 2100B reject reasons; and it types EB09 (quantity qualifier, an ID such as VS) as a
number; and it drops the 2100A PER (payer contact) from its segment count. The synthetic 271 is split, its 2100D
reason swapped, its EB09/EB10 and payer PER dropped before it is written.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from pathlib import Path

import pytest

from medbill.domain.eligibility import EligibilityRequest, EligibilityResponse
from medbill.formats import x12
from tests.unit.x12.test_eligibility import ENVELOPE, VALID_270
from tests.unit.x12.x12_helpers import fixture

X12SDK = Path(os.environ.get("MEDBILL_X12SDK", "/tmp/x12sdk-venv/bin/x12sdk"))
pytestmark = pytest.mark.skipif(not X12SDK.exists(), reason="x12sdk (own venv) not installed")


def judge(text: str, tmp_path: Path) -> list[dict[str, object]]:
    path = tmp_path / "out.x12"
    path.write_text(text)
    done = subprocess.run([str(X12SDK), "-m", "-x", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
    models: list[dict[str, object]] = json.loads(done.stdout)
    return models


def segment_count(models: list[dict[str, object]]) -> int:
    footer = models[0]["footer"]
    assert isinstance(footer, dict)
    return int(footer["se_segment"]["transaction_segment_count"])


@pytest.mark.parametrize("name", VALID_270)
def test_x12sdk_reads_the_270s_we_write(name: str, tmp_path: Path) -> None:
    docs = [t.document for t in x12.read(fixture(name))]
    assert all(isinstance(d, EligibilityRequest) for d in docs)
    text = x12.write_270(docs, ENVELOPE)  # type: ignore[arg-type]
    assert segment_count(judge(text, tmp_path)) == text.count("~") - 4  # all but ISA, GS, GE, IEA


@pytest.mark.parametrize(
    "name",
    ["271/lfh-x12__demo.271", "271/lfh-x12__dependent-health-benefit-check.271", "271/oopfactory__Example_3_1_3.txt"],
)
def test_x12sdk_reads_the_271s_we_write_from_real_files(name: str, tmp_path: Path) -> None:
    (t,) = x12.read(fixture(name))
    text = x12.write_271([t.document], ENVELOPE)  # type: ignore[list-item]
    assert segment_count(judge(text, tmp_path)) == text.count("~") - 4


def test_x12sdk_reads_our_synthetic_271_with_copays_deductibles_other_payer_and_aaa(tmp_path: Path) -> None:
    (t,) = x12.read(fixture("271/medbill__synthetic_benefits.271"))
    doc = t.document
    assert isinstance(doc, EligibilityResponse)
    (receiver,) = doc.receivers
    alex, jordan, riley = receiver.members
    alex = dataclasses.replace(
        alex, benefits=tuple(dataclasses.replace(b, quantity_qualifier=None, quantity=None) for b in alex.benefits)
    )
    riley = dataclasses.replace(
        riley, rejections=tuple(dataclasses.replace(r, reason_code="15") for r in riley.rejections)
    )
    split = dataclasses.replace(
        doc,
        payer=dataclasses.replace(doc.payer, contacts=()),
        receivers=(
            dataclasses.replace(receiver, members=(alex,)),
            dataclasses.replace(receiver, members=(jordan, riley)),
        ),
    )
    text = x12.write_271([split], ENVELOPE)
    models = judge(text, tmp_path)
    assert segment_count(models) == text.count("~") - 4
    dumped = json.dumps(models)
    assert dumped.count('"segment_name": "EB"') == text.count("~EB*")
    assert dumped.count('"segment_name": "AAA"') == text.count("~AAA*")
    assert '"SYNTHETIC SECONDARY PLAN"' in dumped
