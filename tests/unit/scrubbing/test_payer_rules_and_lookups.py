"""The payer rule book is data (loaded, validated, replaceable), and cached lookups answer as the uncached ones do."""

from __future__ import annotations

from pathlib import Path

import pytest

from medbill.services.scrubbing import (
    Lookups,
    ScrubContext,
    load_rule_book,
    parse_rule_book,
    scrub_claim,
    shipped_rule_book,
)
from medbill.services.scrubbing.payer_rules import CodeRanges
from tests.unit.scrubbing.builders import clean_claim, context, found, line, with_lines
from tests.unit.scrubbing.cases import CASES


def test_the_shipped_book_holds_the_sandbox_and_demonstration_payers() -> None:
    book = shipped_rule_book()
    assert sorted(book.payers) == ["DEMO01", "DEMO02", "MBSBX"]
    sandbox = book.for_payer("mbsbx")
    assert sandbox is not None and sandbox.timely_filing_days == 365 and sandbox.rendering_required
    assert "70551" in sandbox.prior_authorization and "70550" not in sandbox.prior_authorization
    assert "83036" in book.referring_required_codes and "99213" not in book.referring_required_codes


@pytest.mark.parametrize(
    ("code", "inside"),
    [
        ("70010", True),
        ("79999", True),
        ("75000", True),
        ("7001F", False),
        ("E0100", True),
        ("E8003", False),
        ("G0101", True),
    ],
)
def test_code_ranges_hold_codes_of_the_same_shape(code: str, inside: bool) -> None:
    assert (code in CodeRanges.parse(["70010-79999", "E0100-E8002", "G0101"], "test")) is inside


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"payers": {"P1": {"max_diagnosis": 4}}}, "payer P1: unknown rule(s) max_diagnosis"),
        ({"payers": {"P1": {"member_id_pattern": "("}}}, "payer P1: member_id_pattern is not a regular expression"),
        ({"payers": {"P1": {"referring_required": ["7001-79999"]}}}, "is not a code or a range of 5-character codes"),
        ({"payers": {"P1": {"max_diagnoses": -1}}}, "payer P1 max_diagnoses must be a whole number"),
        ({"payers": []}, "'payers' must be an object keyed by payer ID"),
    ],
)
def test_a_wrong_rule_book_is_refused_with_the_payer_and_rule(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_rule_book(data)
    assert message in str(info.value)


def test_a_practice_rule_book_replaces_the_shipped_one(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        '{"payers": {"87726": {"max_diagnoses": 1, "modifier_required": '
        '[{"codes": ["36415"], "modifiers": ["QW"], "why": "labs need QW"}]}}}',
        encoding="utf-8",
    )
    claim = clean_claim()
    assert found(claim, context(payer_rules=load_rule_book(path))) == [
        ("payer.max_diagnoses", None, "error"),
        ("payer.modifier_required", 2, "error"),
    ]
    messages = [f.message for f in scrub_claim(claim, context(payer_rules=load_rule_book(path)))]
    assert messages[1] == "Line 2: payer 87726: labs need QW; add one of QW to 36415."
    assert found(claim) == []


def test_an_unreadable_rule_book_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the payer rule book"):
        load_rule_book(tmp_path / "absent.json")


def test_cached_and_uncached_lookups_find_the_same_things() -> None:
    direct = Lookups(cached=False)
    cached = Lookups()
    for _, claim, ctx in CASES:
        twice = [scrub_claim(claim, ctx, lookups=cached) for _ in range(2)]  # type: ignore[arg-type]
        assert twice[0] == twice[1] == scrub_claim(claim, ctx, lookups=direct)  # type: ignore[arg-type]


def test_findings_say_what_to_fix_without_naming_the_patient() -> None:
    claim = with_lines(clean_claim(), line(1, "93000", 5000), line(2, "93010", 2000))
    for f in scrub_claim(claim, ScrubContext()):
        assert "TESTPERSON" not in f.message and "ALEX" not in f.message and "W123456789" not in f.message
    (ptp,) = scrub_claim(claim, ScrubContext())
    assert ptp.message == (
        "Line 2: 93010 is not paid with 93000 (line 1) on 2026-05-04 (NCCI PTP, hospital outpatient I/OCE 27.1 table "
        "(practitioner table not available)); if the services were distinct (separate site, session or practitioner), "
        "append 59 or XE/XS/XP/XU to the column 2 code; otherwise remove the line."
    )
    assert ptp.location == "CMS-1500 box 24D / 837P 2400 SV101-3..6"
    assert ptp.field == "lines[2].procedure"
