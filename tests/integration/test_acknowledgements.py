"""TA1, 999, 277CA and 277 answers move claims and fill the rejection queue; a 276 asks about quiet claims.

Every test runs on SQLite and PostgreSQL. Answers arrive through a directory mailbox (written by hand, as a
clearinghouse would drop them) or from the sandbox payer itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

from typer.testing import CliRunner

from medbill.adapters.clearinghouse.config import DirectoryConfig
from medbill.adapters.clearinghouse.directory import DirectoryClearinghouse
from medbill.adapters.clearinghouse.sandbox.adapter import SandboxClearinghouse
from medbill.adapters.clearinghouse.sandbox.config import load_payers
from medbill.cli.app import app as cli
from medbill.domain.acknowledgements import (
    AckCode,
    ClaimStatusRequest,
    ElementNote,
    FunctionalAcknowledgement,
    InterchangeAckCode,
    InterchangeAcknowledgement,
    SegmentNote,
    TransactionSetResponse,
)
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.work_items import Queue, WorkStatus
from medbill.formats import x12
from medbill.services import accounts, batches, claim_status, claims, submission
from medbill.services import clearinghouse as archive
from medbill.services.rejections import reopen_rejected
from tests.integration.claims_support import OPTIONS, covered_encounter, encounter_for
from tests.support import FixedClock, Practice, register_with_coverage


def directory_mailbox(root: Path) -> DirectoryClearinghouse:
    return DirectoryClearinghouse(
        DirectoryConfig(name="acme-dir", outbound_dir=root / "out", inbound_dir=root / "in", create_folders=True)
    )


def sent_batch(p: Practice, mailbox: DirectoryClearinghouse | SandboxClearinghouse, *encounters: str) -> None:
    deps = p.container.deps
    claims.build_claims(deps, p.biller, list(encounters))
    claims.scrub_claims(deps, p.biller)
    batches.batch_claims(deps, p.biller, options=OPTIONS)
    submission.send_batches(deps, p.biller, mailbox)


def answer_envelope(p: Practice, icn: int) -> x12.Envelope:
    """The clearinghouse's side of the exchange: it writes as ACME1 to the practice's TIN."""
    return x12.Envelope(
        sender_id="ACME1",
        receiver_id="471234567",
        interchange_control_number=icn,
        group_control_number=icn,
        created=p.container.deps.clock.now(),
    )


def rejection_reasons(p: Practice) -> list[tuple[str, str]]:
    items = accounts.work_queue(p.container.deps, p.biller, Queue.REJECTION)
    return sorted((w.reference, w.reason) for w in items)


def test_a_ta1_rejection_rejects_the_batchs_claims_and_queues_them_with_the_note_in_words(
    practice: Practice, tmp_path: Path
) -> None:
    deps = practice.container.deps
    mailbox = directory_mailbox(tmp_path)
    sent_batch(
        practice,
        mailbox,
        covered_encounter(practice),
        covered_encounter(practice, last_name="Birch", on=date(2026, 11, 19)),
    )
    ta1 = InterchangeAcknowledgement(
        control_number="000000001",
        date=date(2026, 11, 26),
        time=time(15, 30),
        code=InterchangeAckCode.REJECTED,
        note_code="001",
    )
    (tmp_path / "in" / "answer.ta1").write_text(x12.write_ta1([ta1], answer_envelope(practice, 7001)))

    report = submission.ingest_answers(deps, practice.biller, mailbox)

    assert (report.files, report.moves, report.rejections_queued) == ({"TA1": 1}, {"reject": 2}, 2)
    why = (
        "the interchange was rejected: TA1 R 001: The interchange control number in the header and trailer do not match"
    )
    assert rejection_reasons(practice) == [("C00000018", why), ("C00000026", why)]
    listed = claims.list_claims(deps, practice.biller)
    assert [c.status for c in listed] == [ClaimStatus.REJECTED, ClaimStatus.REJECTED]
    last = claims.get_claim(deps, practice.biller, listed[0].id).history[-1]
    assert (last.event, last.reason) == (ClaimEvent.REJECT, f"TA1 {why}"[:200])


def test_a_999_rejection_queues_the_claims_with_the_segment_and_element_errors_in_words(
    practice: Practice, tmp_path: Path
) -> None:
    deps = practice.container.deps
    mailbox = directory_mailbox(tmp_path)
    sent_batch(practice, mailbox, covered_encounter(practice))
    ack = FunctionalAcknowledgement(
        functional_id="HC",
        group_control_number="1",
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
                        segment_id="DTP",
                        position=23,
                        loop_id="2400",
                        error_code="8",
                        elements=(ElementNote(position=3, error_code="8", bad_value="20261399"),),
                    ),
                ),
            ),
        ),
    )
    (tmp_path / "in" / "answer.999").write_text(x12.write_999([ack], answer_envelope(practice, 7002)))

    report = submission.ingest_answers(deps, practice.biller, mailbox)

    assert (report.files, report.moves) == ({"999": 1}, {"reject": 1})
    assert rejection_reasons(practice) == [
        (
            "C00000018",
            "the file was rejected: 999 R set 0001: 5 One or more segments in error; "
            "segment DTP at 23 in loop 2400 (8 Segment has data element errors): element 3 (8 Invalid date)",
        )
    ]


def sandbox_for(p: Practice, root: Path, **changes: object) -> SandboxClearinghouse:
    acme = replace(load_payers()["DACME"], payer_id="ACME1", **changes)  # type: ignore[arg-type]
    return SandboxClearinghouse(root, payers={"ACME1": acme}, now=p.container.deps.clock.now)


def test_a_277ca_rejection_is_queued_and_closes_by_itself_when_the_fixed_claim_is_sent_again(
    practice: Practice, tmp_path: Path
) -> None:
    deps = practice.container.deps
    strict = sandbox_for(practice, tmp_path / "sbx", members=())  # the payer knows no member: A7:33
    sent_batch(practice, strict, covered_encounter(practice))
    submission.ingest_answers(deps, practice.biller, strict)
    (claim,) = claims.list_claims(deps, practice.biller)
    assert claim.status is ClaimStatus.REJECTED
    (item,) = accounts.work_queue(deps, practice.biller, Queue.REJECTION)
    assert item.reason == (
        "A7:33 — Acknowledgement/Rejected for Invalid Information - The claim/encounter has invalid information "
        "as specified in the Status details and has been rejected. — Subscriber and subscriber id not found."
    )

    reopen_rejected(deps, practice.biller, claim.id, "member ID checked with the payer")
    claims.scrub_claims(deps, practice.biller)
    batches.batch_claims(deps, practice.biller, options=OPTIONS)
    fixed = sandbox_for(practice, tmp_path / "sbx")  # the same mailbox, the member known now
    submission.send_batches(deps, practice.biller, fixed)

    assert accounts.work_queue(deps, practice.biller, Queue.REJECTION) == []
    (closed,) = accounts.work_queue(deps, practice.biller, Queue.REJECTION, status=WorkStatus.CLOSED)
    assert (closed.id, closed.resolution, closed.closed_by) == (item.id, "resubmitted", "biller")
    report = submission.ingest_answers(deps, practice.biller, fixed)
    assert report.moves == {"accept": 1, "pay": 1}
    events = [h.event for h in claims.get_claim(deps, practice.biller, claim.id).history]
    assert events[2:] == [
        ClaimEvent.SUBMIT,
        ClaimEvent.REJECT,
        ClaimEvent.EDIT,
        ClaimEvent.SCRUB,
        ClaimEvent.QUEUE,
        ClaimEvent.SUBMIT,
        ClaimEvent.ACCEPT,
        ClaimEvent.PAY,
    ]


def test_a_276_asks_about_quiet_claims_and_the_277_pends_one_and_notes_the_other_without_posting(
    practice: Practice, clock: FixedClock, tmp_path: Path
) -> None:
    deps = practice.container.deps
    sandbox = sandbox_for(practice, tmp_path / "sbx", review_over_cents=15000)  # over 150.00: pended for review
    patient_id, _ = register_with_coverage(practice, last_name="Birch")
    small = encounter_for(practice, patient_id, lines=1)  # 120.00: adjudicated and paid at once
    sent_batch(practice, sandbox, small, covered_encounter(practice, on=date(2026, 11, 19)))  # 151.50: pended
    (tmp_path / "sbx" / "inbound" / "837P_ACME1_000000001.835.x12").unlink()  # the 835 has not reached us
    submission.ingest_answers(deps, practice.biller, sandbox)
    assert [c.status for c in claims.list_claims(deps, practice.biller)] == [ClaimStatus.ACCEPTED] * 2

    assert claim_status.request_status(deps, practice.biller, sandbox, older_than_days=30) == []  # not quiet yet
    clock.current += timedelta(days=31)
    (sent,) = claim_status.request_status(deps, practice.biller, sandbox, older_than_days=30)
    assert (sent.receiver_id, sent.file_name, sent.claims) == (
        "ACME1",
        "276_ACME1_000000002.x12",
        ("C00000018", "C00000026"),
    )
    assert claim_status.request_status(deps, practice.biller, sandbox, older_than_days=30) == []  # asked today

    (out,) = [f for f in archive.list_files(deps, practice.biller, direction="outbound") if f.x12_kind == "276"]
    content = archive.archived_file(deps, practice.biller, out.id).content
    (transaction,) = x12.read(content)
    request = transaction.document
    assert isinstance(request, ClaimStatusRequest)
    assert (request.payer.identifier, request.receiver.identifier) == ("ACME1", "471234567")
    assert [(q.trace, q.patient_account_number, q.charge_cents, q.service_date) for q in request.queries] == [
        ("C00000018", "C00000018", 12000, date(2026, 11, 20)),
        ("C00000026", "C00000026", 15150, date(2026, 11, 19)),
    ]
    path = tmp_path / out.remote_name
    path.write_bytes(content)
    validated = CliRunner().invoke(cli, ["x12", "validate", str(path)])
    assert validated.exit_code == 0 and ": OK, 1 transaction set(s)" in validated.output

    report = submission.ingest_answers(deps, practice.biller, sandbox)
    assert (report.files, report.moves) == ({"999": 1, "277": 1}, {"status": 1, "pend": 1})
    by_number = {c.patient_control_number: c for c in claims.list_claims(deps, practice.biller)}
    assert by_number["C00000018"].status is ClaimStatus.ACCEPTED
    assert by_number["C00000026"].status is ClaimStatus.PENDING
    noted = claims.get_claim(deps, practice.biller, by_number["C00000018"].id).history
    assert [(h.event, h.reason[:91]) for h in noted[-2:]] == [  # finalized: the deductible took it all
        (ClaimEvent.STATUS, "276 sent in 276_ACME1_000000002.x12"),
        (
            ClaimEvent.STATUS,
            "277 F0:104 — Finalized-The claim/encounter has completed the adjudication cycle and no more",
        ),
    ]
    pended = claims.get_claim(deps, practice.biller, by_number["C00000026"].id).history[-1]
    assert (pended.event, pended.to_status) == (ClaimEvent.PEND, ClaimStatus.PENDING)
    assert pended.reason.startswith("277 P2:46 — Pending/Payer Review")
    assert accounts.list_remittances(deps, practice.biller) == []  # a 277 posts no money


def test_a_reopened_claim_is_rebuilt_from_the_fixed_record_under_the_same_claim_number(
    practice: Practice, tmp_path: Path
) -> None:
    from medbill.services import patients
    from tests.support import patient_draft

    deps = practice.container.deps
    strict = sandbox_for(practice, tmp_path / "sbx", members=())
    sent_batch(practice, strict, covered_encounter(practice, last_name="Aldr"))  # the name was mistyped
    submission.ingest_answers(deps, practice.biller, strict)
    (claim,) = claims.list_claims(deps, practice.biller)
    assert (claim.status, claim.document.subscriber.subscriber.name) == (ClaimStatus.REJECTED, "ALDR")
    patients.update_patient(deps, practice.biller, claim.patient_id, patient_draft(last_name="Alder"))

    reopened = reopen_rejected(deps, practice.biller, claim.id, "name corrected")

    assert (reopened.status, reopened.patient_control_number) == (ClaimStatus.DRAFT, claim.patient_control_number)
    stored = claims.get_claim(deps, practice.biller, claim.id).claim
    assert stored.document.subscriber.subscriber.name == "ALDER"
    assert [line.line_control_number for line in stored.lines] == [line.line_control_number for line in claim.lines]
