"""Eligibility checks through the sandbox payer: the 270 sent, the 271 kept raw and normalized, findings queued,
pending checks completed by a later poll, and a day's appointments checked in one run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from medbill.adapters.clearinghouse.config import DirectoryConfig
from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse
from medbill.adapters.clearinghouse.sandbox import SandboxClearinghouse, load_payers
from medbill.domain.eligibility_checks import CheckStatus
from medbill.domain.errors import PermissionDenied
from medbill.domain.work_items import Queue
from medbill.formats import x12
from medbill.services import accounts, appointments, eligibility, patients, users
from medbill.services.appointments import AppointmentDraft
from medbill.services.patients import CoverageDraft
from tests.support import PASSWORD, Practice, patient_draft

DAY = date(2026, 11, 30)


def sandbox(p: Practice, root: Path) -> SandboxClearinghouse:
    """The sandbox payer playing the practice's two payers: Acme as its commercial PPO, Medicare B as Medicare."""
    found = load_payers()
    payers = {
        "ACME1": replace(found["SBXCOMM"], payer_id="ACME1"),
        "MCRB1": replace(found["SBXMCR"], payer_id="MCRB1"),
    }
    return SandboxClearinghouse(root, payers=payers, now=p.container.deps.clock.now)


def insured(p: Practice, *coverages: tuple[str, str, str], **person: object) -> tuple[str, list[str]]:
    """A patient with coverages given as (payer, order, member id), recorded as copay 25.00, deductible 1,500.00."""
    deps = p.container.deps
    patient = patients.register_patient(deps, p.biller, patient_draft(**person))
    ids = []
    for payer, order, member in coverages:
        draft = CoverageDraft(
            payer_id=p.commercial_id if payer == "acme" else p.medicare_id,
            order=order,
            member_id=member,
            effective_from=date(2026, 1, 1),
            copay_cents=2500,
            deductible_cents=150000,
            coinsurance_percent="20",
        )
        ids.append(patients.add_coverage(deps, p.biller, patient.id, draft).id)
    return patient.id, ids


def visit(p: Practice, patient_id: str, *codes: str, hour: int = 15) -> str:
    made = appointments.schedule_appointment(
        p.container.deps,
        p.biller,
        AppointmentDraft(
            patient_id=patient_id,
            starts_at=datetime.combine(DAY, datetime.min.time(), tzinfo=UTC).replace(hour=hour),
            provider_id=p.provider_id,
            visit_type="established",
            services=tuple((c, 1, ()) for c in codes),
        ),
    )
    return made.id


def test_a_check_keeps_the_270_and_271_and_the_benefits_the_payer_reports(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    patient_id, [coverage_id] = insured(practice, ("acme", "primary", "COMM-DEDPART"))
    check = eligibility.check_eligibility(deps, practice.biller, sandbox(practice, tmp_path), patient_id)
    assert (check.status, check.coverage_id, check.member_id, check.service_types) == (
        CheckStatus.ACTIVE,
        coverage_id,
        "COMM-DEDPART",
        ("30",),
    )
    assert check.benefits is not None and check.problems == ()
    assert (check.benefits.deductible_remaining_cents(), check.benefits.out_of_pocket_remaining_cents()) == (
        5000,
        250000,
    )
    with deps.uow() as uow:
        request, response = uow.eligibility_checks.raw(practice.biller.practice_id, check.id)
    assert request is not None and response is not None
    (asked,) = x12.read(request)
    assert asked.type is x12.TransactionType.ELIGIBILITY_REQUEST
    assert eligibility.raw_271(deps, practice.biller, check.id) == response
    latest = eligibility.latest_benefits(deps, practice.biller, coverage_id)
    assert latest is not None and latest.id == check.id
    assert [c.id for c in eligibility.patient_checks(deps, practice.biller, patient_id)] == [check.id]


def test_inactive_coverage_and_an_unknown_member_go_to_the_front_desk_queue(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    mailbox = sandbox(practice, tmp_path)
    ended, _ = insured(practice, ("medicare", "primary", "MCR-TERM"))
    unknown, _ = insured(practice, ("acme", "primary", "NOPE-1"), first_name="Bo")
    first = eligibility.check_eligibility(deps, practice.biller, mailbox, ended)
    second = eligibility.check_eligibility(deps, practice.biller, mailbox, unknown)
    assert (first.status, second.status) == (CheckStatus.INACTIVE, CheckStatus.REJECTED)
    assert first.problems == (
        "coverage inactive (ended 2026-01-31): collect another coverage or treat the visit as self-pay",
    )
    assert second.problems == (
        "the payer could not answer: Subscriber/insured not found (AAA 75); Please correct and resubmit",
    )
    items = accounts.work_queue(deps, practice.biller, Queue.FRONT_DESK)
    assert sorted(i.reason for i in items) == sorted(first.problems + second.problems)
    assert {i.reference for i in items} == {
        patients.get_patient(deps, practice.biller, pid).account_number for pid in (ended, unknown)
    }


def test_a_mailbox_that_answers_later_leaves_the_check_pending_until_a_poll(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    patient_id, _ = insured(practice, ("acme", "primary", "COMM-COPAY"))
    later = DirectoryClearinghouse(
        DirectoryConfig(
            name="sandbox", outbound_dir=tmp_path / "outbound", inbound_dir=tmp_path / "inbound", create_folders=True
        )
    )
    check = eligibility.check_eligibility(deps, practice.biller, later, patient_id)
    assert check.status is CheckStatus.PENDING and check.benefits is None
    assert eligibility.complete_pending(deps, practice.biller, later) == []
    sandbox(practice, tmp_path).process_pending()  # the payer answers the file that arrived
    (done,) = eligibility.complete_pending(deps, practice.biller, later)
    assert (done.id, done.status) == (check.id, CheckStatus.ACTIVE)
    assert done.benefits is not None and done.benefits.copay_cents("98") == 2500
    assert eligibility.complete_pending(deps, practice.biller, later) == []


def test_a_day_run_checks_every_coverage_once_and_skips_the_self_pay(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    both, _ = insured(practice, ("acme", "primary", "COMM-COPAY"), ("medicare", "secondary", "MCR-SUPP"))
    visit(practice, both, "99213")
    visit(practice, both, "93000", hour=16)  # the same patient twice: each coverage is asked once
    self_pay = patients.register_patient(deps, practice.biller, patient_draft(first_name="Cy"))
    visit(practice, self_pay.id, "99213")
    seen: list[tuple[int, int]] = []
    run = eligibility.run_eligibility(
        deps, practice.biller, sandbox(practice, tmp_path), DAY, lambda d, t: seen.append((d, t))
    )
    assert [c.status for c in run.checks] == [CheckStatus.ACTIVE, CheckStatus.ACTIVE]
    assert seen == [(1, 2), (2, 2)]
    assert len(run.skipped) == 1 and run.skipped[0].endswith("no coverage on file in force on 2026-11-30 (self-pay)")
    day = eligibility.checks_for_appointments(deps, practice.biller, [c.appointment_id or "" for c in run.checks])
    assert len(day) == 1  # both checks belong to the patient's first appointment


def test_the_front_desk_may_check_and_a_coder_may_not(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    patient_id, _ = insured(practice, ("acme", "primary", "COMM-COPAY"))
    for role in ("front_desk", "coder"):
        users.create_user(
            deps, practice.admin, username=role.replace("_", ""), display_name=role, role=role, password=PASSWORD
        )
    desk = users.authenticate(deps, username="frontdesk", password=PASSWORD, source="test")
    coder = users.authenticate(deps, username="coder", password=PASSWORD, source="test")
    mailbox = sandbox(practice, tmp_path)
    assert eligibility.check_eligibility(deps, desk, mailbox, patient_id).status is CheckStatus.ACTIVE
    with pytest.raises(PermissionDenied):
        eligibility.check_eligibility(deps, coder, mailbox, patient_id)
    assert len(eligibility.patient_checks(deps, coder, patient_id)) == 1  # nothing was sent for the coder
