"""Asking payers about claims that have gone quiet: one 276 per payer, sent and archived, noted on each claim.

A claim is asked about when it is with the payer (submitted, accepted or pending) and nothing has happened to it
for ``older_than_days`` days (its last event, so a claim asked about today is not asked again until as long has
passed). The 276's trace (TRN02) and REF*EJ are our CLM01, so the 277 that answers is matched back on either. Its
control numbers come from the same per-partner counters as the 837s (a 999 answering it never names a batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from medbill.domain.acknowledgements import ClaimStatusQuery, ClaimStatusRequest
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimKind, EntityType, NamedEntity
from medbill.domain.errors import ValidationError
from medbill.domain.parties import Payer, Practice
from medbill.domain.users import Actor
from medbill.formats.x12 import Envelope, write_276
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps
from medbill.services.claim_build import x12_text
from medbill.services.claims import WRITE, Progress, no_progress, store_transition
from medbill.services.ports import ClaimQuery, Clearinghouse

WITH_PAYER = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.PENDING)


@dataclass(frozen=True, slots=True, kw_only=True)
class SentRequest:
    """One 276 file: to which payer, under which name, asking about which claims (CLM01s)."""

    payer_id: str  # our Payer.id
    receiver_id: str  # the payer's ID (ISA08)
    file_name: str
    file_id: str
    claims: tuple[str, ...]


def quiet_claims(deps: Deps, actor: Actor, *, older_than_days: int) -> Sequence[ClaimRecord]:
    """Claims with the payer whose last event is at least ``older_than_days`` days old, oldest first."""
    actor.require(WRITE)
    if older_than_days < 0:
        raise ValidationError("is a number of days, 0 or more", field="older_than_days")
    cutoff = deps.clock.now() - timedelta(days=older_than_days)
    with deps.uow() as uow:
        found = uow.claims.find(actor.practice_id, ClaimQuery(statuses=WITH_PAYER, limit=1_000_000))
    return sorted((c for c in found if c.updated_at <= cutoff), key=lambda c: (c.updated_at, c.patient_control_number))


def _submitter(practice: Practice) -> NamedEntity:
    sender = (practice.tin or practice.npi or "").strip().upper()
    if not sender or len(sender) > 15 or not sender.isalnum():
        raise ValidationError(
            "the submitter ID (ISA06) is the practice's TIN or NPI: give the practice one", field="tin"
        )
    return NamedEntity(
        role="41",
        entity_type=EntityType.ORGANIZATION,
        name=x12_text(practice.name),
        id_qualifier="46",
        identifier=sender,
    )


def status_query(claim: ClaimRecord) -> ClaimStatusQuery:
    """2200D/E for one claim: provider, subscriber (and the patient when a dependent), our CLM01, charge and dates."""
    doc = claim.document
    insured = doc.subscriber
    dates = [line.service_date for line in claim.lines]
    first, last = min(dates), max(dates)
    provider = doc.billing_provider
    return ClaimStatusQuery(
        trace=claim.patient_control_number,
        provider=NamedEntity(
            role="1P",
            entity_type=provider.entity_type,
            name=provider.name,
            first_name=provider.first_name,
            id_qualifier="XX",
            identifier=provider.identifier,
        ),
        subscriber=replace(insured.subscriber, role="IL", address=None, references=(), contacts=()),
        subscriber_birth_date=insured.birth_date if doc.patient is None else None,
        subscriber_sex=insured.sex if doc.patient is None else None,
        patient=replace(doc.patient.person, role="QC", address=None, references=(), contacts=())
        if doc.patient is not None
        else None,
        patient_birth_date=doc.patient.birth_date if doc.patient is not None else None,
        patient_sex=doc.patient.sex if doc.patient is not None else None,
        payer_claim_number=claim.payer_claim_number,
        bill_type=f"{doc.facility_code}{doc.frequency.value}" if doc.kind is ClaimKind.INSTITUTIONAL else None,
        patient_account_number=claim.patient_control_number,
        charge_cents=claim.total_charge_cents,
        service_date=first,
        service_date_end=last if last != first else None,
    )


def request_status(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    *,
    older_than_days: int,
    usage: str = "P",
    on_progress: Progress = no_progress,
) -> list[SentRequest]:
    """One 276 per payer for the claims with no answer after ``older_than_days`` days; sent, archived, noted."""
    claims = quiet_claims(deps, actor, older_than_days=older_than_days)
    if not claims:
        return []
    if usage not in ("P", "T"):
        raise ValidationError("usage is P (production) or T (test)", field="usage")
    by_payer: dict[str, list[ClaimRecord]] = {}
    for claim in claims:
        by_payer.setdefault(claim.payer_id, []).append(claim)
    sent: list[SentRequest] = []
    done = 0
    for payer_id, group in sorted(by_payer.items()):
        name, content, payer = _build(deps, actor, payer_id, group, usage)
        file = mailbox.send_file(deps, actor, clearinghouse, name, content, kind="276")
        with deps.uow() as uow:
            for claim in group:
                current = uow.claims.get(actor.practice_id, claim.id)
                moved, transition = current.moved(
                    ClaimEvent.STATUS, at=deps.clock.now(), actor=actor.username, reason=f"276 sent in {name}"
                )
                store_transition(uow, deps, actor, moved, transition)
                done += 1
                on_progress(done, len(claims))
            uow.commit()
        sent.append(
            SentRequest(
                payer_id=payer_id,
                receiver_id=payer.payer_id,
                file_name=name,
                file_id=file.id,
                claims=tuple(c.patient_control_number for c in group),
            )
        )
    return sent


def _build(deps: Deps, actor: Actor, payer_id: str, claims: list[ClaimRecord], usage: str) -> tuple[str, bytes, Payer]:
    """The 276 file for one payer's claims (its control numbers are taken, and kept, in their own transaction)."""
    with deps.uow() as uow:
        pid = actor.practice_id
        practice = uow.practices.get(pid)
        payer = uow.payers.get(pid, payer_id)
        receiver = payer.payer_id
        icn = uow.counters.next(pid, f"isa:{receiver}")
        gcn = uow.counters.next(pid, f"gs:{receiver}")
        uow.commit()
    submitter = _submitter(practice)
    now = deps.clock.now()
    request = ClaimStatusRequest(
        reference=f"{icn:09d}",
        created=now.date(),
        created_time=now.strftime("%H%M"),
        payer=NamedEntity(
            role="PR",
            entity_type=EntityType.ORGANIZATION,
            name=x12_text(payer.name),
            id_qualifier="PI",
            identifier=receiver,
        ),
        receiver=submitter,
        queries=tuple(status_query(c) for c in claims),
    )
    envelope = Envelope(
        sender_id=submitter.identifier or "",
        receiver_id=receiver,
        interchange_control_number=icn,
        group_control_number=gcn,
        created=now,
        usage=usage,
    )
    content = write_276([request], envelope).encode("ascii")
    return f"276_{receiver}_{icn:09d}.x12", content, payer
