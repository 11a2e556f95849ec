"""Where the code-set sources are, the dated editions, and the disk cache of the compiled ICD-10-CM index.

The cache is three `marshal` files of builtins (the code set, the search tables, the suggestion patterns;
each read only when first needed) under `MEDBILL_CACHE_DIR`, else `$XDG_CACHE_HOME/medbill`, else
`~/.cache/medbill`. Their name is a key made of the cache format, medbill's version, a hash of the
compiler's own modules and the SHA-256 of every source file; a source's hash is remembered beside its size
and mtime, so a warm start reads no source at all. A missing, stale or unreadable cache is rebuilt (a few
seconds) and written atomically; an unwritable cache directory only costs the rebuild on every start.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import marshal
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from medbill.codesets.editions import Edition, Tabular
from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.icd10cm_compile import apply_addenda, compile_tabular, parse_addenda
from medbill.codesets.search import CodeSearch, build_search_tables
from medbill.codesets.suggest_index import build_suggest_tables

CACHE_FORMAT = 5
DATA_DIR = Path(__file__).parent / "data"
ADDENDA_FY2027 = DATA_DIR / "icd10cm" / "icd10cm_codes_addenda_2027.txt"


@dataclass(frozen=True, slots=True, kw_only=True)
class EditionSpec:
    """How to build one dated edition: from a tabular XML, or from an addenda applied to another edition."""

    name: str
    effective_from: date
    effective_to: date
    tabular: Path | None = None
    addenda: Path | None = None
    base: str | None = None


def _package_dir(name: str) -> Path:
    """A package's directory without importing it (simple_icd_10_cm parses its XML on import)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the Python package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def official_tabular_xml() -> Path:
    """The FY2026 April-1 ICD-10-CM tabular XML shipped inside simple-icd-10-cm 1.5.0."""
    return _package_dir("simple_icd_10_cm") / "data" / "icd10c-tabular-April-1-2026.xml"


def official_code_list() -> Path:
    """The official April-2026 list of every ICD-10-CM code (headers and billable codes), same package."""
    return _package_dir("simple_icd_10_cm") / "data" / "code-list-April-2026.txt"


def default_editions() -> list[EditionSpec]:
    return [
        # FY2026 with the April 1, 2026 update (CMS/CDC), in force 2026-04-01 to 2026-09-30.
        EditionSpec(
            name="FY2026-April",
            effective_from=date(2026, 4, 1),
            effective_to=date(2026, 9, 30),
            tabular=official_tabular_xml(),
        ),
        # FY2027 (effective 2026-10-01): the FY2026 tabular plus the official FY2027 addenda.
        EditionSpec(
            name="FY2027",
            effective_from=date(2026, 10, 1),
            effective_to=date(2027, 9, 30),
            addenda=ADDENDA_FY2027,
            base="FY2026-April",
        ),
    ]


def user_editions_path() -> Path:
    """Editions a user loaded (`medbill codes load-edition`), kept beside the cache with copies of their files."""
    return cache_dir() / "editions" / "editions.json"


def user_editions() -> list[EditionSpec]:
    try:
        rows = json.loads(user_editions_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        EditionSpec(
            name=r["name"],
            effective_from=date.fromisoformat(r["from"]),
            effective_to=date.fromisoformat(r["to"]),
            tabular=Path(r["tabular"]) if r.get("tabular") else None,
            addenda=Path(r["addenda"]) if r.get("addenda") else None,
            base=r.get("base"),
        )
        for r in rows
    ]


def all_editions() -> list[EditionSpec]:
    """The shipped editions and the ones the user loaded, tabular ones first, then addenda by date."""
    specs = [*default_editions(), *user_editions()]
    return sorted(specs, key=lambda s: (s.tabular is None, s.effective_from))


def register_edition(
    source: Path, *, name: str, effective_from: date, effective_to: date, base: str | None = None
) -> EditionSpec:
    """Add an edition from a tabular XML or an addenda file; it never replaces or overlaps another.

    Raises `ValueError` with the reason (name taken, dates overlapping, unknown base, unreadable file).
    """
    if effective_to < effective_from:
        raise ValueError(f"the edition ends ({effective_to}) before it starts ({effective_from})")
    existing = all_editions()
    for other in existing:
        if other.name == name:
            raise ValueError(f"an edition named {name!r} is loaded already")
        if effective_from <= other.effective_to and other.effective_from <= effective_to:
            raise ValueError(
                f"{name} ({effective_from} to {effective_to}) overlaps {other.name} "
                f"({other.effective_from} to {other.effective_to})"
            )
    is_xml = source.suffix.lower() == ".xml"
    if not is_xml:
        base = base or max(existing, key=lambda e: e.effective_from).name
        if base not in {e.name for e in existing}:
            raise ValueError(f"no edition named {base!r} to apply the addenda to")
        if not parse_addenda(source)["add"] and not parse_addenda(source)["delete"]:
            raise ValueError(f"{source} holds no 'Add:' or 'Delete:' line of a CMS addenda file")
    folder = user_editions_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"{name}{source.suffix or '.txt'}"
    copy.write_bytes(source.read_bytes())
    spec = EditionSpec(
        name=name,
        effective_from=effective_from,
        effective_to=effective_to,
        tabular=copy if is_xml else None,
        addenda=None if is_xml else copy,
        base=None if is_xml else base,
    )
    rows = [
        {
            "name": e.name,
            "from": e.effective_from.isoformat(),
            "to": e.effective_to.isoformat(),
            "tabular": str(e.tabular) if e.tabular else None,
            "addenda": str(e.addenda) if e.addenda else None,
            "base": e.base,
        }
        for e in [*user_editions(), spec]
    ]
    _write_atomic(user_editions_path(), json.dumps(rows, indent=1).encode())
    for fn in (_default_cache, icd10cm, icd10cm_search, suggest_tables):
        fn.cache_clear()
    return spec


def cache_dir() -> Path:
    env = os.environ.get("MEDBILL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "medbill"


def _version() -> str:
    import medbill

    return str(getattr(medbill, "__version__", "0"))


def _file_hash(path: Path, memo: dict[str, Any]) -> str:
    st = path.stat()
    stamp = [str(path), st.st_size, st.st_mtime_ns]
    entry = memo.get(str(path))
    if entry and entry[:3] == stamp:
        return str(entry[3])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    memo[str(path)] = [*stamp, digest]
    return digest


@cache
def _code_hash() -> str:
    """The compiler's own source: a change to how the index is built invalidates the cache."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("icd10cm_compile.py", "editions.py", "search.py", "suggest_index.py", "text.py", "store.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _key(specs: list[EditionSpec], memo: dict[str, Any]) -> str:
    parts = [f"format={CACHE_FORMAT}", f"medbill={_version()}", f"code={_code_hash()}"]
    for s in specs:
        src = s.tabular or s.addenda
        assert src is not None
        parts.append(f"{s.name}|{s.effective_from}|{s.effective_to}|{s.base}|{_file_hash(src, memo)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def compile_editions(specs: list[EditionSpec]) -> dict[str, Any]:
    """Compile the sources of the editions into one marshal-able payload (the slow path, seconds)."""
    tabulars: dict[str, dict[str, Any]] = {}
    out_editions: list[dict[str, Any]] = []
    for s in specs:
        if s.tabular is not None:
            tab = compile_tabular(s.tabular)
            tabulars[s.name] = tab
            out_editions.append(
                {
                    "name": s.name,
                    "from": s.effective_from.isoformat(),
                    "to": s.effective_to.isoformat(),
                    "tabular": s.name,
                    "base": None,
                    "overlay": {},
                    "deleted": [],
                }
            )
        else:
            assert s.addenda is not None and s.base is not None
            base = next(e for e in out_editions if e["name"] == s.base)
            tab = tabulars[base["tabular"]]
            tabular = Tabular(tab)
            chain = [base]
            while chain[-1]["base"]:
                chain.append(next(e for e in out_editions if e["name"] == chain[-1]["base"]))
            base_nodes = dict(tab["nodes"])
            for ed in reversed(chain):  # oldest first: each edition's changes over the one before
                for code in ed["deleted"]:
                    base_nodes.pop(code, None)
                base_nodes.update(ed["overlay"])
            overlay, deleted = apply_addenda(base_nodes, tabular.seventh_of, parse_addenda(s.addenda))
            out_editions.append(
                {
                    "name": s.name,
                    "from": s.effective_from.isoformat(),
                    "to": s.effective_to.isoformat(),
                    "tabular": base["tabular"],
                    "base": s.base,
                    "overlay": overlay,
                    "deleted": deleted,
                }
            )
    # one search index over every code any edition knows (latest title wins), filtered per edition at query time
    records: dict[str, Any] = {}
    inclusion: dict[str, tuple[str, ...]] = {}
    for tab in tabulars.values():
        records.update(tab["nodes"])
        for code, notes in tab["notes"].items():
            if "inclusion_terms" in notes:
                inclusion[code] = notes["inclusion_terms"]
    for e in out_editions:
        records.update(e["overlay"])
    search_tables = build_search_tables(records, inclusion)
    titles = {code: rec[0] for code, rec in records.items()}
    payload = {
        "tabulars": tabulars,
        "editions": out_editions,
        "search": search_tables,
        "suggest": build_suggest_tables(search_tables, inclusion, titles),
    }
    icd = _assemble(payload)
    payload["sorted_codes"] = icd.sorted_codes()
    return payload


def _assemble(payload: dict[str, Any]) -> Icd10cm:
    tabulars = {name: Tabular(t) for name, t in payload["tabulars"].items()}
    built: dict[str, Edition] = {}
    for e in payload["editions"]:
        built[e["name"]] = Edition(
            name=e["name"],
            effective_from=date.fromisoformat(e["from"]),
            effective_to=date.fromisoformat(e["to"]),
            tabular=tabulars[e["tabular"]],
            base=built[e["base"]] if e["base"] else None,
            overlay=e["overlay"],
            deleted=frozenset(e["deleted"]),
        )
    icd = Icd10cm(list(built.values()))
    if "sorted_codes" in payload:
        icd.set_sorted_codes(payload["sorted_codes"])
    return icd


PARTS = ("core", "search", "suggest")


@dataclass(frozen=True, slots=True)
class LoadReport:
    source: str  # "cache" | "compiled"
    directory: Path
    key: str


def _read_part(path: Path) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # marshal builds ~10^6 containers; the cyclic collector would rescan them many times
    try:
        payload = marshal.loads(data)  # noqa: S302  (our own file, written by _compile_parts, keyed by hash)
    except (EOFError, ValueError, TypeError):
        payload = None
    finally:
        if enabled:
            gc.enable()
    return payload if isinstance(payload, dict) else None


class _Cache:
    """The cache files of one set of editions: read part by part, compiled all at once when one is missing."""

    def __init__(self, specs: list[EditionSpec] | None = None, directory: Path | None = None) -> None:
        self.specs = specs or all_editions()
        self.directory = directory or cache_dir()
        memo_path = self.directory / "source-hashes.json"
        try:
            memo: dict[str, Any] = json.loads(memo_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            memo = {}
        before = json.dumps(memo, sort_keys=True)
        self.key = _key(self.specs, memo)
        if json.dumps(memo, sort_keys=True) != before:
            _write_atomic(memo_path, json.dumps(memo).encode())
        self.source = "cache"
        self._compiled: dict[str, dict[str, Any]] | None = None

    def path(self, part: str) -> Path:
        return self.directory / f"icd10cm-{self.key}.{part}.marshal"

    def part(self, name: str) -> dict[str, Any]:
        if self._compiled is not None:
            return self._compiled[name]
        found = _read_part(self.path(name))
        if found is not None:
            return found
        payload = compile_editions(self.specs)
        self._compiled = {
            "core": {k: payload[k] for k in ("tabulars", "editions", "sorted_codes")},
            "search": payload["search"],
            "suggest": payload["suggest"],
        }
        self.source = "compiled"
        for part, data in self._compiled.items():
            _write_atomic(self.path(part), marshal.dumps(data))
        for old in self.directory.glob("icd10cm-*.marshal"):
            if not old.name.startswith(f"icd10cm-{self.key}."):
                old.unlink(missing_ok=True)
        return self._compiled[name]

    def report(self) -> LoadReport:
        return LoadReport(self.source, self.directory, self.key)


def load_icd10cm(
    specs: list[EditionSpec] | None = None, *, directory: Path | None = None
) -> tuple[Icd10cm, LoadReport]:
    """The ICD-10-CM code set alone (what lookups need), from the disk cache when current, else compiled."""
    c = _Cache(specs, directory)
    return _assemble(c.part("core")), c.report()


def load(
    specs: list[EditionSpec] | None = None, *, directory: Path | None = None
) -> tuple[Icd10cm, CodeSearch, LoadReport]:
    """The ICD-10-CM code set and its search, from the disk cache when it is current, else compiled."""
    c = _Cache(specs, directory)
    icd = _assemble(c.part("core"))
    return icd, CodeSearch(icd, c.part("search")), c.report()


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        return


@cache
def _default_cache() -> _Cache:
    return _Cache()


@cache
def icd10cm() -> Icd10cm:
    """The process-wide ICD-10-CM code set with the default editions (FY2026 April, FY2027)."""
    return _assemble(_default_cache().part("core"))


@cache
def icd10cm_search() -> CodeSearch:
    """The process-wide code search (its tables are read on first use)."""
    return CodeSearch(icd10cm(), _default_cache().part("search"))


@cache
def suggest_tables() -> dict[str, Any]:
    return _default_cache().part("suggest")
