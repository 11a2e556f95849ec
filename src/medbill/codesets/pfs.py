"""The Medicare physician fee schedule data: RVUs by code and modifier, GPCIs by locality, and ZIP → locality.

Sources (see data/pfs/SOURCES.md): the CMS CY2026 PFS Relative Value File (RVU26C, July 2026, CPT descriptors
removed), Addendum E GPCIs, and the CMS ZIP5 carrier-locality file (October 2025). The three are compiled once
into plain dicts of strings, cached with ``marshal`` beside the other code-set caches (keyed by the sources'
SHA-256), and turned into ``domain.pricing`` objects on lookup. The price itself is ``domain.pricing.price``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import marshal
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from medbill.codesets.store import DATA_DIR, _write_atomic, cache_dir
from medbill.domain.pricing import Locality, NotPriced, Price, RvuRow, is_facility, price, row_modifier

PFS_DIR = DATA_DIR / "pfs"
RVU_FILE = PFS_DIR / "PPRRVU2026_Jul_nonQPP.nodesc.csv.gz"
GPCI_FILE = PFS_DIR / "GPCI2026.csv"
ZIP_FILE = PFS_DIR / "ZIP5_OCT2025.txt.gz"
_FORMAT = "2"  # bump when the compiled shape changes

# RVU file columns (0-based) of the fields we keep, in the order they are stored.
_RVU_COLS = (3, 5, 6, 8, 10, 13, 14, 25, 7, 9)  # status, work, PE non-fac, PE fac, MP, PCTC, global, CF, NA, NA


def _compile_rvus(text: str) -> dict[str, tuple[str, ...]]:
    rows: dict[str, tuple[str, ...]] = {}
    started = False
    for r in csv.reader(io.StringIO(text)):
        if not started:
            started = bool(r) and r[0] == "HCPCS"
            continue
        if len(r) < 26 or not r[0].strip():
            continue
        rows[f"{r[0].strip().upper()}|{r[1].strip().upper()}"] = tuple(r[i].strip() for i in _RVU_COLS)
    return rows


def _compile_gpcis(text: str) -> dict[str, tuple[str, ...]]:
    rows: dict[str, tuple[str, ...]] = {}
    for r in csv.reader(io.StringIO(text)):
        if len(r) >= 7 and r[0].strip().isdigit() and r[2].strip().isdigit():
            name = r[3].strip().rstrip("*").strip()
            key = f"{r[0].strip()}-{r[2].strip()}-{r[1].strip()}"  # MAC-locality-state: MAC-locality alone repeats
            rows[key] = (name, r[4].strip(), r[5].strip(), r[6].strip())
    return rows


def _compile_zips(text: str) -> dict[str, str]:
    """ZIP5 layout: state 1–2, ZIP 3–7, carrier 8–12, pricing locality 13–14 (1-based, inclusive)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if len(line) >= 14 and line[2:7].isdigit():
            out.setdefault(line[2:7], f"{line[7:12]}-{line[12:14]}-{line[0:2]}")
    return out


def _compile(rvu: bytes, gpci: bytes, zips: bytes) -> dict[str, dict[str, tuple[str, ...]] | dict[str, str]]:
    return {
        "rvu": _compile_rvus(gzip.decompress(rvu).decode("latin-1")),
        "gpci": _compile_gpcis(gpci.decode("latin-1")),
        "zip": _compile_zips(gzip.decompress(zips).decode("ascii")),
    }


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """The CY2026 PFS as lookups: an RVU row by code and modifier, a locality by key or ZIP, and a price."""

    rvus: dict[str, tuple[str, ...]]
    gpcis: dict[str, tuple[str, ...]]
    zips: dict[str, str]

    def __len__(self) -> int:
        return len(self.rvus)

    def row(self, hcpcs: str, modifier: str = "") -> RvuRow | None:
        """The RVU row of a code with 26, TC, 53 or no modifier; None when the file has no such row."""
        code, mod = hcpcs.strip().upper(), modifier.strip().upper()
        r = self.rvus.get(f"{code}|{mod}")
        if r is None:
            return None
        return RvuRow(
            hcpcs=code,
            modifier=mod,
            status=r[0],
            work=Decimal(r[1] or "0"),
            pe_nonfacility=Decimal(r[2] or "0"),
            pe_facility=Decimal(r[3] or "0"),
            malpractice=Decimal(r[4] or "0"),
            pctc=r[5],
            global_days=r[6],
            conversion_factor=Decimal(r[7]),
            nonfacility_na=r[8] == "NA",
            facility_na=r[9] == "NA",
        )

    def locality(self, key: str) -> Locality | None:
        """A locality by ``MAC-locality`` (``13202-01`` Manhattan) or ``MAC-locality-state``; None if unknown.

        Addendum E repeats two MAC-locality pairs across states (05102-00 CT and IA, 03502-00 SD and UT): those
        need the state.
        """
        key = key.strip().upper()
        if key.count("-") == 2:
            return self._make(key) if key in self.gpcis else None
        found = [k for k in self.gpcis if k.startswith(key + "-")]
        return self._make(found[0]) if len(found) == 1 else None

    def _make(self, key: str) -> Locality:
        g = self.gpcis[key]
        mac, number, state = key.split("-")
        return Locality(
            mac=mac,
            locality=number,
            state=state,
            name=g[0],
            work=Decimal(g[1]),
            pe=Decimal(g[2]),
            malpractice=Decimal(g[3]),
        )

    def localities(self) -> list[Locality]:
        return [self._make(key) for key in sorted(self.gpcis)]

    def locality_for_zip(self, postal_code: str) -> Locality | None:
        """The pricing locality of a ZIP (5 digits, or ZIP+4 with or without a dash); None for an unknown ZIP.

        The ZIP file and Addendum E disagree on the MAC or locality number of a few statewide localities (CT, SD,
        UT): when the ZIP's MAC-locality is not in Addendum E, the state's only locality is used.
        """
        key = self.zips.get(postal_code.strip()[:5])
        if key is None:
            return None
        if key in self.gpcis:
            return self._make(key)
        state = key.rsplit("-", 1)[1]
        in_state = [k for k in self.gpcis if k.endswith("-" + state)]
        return self._make(in_state[0]) if len(in_state) == 1 else None

    def price(
        self,
        hcpcs: str,
        modifiers: tuple[str, ...],
        locality: Locality,
        place_of_service: str,
        *,
        units: Decimal = Decimal(1),
        percent: Decimal = Decimal(100),
    ) -> Price:
        """The allowed amount of a line: the row its modifiers select, priced for the locality and setting."""
        mod = row_modifier(modifiers)
        row = self.row(hcpcs, mod)
        if row is None:
            label = f"{hcpcs.strip().upper()}-{mod}" if mod else hcpcs.strip().upper()
            why = "no professional/technical split for this code" if mod in ("26", "TC") else "not in the fee schedule"
            raise NotPriced(f"{label} has no CY2026 PFS row: {why}", field="procedure")
        return price(row, locality, facility=is_facility(place_of_service), units=units, percent=percent)


@cache
def fee_schedule() -> FeeSchedule:
    """The PFS, compiled on first use and cached on disk (keyed by the sources' SHA-256)."""
    sources = (RVU_FILE.read_bytes(), GPCI_FILE.read_bytes(), ZIP_FILE.read_bytes())
    digest = hashlib.sha256(_FORMAT.encode())
    for data in sources:
        digest.update(hashlib.sha256(data).digest())
    path = cache_dir() / f"pfs-{digest.hexdigest()[:16]}.marshal"
    try:
        table = marshal.loads(path.read_bytes())  # noqa: S302  (our own file, keyed by the source hash)
        if isinstance(table, dict) and {"rvu", "gpci", "zip"} <= table.keys():
            return FeeSchedule(table["rvu"], table["gpci"], table["zip"])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    compiled = _compile(*sources)
    _write_atomic(path, marshal.dumps(compiled))
    return FeeSchedule(compiled["rvu"], compiled["gpci"], compiled["zip"])  # type: ignore[arg-type]
