"""The sandbox payer: an 837 file in, its 999, 277CA and 835 out, computed deterministically from a seed and a state."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from medbill.adapters.clearinghouse.sandbox.acks import (
    GroupSeen,
    accepted_status,
    functional_ack,
    receipt_status,
    scan_groups,
    unknown_member_status,
    wrong_payer_status,
)
from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState, adjudicate
from medbill.adapters.clearinghouse.sandbox.config import SandboxPayer
from medbill.domain.acknowledgements import ClaimAcknowledgement, ClaimStatusReport, ProviderStatus, StatusInfo
from medbill.domain.claims import Claim, ClaimBatch, Contact, EntityType, NamedEntity, Reference
from medbill.domain.remittance import ClaimPayment, Payment, Remittance
from medbill.formats import x12
from medbill.formats.x12.envelope import InterchangeHeader, parse_isa, walk_interchange
from medbill.formats.x12.reader import decode_transaction
from medbill.formats.x12.syntax import decode, split_interchanges


@dataclass(frozen=True, slots=True, kw_only=True)
class Answers:
    """What the sandbox payer sends back for one 837 file (None where it has nothing to say)."""

    ack_999: str | None = None
    ack_277ca: str | None = None
    remittance_835: str | None = None


class SandboxPayerEngine:
    """Adjudicates 837 files for the configured sandbox payers; the same file, seed, state and clock give the same bytes."""

    def __init__(self, payers: Mapping[str, SandboxPayer], *, seed: int = 0, sender_id: str = "SANDBOXPAYER") -> None:
        self.payers = dict(payers)
        self.seed = seed
        self.sender_id = sender_id

    def _digits(self, *parts: str, length: int = 12) -> str:
        text = "|".join((str(self.seed), *parts))
        return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:length]

    def answer(self, data: bytes, state: SandboxState, now: datetime) -> Answers:
        """The 999 for the file, and for each 837 read cleanly its 277CA and (for accepted claims) its 835."""
        try:
            interchanges = list(split_interchanges(decode(data)))
            isa = parse_isa(interchanges[0][1][0])
        except (x12.X12Error, IndexError):
            return Answers()  # not an interchange at all: nothing to acknowledge it with
        groups: list[GroupSeen] = []
        batches: list[tuple[str, ClaimBatch]] = []
        for delimiters, segments in interchanges:
            found = scan_groups(segments)
            groups += found
            sets = {s.control_number: s for g in found for s in g.sets}
            read: set[str] = set()
            try:
                for raw in walk_interchange(delimiters, segments):
                    read.add(raw.control_number)
                    try:
                        doc = decode_transaction(raw).document
                    except x12.X12Error as exc:
                        if raw.control_number in sets:
                            sets[raw.control_number].error = exc
                        continue
                    if isinstance(doc, ClaimBatch):
                        batches.append((raw.control_number, doc))
            except x12.X12Error as exc:  # the envelope broke: every set not read by then is rejected with it
                for seen in sets.values():
                    if seen.control_number not in read and seen.error is None:
                        seen.error = exc
        state.interchanges += 1
        envelope = self._envelope(isa, state.interchanges, now)
        ack_999 = x12.write_999([functional_ack(g) for g in groups], envelope) if groups else None
        acks: list[ClaimAcknowledgement] = []
        payments: dict[tuple[str, str], list[ClaimPayment]] = {}
        entities: dict[tuple[str, str], tuple[SandboxPayer, NamedEntity]] = {}
        for control, batch in batches:
            statuses: list[ClaimStatusReport] = []
            for index, claim in enumerate(batch.claims):
                number = self._digits(isa.control_number, control, claim.patient_control_number, str(index))
                status, payer = self._screen(claim, now)
                statuses.append(_report(claim, status, number if status.category == "A2" else None))
                if payer is None or status.category != "A2":
                    continue
                plan = payer.member(claim.subscriber.subscriber.identifier or "")
                assert plan is not None
                paid = adjudicate(claim, payer, plan, state, received=now.date(), payer_claim_number=number)
                key = (payer.payer_id, claim.billing_provider.identifier or "")
                payments.setdefault(key, []).append(paid)
                entities[key] = (payer, claim.billing_provider)
            acks.append(self._claim_ack(batch, control, statuses, now))
        ack_277ca = (
            x12.write_277ca(acks, replace(envelope, interchange_control_number=envelope.interchange_control_number + 1))
            if acks
            else None
        )
        remits = [self._remittance(*entities[k], payments[k], isa.control_number, now) for k in sorted(payments)]
        remittance_835 = (
            x12.write_835(remits, replace(envelope, interchange_control_number=envelope.interchange_control_number + 2))
            if remits
            else None
        )
        return Answers(ack_999=ack_999, ack_277ca=ack_277ca, remittance_835=remittance_835)

    def _envelope(self, isa: InterchangeHeader, count: int, now: datetime) -> x12.Envelope:
        base = (count - 1) * 3 + 1  # three interchanges per answered file: 999, 277CA, 835
        return x12.Envelope(
            sender_id=isa.receiver_id,
            receiver_id=isa.sender_id,
            sender_qualifier=isa.receiver_qualifier,
            receiver_qualifier=isa.sender_qualifier,
            interchange_control_number=base,
            group_control_number=base,
            created=now,
            usage=isa.usage,
        )

    def _screen(self, claim: Claim, now: datetime) -> tuple[StatusInfo, SandboxPayer | None]:
        """A2 accepted, A3 sent to a payer the sandbox does not play, A7 a member ID the payer does not know."""
        charge = claim.total_charge_cents
        payer = self.payers.get(claim.subscriber.payer.identifier or "")
        if payer is None:
            return wrong_payer_status(now.date(), charge), None
        if payer.member(claim.subscriber.subscriber.identifier or "") is None:
            return unknown_member_status(now.date(), charge), payer
        return accepted_status(now.date(), charge), payer

    def _claim_ack(
        self, batch: ClaimBatch, control: str, statuses: list[ClaimStatusReport], now: datetime
    ) -> ClaimAcknowledgement:
        payer_ids = {c.subscriber.payer.identifier or "" for c in batch.claims}
        known = next((self.payers[p] for p in sorted(payer_ids) if p in self.payers), None)
        source = (
            known.entity
            if known
            else NamedEntity(
                role="PR",
                entity_type=EntityType.ORGANIZATION,
                name="SANDBOX PAYER",
                id_qualifier="PI",
                identifier=self.sender_id,
            )
        )
        receiver = replace(batch.submitter, role="41", address=None, contacts=(), references=())
        total = sum(c.total_charge_cents for c in batch.claims)
        return ClaimAcknowledgement(
            source=source,
            receiver=receiver,
            reference=self._digits("277CA", batch.reference, control, length=9),
            created=now.date(),
            created_time=now.strftime("%H%M"),
            source_trace=self._digits("trace", batch.reference, control, length=9),
            received=now.date(),
            processed=now.date(),
            receiver_trace=batch.reference,
            receiver_statuses=(receipt_status(now.date(), total),),
            providers=tuple(
                ProviderStatus(
                    provider=p,
                    trace=self._digits("provider", batch.reference, control, p.identifier or "", length=9),
                    statuses=(receipt_status(None, sum(_charge(s) for s in statuses if s.billing_provider == p)),),
                )
                for p in dict.fromkeys(s.billing_provider for s in statuses if s.billing_provider is not None)
            ),
            claims=tuple(statuses),
        )

    def _remittance(
        self, payer: SandboxPayer, provider: NamedEntity, claims: list[ClaimPayment], icn: str, now: datetime
    ) -> Remittance:
        total = sum(c.paid_cents for c in claims)
        tax_id = next((r.value for r in provider.references if r.qualifier == "EI"), None)
        payee = NamedEntity(
            role="PE",
            entity_type=EntityType.ORGANIZATION,
            name=provider.name,
            id_qualifier="XX",
            identifier=provider.identifier,
            references=(Reference(qualifier="TJ", value=tax_id),) if tax_id else (),
        )
        payer_entity = NamedEntity(
            role="PR",
            entity_type=EntityType.ORGANIZATION,
            name=payer.name,
            address=payer.address,
            contacts=(Contact(function="BL", name="SANDBOX EDI", numbers=(("TE", "8005550199"),)),),
        )
        return Remittance(
            payment=Payment(
                handling="I" if total else "H",
                amount_cents=total,
                credit_debit="C",
                method="CHK" if total else "NON",
                date=now.date(),
                trace_number=self._digits("check", payer.payer_id, provider.identifier or "", icn, length=10),
                originator_id="1" + payer.tax_id,
            ),
            payer=payer_entity,
            payee=payee,
            production_date=now.date(),
            claims=tuple(claims),
        )


def _report(claim: Claim, status: StatusInfo, payer_claim_number: str | None) -> ClaimStatusReport:
    sub = claim.subscriber.subscriber
    person = claim.patient.person if claim.patient is not None else sub
    dates = [d for line in claim.lines if (d := line.service_date) is not None]
    return ClaimStatusReport(
        claim_id=claim.patient_control_number,
        billing_provider=replace(claim.billing_provider, address=None, references=(), contacts=(), taxonomy=None),
        patient=NamedEntity(
            role="QC",
            entity_type=EntityType.PERSON,
            name=person.name,
            first_name=person.first_name,
            id_qualifier="MI" if sub.identifier else None,
            identifier=sub.identifier,
        ),
        statuses=(status,),
        payer_claim_number=payer_claim_number,
        service_date=min(dates) if dates else None,
        service_date_end=max(dates) if dates and max(dates) != min(dates) else None,
    )


def _charge(report: ClaimStatusReport) -> int:
    return next((s.amount_cents for s in report.statuses if s.amount_cents is not None), 0)
