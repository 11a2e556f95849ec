"""The X12 outline: real files grouped into their implementation-guide loops, with codes described."""

from __future__ import annotations

from pathlib import Path

import pytest

from medbill.domain.errors import FormatError
from medbill.formats import x12
from medbill.formats.x12.outline import OutlineLoop, Outliner, OutlineSegment, code_set_describers
from medbill.formats.x12.syntax import decode, split_interchanges

FIXTURES = Path(__file__).parents[2] / "fixtures" / "x12"


@pytest.fixture(scope="module")
def outliner() -> Outliner:
    return Outliner(code_set_describers())


def tree(loop: OutlineLoop, depth: int = 0) -> list[str]:
    lines = [f"{'  ' * depth}{loop.id} " + " ".join(s.id for s in loop.segments)]
    for child in loop.children:
        lines += tree(child, depth + 1)
    return lines


def first(loop: OutlineLoop, sid: str) -> OutlineSegment:
    for seg in loop.segments:
        if seg.id == sid:
            return seg
    for child in loop.children:
        try:
            return first(child, sid)
        except LookupError:
            continue
    raise LookupError(sid)


def test_an_835_is_grouped_into_payer_payee_claim_and_service_loops(outliner: Outliner) -> None:
    [interchange] = outliner.outline((FIXTURES / "835" / "botsedi__835-denial.dat").read_bytes())
    assert tree(interchange) == [
        "ISA ISA IEA",
        "  GS GS GE",
        "    ST ST BPR TRN REF DTM SE",
        "      1000A N1 N3 N4 PER PER PER",
        "      1000B N1 N3 N4 REF",
        "      2000 LX",
        "        2100 CLP NM1 REF DTM PER AMT",
        "          2110 SVC DTM CAS REF REF LQ",
    ]
    cas = first(interchange, "CAS")
    assert [(ref, value) for ref, value, _ in cas.elements] == [("CAS01", "OA"), ("CAS02", "252"), ("CAS03", "150")]
    assert cas.elements[0][2] is not None and cas.elements[0][2].startswith("Other Adjustments")
    assert cas.elements[1][2] is not None and cas.elements[1][2].startswith("An attachment/other documentation")


def test_an_837p_nests_subscriber_claim_and_line_under_the_billing_provider(outliner: Outliner) -> None:
    files = sorted((FIXTURES / "837P").iterdir())
    [interchange] = outliner.outline(next(f for f in files if f.name == "lfh-x12__demo.837").read_bytes())
    lines = tree(interchange)
    assert lines[3:6] == ["      1000A NM1 PER", "      1000B NM1", "      2000A HL PRV"]
    assert any(line.strip().startswith("2300 CLM") for line in lines)
    assert any(line.strip().startswith("2400 LX SV1") for line in lines)
    depth = {line.strip().split()[0]: len(line) - len(line.lstrip()) for line in lines}
    assert depth["2000A"] < depth["2000B"] < depth["2300"] < depth["2400"]


def test_every_real_sample_the_codec_reads_outlines_whole(outliner: Outliner) -> None:
    def count(loop: OutlineLoop) -> int:
        return len(loop.segments) + sum(count(c) for c in loop.children)

    for path in sorted(
        p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".md" and "malformed" not in p.parts
    ):
        data = path.read_bytes()
        try:
            x12.read(data)
        except FormatError:
            continue  # samples that are not whole interchanges are the strict reader's business
        interchanges = outliner.outline(data)
        segments = sum(len(seg) for _, seg in split_interchanges(decode(data)))
        assert sum(count(i) for i in interchanges) == segments, path.name


def test_a_file_that_is_not_x12_is_refused(outliner: Outliner) -> None:
    with pytest.raises(FormatError):
        outliner.outline("hello, this is not an interchange")
