"""NCCI procedure-to-procedure (PTP) edits: may these two codes be billed together on a date, and with a modifier?

Source: the PTP pairs as the CMS hospital outpatient code editor (I/OCE 20.2–27.1) carries them,
`data/ncci/ptp_oce_27.1.csv.gz`. The practitioner PTP table was not obtainable; the OCE table is its
hospital-outpatient sibling, and its dates are I/OCE quarter boundaries, not the NCCI file's own dates
(see data/SOURCES.md). A rule that depends on it must say so.

The 1.59 million rows are compiled once into one fixed-width string per column-1 code (column 2, effective
date, deletion date, modifier indicator), sorted by column 2 and searched by bisection, and cached with
`marshal` beside the ICD-10-CM cache: a few tens of megabytes of plain strings that load in milliseconds.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import marshal
from dataclasses import dataclass
from datetime import date
from functools import cache

from medbill.codesets.store import DATA_DIR, _write_atomic, cache_dir

PTP_FILE = DATA_DIR / "ncci" / "ptp_oce_27.1.csv.gz"
_WIDTH = 22  # column2 (5) + effective yyyymmdd (8) + deletion yyyymmdd or 8 spaces (8) + modifier indicator (1)


@dataclass(frozen=True, slots=True, kw_only=True)
class PtpEdit:
    """One NCCI PTP pair: column 2 is not paid with column 1 unless the modifier indicator allows a modifier."""

    column1: str
    column2: str
    effective_from: date
    deleted_after: date | None  # the last day the pair is in effect; None while it still is
    modifier_indicator: str  # "0": no modifier bypasses it; "1": an NCCI-associated modifier may (59, XE, XS …)

    def in_effect(self, on: date) -> bool:
        return self.effective_from <= on and (self.deleted_after is None or on <= self.deleted_after)

    @property
    def modifier_allowed(self) -> bool:
        return self.modifier_indicator == "1"


def _compile(data: bytes) -> dict[str, str]:
    rows: dict[str, list[str]] = {}
    text = gzip.decompress(data).decode("ascii")
    for r in csv.DictReader(io.StringIO(text)):
        rec = f"{r['column2']:<5}{r['effective_date']}{(r['deletion_date'] or ''):<8}{r['modifier_indicator'][:1]}"
        rows.setdefault(r["column1"], []).append(rec)
    return {c1: "".join(sorted(recs)) for c1, recs in rows.items()}


class PtpTable:
    def __init__(self, table: dict[str, str]) -> None:
        self._table = table

    def __len__(self) -> int:
        return sum(len(v) // _WIDTH for v in self._table.values())

    def edits(self, column1: str, column2: str) -> list[PtpEdit]:
        """Every row (each period) of the pair column1/column2, in this order only."""
        blob = self._table.get(column1.strip().upper(), "")
        key = column2.strip().upper()
        lo, hi = 0, len(blob) // _WIDTH
        while lo < hi:  # first record whose column 2 is >= key
            mid = (lo + hi) // 2
            if blob[mid * _WIDTH : mid * _WIDTH + 5].rstrip() < key:
                lo = mid + 1
            else:
                hi = mid
        out: list[PtpEdit] = []
        i = lo
        while i * _WIDTH < len(blob) and blob[i * _WIDTH : i * _WIDTH + 5].rstrip() == key:
            rec = blob[i * _WIDTH : (i + 1) * _WIDTH]
            deleted = rec[13:21].strip()
            out.append(
                PtpEdit(
                    column1=column1.strip().upper(),
                    column2=key,
                    effective_from=_ymd(rec[5:13]),
                    deleted_after=_ymd(deleted) if deleted else None,
                    modifier_indicator=rec[21],
                )
            )
            i += 1
        return out

    def edit_on(self, first: str, second: str, on: date) -> PtpEdit | None:
        """The pair's edit in effect on the date, whichever of the two codes is column 1; None if none."""
        for a, b in ((first, second), (second, first)):
            for e in self.edits(a, b):
                if e.in_effect(on):
                    return e
        return None


def _ymd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


@cache
def ptp() -> PtpTable:
    """The PTP table, compiled on first use and cached on disk (keyed by the source file's SHA-256)."""
    data = PTP_FILE.read_bytes()
    path = cache_dir() / f"ncci-ptp-{hashlib.sha256(data).hexdigest()[:16]}.marshal"
    try:
        table = marshal.loads(path.read_bytes())  # noqa: S302  (our own file, keyed by the source hash)
        if isinstance(table, dict):
            return PtpTable(table)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table = _compile(data)
    _write_atomic(path, marshal.dumps(table))
    return PtpTable(table)
