"""ICD-10-CM speed: index load (cold, warm), lookups per second, search latency p50/p95 over 1,000 queries.

Each figure is printed beside the peer's, `simple_icd_10_cm` 1.5.0, measured in the same run on the
same questions (the peer has no ranked search: its figure is a scan of its own descriptions for the
query's words, the nearest thing its functions offer, over the first 100 queries).
Usage: .venv/bin/python bench/codesets/bench_icd10cm.py
"""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date

ON = date(2026, 5, 1)


def _child(code: str, env: dict[str, str] | None = None) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def load_times() -> None:
    ours = (
        "import time; t=time.perf_counter(); from medbill.codesets import store; store.load(); "
        "print(time.perf_counter()-t)"
    )
    core = (
        "import time; t=time.perf_counter(); from medbill.codesets import store; store.load_icd10cm(); "
        "print(time.perf_counter()-t)"
    )
    peer = (
        "import time, warnings; warnings.simplefilter('ignore'); t=time.perf_counter(); "
        "import simple_icd_10_cm; print(time.perf_counter()-t)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MEDBILL_CACHE_DIR": tmp}
        cold = _child(ours, env)
        warm = [_child(ours, env) for _ in range(5)]
        warm_core = [_child(core, env) for _ in range(5)]
    peer_times = [_child(peer) for _ in range(3)]
    print(f"load cold (compile + write cache): ours {cold:.2f} s")
    print(
        f"load warm (from cache), median of 5: ours {statistics.median(warm) * 1000:.0f} ms with search tables, "
        f"{statistics.median(warm_core) * 1000:.0f} ms code set only (imports included)"
    )
    print(
        f"load, median of 3: simple_icd_10_cm (parses its XML on import) {statistics.median(peer_times) * 1000:.0f} ms"
    )


def _peer_leaf(peer: object, code: str) -> bool | None:
    try:
        return bool(peer.is_leaf(code))  # type: ignore[attr-defined]
    except ValueError:
        return None  # the peer does not know the code


def lookups() -> None:
    from medbill.codesets import store

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as peer

    icd = store.icd10cm()
    rng = random.Random(7)
    codes = rng.sample(sorted(icd.edition("FY2026-April").billable_codes()), 20_000)
    fy2026 = icd.edition("FY2026-April")
    headers = sorted(c for c in fy2026.all_codes() if not fy2026.is_billable(c))
    codes += rng.sample(headers, 5_000)
    rng.shuffle(codes)
    n = len(codes)
    t = time.perf_counter()
    ours_bill = [icd.is_billable(c, ON) for c in codes]
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    peer_bill = [_peer_leaf(peer, c) for c in codes]
    peer_s = time.perf_counter() - t
    agree = sum(a == b for a, b in zip(ours_bill, peer_bill, strict=True))
    t = time.perf_counter()
    for c in codes:
        icd.is_billable(c, ON)
    again_s = time.perf_counter() - t
    t = time.perf_counter()
    for c in codes:
        _peer_leaf(peer, c)
    peer_again_s = time.perf_counter() - t
    print(
        f"is_billable / is_leaf, {n} codes: ours {n / ours_s:,.0f}/s ({ours_s / n * 1e6:.2f} µs), "
        f"simple_icd_10_cm {n / peer_s:,.0f}/s ({peer_s / n * 1e6:.2f} µs); answers agree on {agree}/{n}"
    )
    print(
        f"is_billable / is_leaf, the same {n} codes asked again: ours {n / again_s:,.0f}/s, "
        f"simple_icd_10_cm {n / peer_again_s:,.0f}/s"
    )
    t = time.perf_counter()
    for c in codes:
        icd.title(c, ON)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    for c in codes:
        with contextlib.suppress(ValueError):  # the peer does not know the code
            peer.get_description(c)
    peer_s = time.perf_counter() - t
    print(f"title / get_description: ours {n / ours_s:,.0f}/s, simple_icd_10_cm {n / peer_s:,.0f}/s")


def queries(count: int) -> list[str]:
    from medbill.codesets import store
    from medbill.codesets.text import STOPWORDS

    icd = store.icd10cm()
    rng = random.Random(11)
    pool = sorted(icd.edition("FY2026-April").billable_codes())
    out: list[str] = []
    while len(out) < count:
        title = icd.title(rng.choice(pool), ON) or ""
        words = [w for w in title.lower().replace(",", " ").split() if w.isalpha() and w not in STOPWORDS]
        if len(words) >= 2:
            out.append(" ".join(rng.sample(words, min(len(words), rng.choice((2, 3, 4))))))
    return out


def search() -> None:
    from medbill.codesets import store

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import simple_icd_10_cm as peer

    s = store.icd10cm_search()
    qs = queries(1000)
    times = []
    for q in qs:
        t = time.perf_counter()
        s.search(q, limit=20, on=ON)
        times.append(time.perf_counter() - t)
    times.sort()
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    print(f"search, 1000 queries: ours p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")
    all_codes = peer.get_all_codes(with_dots=True)
    descriptions = [(c, peer.get_description(c).lower()) for c in all_codes]
    peer_times = []
    for q in qs[:100]:
        words = q.split()
        t = time.perf_counter()
        [c for c, d in descriptions if all(w in d for w in words)][:20]
        peer_times.append(time.perf_counter() - t)
    peer_times.sort()
    print(
        f"search, first 100 queries: simple_icd_10_cm description scan p50 {peer_times[50] * 1000:.2f} ms, "
        f"p95 {peer_times[95] * 1000:.2f} ms (descriptions fetched once beforehand, not timed)"
    )


if __name__ == "__main__":
    load_times()
    lookups()
    search()
