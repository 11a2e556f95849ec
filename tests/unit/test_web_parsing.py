"""The web UI's pure parts: reading pointers, dates and dollars from forms, the session cookie codec, log redaction."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from medbill.web import RedactQueryStrings
from medbill.web.encounter_form import EncounterForm, parse_pointers, read_encounter, row_count
from medbill.web.forms import Reader, coverage_draft, patient_draft
from medbill.web.rendering import FormState, field_id
from medbill.web.session import SessionCodec, new_session

NOW = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1,)),
        ("1,2", (1, 2)),
        ("A,B", (1, 2)),
        ("a b", (1, 2)),
        ("L", (12,)),
        ("c;4", (3, 4)),
        ("M", None),
        ("AB", None),
        ("1.5", None),
    ],
)
def test_diagnosis_pointers_are_letters_or_numbers(text: str, expected: tuple[int, ...] | None) -> None:
    assert parse_pointers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "error"),
    [
        ("2026-11-20", date(2026, 11, 20), ""),
        ("11/20/2026", date(2026, 11, 20), ""),
        ("", None, "is required"),
        ("20.11.2026", None, "is not a date; use the date picker or write it as MM/DD/YYYY"),
    ],
)
def test_dates_come_from_the_picker_or_the_us_way(text: str, expected: date | None, error: str) -> None:
    reader = Reader({"d": text})
    assert reader.date("d") == expected
    assert reader.errors.get("d", "") == error


@pytest.mark.parametrize(
    ("text", "cents", "error"),
    [
        ("125", 12500, ""),
        ("$1,250.50", 125050, ""),
        ("", None, ""),
        ("12.345", None, "'12.345' has a fraction of a cent"),
        ("ten", None, "'ten' is not an amount in dollars"),
    ],
)
def test_dollars_become_integer_cents(text: str, cents: int | None, error: str) -> None:
    reader = Reader({"charge": text})
    assert reader.cents("charge") == cents
    assert reader.errors.get("charge", "") == error


def test_line_errors_are_mapped_back_to_the_rows_typed_in() -> None:
    form = EncounterForm(draft=None, errors={}, rows=[2, 5])
    assert form.place("lines[1].units") == "lines[2].units"
    assert form.place("lines[2]") == "lines[5]"
    assert form.place("lines[3].units") == "lines[3].units"
    assert form.place("diagnoses[2]") == "diagnoses[2]"
    assert form.place(None) == "form"


def test_an_encounter_form_skips_empty_rows_and_reads_the_rest() -> None:
    read = read_encounter(
        {
            "date_of_service": "2026-11-20",
            "rendering_provider_id": "p1",
            "diagnoses[1]": "I10",
            "line_count": "4",
            "lines[3].procedure_code": "99213",
            "lines[3].charge": "$80",
            "lines[3].modifier2": "25",
            "lines[1].units": "1",
        },
        "pat",
    )
    assert read.errors == {} and read.draft is not None and read.rows == [3]
    (line,) = read.draft.lines
    assert (line.procedure_code, line.modifiers, line.charge_cents, line.diagnosis_pointers) == (
        "99213",
        ("", "25", "", ""),
        8000,
        (1,),
    )


def test_row_count_keeps_at_least_the_starting_rows_and_at_most_fifty() -> None:
    assert row_count({}) == 3
    assert row_count({"line_count": "7"}, extra=1) == 8
    assert row_count({"line_count": "50"}, extra=1) == 50
    assert row_count({"line_count": "x"}) == 3


def test_a_patient_form_reads_the_guarantor_only_when_named() -> None:
    base = {
        "last_name": "Quill",
        "first_name": "Nora",
        "birth_date": "1984-07-09",
        "sex": "F",
        "address.line1": "1 A St",
        "address.city": "X",
        "address.state": "OH",
        "address.zip": "43004",
    }
    draft, errors = patient_draft(base)
    assert errors == {} and draft is not None and draft.guarantor is None
    draft, errors = patient_draft(
        {
            **base,
            "guarantor.last_name": "Quill",
            "guarantor.first_name": "Sam",
            "guarantor.relationship": "parent",
            "guarantor.same_address": "yes",
        }
    )
    assert draft is not None and draft.guarantor is not None and draft.guarantor.address == draft.address


def test_a_coverage_form_asks_for_the_subscriber_when_the_patient_is_not_the_subscriber() -> None:
    _, errors = coverage_draft(
        {"payer_id": "p", "order": "primary", "member_id": "M1", "effective_from": "2026-01-01", "relationship": "01"}
    )
    assert errors == {
        "subscriber.last_name": "is required",
        "subscriber.first_name": "is required",
        "subscriber.birth_date": "is required",
        "subscriber.sex": "is required; choose one",
    }


def test_field_ids_are_plain() -> None:
    assert [field_id(n) for n in ("address.zip", "lines[2].charge", "diagnoses[1]", "lines[3]")] == [
        "f-address-zip",
        "f-lines-2--charge",
        "f-diagnoses-1",
        "f-lines-3",
    ]


def test_errors_no_template_placed_are_listed_above_the_form() -> None:
    form = FormState.of(errors={"address.zip": "bad", "subscriber": "needed"})
    form.mark("address.zip")
    assert form.unplaced() == [("subscriber", "needed")]


def test_a_session_cookie_round_trips_and_refuses_forgery_and_age() -> None:
    codec = SessionCodec("k" * 32, minutes=30, secure=True)
    session = new_session("user-1", NOW)
    cookie = codec.encode(session)
    assert codec.decode(cookie, NOW + timedelta(minutes=29)) == session
    assert codec.decode(cookie, NOW + timedelta(minutes=30)) is None
    assert codec.decode(cookie, NOW - timedelta(minutes=1)) is None
    assert SessionCodec("other-key" * 4, minutes=30, secure=True).decode(cookie, NOW) is None
    assert codec.decode("garbage", NOW) is None and codec.decode(None, NOW) is None
    assert session.csrf_matches(session.csrf) and not session.csrf_matches("x") and not session.csrf_matches(None)
    assert new_session("user-1", NOW).csrf != session.csrf


def test_access_log_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/patients?name=smith%2C+jo&birth_date=1980-01-02", "1.1", 200),
        None,
    )
    assert RedactQueryStrings().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /patients?… HTTP/1.1" 200'
