"""Appeals in the domain: the moves between states, levels one at a time, the argument and enclosures as typed, the
default argument per denial category; and the insurance write-off entries per line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from medbill.domain.appeals import (
    Appeal,
    AppealStatus,
    allowed_moves,
    argument_text,
    attachment_list,
    check_level,
    default_argument,
    default_attachments,
    template_for,
)
from medbill.domain.errors import InvalidTransition, ValidationError
from medbill.domain.ledger import EntryKind, LedgerEntry
from medbill.domain.write_offs import WriteOffReason, insurance_owed_by_line, write_off_entries

DRAFTED_AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def appeal(**changes: object) -> Appeal:
    base = Appeal(
        practice_id="p1",
        claim_id="c1",
        reason="CO-50: not deemed a medical necessity",
        argument="Please pay.",
        created_at=DRAFTED_AT,
        created_by="biller",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "moves"),
    [
        (AppealStatus.DRAFTED, {"sent", "withdrawn"}),
        (AppealStatus.SENT, {"won", "partly_won", "lost", "withdrawn"}),
        (AppealStatus.WON, set()),
        (AppealStatus.LOST, set()),
        (AppealStatus.WITHDRAWN, set()),
    ],
)
def test_each_status_allows_exactly_its_moves(status: AppealStatus, moves: set[str]) -> None:
    assert {m.value for m in allowed_moves(status)} == moves


def test_a_drafted_appeal_is_sent_then_answered_with_a_note() -> None:
    sent = appeal().sent(date(2026, 11, 30))
    lost = sent.answered(AppealStatus.LOST, date(2027, 1, 5), "  upheld:\n not necessary ")
    assert (lost.status, lost.sent_on, lost.answered_on, lost.outcome) == (
        AppealStatus.LOST,
        date(2026, 11, 30),
        date(2027, 1, 5),
        "upheld: not necessary",
    )
    assert not lost.open and sent.open


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: appeal().answered(AppealStatus.WON, date(2027, 1, 1), ""), InvalidTransition),
        (lambda: appeal().sent(date(2026, 11, 25)), ValidationError),  # before it was drafted
        (lambda: appeal().sent(date(2026, 12, 1)).answered(AppealStatus.WON, date(2026, 11, 30), ""), ValidationError),
        (lambda: appeal().sent(date(2026, 12, 1)).answered(AppealStatus.SENT, date(2026, 12, 2), ""), ValidationError),
        (lambda: appeal(status=AppealStatus.WON).revised(argument="x", attachments=()), InvalidTransition),
        (lambda: appeal(level=0), ValidationError),
        (lambda: appeal(reason=" "), ValidationError),
    ],
)
def test_moves_out_of_turn_and_bad_dates_are_refused(make: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()  # type: ignore[operator]


def test_levels_go_one_at_a_time_after_a_loss_and_never_beside_an_open_appeal() -> None:
    check_level(1, [])
    with pytest.raises(ValidationError, match="level 1"):
        check_level(2, [])
    lost = appeal(status=AppealStatus.LOST, level=1)
    won = appeal(status=AppealStatus.WON, level=1)
    check_level(2, [lost])
    check_level(2, [appeal(status=AppealStatus.PARTLY_WON)])
    with pytest.raises(ValidationError, match="level 2"):
        check_level(3, [lost])
    with pytest.raises(ValidationError):
        check_level(2, [won])
    with pytest.raises(ValidationError):
        check_level(1, [lost])  # level 1 was answered already
    check_level(1, [appeal(status=AppealStatus.WITHDRAWN)])  # a withdrawn appeal does not count
    with pytest.raises(InvalidTransition, match="drafted or sent already"):
        check_level(2, [lost, appeal(level=2, status=AppealStatus.SENT)])


def test_the_argument_keeps_its_paragraphs_and_the_enclosures_their_order() -> None:
    assert argument_text(" First   line\nsame paragraph.\n\n\n\nSecond.\r\n") == "First line same paragraph.\n\nSecond."
    assert attachment_list(["Records", "EOB\nRecords", "  ", "Letter"]) == ("Records", "EOB", "Letter")
    with pytest.raises(ValidationError) as empty:
        argument_text(" \n\n ")
    assert empty.value.field == "argument"
    with pytest.raises(ValidationError):
        attachment_list(["x" * 121])
    with pytest.raises(ValidationError):
        attachment_list([f"doc {n}" for n in range(31)])


@pytest.mark.parametrize(
    ("category", "template", "opening", "enclosure"),
    [
        (
            "medical_necessity",
            "medical_necessity",
            "The services were medically necessary",
            "Letter of medical necessity",
        ),
        ("authorization", "authorization", "for missing authorization", "Authorization approval"),
        ("timely_filing", "timely_filing", "reverse this timely-filing denial", "Proof of timely filing"),
        ("bundling", "bundling", "reconsider the bundling", "Operative or procedure notes"),
        ("coding", "other", "services were provided as billed", "Medical records"),
        (None, "other", "services were provided as billed", "Medical records"),
    ],
)
def test_each_denial_category_has_a_default_argument_and_enclosures(
    category: str | None, template: str, opening: str, enclosure: str
) -> None:
    assert template_for(category).value == template
    assert opening in default_argument(category)
    assert any(e.startswith(enclosure) for e in default_attachments(category))
    assert argument_text(default_argument(category)) == default_argument(category)


def _entry(line: int, kind: EntryKind, cents: int) -> LedgerEntry:
    return LedgerEntry(
        practice_id="p1",
        patient_id="pt",
        encounter_id="e1",
        line_number=line,
        kind=kind,
        amount_cents=cents,
        at=DRAFTED_AT,
        remittance_id="r1" if kind is EntryKind.PAYER_PAYMENT else None,
    )


def test_a_write_off_takes_each_owed_line_to_zero_and_skips_the_settled_and_overpaid_ones() -> None:
    entries = [
        _entry(1, EntryKind.CHARGE, 12000),
        _entry(1, EntryKind.PAYER_PAYMENT, 10001),
        _entry(2, EntryKind.CHARGE, 3150),
        _entry(2, EntryKind.PAYER_PAYMENT, 3150),
        _entry(3, EntryKind.CHARGE, 500),
        _entry(3, EntryKind.PAYER_PAYMENT, 600),
    ]
    owed = insurance_owed_by_line(entries, [1, 2, 3])
    assert owed == {1: 1999, 2: 0, 3: -100}
    made = write_off_entries(
        owed,
        practice_id="p1",
        patient_id="pt",
        encounter_id="e1",
        claim_id="c1",
        payer_id="acme",
        reason=WriteOffReason.SMALL_BALANCE,
        at=DRAFTED_AT,
        source="write-off by biller: short pay",
    )
    assert [(e.line_number, e.kind, e.amount_cents, e.reason_code) for e in made] == [
        (1, EntryKind.OTHER_ADJUSTMENT, 1999, "small_balance")
    ]
    assert insurance_owed_by_line([*entries, *made], [1]) == {1: 0}
    with pytest.raises(ValidationError, match="nothing to write off"):
        write_off_entries(
            {2: 0, 3: -100},
            practice_id="p1",
            patient_id="pt",
            encounter_id="e1",
            claim_id="c1",
            payer_id="acme",
            reason=WriteOffReason.COURTESY,
            at=DRAFTED_AT,
            source="x",
        )
