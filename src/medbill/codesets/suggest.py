"""ICD-10-CM suggestions from a clinical note, with the note's words behind each, and E/M hints.

Built only on the tabular's own titles and inclusion terms, no model and no network:

1. Each title and inclusion term becomes a *pattern*: its words without the parts ICD-10-CM marks as
   non-essential (parentheses and square brackets) and without words that never occur in notes
   ("unspecified", "other", "NOS", "mellitus" …).
2. The note is cut into clauses; words after a negation ("no", "denies", "negative for", "ruled out" …)
   or an uncertainty ("possible", "probable", "suspected": not coded in outpatient care, Official
   Guidelines IV.H) are dropped (a small NegEx). A clause about a past or a family member's condition
   ("history of", "s/p", "mother") may only give "history of" codes (Z80–Z87), never the condition itself.
3. A pattern matches a clause when the clause holds all of its words (or, for patterns of four or more
   words, most of their weight). The more weight a match covers, the higher it ranks; a match that another
   match in the same clause contains is dropped (diabetes ⊂ diabetes with neuropathy).
4. Ranked search of each clause (codesets/search.py) adds candidates after every full phrase match, at
   half their search score, for wording the patterns miss.
5. A header is replaced by the child that shares most words with the clause, else its "unspecified" one;
   a code that needs a 7th character takes the one the clause names, else the first (usually "initial
   encounter"), and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from medbill.codesets import store
from medbill.codesets.editions import Edition
from medbill.codesets.icd10cm_compile import FLAG_BILLABLE, FLAG_NEEDS_SEVENTH, FLAGS, TITLE, Record
from medbill.codesets.search import CodeSearch, is_other
from medbill.codesets.text import ABBREVIATIONS, STOPWORDS, stem, token_set
from medbill.domain.coding import dotted_icd10cm

_CLAUSES = re.compile(r"[.;:!?\n]+|\bbut\b|\bhowever\b", re.IGNORECASE)
_NEGATIONS = (
    ("negative", "for"),
    ("ruled", "out"),
    ("rule", "out"),
    ("r", "o"),
    ("free", "of"),
    ("no", "evidence"),
    ("no",),
    ("not",),
    ("denies",),
    ("denied",),
    ("denying",),
    ("never",),
    ("without", "any"),
    ("absent",),
    ("absence",),
    # uncertain diagnoses are not coded in outpatient care (Official Guidelines IV.H): code the symptoms
    ("possible",),
    ("probable",),
    ("suspected",),
    ("suspect",),
    ("likely",),
    ("questionable",),
    ("concern", "for"),
)
_FAMILY = re.compile(r"\b(family history|fh|mother|father|sister|brother|grandmother|grandfather)\b", re.I)
# a past condition: only "history of" codes (Z85–Z87, Z92 …) may come from such a clause
_PERSONAL = frozenset({stem("personal"), stem("family"), stem("history")})
_HISTORY = re.compile(r"\b(history of|hx of|h/o|status post|s/p|previous|prior)\b", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion:
    code: str
    title: str
    billable: bool
    score: float
    evidence: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EmHints:
    """What the note says toward an E/M level; None where it says nothing."""

    patient: str | None = None
    total_minutes: int | None = None
    problems: str | None = None
    data: str | None = None
    risk: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SuggestResult:
    suggestions: tuple[Suggestion, ...]
    em: EmHints
    negated: tuple[str, ...] = field(default=())


class Suggester:
    def __init__(self, search: CodeSearch, tables: dict[str, Any]) -> None:
        self._search = search
        self._docs = search.docs
        self._idf = search.idf
        self._var_doc: list[int] = tables["var_doc"]
        self._var_toks: list[tuple[str, ...]] = tables["var_toks"]
        self._var_post: dict[str, tuple[int, ...]] = tables["var_post"]
        self._var_mass: list[float] = tables["var_mass"]

    def _clause_matches(
        self, toks: dict[str, str], positions: dict[str, list[int]]
    ) -> list[tuple[int, float, tuple[str, ...]]]:
        """(variant, score, matched stems) for the patterns a clause's stems satisfy close together."""
        acc: dict[int, float] = {}
        for t in toks:
            w = self._idf.get(t, 1.0)
            for v in self._var_post.get(t, ()):
                acc[v] = acc.get(v, 0.0) + w
        out: list[tuple[int, float, tuple[str, ...]]] = []
        for v, got in acc.items():
            mass = self._var_mass[v]
            need = self._var_toks[v]
            share = got / mass if mass else 0.0
            if share >= 0.999 or (len(need) >= 4 and share >= 0.8):
                matched = tuple(t for t in need if t in toks)
                if _window(matched, positions) <= len(matched) + _SLACK:
                    out.append((v, got * share * share, matched))
        # drop a match whose words another match in the clause contains
        out.sort(key=lambda m: -len(m[2]))
        kept: list[tuple[int, float, tuple[str, ...]]] = []
        for m in out:
            ms = set(m[2])
            if any(ms < set(k[2]) for k in kept):
                continue
            kept.append(m)
        return kept

    def suggest(self, note: str, *, limit: int = 10, on: date | None = None) -> SuggestResult:
        ed = store.icd10cm().edition_on(on or date.today())
        best: dict[str, tuple[float, str, bool, set[str], list[str]]] = {}
        fallback: list[Suggestion] = []
        negated: list[str] = []
        for clause in _CLAUSES.split(note):
            if not clause.strip():
                continue
            family = bool(_FAMILY.search(clause))
            history = family or bool(_HISTORY.search(clause))
            pairs = _words_with_source(clause)
            kept_words, dropped = _negex([w for w, _ in pairs])
            if dropped:
                negated.append(" ".join(src for _, src in pairs[len(kept_words) :]))
            toks: dict[str, str] = {}
            positions: dict[str, list[int]] = {}
            for pos, w in enumerate(kept_words):
                if w not in STOPWORDS:
                    st = stem(w)
                    toks.setdefault(st, pairs[pos][1])
                    positions.setdefault(st, []).append(pos)
            if not toks:
                continue
            matches = self._clause_matches(toks, positions)
            if history:
                # a family or past condition is not the patient's current one: only "history" codes match
                need = {stem("family"), stem("history")} if family else {stem("history")}
                before = len(matches)
                matches = [m for m in matches if need <= set(self._var_toks[m[0]]) and set(m[2]) - need - _PERSONAL]
                if len(matches) < before:
                    negated.append(clause.strip())
            else:
                self._fallback(" ".join(kept_words), toks, limit, on, fallback)
            for v, score, matched in matches:
                code = self._docs[self._var_doc[v]]
                resolved = _resolve(ed, code, set(toks))
                if resolved is None:
                    continue
                final, title, billable, note_text = resolved
                evidence = {toks[t] for t in matched if t in toks}
                prev = best.get(final)
                if prev is None or score > prev[0]:
                    notes = [note_text] if note_text else []
                    best[final] = (score, title, billable, evidence | (prev[3] if prev else set()), notes)
                else:
                    prev[3].update(evidence)
        # among equals: billable, not an "other …" residual code, the shortest title (search's order)
        ranked = sorted(
            best.items(), key=lambda kv: (-kv[1][0], not kv[1][2], is_other(kv[1][1]), len(kv[1][1]), kv[0])
        )[:limit]
        top = ranked[0][1][0] if ranked else 1.0
        strict = tuple(
            Suggestion(
                code=dotted_icd10cm(code),
                title=title,
                billable=billable,
                score=round(score / top, 4),
                evidence=tuple(sorted(evidence)),
                notes=tuple(notes),
            )
            for code, (score, title, billable, evidence, notes) in ranked
        )
        seen = {s.code for s in strict}
        loose = sorted((f for f in fallback if f.code not in seen), key=lambda f: -f.score)
        taken: list[Suggestion] = []
        for f in loose:
            if f.code not in {t.code for t in taken}:
                taken.append(f)
        suggestions = (*strict, *taken)[:limit]
        return SuggestResult(suggestions=suggestions, em=em_hints(note), negated=tuple(negated))

    def _fallback(self, text: str, toks: dict[str, str], limit: int, on: date | None, out: list[Suggestion]) -> None:
        """A clause's ranked search hits: offered after every full phrase match, with half their score."""
        for hit in self._search.search(text, limit=limit, on=on):
            if hit.score < _FALLBACK_MIN:
                continue
            title_stems = token_set(hit.title)
            evidence = tuple(sorted({w for st, w in toks.items() if st in title_stems}))
            out.append(
                Suggestion(
                    code=hit.code,
                    title=hit.title,
                    billable=hit.billable,
                    score=round(hit.score * _FALLBACK_WEIGHT, 4),
                    evidence=evidence,
                    notes=("found by ranked search of the clause, not by a full phrase match",),
                )
            )


_SLACK = 3
_FALLBACK_MIN = 0.5
_FALLBACK_WEIGHT = 0.5
_WORD = re.compile(r"[A-Za-z0-9]+(?:'s)?")


def _words_with_source(text: str) -> list[tuple[str, str]]:
    """(word, the note's own word it came from): 'COPD' gives chronic/obstructive/… each from 'COPD'."""
    out: list[tuple[str, str]] = []
    for m in _WORD.finditer(text):
        raw = m.group(0)
        expansion = ABBREVIATIONS.get(raw.lower())
        if expansion is not None:
            out.extend((w, raw) for w in expansion.split())
        else:
            out.append((raw.lower(), raw))
    return out


def _window(stems: tuple[str, ...], positions: dict[str, list[int]]) -> int:
    """The fewest consecutive words of the clause that hold every stem (a minimum covering window)."""
    if len(stems) <= 1:
        return len(stems)
    events = sorted((p, s) for s in stems for p in positions.get(s, ()))
    need = len(set(stems))
    count: dict[str, int] = {}
    best = 10**6
    left = 0
    for p, s in events:
        count[s] = count.get(s, 0) + 1
        while len(count) == need:
            lp, ls = events[left]
            best = min(best, p - lp + 1)
            count[ls] -= 1
            if not count[ls]:
                del count[ls]
            left += 1
    return best


def _negex(ws: list[str]) -> tuple[list[str], list[str]]:
    """Words before the first negation trigger are kept; the rest of the clause is negated."""
    for i in range(len(ws)):
        for trig in _NEGATIONS:
            if tuple(ws[i : i + len(trig)]) == trig:
                return ws[:i], ws[i:]
    return ws, []


def _resolve(ed: Edition, code: str, toks: set[str], depth: int = 0) -> tuple[str, str, bool, str] | None:
    """The billable code to offer for a matched code in this edition, its title and a note on choices.

    Below a header, the child whose title shares most words with the clause is taken, then the
    "unspecified" one; a code needing a 7th character takes the one the clause names, else the first.
    """
    rec: Record | None = ed.record(code)
    if rec is None:
        return None
    if rec[FLAGS] & FLAG_BILLABLE:
        return code, rec[TITLE], True, ""
    if rec[FLAGS] & FLAG_NEEDS_SEVENTH:
        options = ed.tabular.seventh_of(code)
        if not options:
            return None
        chosen = max(options, key=lambda o: len(toks & token_set(o[1])))
        note = "" if toks & token_set(chosen[1]) else f"7th character {chosen[0]} ({chosen[1]}) assumed"
        full = code.ljust(6, "X") + chosen[0]
        return full, f"{rec[TITLE]}, {chosen[1]}", ed.record(full) is not None, note
    kids = [(k, ed.record(k)) for k in ed.children_of(code)]
    ranked = [
        (len(toks & token_set(r[TITLE])), "unspecified" in r[TITLE].lower() or "without" in r[TITLE].lower(), k)
        for k, r in kids
        if r is not None
    ]
    if depth < 4 and ranked:
        ranked.sort(key=lambda x: (-x[0], not x[1]))
        overlap, unspecified, kid = ranked[0]
        if overlap > 0 or unspecified:
            found = _resolve(ed, kid, toks, depth + 1)
            if found is not None:
                why = found[3] or f"chosen under {dotted_icd10cm(code)}"
                return found[0], found[1], found[2], why
    return code, rec[TITLE], False, "header: choose a more specific code"


_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:min|mins|minutes)\b", re.I)
_TIME_CONTEXT = re.compile(r"\b(total time|spent|face[- ]to[- ]face|time)\b", re.I)


def em_hints(note: str) -> EmHints:
    """What a note says toward the E/M elements (plain phrase rules, AMA 2021 examples)."""
    text = note.lower()
    reasons: list[str] = []
    patient = None
    if re.search(r"\bnew patient\b", text):
        patient = "new"
        reasons.append("'new patient' in the note")
    elif re.search(r"\b(established patient|follow[- ]up|returns? for)\b", text):
        patient = "established"
        reasons.append("established/follow-up wording in the note")
    minutes = None
    for sentence in re.split(r"[.\n]", text):
        m = _MINUTES.search(sentence)
        if m and _TIME_CONTEXT.search(sentence):
            minutes = int(m.group(1))
            reasons.append(f"time: '{m.group(0)}'")
            break
    risk = None
    if re.search(r"\b(admit|hospitali[sz]ation|emergency (?:major )?surgery|dnr|escalation of care)\b", text):
        risk = "high"
        reasons.append("risk: decision about hospitalisation or escalation")
    elif re.search(r"\b(prescri\w*|start\w* \w+ mg|increase\w* (?:the )?dose|refill\w*|titrat\w*|mg daily)\b", text):
        risk = "moderate"
        reasons.append("risk: prescription drug management")
    elif re.search(r"\b(over[- ]the[- ]counter|otc|rest|fluids|ice)\b", text):
        risk = "low"
        reasons.append("risk: over-the-counter drugs or simple measures")
    problems = None
    if re.search(r"\b(severe exacerbation|threat to life|life[- ]threatening)\b", text):
        problems = "high"
    elif re.search(r"\b(exacerbation|worsening|progressi\w+|uncontrolled|poorly controlled)\b", text):
        problems = "moderate"
        reasons.append("problems: chronic illness with exacerbation or progression")
    elif re.search(r"\b(stable|controlled|chronic)\b", text):
        problems = "low"
        reasons.append("problems: a stable chronic illness")
    data_items = len(re.findall(r"\b(reviewed|ordered)\b", text))
    data = None
    if re.search(r"\bindependent(ly)? interpret\w*|\bi (?:personally )?reviewed the (?:image|ekg|ecg|x-ray)", text):
        data = "moderate"
        reasons.append("data: independent interpretation of a test")
    elif data_items >= 3:
        data = "moderate"
        reasons.append(f"data: {data_items} items reviewed or ordered")
    elif data_items >= 2:
        data = "limited"
        reasons.append(f"data: {data_items} items reviewed or ordered")
    return EmHints(
        patient=patient, total_minutes=minutes, problems=problems, data=data, risk=risk, reasons=tuple(reasons)
    )


@cache
def suggester() -> Suggester:
    return Suggester(store.icd10cm_search(), store.suggest_tables())


def suggest(note: str, *, limit: int = 10, on: date | None = None) -> SuggestResult:
    return suggester().suggest(note, limit=limit, on=on)


def to_json(result: SuggestResult) -> dict[str, Any]:
    em = result.em
    return {
        "suggestions": [
            {
                "code": s.code,
                "title": s.title,
                "billable": s.billable,
                "score": s.score,
                "evidence": list(s.evidence),
                "notes": list(s.notes),
            }
            for s in result.suggestions
        ],
        "em": {
            "patient": em.patient,
            "total_minutes": em.total_minutes,
            "problems": em.problems,
            "data": em.data,
            "risk": em.risk,
            "reasons": list(em.reasons),
        },
        "negated": list(result.negated),
    }
