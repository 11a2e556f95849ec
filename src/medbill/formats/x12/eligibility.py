"""271 eligibility and benefit response (005010X279A1) read in one pass into an EligibilityResponse."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import TypedDict, TypeVar

from medbill.domain.claims import NamedEntity, Reference
from medbill.domain.eligibility import (
    FOLLOW_UP_ACTIONS,
    REJECT_REASONS,
    Authorization,
    Benefit,
    BenefitKind,
    CoverageLevel,
    DatedEntry,
    EligibilityResponse,
    MemberEligibility,
    Network,
    ReceiverEligibility,
    Rejection,
    TimePeriod,
    Trace,
)
from medbill.formats.x12.common import EntityBuilder, opt, parse_procedure
from medbill.formats.x12.envelope import RawTransaction
from medbill.formats.x12.errors import X12StructureError, X12SyntaxError
from medbill.formats.x12.syntax import (
    ElementError,
    Segment,
    element,
    opt_cents,
    opt_decimal,
    required,
    to_date,
)

IMPLEMENTATION = "005010X279A1"

_KINDS = {k.value: k for k in BenefitKind}
_LEVELS = {c.value: c for c in CoverageLevel}
_PERIODS = {p.value: p for p in TimePeriod}
_NETWORKS = {n.value: n for n in Network}
_AUTH = {a.value: a for a in Authorization}
_HUNDRED = Decimal(100)
E = TypeVar("E")


def _code(seg: Segment, index: int, table: dict[str, E], what: str) -> E | None:
    value = element(seg, index)
    if not value:
        return None
    found = table.get(value)
    if found is None:
        raise ElementError(index, f"{seg[0]}{index:02d} '{value}' is not {what}", expected=what)
    return found


def parse_aaa(seg: Segment, loop: str) -> Rejection:
    """AAA: request validation (AAA01 Y/N, AAA03 reject reason, AAA04 follow-up action), all three required."""
    valid = required(seg, 1, "Y or N (was the request valid)")
    if valid not in ("Y", "N"):
        raise ElementError(1, f"AAA01 '{valid}' is not Y or N", expected="Y or N")
    reason = required(seg, 3, "a reject reason code")
    if reason not in REJECT_REASONS:
        raise ElementError(3, f"AAA03 '{reason}' is not a reject reason code", expected="a code such as 42, 72 or 75")
    action = required(seg, 4, "a follow-up action code")
    if action not in FOLLOW_UP_ACTIONS:
        raise ElementError(4, f"AAA04 '{action}' is not a follow-up action code", expected="C, N, P, R, S, W, X or Y")
    return Rejection(loop=loop, valid=valid == "Y", reason_code=reason, follow_up_code=action)


def parse_trn(seg: Segment) -> Trace:
    return Trace(
        type_code=required(seg, 1, "the trace type"),
        number=required(seg, 2, "the trace number"),
        originator=opt(seg, 3),
        reference=opt(seg, 4),
    )


def parse_dtp(seg: Segment) -> DatedEntry:
    qualifier = required(seg, 1, "the date qualifier")
    value = required(seg, 3, "the date")
    if element(seg, 2) == "RD8":
        start, _, end = value.partition("-")
        return DatedEntry(qualifier=qualifier, start=to_date(start, 3), end=to_date(end, 3))
    return DatedEntry(qualifier=qualifier, start=to_date(value, 3))


def parse_dmg(seg: Segment) -> tuple[date | None, str | None]:
    born = element(seg, 2)
    return (to_date(born, 2) if born else None), opt(seg, 3)


class Parties(TypedDict):
    """Who a 270 question or a 271 answer is about, as EligibilityInquiry and MemberEligibility both name it."""

    subscriber: NamedEntity
    subscriber_birth_date: date | None
    subscriber_sex: str | None
    dependent: NamedEntity | None
    dependent_birth_date: date | None
    dependent_sex: str | None
    relationship: str | None
    traces: tuple[Trace, ...]
    dates: tuple[DatedEntry, ...]


MEMBER_SEGMENTS = frozenset({"TRN", "DMG", "INS", "DTP"})  # 2000C/2000D and 2100C/2100D, both ways


class MemberLoop:
    """A 2000C (subscriber) or 2000D (dependent) loop of a 270 or a 271 being read: its NM1, DMG, INS, TRN and DTP."""

    __slots__ = ("dates", "dmg", "entity", "level", "relationship", "traces")

    def __init__(self, level: str) -> None:
        self.level = level
        self.entity: EntityBuilder | None = None
        self.dmg: tuple[date | None, str | None] = (None, None)
        self.relationship: str | None = None
        self.traces: list[Trace] = []
        self.dates: list[DatedEntry] = []

    def add(self, seg: Segment) -> None:
        """Take one of the loop's ``MEMBER_SEGMENTS``."""
        sid = seg[0]
        if sid == "TRN":
            self.traces.append(parse_trn(seg))
        elif sid == "DMG":
            self.dmg = parse_dmg(seg)
        elif sid == "INS":
            self.relationship = required(seg, 2, "the relationship code")
        else:
            self.dates.append(parse_dtp(seg))

    def parties(self, subscriber: MemberLoop | None) -> Parties:
        """The loop's people; a dependent (2000D) carries its subscriber's 2100C name and demographics."""
        assert self.entity is not None
        own = self.entity.build()
        sub = subscriber.entity.build() if subscriber is not None and subscriber.entity is not None else own
        sub_dmg = subscriber.dmg if subscriber is not None else self.dmg
        dependent = subscriber is not None
        return Parties(
            subscriber=sub,
            subscriber_birth_date=sub_dmg[0],
            subscriber_sex=sub_dmg[1],
            dependent=own if dependent else None,
            dependent_birth_date=self.dmg[0] if dependent else None,
            dependent_sex=self.dmg[1] if dependent else None,
            relationship=self.relationship,
            traces=tuple(self.traces),
            dates=tuple(self.dates),
        )


class Header(TypedDict):
    """The BHT and information source (2100A) of a 270 or 271."""

    reference: str
    created: date
    created_time: str
    payer: NamedEntity


def read_header(bht: Segment | None, payer: EntityBuilder | None, set_id: str) -> Header:
    if bht is None or payer is None:
        raise ElementError(0, f"the {set_id} has no BHT or information source", expected="BHT and NM1*PR in 2100A")
    return Header(
        reference=element(bht, 3),
        created=to_date(required(bht, 4, "the creation date"), 4),
        created_time=element(bht, 5),
        payer=payer.build(),
    )


def misplaced(seg: Segment, expected: str) -> ElementError:
    exc = ElementError(0, f"segment {seg[0]} is out of place", expected)
    exc.position = -1
    return exc


def located(exc: ElementError, seg: Segment, pos: int) -> X12StructureError | X12SyntaxError:
    """The reader's error with its segment position and id (position ≤ 0: a structure error, else an element)."""
    if exc.position <= 0:
        return X12StructureError(
            exc.message,
            code="x12_unexpected_segment" if exc.position < 0 else "x12_missing_segment",
            segment_position=pos,
            segment_id=seg[0],
            expected=exc.expected,
        )
    return X12SyntaxError(
        exc.message, segment_position=pos, segment_id=seg[0], element_position=exc.position, expected=exc.expected
    )


def parse_eb(seg: Segment, rep: str, comp: str) -> Benefit:
    """The EB segment's elements, typed and checked (the loop's other segments are added by the reader)."""
    kind = _KINDS.get(required(seg, 1, "the benefit information code"))
    if kind is None:
        raise ElementError(1, f"EB01 '{seg[1]}' is not a benefit information code", expected="1 … 8, A … Y")
    percent = opt_decimal(seg, 8)
    if percent is not None:
        percent = percent * _HUNDRED  # EB08 .2 is 20 percent
        if percent == percent.to_integral_value():
            percent = percent.quantize(Decimal(1))
    services = element(seg, 3)
    return Benefit(
        kind=kind,
        coverage_level=_code(seg, 2, _LEVELS, "a coverage level code (IND, FAM …)"),
        service_types=tuple(s for s in services.split(rep) if s) if services else (),
        insurance_type=opt(seg, 4),
        plan_description=opt(seg, 5),
        time_period=_code(seg, 6, _PERIODS, "a time period qualifier (23, 29 …)"),
        amount_cents=opt_cents(seg, 7),
        percent=percent,
        quantity_qualifier=opt(seg, 9),
        quantity=opt_decimal(seg, 10),
        authorization=_code(seg, 11, _AUTH, "Y, N or U"),
        network=_code(seg, 12, _NETWORKS, "Y, N or W"),
        procedure=parse_procedure(seg[13], comp, 13) if element(seg, 13) else None,
        diagnosis_pointers=tuple(p for p in element(seg, 14).split(comp) if p),
    )


class _Member(MemberLoop):
    """A 2000C or 2000D loop of a 271 being read, with its rejections and benefits."""

    __slots__ = ("benefit", "benefits", "rejections")

    def __init__(self, level: str) -> None:
        super().__init__(level)
        self.rejections: list[Rejection] = []
        self.benefits: list[Benefit] = []
        self.benefit: _Benefit | None = None

    def substantive(self) -> bool:
        return bool(self.traces or self.rejections or self.dates or self.benefits or self.relationship)


class _Benefit:
    __slots__ = ("dates", "delivery", "eb", "entities", "entity", "in_ls", "messages", "refs", "rejections")

    def __init__(self, eb: Benefit) -> None:
        self.eb = eb
        self.delivery: list[tuple[str, ...]] = []
        self.refs: list[Reference] = []
        self.dates: list[DatedEntry] = []
        self.rejections: list[Rejection] = []
        self.messages: list[str] = []
        self.entities: list[NamedEntity] = []
        self.entity: EntityBuilder | None = None
        self.in_ls = False

    def build(self) -> Benefit:
        if self.entity is not None:
            self.entities.append(self.entity.build())
            self.entity = None
        if not (self.delivery or self.refs or self.dates or self.rejections or self.messages or self.entities):
            return self.eb
        return dataclasses.replace(
            self.eb,
            delivery=tuple(self.delivery),
            references=tuple(self.refs),
            dates=tuple(self.dates),
            rejections=tuple(self.rejections),
            messages=tuple(self.messages),
            entities=tuple(self.entities),
        )


def _trim(values: list[str]) -> tuple[str, ...]:
    n = len(values)
    while n and not values[n - 1]:
        n -= 1
    return tuple(values[:n])


def read_271(raw: RawTransaction) -> EligibilityResponse:
    """The payer's answers in one 271 transaction set."""
    segs = raw.segments
    rep, comp = raw.delimiters.repetition, raw.delimiters.component
    bht: Segment | None = None
    payer: EntityBuilder | None = None
    source_rejections: list[Rejection] = []
    receivers: list[ReceiverEligibility] = []
    receiver: EntityBuilder | None = None
    receiver_rejections: list[Rejection] = []
    members: list[MemberEligibility] = []
    subscriber: _Member | None = None
    member: _Member | None = None
    subscriber_open = False
    level = ""

    def close_member() -> None:
        nonlocal member
        m = member
        member = None
        if m is None or receiver is None:
            return
        if m.benefit is not None:
            m.benefits.append(m.benefit.build())
            m.benefit = None
        if m.entity is None:
            raise ElementError(0, f"a {'subscriber' if m.level == '22' else 'dependent'} loop without NM1", "NM1")
        if m.level == "22":
            return  # kept by the next HL: dropped when only its dependents say something
        assert subscriber is not None and subscriber.entity is not None
        members.append(_build(m, receiver.build(), subscriber))

    def close_subscriber(has_dependent: bool) -> None:
        nonlocal subscriber, subscriber_open
        s = subscriber
        wanted = s is not None and (s.substantive() or not has_dependent)
        if s is not None and wanted and subscriber_open and receiver is not None and s.entity is not None:
            members.append(_build(s, receiver.build(), None))
        subscriber_open = False
        if not has_dependent:
            subscriber = None

    def close_receiver() -> None:
        nonlocal receiver, receiver_rejections, members
        if receiver is not None:
            receivers.append(
                ReceiverEligibility(
                    receiver=receiver.build(), rejections=tuple(receiver_rejections), members=tuple(members)
                )
            )
        receiver, receiver_rejections, members = None, [], []

    pos = 0
    seg = segs[0]
    try:
        for pos in range(1, len(segs) - 1):
            seg = segs[pos]
            sid = seg[0]
            b = member.benefit if member is not None else None
            if b is not None and sid != "HL" and sid != "EB":
                if sid == "LS":
                    b.in_ls = True
                elif sid == "LE":
                    if b.entity is not None:
                        b.entities.append(b.entity.build())
                        b.entity = None
                    b.in_ls = False
                elif b.in_ls and sid == "NM1":
                    if b.entity is not None:
                        b.entities.append(b.entity.build())
                    b.entity = EntityBuilder.from_nm1(seg)
                elif b.in_ls and b.entity is not None and sid in ("N3", "N4", "PER", "PRV"):
                    b.entity.add(seg)
                elif b.in_ls:
                    raise misplaced(seg, "NM1, N3, N4, PER or PRV inside LS*2120 … LE")
                elif sid == "HSD":
                    b.delivery.append(_trim(seg[1:]))
                elif sid == "REF":
                    b.refs.append(Reference(qualifier=required(seg, 1, "the qualifier"), value=element(seg, 2)))
                elif sid == "DTP":
                    b.dates.append(parse_dtp(seg))
                elif sid == "AAA":
                    b.rejections.append(parse_aaa(seg, "2110C" if member.level == "22" else "2110D"))  # type: ignore[union-attr]
                elif sid == "MSG":
                    b.messages.append(required(seg, 1, "the message text"))
                else:
                    raise misplaced(seg, "HSD, REF, DTP, AAA, MSG or LS in the 2110 loop")
            elif sid == "HL":
                new_level = element(seg, 3)
                close_member()
                if new_level == "23":
                    if subscriber is None:
                        raise ElementError(0, "a dependent before its subscriber", expected="HL*…*22 and NM1*IL")
                    close_subscriber(True)
                    member = _Member("23")
                else:
                    close_subscriber(False)
                    if new_level == "22":
                        if receiver is None:
                            raise ElementError(0, "a subscriber before the receiver", expected="HL*…*21 and NM1")
                        member = subscriber = _Member("22")
                        subscriber_open = True
                    elif new_level in ("20", "21"):
                        close_receiver()
                        if new_level == "20" and payer is not None:
                            raise misplaced(seg, "one information source (HL*…*20) per 271 transaction set")
                    else:
                        raise ElementError(3, f"HL03 '{new_level}' is not a 271 level", expected="20, 21, 22 or 23")
                level = new_level
            elif sid == "NM1":
                entity = EntityBuilder.from_nm1(seg)
                if level == "20" and payer is None:
                    payer = entity
                elif level == "21" and receiver is None:
                    receiver = entity
                elif member is not None and member.entity is None:
                    member.entity = entity
                else:
                    raise misplaced(seg, "one NM1 in each of 2100A, 2100B, 2100C and 2100D")
            elif sid == "AAA":
                if level == "20":
                    source_rejections.append(parse_aaa(seg, "2100A" if payer is not None else "2000A"))
                elif level == "21":
                    receiver_rejections.append(parse_aaa(seg, "2100B"))
                elif member is not None:
                    member.rejections.append(parse_aaa(seg, "2100C" if member.level == "22" else "2100D"))
                else:
                    raise misplaced(seg, "AAA in a loop")
            elif sid in ("N3", "N4", "REF", "PER", "PRV"):
                target = payer if level == "20" else receiver if level == "21" else member.entity if member else None
                if target is None:
                    raise misplaced(seg, f"{sid} after its loop's NM1")
                target.add(seg)
            elif member is not None and sid in MEMBER_SEGMENTS:
                member.add(seg)
            elif member is not None and sid == "EB":
                if member.entity is None:
                    raise ElementError(0, "EB before the member's NM1", expected="NM1*IL or NM1*03 first")
                if member.benefit is not None:
                    member.benefits.append(member.benefit.build())
                member.benefit = _Benefit(parse_eb(seg, rep, comp))
            elif sid == "BHT" and pos == 1:
                bht = seg
            else:
                raise misplaced(seg, "a segment of the 271 guide")
        close_member()
        close_subscriber(False)
        close_receiver()
        header = read_header(bht, payer, "271")
    except ElementError as exc:
        raise located(exc, seg, pos + 1) from None
    return EligibilityResponse(**header, rejections=tuple(source_rejections), receivers=tuple(receivers))


def _build(m: _Member, provider: NamedEntity, subscriber: _Member | None) -> MemberEligibility:
    """A member from its loop; a dependent (2000D) carries its subscriber's 2100C name and demographics."""
    return MemberEligibility(
        provider=provider, **m.parties(subscriber), rejections=tuple(m.rejections), benefits=tuple(m.benefits)
    )
