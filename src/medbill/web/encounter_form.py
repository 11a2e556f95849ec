"""The encounter entry form: diagnoses A–L and service-line rows read into an EncounterDraft, refusals mapped back."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from medbill.domain.encounters import MAX_DIAGNOSES, MAX_MODIFIERS
from medbill.services.encounters import EncounterDraft, LineDraft
from medbill.web.forms import Reader
from medbill.web.institutional_form import read_institutional

LETTERS = "ABCDEFGHIJKL"
MAX_ROWS = 50  # the most lines one encounter takes
START_ROWS = 3
MODIFIER_FIELDS = tuple(f"modifier{i}" for i in range(1, MAX_MODIFIERS + 1))
_LINE_ERROR = re.compile(r"lines\[(\d+)\](.*)")


def dx_name(number: int) -> str:
    return f"diagnoses[{number}]"


def line_name(row: int, part: str) -> str:
    return f"lines[{row}].{part}"


def row_count(values: Mapping[str, str], *, extra: int = 0) -> int:
    """How many line rows the form shows: what was posted (at least the starting rows), plus ``extra``."""
    raw = values.get("line_count", "")
    count = int(raw) if raw.isdigit() else START_ROWS
    return max(1, min(MAX_ROWS, max(count, START_ROWS) + extra))


def parse_pointers(text: str) -> tuple[int, ...] | None:
    """ "1,2" or "A,B" (or "a b") to diagnosis numbers; blank means the first diagnosis; None when unreadable."""
    tokens = [t for t in re.split(r"[\s,;]+", text.strip().upper()) if t]
    if not tokens:
        return (1,)
    out: list[int] = []
    for token in tokens:
        if token.isdigit():
            out.append(int(token))
        elif len(token) == 1 and token in LETTERS:
            out.append(LETTERS.index(token) + 1)
        else:
            return None
    return tuple(out)


@dataclass(slots=True)
class EncounterForm:
    """The draft read from the form (None when the form itself had errors) and how line numbers map to rows."""

    draft: EncounterDraft | None
    errors: dict[str, str]
    rows: list[int] = field(default_factory=list)  # rows[k - 1] is the form row of the draft's line k

    def place(self, field_name: str | None) -> str:
        """A service error's field (``lines[2].units``) as the form's field name, row numbers mapped back."""
        if not field_name:
            return "form"
        match = _LINE_ERROR.fullmatch(field_name)
        if match and 1 <= int(match.group(1)) <= len(self.rows):
            return f"lines[{self.rows[int(match.group(1)) - 1]}]{match.group(2)}"
        if field_name.startswith("institutional."):  # institutional.value_codes[2] → the value codes box
            return re.sub(r"\[\d+\].*$", "", field_name)
        return field_name


def _diagnoses(r: Reader) -> tuple[str, ...]:
    codes = [r.text(dx_name(n)) for n in range(1, MAX_DIAGNOSES + 1)]
    last = max((i for i, c in enumerate(codes) if c), default=-1)
    for i in range(last):
        if not codes[i]:
            r.fail(
                dx_name(i + 1),
                f"is empty but a later diagnosis is filled; fill {LETTERS[i]} first (pointers count from A)",
            )
    if last < 0:
        r.fail(dx_name(1), "is required: an encounter needs at least one diagnosis")
    return tuple(codes[: last + 1])


def _line_is_blank(r: Reader, row: int) -> bool:
    parts = ("procedure_code", "revenue_code", "charge", "note", *MODIFIER_FIELDS)
    return not r.any_filled(*(line_name(row, p) for p in parts))


def _line(r: Reader, row: int) -> LineDraft:
    pointers = parse_pointers(r.text(line_name(row, "diagnosis_pointers")))
    if pointers is None:
        r.fail(line_name(row, "diagnosis_pointers"), "use letters A–L or numbers 1–12, separated by commas")
        pointers = (1,)
    return LineDraft(
        procedure_code=r.text(line_name(row, "procedure_code")),
        modifiers=tuple(r.text(line_name(row, m)) for m in MODIFIER_FIELDS),
        units=r.whole(line_name(row, "units"), default=1),
        charge_cents=r.cents(line_name(row, "charge")),
        diagnosis_pointers=pointers,
        note=r.optional(line_name(row, "note")),
        revenue_code=r.optional(line_name(row, "revenue_code")),
    )


def read_encounter(values: Mapping[str, str], patient_id: str) -> EncounterForm:
    r = Reader(values)
    date_of_service = r.date("date_of_service")
    rendering = r.choice("rendering_provider_id")
    diagnoses = _diagnoses(r)
    rows = [row for row in range(1, row_count(values) + 1) if not _line_is_blank(r, row)]
    if not rows:
        r.fail(line_name(1, "procedure_code"), "is required: enter at least one service line")
    lines = tuple(_line(r, row) for row in rows)
    institutional = read_institutional(r)
    if r.errors or date_of_service is None:
        return EncounterForm(draft=None, errors=r.errors, rows=rows)
    draft = EncounterDraft(
        patient_id=patient_id,
        date_of_service=date_of_service,
        rendering_provider_id=rendering,
        referring_provider_id=r.optional("referring_provider_id"),
        facility_id=r.optional("facility_id"),
        place_of_service=r.optional("place_of_service"),
        diagnoses=diagnoses,
        lines=lines,
        institutional=institutional,
    )
    return EncounterForm(draft=draft, errors={}, rows=rows)
