"""Compiles the official ICD-10-CM tabular XML and a CMS addenda file into plain, marshal-able tables.

The tables hold only builtins (str, int, tuple, dict, list) so the disk cache can be read back with
`marshal` in a few tens of milliseconds. Layout of one node record (a tuple, indexed by the constants):

    (title, kind, parent, flags)

`kind` is one of KIND_*; `flags` is a bit set of FLAG_*. Codes are stored without their dot.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

TITLE: Final = 0
KIND: Final = 1
PARENT: Final = 2
FLAGS: Final = 3
KIND_CHAPTER, KIND_BLOCK, KIND_CATEGORY, KIND_SUBCATEGORY, KIND_CODE = (
    "chapter",
    "block",
    "category",
    "subcategory",
    "code",
)
FLAG_BILLABLE = 1
FLAG_MANIFESTATION = 2
FLAG_NEEDS_SEVENTH = 4  # a leaf of the tabular that is only billable with a 7th character
FLAG_SEVENTH_EXPANDED = 8  # a code made by adding a 7th character to a tabular leaf (made at lookup)

Record = tuple[str, str, str, int]

# Instructional notes, in the order `show` prints them (tag in the XML → our name).
NOTE_KINDS: dict[str, str] = {
    "inclusionTerm": "inclusion_terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "notes": "notes",
    "sevenChrNote": "seventh_character_note",
}

_MANIFESTATION = "in diseases classified elsewhere"
# A category note that takes 7th characters away from some codes, e.g. S06: "7th characters D and S do not
# apply to codes in category S06 with 6th character 7 - death due to brain injury …, or 8 - death …".
_SEVENTH_EXCEPTION = re.compile(
    r"7th characters? ((?:[A-Z](?:, | and | or )?)+) do(?:es)? not apply to codes in category ([A-Z0-9]{3}) "
    r"with 6th character (\d)(?:.*?, or (\d) -)?"
)


def seventh_exceptions(note_texts: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """{6th character: 7th characters refused} from a category's notes."""
    out: dict[str, frozenset[str]] = {}
    for text in note_texts:
        for m in _SEVENTH_EXCEPTION.finditer(text):
            refused = frozenset(re.findall(r"[A-Z]", m.group(1)))
            for sixth in (m.group(3), m.group(4)):
                if sixth:
                    out[sixth] = refused
    return out


_ONE = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_REF = re.compile(rf"\b({_ONE}-{_ONE}|[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{{0,4}})?-?)")


def note_references(text: str) -> tuple[str, ...]:
    """The codes and ranges a note names inside parentheses: '(E10.-)' → ('E10.-',), '(E08-E13)'."""
    refs: list[str] = []
    for group in re.findall(r"\(([^()]*)\)", text):
        refs.extend(_REF.findall(group))
    return tuple(refs)


def _notes_of(elem: ET.Element) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for child in elem:
        kind = NOTE_KINDS.get(child.tag)
        if kind is None:
            continue
        texts = tuple(" ".join((n.text or "").split()) for n in child.findall("note"))
        if texts:
            out[kind] = out.get(kind, ()) + texts
    return out


def _bare(name: str) -> str:
    return name.replace(".", "")


def compile_tabular(xml_path: Path) -> dict[str, Any]:
    """Read the tabular XML into {'version', 'nodes', 'notes', 'seventh', 'children'}."""
    root = ET.parse(xml_path).getroot()  # noqa: S314  (trusted official file, see module docstring)
    nodes: dict[str, Record] = {}
    notes: dict[str, dict[str, tuple[str, ...]]] = {}
    seventh: dict[str, tuple[tuple[str, str], ...]] = {}
    children: dict[str, list[str]] = {}

    def add(code: str, record: Record, elem: ET.Element) -> None:
        nodes[code] = record
        if record[PARENT]:
            children.setdefault(record[PARENT], []).append(code)
        found = _notes_of(elem)
        if found:
            notes[code] = found

    def walk_diag(
        elem: ET.Element,
        parent: str,
        depth: int,
        rule: tuple[tuple[str, str], ...] | None,
        manifest: bool,
        refused: dict[str, frozenset[str]],
    ) -> None:
        code = _bare(elem.findtext("name") or "")
        own_notes = _notes_of(elem).get("notes", ())
        if own_notes:
            refused = {**refused, **seventh_exceptions(own_notes)}
        title = " ".join((elem.findtext("desc") or "").split())
        manifest = manifest or _MANIFESTATION in title.lower()
        sub = elem.findall("diag")
        own = elem.find("sevenChrDef")
        if own is not None:
            rule = tuple((e.get("char") or "", " ".join((e.text or "").split())) for e in own.findall("extension"))
            seventh[code] = rule
        kind = KIND_CATEGORY if depth == 0 else KIND_SUBCATEGORY
        flags = FLAG_MANIFESTATION if manifest else 0
        if not sub:
            kind = KIND_CODE if depth else KIND_CATEGORY
            flags |= FLAG_NEEDS_SEVENTH if rule else FLAG_BILLABLE
        add(code, (title, kind, parent, flags), elem)
        for child in sub:
            walk_diag(child, code, depth + 1, rule, manifest, refused)
        if not sub and rule:
            base = code.ljust(6, "X")
            allowed = tuple((c, m) for c, m in rule if c not in refused.get(base[5], frozenset()))
            if allowed != rule:
                seventh[code] = allowed

    version = (root.findtext("version") or "").strip()
    for chapter in root.findall("chapter"):
        ch = "ch" + (chapter.findtext("name") or "").strip()
        add(ch, (" ".join((chapter.findtext("desc") or "").split()), KIND_CHAPTER, "", 0), chapter)
        for section in chapter.findall("section"):
            block = section.get("id") or ""
            add(block, (" ".join((section.findtext("desc") or "").split()), KIND_BLOCK, ch, 0), section)
            for diag in section.findall("diag"):
                walk_diag(diag, block, 0, None, False, {})
    return {
        "version": version,
        "nodes": nodes,
        "notes": notes,
        "seventh": seventh,
        "children": {k: tuple(v) for k, v in children.items()},
    }


def parse_addenda(path: Path) -> dict[str, Any]:
    """A CMS code-description addenda file → {'add': {code: title}, 'delete': {code: title}, 'revise': {...}}."""
    add: dict[str, str] = {}
    delete: dict[str, str] = {}
    revise: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        head, _, rest = line.partition(":")
        parts = rest.strip().split(None, 1)
        if len(parts) != 2:
            continue
        code, title = parts[0].upper(), " ".join(parts[1].split())
        action = head.strip().lower()
        if action == "add":
            add[code] = title
        elif action == "delete":
            delete[code] = title
        elif action == "revise to":
            revise[code] = title
    return {"add": add, "delete": delete, "revise": revise}


def apply_addenda(
    base_nodes: dict[str, Record], seventh_of: Callable[[str], tuple[tuple[str, str], ...]], addenda: dict[str, Any]
) -> tuple[dict[str, Record], list[str]]:
    """The overlay (records added or changed) and the codes removed that an addenda makes to an edition."""
    overlay: dict[str, Record] = {}
    deleted: set[str] = set(addenda["delete"])
    known = set(base_nodes)

    def parent_of(code: str) -> str:
        for cut in range(len(code) - 1, 2, -1):
            if code[:cut] in known or code[:cut] in overlay:
                return code[:cut]
        # a new category: file it under the block whose range holds it
        for block, rec in base_nodes.items():
            if rec[KIND] == KIND_BLOCK and "-" in block:
                lo, hi = block.split("-")
                if lo <= code[:3] <= hi:
                    return block
        return ""

    for code, title in sorted(addenda["add"].items()):
        parent = parent_of(code)
        inherited = base_nodes.get(parent) or overlay.get(parent)
        manifest = bool(inherited and inherited[FLAGS] & FLAG_MANIFESTATION)
        kind = KIND_CATEGORY if len(code) == 3 else KIND_CODE
        flags = FLAG_BILLABLE | (FLAG_MANIFESTATION if manifest or _MANIFESTATION in title.lower() else 0)
        overlay[code] = (title, kind, parent, flags)
    # a deleted code that gained children stays as a header; a billable parent of a new code becomes one
    parents = {rec[PARENT] for rec in overlay.values()}
    for code in sorted(parents):
        rec = base_nodes.get(code)
        if rec is not None and rec[FLAGS] & FLAG_BILLABLE:
            kind = KIND_CATEGORY if len(code) == 3 else KIND_SUBCATEGORY
            overlay[code] = (rec[TITLE], kind, rec[PARENT], rec[FLAGS] & ~FLAG_BILLABLE)
            deleted.discard(code)
    for code, title in addenda["revise"].items():
        rec = overlay.get(code) or base_nodes.get(code)
        if rec is not None:
            overlay[code] = (title, rec[KIND], rec[PARENT], rec[FLAGS])
    # a tabular leaf all of whose 7th-character codes are deleted goes too
    for code, rec in base_nodes.items():
        if rec[FLAGS] & FLAG_NEEDS_SEVENTH:
            base = code.ljust(6, "X")
            options = seventh_of(code)
            if options and all(base + char in deleted for char, _ in options):
                deleted.add(code)
    return overlay, sorted(deleted - set(overlay))
