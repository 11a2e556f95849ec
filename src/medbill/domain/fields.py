"""Field-level helpers shared by the domain's value objects: ids, text cleanup, enum parsing with field-named errors."""

from __future__ import annotations

import os
from datetime import date
from enum import Enum
from typing import TypeVar

from medbill.domain.errors import ValidationError

E = TypeVar("E", bound=Enum)


def new_id() -> str:
    """A new opaque identifier (UUID4 hex): created by us, never reused, safe to shard on.

    Built from 16 random bytes with the version and variant bits set, as ``uuid.uuid4().hex`` is, without the
    ``UUID`` object (posting makes one per ledger entry, tens of thousands a remittance)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.hex()


def set_field(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass during ``__post_init__``."""
    object.__setattr__(obj, name, value)


def require_text(value: str, field_name: str, *, max_length: int = 60) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise ValidationError("is required", field=field_name)
    if len(text) > max_length:
        raise ValidationError(f"is longer than {max_length} characters", field=field_name)
    return text


def optional_text(value: str | None, field_name: str, *, max_length: int = 60) -> str | None:
    if value is None or not str(value).strip():
        return None
    return require_text(value, field_name, max_length=max_length)


def parse_enum(enum: type[E], value: object, field_name: str) -> E:
    """``value`` as a member of ``enum`` (by value, or by name case-insensitively), else a field-named error."""
    if isinstance(value, enum):
        return value
    text = str(value).strip()
    for member in enum:
        if text == str(member.value) or text.upper() == member.name:
            return member
    allowed = ", ".join(str(m.value) for m in enum)
    raise ValidationError(f"'{text[:20]}' is not one of: {allowed}", field=field_name)


def parse_date(value: object, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError("is not a date (YYYY-MM-DD)", field=field_name) from None
