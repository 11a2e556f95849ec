"""Patterns for note suggestions: each title and inclusion term as its essential words, built with the cache.

ICD-10-CM encloses non-essential words in parentheses and alternative wording in square brackets
(Official Guidelines I.A.7 and I.A.8); both are left out of a pattern, and so are words that titles carry
but notes do not say ("unspecified", "other", "NOS" …).
"""

from __future__ import annotations

import re
from typing import Any

from medbill.codesets.text import STOPWORDS, stem, words

# words that titles carry but notes do not say
OPTIONAL_WORDS = frozenset(
    stem(w)
    for w in [
        "unspecified",
        "other",
        "specified",
        "nos",
        "nec",
        "elsewhere",
        "classified",
        "mellitus",
        "site",
        "part",
        "type",
        "unsp",
        "initial",
        "encounter",
        "subsequent",
        "sequela",
        "condition",
        "disorder",
        "disorders",
        "disease",
        "diseases",
    ]
)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def pattern_tokens(text: str) -> tuple[str, ...]:
    """The essential, stemmed words of a title or inclusion term."""
    core = _BRACKETS.sub(" ", text)
    out: list[str] = []
    for w in words(core):
        if w in STOPWORDS:
            continue
        s = stem(w)
        if s not in OPTIONAL_WORDS and s not in out:
            out.append(s)
    return tuple(out)


def build_suggest_tables(
    search_tables: dict[str, Any], inclusion: dict[str, tuple[str, ...]], titles: dict[str, str]
) -> dict[str, Any]:
    """Patterns for every searchable code (marshal-able), stored with the search tables in the cache."""
    docs: list[str] = search_tables["docs"]
    idf: dict[str, float] = search_tables["idf"]
    var_doc: list[int] = []
    var_toks: list[tuple[str, ...]] = []
    post: dict[str, list[int]] = {}
    for i, code in enumerate(docs):
        seen: set[tuple[str, ...]] = set()
        for text in (titles[code], *inclusion.get(code, ())):
            toks = pattern_tokens(text)
            key = tuple(sorted(toks))
            if not toks or key in seen:
                continue
            seen.add(key)
            v = len(var_doc)
            var_doc.append(i)
            var_toks.append(toks)
            for t in toks:
                post.setdefault(t, []).append(v)
    mass = [sum(idf.get(t, 1.0) for t in toks) for toks in var_toks]
    return {
        "var_doc": var_doc,
        "var_toks": var_toks,
        "var_post": {t: tuple(v) for t, v in post.items()},
        "var_mass": mass,
    }
