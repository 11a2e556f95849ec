"""A practice's own licensed CPT descriptor file: loaded by `medbill codes load-cpt FILE`, never shipped.

The file is read once and kept as JSON in the user's cache directory (see `store.cache_dir`), outside the
package and the git tree, because CPT descriptors are the AMA's and each practice brings its own licence.
Accepted lines: ``CODE<TAB|,|;|pipe|spaces>DESCRIPTOR``, optionally quoted, with or without a header row.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from functools import cache
from pathlib import Path

from medbill.codesets.store import cache_dir
from medbill.domain.errors import FormatError

_CODE = re.compile(r"[0-9]{4}[0-9FTU]")
_LINE = re.compile(r'^\s*"?([0-9]{4}[0-9FTU])"?\s*[\t,;|]?\s*(.*?)\s*$')


def store_path() -> Path:
    return cache_dir() / "cpt_descriptors.json"


def parse_cpt_file(text: str) -> dict[str, str]:
    """{code: descriptor} from a descriptor file's text; `FormatError` when no line holds a CPT code."""
    out: dict[str, str] = {}
    sample = text[:4096]
    delimiter = next((d for d in ("\t", "|", ";", ",") if d in sample), None)
    if delimiter is not None:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            cells = [c.strip() for c in row if c.strip()]
            if len(cells) >= 2 and _CODE.fullmatch(cells[0].upper()):
                out[cells[0].upper()] = max(cells[1:], key=len)
    if not out:
        for line in text.splitlines():
            m = _LINE.match(line)
            if m and m.group(2):
                out[m.group(1).upper()] = m.group(2).strip('"')
    if not out:
        raise FormatError("no line of the file starts with a CPT code (5 characters) followed by its descriptor")
    return out


def load_cpt_file(path: Path) -> int:
    """Read a licensed CPT file into the local store; returns how many codes it holds now."""
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}", field="file") from exc
    found = parse_cpt_file(text)
    current = dict(_stored())
    current.update(found)
    target = store_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(current, sort_keys=True), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    _stored.cache_clear()
    return len(found)


@cache
def _stored() -> dict[str, str]:
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def descriptor(code: str) -> str | None:
    return _stored().get(code.strip().upper())
