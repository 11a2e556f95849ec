"""One dated ICD-10-CM edition over a compiled tabular: records, 7th-character codes made on the fly, children."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

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
    PARENT,
    TITLE,
    Record,
)

SeventhRule = tuple[tuple[str, str], ...]


class Tabular:
    """The shared, edition-independent parts of a compiled tabular: notes, 7th-character rules, children."""

    __slots__ = ("_chars_of", "_rule_of", "children", "nodes", "notes", "seventh", "version")

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.nodes: dict[str, Record] = data["nodes"]
        self.notes: dict[str, dict[str, tuple[str, ...]]] = data["notes"]
        self.seventh: dict[str, SeventhRule] = data["seventh"]
        self.children: dict[str, tuple[str, ...]] = data["children"]
        self._rule_of: dict[str, SeventhRule] = {}
        self._chars_of: dict[str, frozenset[str]] = {}

    def seventh_chars(self, code: str) -> frozenset[str]:
        """The allowed 7th characters of a tabular code, as a set (memoised)."""
        found = self._chars_of.get(code)
        if found is None:
            found = self._chars_of[code] = frozenset(ch for ch, _ in self.seventh_of(code))
        return found

    def seventh_of(self, code: str) -> SeventhRule:
        """The 7th characters allowed on a tabular code: its own rule, or its nearest ancestor's (memoised)."""
        found = self._rule_of.get(code)
        if found is None:
            found = self._rule_of[code] = self._find_seventh(code)
        return found

    def _find_seventh(self, code: str) -> SeventhRule:
        node: str = code
        while node:
            rule = self.seventh.get(node)
            if rule is not None:
                return rule
            rec = self.nodes.get(node)
            if rec is None:
                return ()
            node = rec[PARENT]
        return ()


class Edition:
    """One dated edition: its own records over a base edition (`overlay`, `deleted`), or a whole tabular."""

    __slots__ = (
        "_billable_memo",
        "_children",
        "base",
        "deleted",
        "effective_from",
        "effective_to",
        "name",
        "overlay",
        "tabular",
    )

    def __init__(
        self,
        *,
        name: str,
        effective_from: date,
        effective_to: date,
        tabular: Tabular,
        base: Edition | None = None,
        overlay: dict[str, Record] | None = None,
        deleted: frozenset[str] = frozenset(),
    ) -> None:
        self.name = name
        self.effective_from = effective_from
        self.effective_to = effective_to
        self.tabular = tabular
        self.base = base
        self.overlay: dict[str, Record] = overlay or {}
        self.deleted = deleted
        self._children: dict[str, list[str]] = {}
        self._billable_memo: dict[str, bool] = {}
        for code, rec in self.overlay.items():
            if base is None or base.record(code) is None:
                self._children.setdefault(rec[PARENT], []).append(code)

    def covers(self, on: date) -> bool:
        return self.effective_from <= on <= self.effective_to

    def _own(self, code: str) -> Record | None:
        rec = self.overlay.get(code)
        if rec is not None:
            return rec
        if code in self.deleted:
            return None
        if self.base is not None:
            return self.base.record(code)
        return self.tabular.nodes.get(code)

    def record(self, code: str) -> Record | None:
        """The record of a code (no dot) in this edition, 7th-character codes made on the fly; None if absent."""
        rec = self._own(code)
        if rec is not None or len(code) != 7:
            return rec
        stem = code[:6]
        while True:
            base = self._own(stem)
            if base is not None:
                break
            if not stem.endswith("X"):
                return None
            stem = stem[:-1]
        if not base[FLAGS] & FLAG_NEEDS_SEVENTH or code[:6] != stem.ljust(6, "X"):
            return None
        for char, meaning in self.tabular.seventh_of(stem):
            if char == code[6]:
                flags = FLAG_BILLABLE | FLAG_SEVENTH_EXPANDED | (base[FLAGS] & FLAG_MANIFESTATION)
                return (f"{base[TITLE]}, {meaning}", KIND_CODE, stem, flags)
        return None

    def is_billable(self, code: str) -> bool:
        rec = self._own(code)
        if rec is not None:
            return bool(rec[FLAGS] & FLAG_BILLABLE)
        if len(code) != 7:
            return False
        stem = code[:6]  # a 7th-character code: its tabular leaf, without the placeholder X's
        base = self._own(stem)
        while base is None and stem.endswith("X"):
            stem = stem[:-1]
            base = self._own(stem)
        return (
            base is not None
            and bool(base[FLAGS] & FLAG_NEEDS_SEVENTH)
            and code[:6] == stem.ljust(6, "X")
            and code[6] in self.tabular.seventh_chars(stem)
        )

    def children_of(self, code: str) -> list[str]:
        """Direct children in this edition (7th-character codes for a leaf that needs one)."""
        out = [c for c in self.tabular.children.get(code, ()) if self.record(c) is not None]
        ed: Edition | None = self
        while ed is not None:
            out.extend(c for c in ed._children.get(code, ()) if c not in out and self.record(c) is not None)
            ed = ed.base
        rec = self.record(code)
        if rec is not None and rec[FLAGS] & FLAG_NEEDS_SEVENTH:
            pad = code.ljust(6, "X")
            out.extend(pad + ch for ch, _ in self.tabular.seventh_of(code) if self.record(pad + ch) is not None)
        return out

    def _removed(self, code: str) -> bool:
        """True if this edition or one below it deleted the code (and no later one added it back)."""
        ed: Edition | None = self
        while ed is not None:
            if code in ed.overlay:
                return False
            if code in ed.deleted:
                return True
            ed = ed.base
        return False

    def _entries(self) -> Iterator[tuple[str, Record]]:
        """(code, record) of every code this edition knows, 7th-character codes included, unsorted."""
        seen: set[str] = set()
        ed: Edition | None = self
        while ed is not None:
            seen.update(ed.overlay)
            ed = ed.base
        seen.update(self.tabular.nodes)
        for code in seen:
            rec = self._own(code)
            if rec is None or rec[KIND] in (KIND_CHAPTER, KIND_BLOCK):
                continue
            yield code, rec
            if rec[FLAGS] & FLAG_NEEDS_SEVENTH:
                pad = code.ljust(6, "X")
                flags = FLAG_BILLABLE | FLAG_SEVENTH_EXPANDED | (rec[FLAGS] & FLAG_MANIFESTATION)
                for ch, _ in self.tabular.seventh_of(code):
                    if not self._removed(pad + ch):
                        yield pad + ch, ("", KIND_CODE, code, flags)

    def all_codes(self) -> list[str]:
        """Every code this edition knows (chapters and blocks excluded), 7th-character codes included, sorted."""
        return sorted(code for code, _ in self._entries())

    def billable_codes(self) -> list[str]:
        """Every billable code of this edition, sorted."""
        return sorted(code for code, rec in self._entries() if rec[FLAGS] & FLAG_BILLABLE)


__all__ = ["Edition", "SeventhRule", "Tabular"]
