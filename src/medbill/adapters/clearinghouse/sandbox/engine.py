"""The sandbox payer: an 837 file in, its 999, 277CA and 835 out, computed deterministically from a seed and a state.

A 276 is answered with a 999 and a 277 (``status.py``); a broken envelope with a TA1 alone (``interchange.py``).
"""

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
from medbill.adapters.clearinghouse.sandbox.eligibility import answer_270
from medbill.adapters.clearinghouse.sandbox.interchange import ta1_answer
from medbill.adapters.clearinghouse.sandbox.status import answer_request, remember_adjudicated, remember_pended
from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusReport,
    ClaimStatusRequest,
    ProviderStatus,
    StatusInfo,
)
from medbill.domain.claims import Claim, ClaimBatch, Contact, EntityType, NamedEntity, Reference
from medbill.domain.eligibility import EligibilityRequest
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
    ack_ta1: str | None = None  # the interchange's TA1: rejected (then nothing else), or asked for by ISA14
    status_277: str | None = None  # the 277 answering a 276
    eligibility_271: str | None = None  # the 271 answering a 270 (real time: no 999 unless the 270 was unreadable)


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
            ack_ta1, rejected = ta1_answer(interchanges[0], state, now, self._envelope)
            if rejected:
                return Answers(ack_ta1=ack_ta1)
            isa = parse_isa(interchanges[0][1][0])
        except (x12.X12Error, IndexError):
            return Answers()  # not an interchange at all: nothing to acknowledge it with
        groups: list[GroupSeen] = []
        batches: list[tuple[str, ClaimBatch]] = []
        requests: list[ClaimStatusRequest] = []
        inquiries: list[EligibilityRequest] = []
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
                    elif isinstance(doc, ClaimStatusRequest):
                        requests.append(doc)
                    elif isinstance(doc, EligibilityRequest):
                        inquiries.append(doc)
            except x12.X12Error as exc:  # the envelope broke: every set not read by then is rejected with it
                for seen in sets.values():
                    if seen.control_number not in read and seen.error is None:
                        seen.error = exc
        state.interchanges += 1
        envelope = self._envelope(isa, state.interchanges, now)
        groups = [g for g in groups if g.functional_id != "HS" or any(s.error for s in g.sets)]  # 270: 271 only
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
                if payer.review_over_cents is not None and claim.total_charge_cents > payer.review_over_cents:
                    remember_pended(state, payer.payer_id, claim, number, now.date())
                    continue
                plan = payer.member(claim.subscriber.subscriber.identifier or "")
                assert plan is not None
                paid = adjudicate(claim, payer, plan, state, received=now.date(), payer_claim_number=number)
                trace = self._digits("check", payer.payer_id, key_provider(claim), isa.control_number, length=10)
                remember_adjudicated(state, payer.payer_id, paid, now.date(), trace)  # what a 276 is told later
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
        status_277 = self._status_277(requests, isa, state, now, fresh=bool(acks or remits)) if requests else None
        return Answers(
            ack_999=ack_999,
            ack_277ca=ack_277ca,
            remittance_835=remittance_835,
            ack_ta1=ack_ta1,
            status_277=status_277,
            eligibility_271=self._eligibility_271(inquiries, state, now, envelope) if inquiries else None,
        )

    def _eligibility_271(
        self, inquiries: list[EligibilityRequest], state: SandboxState, now: datetime, envelope: x12.Envelope
    ) -> str:
        """The 271 answering the file's 270s, in the interchange slot after the 999's (a 270 file has no 277CA)."""
        answers = [answer_270(r, self.payers, state, now, self._digits) for r in inquiries]
        slot = replace(envelope, interchange_control_number=envelope.interchange_control_number + 1)
        return x12.write_271(answers, slot)

    def _status_277(
        self,
        requests: list[ClaimStatusRequest],
        isa: InterchangeHeader,
        state: SandboxState,
        now: datetime,
        fresh: bool,
    ) -> str:
        """The 277 answering the file's 276s (in the 277CA's interchange slot, or a new slot when that one is used)."""
        if fresh:
            state.interchanges += 1
        envelope = self._envelope(isa, state.interchanges, now)
        answers = []
        for request in requests:
            known = self.payers.get(request.payer.identifier or "")
            source = known.entity if known else request.payer
            reference = self._digits("277", isa.control_number, request.reference, length=9)
            answers.append(answer_request(request, state, now, source=source, reference=reference))
        return x12.write_277(
            answers, replace(envelope, interchange_control_number=envelope.interchange_control_number + 1)
        )

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


def key_provider(claim: Claim) -> str:
    """The billing provider's NPI as the 835 is keyed on it (one 835 per payer and billing provider)."""
    return claim.billing_provider.identifier or ""


def _charge(report: ClaimStatusReport) -> int:
    return next((s.amount_cents for s in report.statuses if s.amount_cents is not None), 0)
