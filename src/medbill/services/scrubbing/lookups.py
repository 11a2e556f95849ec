"""Code-set questions the rules ask, answered once per code and remembered (or, for the baseline, every time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from medbill.codesets import conventions, cpt, ncci, reference, store
from medbill.codesets.editions import Edition
from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.icd10cm_compile import FLAG_MANIFESTATION, FLAGS, PARENT, note_references
from medbill.domain import coding
from medbill.domain.errors import CodeSetError, InvalidIdentifier
from medbill.domain.identifiers import validate_npi, validate_taxonomy

T = TypeVar("T")
Matcher = tuple[str, str, str]  # (lo, hi, note text): a code c matches when lo <= c[:len(lo)] and c[:len(hi)] <= hi
_MISSING: Any = object()

_ICD_ERRORS: tuple[tuple[type[Exception], str], ...] = (
    (coding.MissingSeventhCharacter, "codes.icd10_seventh_missing"),
    (coding.InvalidSeventhCharacter, "codes.icd10_seventh_invalid"),
    (coding.NotBillable, "codes.icd10_header"),
    (coding.UnknownCode, "codes.icd10_unknown"),
    (coding.MalformedCode, "codes.icd10_malformed"),
)


def _matcher(ref: str, text: str) -> Matcher:
    lo, _, hi = ref.partition("-")
    lo = lo.replace(".", "")
    hi = hi.replace(".", "") or lo
    return (lo, hi, text)


def matches(code: str, m: Matcher) -> bool:
    return m[0] <= code[: len(m[0])] and code[: len(m[1])] <= m[1]


class Lookups:
    """The scrubber's view of the code sets. `cached=False` recomputes every answer (the benchmark's baseline)."""

    def __init__(self, *, cached: bool = True, icd: Icd10cm | None = None) -> None:
        self.cached = cached
        self.icd = icd or store.icd10cm()
        self._tables: dict[str, dict[Any, Any]] = {}
        self._editions: dict[date, Any] = {}
        self._icd: dict[tuple[str, str], Any] = {}
        self._bare: dict[str, Any] = {}
        self._pairs: dict[tuple[str, str, str], Any] = {}
        self._npi: dict[str, Any] = {}
        self._notes_memo: dict[tuple[str, str], tuple[Matcher, ...]] = {}
        self._age: dict[str, Any] = {}
        self._sex: dict[str, Any] = {}
        self._by_identity: dict[tuple[str, int, Any], tuple[object, Any]] = {}
        self._ptp = ncci.ptp()
        self._mue = reference.mue_practitioner()
        self._hcpcs = reference.hcpcs()
        self._cpt = reference.cpt_numbers()
        self._modifiers = reference.modifiers()
        self._pos = reference.place_of_service()
        self._taxonomy = reference.taxonomy()

    def _memo(self, table: str, key: Any, fn: Callable[[], T]) -> T:
        """The answer remembered under `key` in `table` (computed by `fn` the first time; every time if uncached)."""
        memo = self._tables.get(table)
        if memo is None:
            memo = self._tables[table] = {}
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = fn()
            if self.cached:
                memo[key] = found
        return found  # type: ignore[no-any-return]

    def remember(self, table: str, key: Any, fn: Callable[[], T]) -> T:
        """A rule's own answer for `key`, remembered like the code-set answers (recomputed when uncached)."""
        return self._memo(table, key, fn)

    def remember_for(self, table: str, flag: Any, entity: object, fn: Callable[[], T]) -> T:
        """As `remember` keyed by (flag, entity), asked first by the entity's identity: the claims of one file share
        their billing provider object, and hashing a nested dataclass on every claim costs more than the rule."""
        if not self.cached:
            return fn()
        slot = (table, id(entity), flag)
        hit = self._by_identity.get(slot)
        if hit is not None and hit[0] is entity:  # the entity is held, so its id cannot be reused meanwhile
            return hit[1]  # type: ignore[no-any-return]
        found = self._memo(table, (flag, entity), fn)
        self._by_identity[slot] = (entity, found)
        return found

    # --- ICD-10-CM ---------------------------------------------------------------------------------
    def edition(self, on: date) -> Edition | None:
        found = self._editions.get(on, _MISSING)
        if found is _MISSING:
            try:
                found = self.icd.edition_on(on)
            except coding.NoEditionForDate:
                found = None
            if self.cached:
                self._editions[on] = found
        return found  # type: ignore[no-any-return]

    def icd_problem(self, code: str, on: date) -> tuple[str, str] | None:
        """(rule id, reason) when a diagnosis may not be billed on the date; None when it may."""
        ed = self.edition(on)
        if ed is None:
            return ("codes.icd10_no_edition", "")
        key = (ed.name, code)
        found = self._icd.get(key, _MISSING)
        if found is _MISSING:
            found = self._icd_problem(code, on, ed)
            if self.cached:
                self._icd[key] = found
        return found  # type: ignore[no-any-return]

    def _icd_problem(self, code: str, on: date, ed: Edition) -> tuple[str, str] | None:
        try:
            self.icd.check_billable(code, on)
        except coding.NotValidOnDate as exc:
            bare = coding.normalize_icd10cm(code)
            earlier = any(e.record(bare) is not None for e in self.icd.editions if e.effective_to < ed.effective_from)
            return ("codes.icd10_deleted" if earlier else "codes.icd10_not_yet_valid", exc.message)
        except CodeSetError as exc:
            for kind, rule in _ICD_ERRORS:
                if isinstance(exc, kind):
                    return (rule, exc.message)
            return ("codes.icd10_unknown", exc.message)
        return None

    def bare(self, code: str) -> str | None:
        found = self._bare.get(code, _MISSING)
        if found is _MISSING:
            try:
                found = coding.normalize_icd10cm(code)
            except coding.MalformedCode:
                found = None
            if self.cached:
                self._bare[code] = found
        return found  # type: ignore[no-any-return]

    def _notes(self, bare: str, kind: str) -> tuple[Matcher, ...]:
        ed = self.icd.latest()
        notes = ed.tabular.notes
        out: list[Matcher] = []
        node = bare
        rec = ed.record(node)
        while rec is not None:
            for text in notes.get(node, {}).get(kind, ()):
                out.extend(_matcher(ref, text) for ref in note_references(text))
            node = rec[PARENT]
            rec = ed.record(node) if node else None
        return tuple(out)

    def notes(self, kind: str, bare: str) -> tuple[Matcher, ...]:
        """The `kind` notes (excludes1, code_first, use_additional_code) of the code and every ancestor."""
        found = self._notes_memo.get((kind, bare))
        if found is None:
            found = self._notes(bare, kind)
            if self.cached:
                self._notes_memo[(kind, bare)] = found
        return found

    def note_hit(self, kind: str, a: str, b: str) -> Matcher | None:
        """The note of `a` (or an ancestor) of this kind that names `b`; None if none does."""
        key = (kind, a, b)
        found = self._pairs.get(key, _MISSING)
        if found is _MISSING:
            found = next((m for m in self.notes(kind, a) if matches(b, m)), None)
            if self.cached:
                self._pairs[key] = found
        return found  # type: ignore[no-any-return]

    def manifestation(self, bare: str) -> bool:
        def find() -> bool:
            rec = self.icd.latest().record(bare)
            flagged = rec is not None and bool(rec[FLAGS] & FLAG_MANIFESTATION)
            return flagged or not conventions.allowed_as_principal(bare)

        return self._memo("manifestation", bare, find)

    def sex_convention(self, bare: str) -> conventions.Convention | None:
        found = self._sex.get(bare, _MISSING)  # asked for every diagnosis of every claim: no closure, one lookup
        if found is _MISSING:
            found = conventions.convention(self.icd, bare)
            if self.cached:
                self._sex[bare] = found
        return found  # type: ignore[no-any-return]

    def age_range(self, bare: str) -> conventions.AgeRange | None:
        found = self._age.get(bare, _MISSING)
        if found is _MISSING:
            found = conventions.age_range(bare)
            if self.cached:
                self._age[bare] = found
        return found  # type: ignore[no-any-return]

    # --- identifiers --------------------------------------------------------------------------------
    def npi_problem(self, npi: str) -> str | None:
        """Why an NPI is not valid (shape, check digit), or None."""
        found = self._npi.get(npi, _MISSING)
        if found is _MISSING:
            try:
                validate_npi(npi)
                found = None
            except InvalidIdentifier as exc:
                found = exc.message
            if self.cached:
                self._npi[npi] = found
        return found  # type: ignore[no-any-return]

    def taxonomy_problem(self, code: str) -> tuple[str, str] | None:
        """(rule id, reason) when a taxonomy code is malformed or not in the NUCC list; None when it is fine."""

        def find() -> tuple[str, str] | None:
            try:
                shaped = validate_taxonomy(code)
            except InvalidIdentifier as exc:
                return ("identifiers.taxonomy_shape", exc.message)
            if shaped not in self._taxonomy:
                return (
                    "identifiers.taxonomy_unknown",
                    "not in the NUCC taxonomy (v25.1); use the code on the provider's NPPES record",
                )
            return None

        return self._memo("taxonomy", code, find)

    # --- procedures ---------------------------------------------------------------------------------
    def ptp_edit(self, first: str, second: str, on: date) -> ncci.PtpEdit | None:
        """The PTP edit in effect on the date for the pair, whichever code is column 1 (I/OCE table)."""
        if not self.cached:
            return self._ptp.edit_on(first, second, on)
        key = (first, second) if first <= second else (second, first)
        edits = self._memo("ptp", key, lambda: (*self._ptp.edits(*key), *self._ptp.edits(key[1], key[0])))
        for e in edits:
            if e.in_effect(on):
                return e
        return None

    def mue(self, code: str) -> reference.Mue | None:
        return self._mue.get(code)

    def hcpcs(self, code: str) -> reference.RefCode | None:
        return self._hcpcs.get(code)

    def cpt_known(self, code: str) -> bool:
        return self._memo("cpt", code, lambda: code in self._cpt or cpt.descriptor(code) is not None)

    def modifier_known(self, modifier: str) -> bool:
        return modifier in self._modifiers

    def pos_assigned(self, code: str) -> bool:
        found = self._pos.get(code)
        return found is not None and found.status == "current"


_DEFAULT: list[Lookups] = []


def default_lookups() -> Lookups:
    """The process-wide cached lookups (code sets load on first use)."""
    if not _DEFAULT:
        _DEFAULT.append(Lookups())
    return _DEFAULT[0]
