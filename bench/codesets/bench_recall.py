"""Recall@5 and @10 of note suggestions (and of plain search) on recall_set.tsv; see README.md.

Each line of the set is a CMS short description of an ICD-10-CM code, treated as a one-line note; a hit
is the exact code among the first k suggestions. The peer `simple_icd_10_cm` has no text-to-code
function, so its row is the nearest its functions allow: codes whose description holds every word of
the line, in its own code order.
Usage: .venv/bin/python bench/codesets/bench_recall.py
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import date
from pathlib import Path

from medbill.codesets import store
from medbill.codesets.suggest import suggest
from medbill.domain.coding import dotted_icd10cm

ON = date(2026, 5, 1)


def load_set() -> list[tuple[str, str]]:
    rows = Path(__file__).with_name("recall_set.tsv").read_text(encoding="utf-8").splitlines()
    return [(dotted_icd10cm(code), text) for code, text in (r.split("\t", 1) for r in rows if r)]


def recall(ranked: list[list[str]], gold: list[str], k: int) -> float:
    return sum(g in r[:k] for r, g in zip(ranked, gold, strict=True)) / len(gold)


def main() -> None:
    items = load_set()
    gold = [c for c, _ in items]
    search = store.icd10cm_search()
    t = time.perf_counter()
    by_suggest = [[s.code for s in suggest(text, limit=10, on=ON).suggestions] for _, text in items]
    t_suggest = time.perf_counter() - t
    t = time.perf_counter()
    by_search = [[h.code for h in search.search(text, limit=10, on=ON)] for _, text in items]
    t_search = time.perf_counter() - t
    print(f"recall set: {len(items)} CMS short descriptions (MCE v43.1 lists), exact code")
    print(
        f"suggest: recall@5 {recall(by_suggest, gold, 5):.3f}, recall@10 {recall(by_suggest, gold, 10):.3f} "
        f"({t_suggest / len(items) * 1000:.1f} ms a note)"
    )
    print(
        f"search:  recall@5 {recall(by_search, gold, 5):.3f}, recall@10 {recall(by_search, gold, 10):.3f} "
        f"({t_search / len(items) * 1000:.1f} ms a query)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as peer
    descriptions = [(c, peer.get_description(c).lower()) for c in peer.get_all_codes(with_dots=True)]
    t = time.perf_counter()
    by_peer = []
    for _, text in items:
        words = re.findall(r"[a-z0-9]+", text.lower())
        by_peer.append([c for c, d in descriptions if all(w in d for w in words)][:10])
    t_peer = time.perf_counter() - t
    print(
        f"simple_icd_10_cm all-words scan: recall@5 {recall(by_peer, gold, 5):.3f}, "
        f"recall@10 {recall(by_peer, gold, 10):.3f} ({t_peer / len(items) * 1000:.1f} ms a query)"
    )


if __name__ == "__main__":
    main()
