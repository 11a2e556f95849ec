"""Builds recall_set.tsv: CMS short descriptions of ICD-10-CM codes (MCE v43.1 edit lists) paired with the code.

Run once; the TSV is committed so the benchmark never changes under us. Usage:
    .venv/bin/python bench/codesets/make_recall_set.py ../shared/data/mce/"Definitions of Medicare Code Edits_v_43_1.txt"
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from medbill.codesets import store

SIZE = 1000


def main(source: Path) -> None:
    icd = store.icd10cm()
    fy2026 = date(2026, 5, 1)
    pairs: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(r"^([A-Z][0-9][0-9A-Z]{1,5})\t(.+)$", line)
        if m and m.group(1) not in pairs:
            pairs[m.group(1)] = " ".join(m.group(2).split())
    usable = sorted(
        (code, short)
        for code, short in pairs.items()
        if icd.is_billable(code, fy2026) and short.lower() != (icd.title(code, fy2026) or "").lower()
    )
    step = max(1, len(usable) // SIZE)
    chosen = usable[::step][:SIZE]
    out = Path(__file__).with_name("recall_set.tsv")
    out.write_text("".join(f"{c}\t{s}\n" for c, s in chosen), encoding="utf-8")
    print(
        f"{len(pairs)} coded lines, {len(usable)} billable with a short text unlike the title; wrote {len(chosen)} to {out}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
