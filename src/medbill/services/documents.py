"""Reading a file someone uploads to look at it: an X12 file as an outline of named loops, with its problems."""

from __future__ import annotations

from dataclasses import dataclass

from medbill.domain.errors import FormatError, ValidationError
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.formats.x12.outline import OutlineLoop, Outliner, code_set_describers

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class X12Document:
    """The outline of every interchange, the transaction types found, and what the strict reader objected to."""

    interchanges: list[OutlineLoop]
    transaction_types: list[str]
    problems: list[str]


_outliner: Outliner | None = None


def _shared_outliner() -> Outliner:
    global _outliner
    if _outliner is None:
        _outliner = Outliner(code_set_describers())
    return _outliner


def x12_document(actor: Actor, data: bytes, *, name: str = "upload") -> X12Document:
    """Outline an uploaded X12 file. Nothing is stored: the file is read, shown and forgotten."""
    actor.require(Permission.ENCOUNTER_READ)
    if not data.strip():
        raise ValidationError("the file is empty", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    try:
        interchanges = _shared_outliner().outline(data)
    except FormatError as exc:
        raise FormatError(f"{name}: {exc.message}", field="file", code=exc.code) from None
    problems: list[str] = []
    types: list[str] = []
    try:
        for transaction in x12.read(data):
            types.append(transaction.type.value)
    except FormatError as exc:
        problems.append(str(exc))
    return X12Document(interchanges=interchanges, transaction_types=types, problems=problems)
