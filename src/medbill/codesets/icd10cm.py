"""The ICD-10-CM code set: dated editions, code lookups, billability and validity for a date of service."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from medbill.codesets.editions import Edition
from medbill.codesets.icd10cm_compile import (
    FLAG_BILLABLE,
    FLAG_MANIFESTATION,
    FLAG_NEEDS_SEVENTH,
    FLAG_SEVENTH_EXPANDED,
    FLAGS,
    KIND,
    KIND_BLOCK,
    KIND_CHAPTER,
    KIND_CODE,
    NOTE_KINDS,
    PARENT,
    TITLE,
    Record,
    note_references,
)
from medbill.domain.coding import (
    CodeSystem,
    InvalidSeventhCharacter,
    MissingSeventhCharacter,
    NoEditionForDate,
    NotBillable,
    NotValidOnDate,
    UnknownCode,
    dotted_icd10cm,
    normalize_icd10cm,
)

_MEMO_LIMIT = 400_000  # answers remembered per edition, keyed by the text asked (the code set has ~100k codes)


@dataclass(frozen=True, slots=True, kw_only=True)
class Note:
    """One instructional note, where it was written (`source`), and the codes or ranges it names."""

    kind: str
    text: str
    source: str
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeDetail:
    """Everything a coder needs to see about one ICD-10-CM code in one edition."""

    code: str
    system: CodeSystem
    title: str
    kind: str
    billable: bool
    manifestation: bool
    needs_seventh_character: bool
    parent: str | None
    chapter: tuple[str, str] | None
    block: tuple[str, str] | None
    edition: str
    notes: tuple[Note, ...]
    seventh_characters: tuple[tuple[str, str], ...]
    children: tuple[tuple[str, str], ...]
    valid_on_date: bool = False
    date_of_service: date | None = None
    editions_billable: tuple[str, ...] = field(default=())

    def notes_of(self, kind: str) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if n.kind == kind)


class Icd10cm:
    """All loaded ICD-10-CM editions. Adding an edition never replaces another; each answers for its dates."""

    def __init__(self, editions: list[Edition]) -> None:
        self._editions: list[Edition] = []
        for ed in editions:
            self.add_edition(ed)
        self._sorted_codes: list[str] | None = None

    @property
    def editions(self) -> tuple[Edition, ...]:
        return tuple(self._editions)

    def add_edition(self, edition: Edition) -> None:
        for other in self._editions:
            if other.name == edition.name:
                raise ValueError(f"an edition named {edition.name!r} is loaded already")
            if edition.effective_from <= other.effective_to and other.effective_from <= edition.effective_to:
                raise ValueError(
                    f"edition {edition.name} ({edition.effective_from}–{edition.effective_to}) overlaps "
                    f"{other.name} ({other.effective_from}–{other.effective_to})"
                )
        self._editions.append(edition)
        self._editions.sort(key=lambda e: e.effective_from)
        self._sorted_codes = None

    def edition(self, name: str) -> Edition:
        for ed in self._editions:
            if ed.name == name:
                return ed
        raise KeyError(name)

    def edition_on(self, on: date) -> Edition:
        """The edition in force on a date of service; `NoEditionForDate` if none is loaded for it."""
        for ed in self._editions:
            if ed.covers(on):
                return ed
        loaded = ", ".join(f"{e.name} ({e.effective_from} to {e.effective_to})" for e in self._editions)
        raise NoEditionForDate(
            f"no loaded ICD-10-CM edition covers {on.isoformat()}; loaded: {loaded}", field="date_of_service"
        )

    def latest(self) -> Edition:
        return self._editions[-1]

    # --- fast questions -------------------------------------------------------------------------
    def is_billable(self, code: str, on: date | None = None) -> bool:
        """True if the code (dot optional) is a billable leaf in the edition in force on the date (today)."""
        if on is None:
            ed = self._today()
        else:
            for ed in self._editions:
                if ed.effective_from <= on <= ed.effective_to:
                    break
            else:
                ed = self.edition_on(on)
        memo = ed._billable_memo
        found = memo.get(code)
        if found is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            found = memo[code] = ed.is_billable(code.replace(".", "").upper() if "." in code else code.upper())
        return found

    def _today(self) -> Edition:
        today = date.today()
        for ed in self._editions:
            if ed.effective_from <= today <= ed.effective_to:
                return ed
        return self.edition_on(today)

    def title(self, code: str, on: date | None = None) -> str | None:
        bare = code.replace(".", "").upper()
        ed = self.edition_on(on) if on is not None else self._today()
        rec = ed.record(bare) or self._known_anywhere(bare)[1]
        return rec[TITLE] if rec else None

    def _known_anywhere(self, bare: str) -> tuple[Edition | None, Record | None]:
        """The latest edition that knows a code, and its record there."""
        for ed in reversed(self._editions):
            rec = ed.record(bare)
            if rec is not None:
                return ed, rec
        return None, None

    # --- checks with precise reasons ----------------------------------------------------------------
    def check_billable(self, code: str, on: date) -> str:
        """The code (no dot) if it may be billed for a date of service; otherwise the precise error."""
        bare = normalize_icd10cm(code)
        shown = dotted_icd10cm(bare)
        ed = self.edition_on(on)
        rec = ed.record(bare)
        if rec is None:
            self._explain_absent(bare, ed, on)
        assert rec is not None
        if rec[FLAGS] & FLAG_BILLABLE:
            return bare
        if rec[FLAGS] & FLAG_NEEDS_SEVENTH:
            chars = ", ".join(ch for ch, _ in ed.tabular.seventh_of(bare))
            raise MissingSeventhCharacter(
                f"{shown} needs a 7th character ({chars}); use e.g. {dotted_icd10cm(bare.ljust(6, 'X'))}"
                f"{ed.tabular.seventh_of(bare)[0][0]}",
                field="code",
            )
        kids = ed.children_of(bare)
        examples = ", ".join(dotted_icd10cm(c) for c in kids[:4])
        raise NotBillable(
            f"{shown} is a header ({rec[KIND]}), not billable; choose a more specific code"
            + (f" such as {examples}" if examples else ""),
            field="code",
        )

    def _explain_absent(self, bare: str, ed: Edition, on: date) -> None:
        shown = dotted_icd10cm(bare)
        # a 7th character that the code's category does not allow
        if len(bare) == 7:
            stem = bare[:6]
            while True:
                base = ed.record(stem)
                if base is not None or not stem.endswith("X"):
                    break
                stem = stem[:-1]
            if base is not None and base[FLAGS] & FLAG_NEEDS_SEVENTH and bare[:6] == stem.ljust(6, "X"):
                allowed = ", ".join(ch for ch, _ in ed.tabular.seventh_of(stem))
                raise InvalidSeventhCharacter(
                    f"{shown}: 7th character {bare[6]!r} is not allowed for {dotted_icd10cm(stem)}; allowed: {allowed}",
                    field="code",
                )
        # a short code that needs placeholder X before its 7th character
        trimmed = bare.rstrip("X")
        if trimmed != bare:
            base = ed.record(trimmed)
            if base is not None and base[FLAGS] & FLAG_NEEDS_SEVENTH:
                raise MissingSeventhCharacter(
                    f"{shown} needs a 7th character after its placeholder X; "
                    f"use e.g. {dotted_icd10cm(trimmed.ljust(6, 'X'))}{ed.tabular.seventh_of(trimmed)[0][0]}",
                    field="code",
                )
        other, _ = self._known_anywhere(bare)
        if other is not None:
            valid = [e for e in self._editions if e.record(bare) is not None]
            span = ", ".join(f"{e.name} ({e.effective_from} to {e.effective_to})" for e in valid)
            raise NotValidOnDate(
                f"{shown} is not valid for a date of service of {on.isoformat()} (edition {ed.name}); "
                f"it is valid in {span}",
                field="code",
            )
        raise UnknownCode(f"{shown} is not an ICD-10-CM code in any loaded edition", field="code")

    # --- full detail -------------------------------------------------------------------------------
    def detail(self, code: str, on: date | None = None) -> CodeDetail:
        """The code's full context in the edition in force on the date (else the latest that knows it).

        Raises `MalformedCode` or `UnknownCode`; a code unknown on that date but known in another edition
        is described from that edition with `valid_on_date` False.
        """
        bare = normalize_icd10cm(code)
        on = on if on is not None else date.today()
        try:
            ed_on: Edition | None = self.edition_on(on)
        except NoEditionForDate:
            ed_on = None
        rec = ed_on.record(bare) if ed_on is not None else None
        ed = ed_on
        if rec is None:
            ed, rec = self._known_anywhere(bare)
        if rec is None or ed is None:
            if ed_on is not None:
                self._explain_absent(bare, ed_on, on)
            raise UnknownCode(f"{dotted_icd10cm(bare)} is not an ICD-10-CM code in any loaded edition", field="code")
        chain = self._ancestors(ed, bare)
        chapter: tuple[str, str] | None = None
        block: tuple[str, str] | None = None
        for c in chain:
            crec = ed.record(c)
            if crec is not None and crec[KIND] == KIND_CHAPTER:
                chapter = (c[2:], crec[TITLE])
            elif crec is not None and crec[KIND] == KIND_BLOCK:
                block = (c, crec[TITLE])
        notes: list[Note] = []
        for source in [bare, *chain]:
            stored = ed.tabular.notes.get(source, {})
            for kind in NOTE_KINDS.values():
                if source != bare and kind in ("inclusion_terms",):
                    continue
                for text in stored.get(kind, ()):
                    shown = source[2:] if source.startswith("ch") else dotted_icd10cm(source)
                    notes.append(Note(kind=kind, text=text, source=shown, references=note_references(text)))
        needs7 = bool(rec[FLAGS] & FLAG_NEEDS_SEVENTH)
        seventh_source = rec[PARENT] if rec[FLAGS] & FLAG_SEVENTH_EXPANDED else bare
        seventh = ed.tabular.seventh_of(seventh_source) if (needs7 or rec[FLAGS] & FLAG_SEVENTH_EXPANDED) else ()
        if not seventh and rec[KIND] != KIND_CODE:
            seventh = ed.tabular.seventh.get(bare, ())
        kids = tuple((dotted_icd10cm(c), (ed.record(c) or ("",))[0]) for c in ed.children_of(bare))
        billable_in = tuple(e.name for e in self._editions if e.is_billable(bare))
        valid = ed_on is not None and ed_on is ed and bool(rec[FLAGS] & FLAG_BILLABLE)
        parent = rec[PARENT]
        parent_rec = ed.record(parent) if parent else None
        if parent_rec is None or parent_rec[KIND] in (KIND_CHAPTER, KIND_BLOCK):
            shown_parent = None
        else:
            shown_parent = dotted_icd10cm(parent)
        return CodeDetail(
            code=dotted_icd10cm(bare),
            system=CodeSystem.ICD10CM,
            title=rec[TITLE],
            kind=rec[KIND],
            billable=bool(rec[FLAGS] & FLAG_BILLABLE),
            manifestation=bool(rec[FLAGS] & FLAG_MANIFESTATION),
            needs_seventh_character=needs7,
            parent=shown_parent,
            chapter=chapter,
            block=block,
            edition=ed.name,
            notes=tuple(notes),
            seventh_characters=seventh,
            children=kids,
            valid_on_date=valid,
            date_of_service=on,
            editions_billable=billable_in,
        )

    def _ancestors(self, ed: Edition, bare: str) -> list[str]:
        out: list[str] = []
        rec = ed.record(bare)
        while rec is not None and rec[PARENT]:
            out.append(rec[PARENT])
            rec = ed.record(rec[PARENT])
        return out

    def set_sorted_codes(self, codes: list[str]) -> None:
        """Install a precomputed sorted code list (from the cache)."""
        self._sorted_codes = codes

    # --- codes in order, for prefix search -----------------------------------------------------------
    def sorted_codes(self) -> list[str]:
        """Every code any edition knows (no dot), sorted; built once on first use."""
        if self._sorted_codes is None:
            codes: set[str] = set()
            for ed in self._editions:
                codes.update(ed.all_codes())
            self._sorted_codes = sorted(codes)
        return self._sorted_codes

    def codes_with_prefix(self, prefix: str, on: date | None = None, limit: int = 20) -> list[str]:
        bare = prefix.replace(".", "").upper()
        ed = self.edition_on(on) if on is not None else self._today()
        codes = self.sorted_codes()
        i = bisect.bisect_left(codes, bare)
        out: list[str] = []
        while i < len(codes) and codes[i].startswith(bare) and len(out) < limit:
            if ed.record(codes[i]) is not None:
                out.append(codes[i])
            i += 1
        return out
