"""Ranked ICD-10-CM code search over titles and inclusion terms, by words or by code prefix.

Scoring: each query token weighs its inverse document frequency; a document earns it fully when the
token is in its title and 0.8 of it when only in an inclusion term. The sum over the query's weight is
the coverage; it is multiplied by (0.7 + 0.3 × the share of the title's own weight that the query
matched), so short exact titles beat long ones. Headers get 0.92 of their score, so billable codes
come first among equals. A header that needs a 7th character is offered as the 7th-character code whose
meaning the query names ("initial encounter"), or as the header when the query names none. Residual
"Other …" codes get 0.97 of their score.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.icd10cm_compile import (
    FLAG_BILLABLE,
    FLAG_NEEDS_SEVENTH,
    FLAGS,
    KIND,
    KIND_BLOCK,
    KIND_CHAPTER,
    TITLE,
    Record,
)
from medbill.codesets.text import stem, token_set, tokens
from medbill.domain.coding import dotted_icd10cm

_CODE_PREFIX = re.compile(r"[A-Za-z][0-9][0-9A-Za-z]?(\.?[0-9A-Za-z]{0,4})?")
_HEADER_FACTOR = 0.85
_OTHER_FACTOR = 0.97  # a residual "Other …" code ranks after the named or unspecified one it shadows
# title words that say nothing about the condition: left out of a title's own weight
_LIGHT = frozenset(
    stem(w)
    for w in (
        "unspecified",
        "nos",
        "nec",
        "elsewhere",
        "classified",
        "site",
        "organism",
        "without",
        "complications",
        "mellitus",
    )
)
_INCLUSION_WEIGHT = 0.8
_MAX_PREFIX_EXPANSION = 12
_FREQUENT = 2000  # postings longer than this only score documents that rarer words already found


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    code: str
    title: str
    billable: bool
    score: float
    kind: str
    matched: tuple[str, ...] = ()


def build_search_tables(records: dict[str, Record], inclusion: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """The inverted index (marshal-able) over the given code records and their inclusion terms."""
    docs = sorted(c for c, r in records.items() if r[KIND] not in (KIND_CHAPTER, KIND_BLOCK))
    title_post: dict[str, list[int]] = {}
    inc_post: dict[str, list[int]] = {}
    title_toks: list[set[str]] = []
    for i, code in enumerate(docs):
        tt = set(tokens(records[code][TITLE]))
        title_toks.append(tt)
        for t in tt:
            title_post.setdefault(t, []).append(i)
        it: set[str] = set()
        for term in inclusion.get(code, ()):
            it.update(tokens(term))
        for t in it - tt:
            inc_post.setdefault(t, []).append(i)
    n = len(docs)
    vocab = set(title_post) | set(inc_post)
    idf = {
        t: math.log(1 + (n - df + 0.5) / (df + 0.5))
        for t in vocab
        for df in [len(title_post.get(t, ())) + len(inc_post.get(t, ()))]
    }
    mass = [sum(idf[t] for t in tt if t not in _LIGHT) or 1.0 for tt in title_toks]
    billable = [bool(records[c][FLAGS] & FLAG_BILLABLE) for c in docs]
    return {
        "docs": docs,
        "title_post": {t: tuple(v) for t, v in title_post.items()},
        "inc_post": {t: tuple(v) for t, v in inc_post.items()},
        "idf": idf,
        "mass": mass,
        "billable": billable,
        "vocab": sorted(vocab),
    }


def is_other(title: str) -> bool:
    """A residual 'Other …' code, ranked after its unspecified sibling among equals."""
    t = title.lower()
    return t.startswith("other ") or " other " in t


class CodeSearch:
    """Search over one `Icd10cm` code set, answering for the edition in force on a date."""

    def __init__(self, icd: Icd10cm, tables: dict[str, Any]) -> None:
        self._icd = icd
        self._docs: list[str] = tables["docs"]
        self._title_post: dict[str, tuple[int, ...]] = tables["title_post"]
        self._inc_post: dict[str, tuple[int, ...]] = tables["inc_post"]
        self._idf: dict[str, float] = tables["idf"]
        self._mass: list[float] = tables["mass"]
        self._billable: list[bool] = tables["billable"]
        self._vocab: list[str] = tables["vocab"]
        self._set_cache: dict[str, tuple[frozenset[int], frozenset[int]]] = {}

    def _sets(self, token: str) -> tuple[frozenset[int], frozenset[int]]:
        found = self._set_cache.get(token)
        if found is None:
            found = (frozenset(self._title_post.get(token, ())), frozenset(self._inc_post.get(token, ())))
            self._set_cache[token] = found
        return found

    @property
    def docs(self) -> list[str]:
        return self._docs

    @property
    def idf(self) -> dict[str, float]:
        return self._idf

    def _expand(self, token: str) -> list[str]:
        if token in self._idf:
            return [token]
        i = bisect.bisect_left(self._vocab, token)
        out: list[str] = []
        while i < len(self._vocab) and self._vocab[i].startswith(token) and len(out) < _MAX_PREFIX_EXPANSION:
            out.append(self._vocab[i])
            i += 1
        return out

    def search(self, query: str, *, limit: int = 20, on: date | None = None) -> list[SearchHit]:
        text = query.strip()
        if not text:
            return []
        ed = self._icd.edition_on(on if on is not None else date.today())
        if _CODE_PREFIX.fullmatch(text) and any(ch.isdigit() for ch in text):
            by_code = self._by_prefix(text, limit, on)
            if by_code:
                return by_code
        qtoks = list(dict.fromkeys(tokens(text)))
        if not qtoks:
            return []
        total = 0.0
        score: dict[int, float] = {}
        title_hit: dict[int, float] = {}
        groups: list[tuple[float, list[str]]] = []
        for qt in qtoks:
            expanded = self._expand(qt)
            if not expanded:
                total += 5.0  # an unknown word still counts against coverage
                continue
            weight = max(self._idf[t] for t in expanded)
            total += weight
            groups.append((weight, expanded))
        # rare words first; a frequent word ("unspecified", "right") then only adds to candidates already found
        groups.sort(key=lambda g: -g[0])
        title_post, inc_post, idf = self._title_post, self._inc_post, self._idf
        for _, expanded in groups:
            size = sum(len(title_post.get(t, ())) + len(inc_post.get(t, ())) for t in expanded)
            frequent = bool(score) and size > _FREQUENT
            best: dict[int, float] = {}
            in_title: set[int] = set()
            for t in expanded:
                w = idf[t]
                wi = w * _INCLUSION_WEIGHT
                if frequent:
                    tset, iset = self._sets(t)
                    for d in score:
                        if d in tset:
                            if best.get(d, 0.0) < w:
                                best[d] = w
                            in_title.add(d)
                        elif d in iset and best.get(d, 0.0) < wi:
                            best[d] = wi
                    continue
                for d in title_post.get(t, ()):
                    if best.get(d, 0.0) < w:
                        best[d] = w
                    in_title.add(d)
                for d in inc_post.get(t, ()):
                    if best.get(d, 0.0) < wi:
                        best[d] = wi
            for d, w in best.items():
                score[d] = score.get(d, 0.0) + w
                if d in in_title:
                    title_hit[d] = title_hit.get(d, 0.0) + w
        if not score:
            return []
        mass, bill = self._mass, self._billable
        values = {
            d: (s / total)
            * (0.7 + 0.3 * min(1.0, title_hit.get(d, 0.0) / mass[d]))
            * (1.0 if bill[d] else _HEADER_FACTOR)
            for d, s in score.items()
        }
        # keep the best candidates before the (slower) per-hit work
        pool = heapq.nlargest(max(limit * 4, 40), values.items(), key=itemgetter(1))
        qset = set(qtoks)
        hits: list[SearchHit] = []
        for d, value in pool:
            code = self._docs[d]
            rec = ed.record(code)
            if rec is None:
                continue
            if not bill[d]:
                value /= _HEADER_FACTOR  # applied again below, to the code actually offered
            hit_code, hit_title, billable = code, rec[TITLE], bool(rec[FLAGS] & FLAG_BILLABLE)
            if rec[FLAGS] & FLAG_NEEDS_SEVENTH:
                chosen = self._seventh_for(ed.tabular.seventh_of(code), qset - token_set(rec[TITLE]))
                if chosen is not None:
                    hit_code = code.ljust(6, "X") + chosen[0]
                    hit_title = f"{rec[TITLE]}, {chosen[1]}"
                    billable = ed.record(hit_code) is not None
            if not billable:
                value *= _HEADER_FACTOR
            if is_other(hit_title):
                value *= _OTHER_FACTOR
            hits.append(
                SearchHit(
                    code=dotted_icd10cm(hit_code),
                    title=hit_title,
                    billable=billable,
                    score=round(value, 4),
                    kind=rec[KIND] if hit_code == code else "code",
                )
            )
        # among equals: billable, not an "other …" residual code, the shortest title
        hits.sort(key=lambda h: (-h.score, not h.billable, is_other(h.title), len(h.title), h.code))
        return hits[:limit]

    @staticmethod
    def _seventh_for(rule: tuple[tuple[str, str], ...], qset: set[str]) -> tuple[str, str] | None:
        best: tuple[str, str] | None = None
        best_overlap = 0
        for char, meaning in rule:
            overlap = len(qset & token_set(meaning))
            if overlap > best_overlap:
                best, best_overlap = (char, meaning), overlap
        return best

    def _by_prefix(self, text: str, limit: int, on: date | None) -> list[SearchHit]:
        bare = text.replace(".", "").upper()
        ed = self._icd.edition_on(on if on is not None else date.today())
        out: list[SearchHit] = []
        for code in self._icd.codes_with_prefix(bare, on=on, limit=limit):
            rec = ed.record(code)
            if rec is None:
                continue
            out.append(
                SearchHit(
                    code=dotted_icd10cm(code),
                    title=rec[TITLE],
                    billable=bool(rec[FLAGS] & FLAG_BILLABLE),
                    score=round(len(bare) / len(code), 4),
                    kind=rec[KIND],
                )
            )
        return out
