"""Segments shared by many transactions: NM1/N1 with N3/N4/REF/PER/PRV, composites, CAS, dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from medbill.domain.claims import Contact, EntityType, NamedEntity, PostalAddress, ProcedureCode, Reference
from medbill.formats.x12.construct import fast_constructor
from medbill.formats.x12.syntax import ElementError, Segment, SegmentWriter, element, fmt_cents, fmt_date

if TYPE_CHECKING:  # only the 276/277 writers need it; readers start without loading the acknowledgement models
    from medbill.domain.acknowledgements import LineStatus


def opt(seg: Segment, index: int) -> str | None:
    value = seg[index] if len(seg) > index else ""
    return value or None


def parse_procedure(text: str, comp: str, index: int) -> ProcedureCode:
    """A composite medical procedure identifier (SV101, SVC01 …): qualifier:code:mod1:mod2:mod3:mod4:description."""
    parts = text.split(comp)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ElementError(index, f"'{text}' is not a procedure composite", expected="qualifier:code[:modifiers]")
    mods = parts[2:6]
    while mods and not mods[-1]:
        mods.pop()
    desc = parts[6] if len(parts) > 6 and parts[6] else None
    return ProcedureCode(qualifier=parts[0], code=parts[1], modifiers=tuple(mods), description=desc)


def fmt_procedure(w: SegmentWriter, p: ProcedureCode) -> str:
    mods = list(p.modifiers) + [""] * (4 - len(p.modifiers))
    return w.comp(p.qualifier, p.code, *mods, p.description or "")


_ENTITY_TYPES = {"1": EntityType.PERSON, "2": EntityType.ORGANIZATION}


class EntityBuilder:
    """An NM1 or N1 being read, with the N3/N4/REF/PER/PRV segments that follow it."""

    __slots__ = (
        "contacts",
        "entity_type",
        "first",
        "id_qualifier",
        "identifier",
        "middle",
        "n3",
        "n4",
        "name",
        "references",
        "role",
        "suffix",
        "taxonomy",
    )

    def __init__(self, role: str, entity_type: EntityType, name: str) -> None:
        self.role = role
        self.entity_type = entity_type
        self.name = name
        self.first: str | None = None
        self.middle: str | None = None
        self.suffix: str | None = None
        self.id_qualifier: str | None = None
        self.identifier: str | None = None
        self.n3: Segment | None = None
        self.n4: Segment | None = None
        self.taxonomy: str | None = None
        self.references: list[Reference] = []
        self.contacts: list[Contact] = []

    @classmethod
    def from_nm1(cls, seg: Segment) -> EntityBuilder:
        if len(seg) < 10:
            seg = seg + [""] * (10 - len(seg))
        kind = _ENTITY_TYPES.get(seg[2])
        if kind is None:
            raise ElementError(2, f"NM102 '{seg[2]}' is not an entity type", expected="1 (person) or 2 (organisation)")
        b = cls(seg[1], kind, seg[3])
        b.first = seg[4] or None
        b.middle = seg[5] or None
        b.suffix = seg[7] or None
        b.id_qualifier = seg[8] or None
        b.identifier = seg[9] or None
        return b

    @classmethod
    def from_n1(cls, seg: Segment) -> EntityBuilder:
        b = cls(element(seg, 1), EntityType.ORGANIZATION, element(seg, 2))
        b.id_qualifier = opt(seg, 3)
        b.identifier = opt(seg, 4)
        return b

    def add(self, seg: Segment) -> bool:
        """Take an N3, N4, REF, PER or PRV that belongs to this entity; False when the segment is not one."""
        sid = seg[0]
        if sid == "N3":
            self.n3 = seg
        elif sid == "N4":
            self.n4 = seg
        elif sid == "REF":
            self.references.append(Reference(qualifier=element(seg, 1), value=element(seg, 2)))
        elif sid == "PER":
            self.contacts.append(parse_per(seg))
        elif sid == "PRV":
            self.taxonomy = opt(seg, 3)
        else:
            return False
        return True

    def build(self) -> NamedEntity:
        address = None
        if self.n3 is not None or self.n4 is not None:
            n3 = (self.n3 or []) + _PAD5
            n4 = (self.n4 or []) + _PAD5
            address = _PostalAddress(
                line1=n3[1],
                line2=n3[2] or None,
                city=n4[1] or None,
                state=n4[2] or None,
                postal_code=n4[3] or None,
                country=n4[4] or None,
            )
        return _NamedEntity(
            role=self.role,
            entity_type=self.entity_type,
            name=self.name,
            first_name=self.first,
            middle_name=self.middle,
            suffix=self.suffix,
            id_qualifier=self.id_qualifier,
            identifier=self.identifier,
            address=address,
            taxonomy=self.taxonomy,
            references=tuple(self.references),
            contacts=tuple(self.contacts),
        )


def parse_per(seg: Segment) -> Contact:
    numbers: list[tuple[str, str]] = []
    for i in (3, 5, 7):
        q = element(seg, i)
        if q:
            numbers.append((q, element(seg, i + 1)))
    return Contact(function=element(seg, 1), name=opt(seg, 2), numbers=tuple(numbers))


_NamedEntity = fast_constructor(NamedEntity)
_PostalAddress = fast_constructor(PostalAddress)
_PAD5 = [""] * 5


def nm1_from_plain(seg: Segment) -> NamedEntity:
    """An NM1 that no N3/N4/REF follows (the 835's claim-level names)."""
    if len(seg) < 10:
        seg = seg + [""] * (10 - len(seg))
    kind = _ENTITY_TYPES.get(seg[2])
    if kind is None:
        raise ElementError(2, f"NM102 '{seg[2]}' is not an entity type", expected="1 (person) or 2 (organisation)")
    return _NamedEntity(
        role=seg[1],
        entity_type=kind,
        name=seg[3],
        first_name=seg[4] or None,
        middle_name=seg[5] or None,
        suffix=seg[7] or None,
        id_qualifier=seg[8] or None,
        identifier=seg[9] or None,
    )


def write_nm1(w: SegmentWriter, e: NamedEntity) -> None:
    w.seg(
        "NM1",
        e.role,
        e.entity_type.value,
        e.name,
        e.first_name or "",
        e.middle_name or "",
        "",
        e.suffix or "",
        e.id_qualifier or "",
        e.identifier or "",
    )


def write_n1(w: SegmentWriter, e: NamedEntity) -> None:
    w.seg("N1", e.role, e.name, e.id_qualifier or "", e.identifier or "")


def write_address(w: SegmentWriter, e: NamedEntity) -> None:
    a = e.address
    if a is None:
        return
    if a.line1:
        w.seg("N3", a.line1, a.line2 or "")
    if a.city or a.state or a.postal_code or a.country:
        w.seg("N4", a.city or "", a.state or "", a.postal_code or "", a.country or "")


def write_per(w: SegmentWriter, c: Contact) -> None:
    items = [c.function, c.name or ""]
    for q, number in c.numbers:
        items += [q, number]
    w.seg("PER", *items)


def write_refs(w: SegmentWriter, refs: tuple[Reference, ...]) -> None:
    for r in refs:
        w.seg("REF", r.qualifier, r.value)


def write_service_dates(w: SegmentWriter, start: date | None, end: date | None) -> None:
    """DTP*472: a service date (D8) or span (RD8), nothing when there is no date (276/277 2200D and 2210D)."""
    if start is None:
        return
    if end is None:
        w.seg("DTP", "472", "D8", fmt_date(start))
    else:
        w.seg("DTP", "472", "RD8", f"{fmt_date(start)}-{fmt_date(end)}")


def write_svc(w: SegmentWriter, line: LineStatus) -> None:
    """SVC of a 276/277 service line: procedure, charge, revenue code and units (2210D)."""
    w.seg(
        "SVC",
        fmt_procedure(w, line.procedure) if line.procedure else "",
        fmt_cents(line.charge_cents),
        "",
        line.revenue_code or "",
        "",
        "",
        line.units or "",
    )
