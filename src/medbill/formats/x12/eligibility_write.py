"""Writing 270 and 271 (005010X279A1): a whole interchange from EligibilityRequests or EligibilityResponses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from medbill.domain.claims import NamedEntity
from medbill.domain.eligibility import Benefit, EligibilityRequest, EligibilityResponse, MemberEligibility, Rejection
from medbill.formats.x12.common import fmt_procedure, write_address, write_nm1, write_per
from medbill.formats.x12.eligibility import IMPLEMENTATION
from medbill.formats.x12.eligibility_request import write_270_body, write_dtp, write_member, write_party, write_trn
from medbill.formats.x12.envelope import Envelope
from medbill.formats.x12.syntax import SegmentWriter, fmt_date, fmt_decimal, fmt_opt_cents
from medbill.formats.x12.writer import write_interchange

_HUNDRED = Decimal(100)


def write_270(requests: Sequence[EligibilityRequest], envelope: Envelope) -> str:
    """A 270 eligibility inquiry interchange (GS01 HS), one transaction set per request."""
    return write_interchange(envelope, "HS", "270", IMPLEMENTATION, requests, write_270_body)


def write_271(responses: Sequence[EligibilityResponse], envelope: Envelope) -> str:
    """A 271 eligibility response interchange (GS01 HB), one transaction set per response."""
    return write_interchange(envelope, "HB", "271", IMPLEMENTATION, responses, write_271_body)


def _aaa(w: SegmentWriter, rejections: Sequence[Rejection], loop: str | None = None) -> None:
    for r in rejections:
        if loop is None or r.loop == loop:
            w.seg("AAA", "Y" if r.valid else "N", "", r.reason_code, r.follow_up_code)


def write_271_body(w: SegmentWriter, response: EligibilityResponse) -> None:
    """The segments of a 271: payer with its AAA, each receiver, then each member's benefits (2110C/D)."""
    w.seg("BHT", "0022", "11", response.reference, fmt_date(response.created), response.created_time)
    w.seg("HL", "1", "", "20", "1" if response.receivers else "0")
    _aaa(w, response.rejections, "2000A")
    write_nm1(w, response.payer)
    for c in response.payer.contacts:
        write_per(w, c)
    _aaa(w, response.rejections, "2100A")
    hl = 1
    for receiver in response.receivers:
        hl += 1
        receiver_hl = hl
        w.seg("HL", str(hl), "1", "21", "1" if receiver.members else "0")
        _write_party_with_aaa(w, receiver.receiver, receiver.rejections)
        members = receiver.members
        i = 0
        while i < len(members):
            m = members[i]
            dependents = _dependents_of(members, i)
            hl += 1
            subscriber_hl = hl
            has_own = m.dependent is None
            w.seg("HL", str(hl), str(receiver_hl), "22", "1" if dependents else "0")
            if has_own:
                _write_answer(w, m, m.subscriber, m.subscriber_birth_date, m.subscriber_sex)
                i += 1
            else:
                write_member(w, m.subscriber, m.subscriber_birth_date, m.subscriber_sex, None)
            for d in dependents:
                hl += 1
                w.seg("HL", str(hl), str(subscriber_hl), "23", "0")
                assert d.dependent is not None
                _write_answer(w, d, d.dependent, d.dependent_birth_date, d.dependent_sex)
            i += len(dependents)


def _dependents_of(members: Sequence[MemberEligibility], i: int) -> list[MemberEligibility]:
    """The dependents that follow member i (or start at it) and share its subscriber: one 2000C holds them."""
    first = members[i]
    key = (first.subscriber, first.subscriber_birth_date, first.subscriber_sex)
    j = i + 1 if first.dependent is None else i
    out: list[MemberEligibility] = []
    while j < len(members) and members[j].dependent is not None:
        m = members[j]
        if (m.subscriber, m.subscriber_birth_date, m.subscriber_sex) != key:
            break
        out.append(m)
        j += 1
    return out


def _write_party_with_aaa(w: SegmentWriter, entity: NamedEntity, rejections: Sequence[Rejection]) -> None:
    write_party(w, entity)
    _aaa(w, rejections)


def _write_answer(w: SegmentWriter, m: MemberEligibility, who: NamedEntity, born: date | None, sex: str | None) -> None:
    """2000C/D TRN, 2100C/D name with its AAA, DMG, INS and DTP, then one 2110 loop per benefit."""
    for t in m.traces:
        write_trn(w, t)
    write_nm1(w, who)
    for r in who.references:
        w.seg("REF", r.qualifier, r.value)
    write_address(w, who)
    _aaa(w, m.rejections)
    if who.taxonomy:
        w.seg("PRV", "PE", "PXC", who.taxonomy)
    if born is not None or sex:
        w.seg("DMG", "D8" if born else "", fmt_date(born), sex or "")
    if m.relationship:
        w.seg("INS", "Y" if m.relationship == "18" else "N", m.relationship)
    for d in m.dates:
        write_dtp(w, d)
    for b in m.benefits:
        _write_benefit(w, b)


def _write_benefit(w: SegmentWriter, b: Benefit) -> None:
    w.seg(
        "EB",
        b.kind.value,
        b.coverage_level.value if b.coverage_level else "",
        w.reps(list(b.service_types)),
        b.insurance_type or "",
        b.plan_description or "",
        b.time_period.value if b.time_period else "",
        fmt_opt_cents(b.amount_cents),
        fmt_decimal(b.percent / _HUNDRED) if b.percent is not None else "",
        b.quantity_qualifier or "",
        fmt_decimal(b.quantity),
        b.authorization.value if b.authorization else "",
        b.network.value if b.network else "",
        fmt_procedure(w, b.procedure) if b.procedure else "",
        w.comp(*b.diagnosis_pointers),
    )
    for h in b.delivery:
        w.seg("HSD", *h)
    for r in b.references:
        w.seg("REF", r.qualifier, r.value)
    for d in b.dates:
        write_dtp(w, d)
    _aaa(w, b.rejections)
    for text in b.messages:
        w.seg("MSG", text)
    if b.entities:
        w.seg("LS", "2120")
        for e in b.entities:
            write_nm1(w, e)
            write_address(w, e)
            for c in e.contacts:
                write_per(w, c)
            if e.taxonomy:
                w.seg("PRV", "PE", "PXC", e.taxonomy)
        w.seg("LE", "2120")
