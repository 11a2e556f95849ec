"""The claim state machine: the happy path, rejections and resubmission, reversals, and refused moves."""

from __future__ import annotations

import pytest

from medbill.domain.claim_states import TRANSITIONS, ClaimEvent, ClaimStatus, allowed_events, next_status
from medbill.domain.errors import InvalidTransition

E, S = ClaimEvent, ClaimStatus


def walk(start: ClaimStatus, *events: ClaimEvent) -> ClaimStatus:
    status = start
    for event in events:
        status = next_status(status, event)
    return status


def test_a_clean_claim_goes_from_draft_to_closed() -> None:
    assert (
        walk(
            S.DRAFT,
            E.SCRUB,
            E.QUEUE,
            E.SUBMIT,
            E.ACCEPT,
            E.PEND,
            E.PAY_PARTIALLY,
            E.BILL_SECONDARY,
            E.BILL_PATIENT,
            E.CLOSE,
        )
        == S.CLOSED
    )


def test_a_rejected_claim_is_fixed_and_sent_again() -> None:
    assert walk(S.DRAFT, E.SCRUB, E.QUEUE, E.SUBMIT, E.REJECT, E.EDIT, E.SCRUB, E.QUEUE, E.SUBMIT, E.ACCEPT) == (
        S.ACCEPTED
    )


def test_a_reversal_reopens_adjudication() -> None:
    assert walk(S.PAID, E.REVERSE, E.DENY) == S.DENIED


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (S.DRAFT, E.QUEUE),
        (S.DRAFT, E.SUBMIT),
        (S.QUEUED, E.PAY),
        (S.DRAFT, E.VOID),
        (S.REJECTED, E.PAY),
        (S.CLOSED, E.SCRUB),
        (S.VOIDED, E.REOPEN),
        (S.SUBMITTED, E.REPLACE),
    ],
)
def test_an_illegal_move_is_refused_with_the_state_the_claim_was_in(status: ClaimStatus, event: ClaimEvent) -> None:
    with pytest.raises(InvalidTransition) as caught:
        next_status(status, event)
    assert f"a claim that is {status.value.replace('_', ' ')}" in caught.value.message


def test_every_state_but_the_final_ones_has_a_way_out() -> None:
    for status in ClaimStatus:
        if status in (S.VOIDED, S.REPLACED):
            assert allowed_events(status) == []
        else:
            assert allowed_events(status), status
    assert set(TRANSITIONS) == set(ClaimEvent)
