"""270 eligibility and benefit inquiry (005010X279A1): read into an EligibilityRequest, and written from one."""

from __future__ import annotations

from datetime import date

from medbill.domain.claims import NamedEntity, ProcedureCode
from medbill.domain.eligibility import DatedEntry, EligibilityInquiry, EligibilityRequest, Trace
from medbill.formats.x12.common import EntityBuilder, fmt_procedure, parse_procedure, write_address, write_nm1
from medbill.formats.x12.eligibility import MEMBER_SEGMENTS, MemberLoop, located, misplaced, read_header
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.syntax import ElementError, Segment, SegmentWriter, element, fmt_date


class _Patient(MemberLoop):
    """A 2000C or 2000D loop of a 270 being read, with its questions (EQ)."""

    __slots__ = ("procedures", "services")

    def __init__(self, level: str) -> None:
        super().__init__(level)
        self.services: list[str] = []
        self.procedures: list[ProcedureCode] = []

    def substantive(self) -> bool:
        return bool(self.traces or self.services or self.procedures)


def read_270(raw: RawTransaction) -> EligibilityRequest:
    """The questions in one 270 transaction set."""
    segs = raw.segments
    rep, comp = raw.delimiters.repetition, raw.delimiters.component
    bht: Segment | None = None
    payer: EntityBuilder | None = None
    provider: EntityBuilder | None = None
    subscriber: _Patient | None = None
    patient: _Patient | None = None
    inquiries: list[EligibilityInquiry] = []
    level = ""

    def emit(p: _Patient | None, sub: _Patient | None) -> None:
        if p is None or provider is None:
            return
        if p.entity is None:
            raise ElementError(0, "a subscriber or dependent loop without NM1", expected="NM1*IL or NM1*03")
        if not p.traces:
            raise ElementError(0, "an inquiry without its trace number", expected="TRN*1 in 2000C or 2000D")
        inquiries.append(
            EligibilityInquiry(
                provider=provider.build(),
                **p.parties(sub),
                service_types=tuple(p.services),
                procedures=tuple(p.procedures),
            )
        )

    pos = 0
    seg = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            if sid == "HL":
                new_level = element(seg, 3)
                if patient is not None and patient.level == "23":
                    emit(patient, subscriber)
                elif patient is not None and (patient.substantive() or new_level != "23"):
                    emit(patient, None)
                if new_level == "23":
                    if subscriber is None:
                        raise ElementError(0, "a dependent before its subscriber", expected="HL*…*22 and NM1*IL")
                    patient = _Patient("23")
                elif new_level == "22":
                    if provider is None:
                        raise ElementError(0, "a subscriber before the information receiver", expected="HL*…*21")
                    patient = subscriber = _Patient("22")
                elif new_level in ("20", "21"):
                    patient = subscriber = None
                    if new_level == "20" and payer is not None:
                        raise misplaced(seg, "one information source (HL*…*20) per 270 transaction set")
                else:
                    raise ElementError(3, f"HL03 '{new_level}' is not a 270 level", expected="20, 21, 22 or 23")
                level = new_level
            elif sid == "NM1":
                entity = EntityBuilder.from_nm1(seg)
                if level == "20" and payer is None:
                    payer = entity
                elif level == "21":
                    provider = entity
                elif patient is not None and patient.entity is None:
                    patient.entity = entity
                else:
                    raise misplaced(seg, "one NM1 in each of 2100A, 2100B, 2100C and 2100D")
            elif sid in ("N3", "N4", "REF", "PRV"):
                target = payer if level == "20" else provider if level == "21" else patient.entity if patient else None
                if target is None:
                    raise misplaced(seg, f"{sid} after its loop's NM1")
                target.add(seg)
            elif patient is not None and sid in MEMBER_SEGMENTS:
                patient.add(seg)
            elif patient is not None and sid == "EQ":
                services = element(seg, 1)
                if services:
                    patient.services += [s for s in services.split(rep) if s]
                elif element(seg, 2):
                    patient.procedures.append(parse_procedure(seg[2], comp, 2))
                else:
                    raise ElementError(1, "EQ has neither a service type nor a procedure", expected="EQ01 or EQ02")
            elif sid == "BHT" and pos == 1:
                bht = seg
            else:
                raise misplaced(seg, "a segment of the 270 guide")
        if patient is not None:
            emit(patient, subscriber if patient.level == "23" else None)
        header = read_header(bht, payer, "270")
    except ElementError as exc:
        raise located(exc, seg, pos + 1) from None
    return EligibilityRequest(**header, inquiries=tuple(inquiries))


def write_member(
    w: SegmentWriter, entity: NamedEntity, born: date | None, sex: str | None, relationship: str | None
) -> None:
    """2100C/2100D name and demographics: NM1, REF, N3/N4, PRV, DMG, INS (the AAA of a 271 is its caller's)."""
    write_party(w, entity)
    if born is not None or sex:
        w.seg("DMG", "D8" if born else "", fmt_date(born), sex or "")
    if relationship:
        w.seg("INS", "Y" if relationship == "18" else "N", relationship)


def write_trn(w: SegmentWriter, t: Trace) -> None:
    w.seg("TRN", t.type_code, t.number, t.originator or "", t.reference or "")


def write_dtp(w: SegmentWriter, d: DatedEntry) -> None:
    if d.end is None:
        w.seg("DTP", d.qualifier, "D8", fmt_date(d.start))
    else:
        w.seg("DTP", d.qualifier, "RD8", f"{fmt_date(d.start)}-{fmt_date(d.end)}")


def write_party(w: SegmentWriter, entity: NamedEntity) -> None:
    """2100A or 2100B: NM1 with the REF, N3/N4 and PRV that follow it."""
    write_nm1(w, entity)
    for r in entity.references:
        w.seg("REF", r.qualifier, r.value)
    write_address(w, entity)
    if entity.taxonomy:
        w.seg("PRV", "PE", "PXC", entity.taxonomy)


def write_270_body(w: SegmentWriter, request: EligibilityRequest) -> None:
    """The segments of a 270: payer, then each receiver's subscribers and dependents with their questions."""
    w.seg("BHT", "0022", "13", request.reference, fmt_date(request.created), request.created_time)
    w.seg("HL", "1", "", "20", "1")
    write_nm1(w, request.payer)
    hl = 1
    receiver_hl = 0
    last_provider: NamedEntity | None = None
    subscriber_hl = 0
    last_subscriber: tuple[NamedEntity, date | None, str | None] | None = None
    for q in request.inquiries:
        if q.provider != last_provider:
            hl += 1
            receiver_hl = hl
            w.seg("HL", str(hl), "1", "21", "1")
            write_party(w, q.provider)
            last_provider, last_subscriber = q.provider, None
        sub = (q.subscriber, q.subscriber_birth_date, q.subscriber_sex)
        if q.dependent is None or sub != last_subscriber:
            hl += 1
            subscriber_hl = hl
            w.seg("HL", str(hl), str(receiver_hl), "22", "0" if q.dependent is None else "1")
            if q.dependent is None:
                _write_question(w, q, q.subscriber, q.subscriber_birth_date, q.subscriber_sex)
                last_subscriber = None
                continue
            write_member(w, q.subscriber, q.subscriber_birth_date, q.subscriber_sex, None)
            last_subscriber = sub
        hl += 1
        w.seg("HL", str(hl), str(subscriber_hl), "23", "0")
        _write_question(w, q, q.dependent, q.dependent_birth_date, q.dependent_sex)


def _write_question(
    w: SegmentWriter, q: EligibilityInquiry, who: NamedEntity, born: date | None, sex: str | None
) -> None:
    for t in q.traces:
        write_trn(w, t)
    write_member(w, who, born, sex, q.relationship)
    for d in q.dates:
        write_dtp(w, d)
    for code in q.service_types:
        w.seg("EQ", code)
    for p in q.procedures:
        w.seg("EQ", "", fmt_procedure(w, p))
