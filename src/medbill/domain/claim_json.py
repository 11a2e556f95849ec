"""The 837-shaped domain ``Claim`` as JSON text and back, exactly (dates ISO, Decimals as strings, cents as ints).

The codec walks the frozen dataclasses by their type hints, so a field added to ``medbill.domain.claims`` is stored
without touching this module. Fields left at their default are omitted, which keeps stored documents small.
"""

from __future__ import annotations

import json
import types
from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from medbill.domain.claims import Claim


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.default is not MISSING and item == f.default:
                continue
            if f.default_factory is not MISSING and item == f.default_factory():
                continue
            out[f.name] = _plain(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _typed(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in get_args(hint) if a is not type(None)]
        return _typed(options[0], value)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], v) for v in value)
        return tuple(_typed(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(hint, type):
        if is_dataclass(hint):
            hints = _hints(hint)
            return hint(**{k: _typed(hints[k], v) for k, v in value.items()})
        if issubclass(hint, Enum):
            return hint(value)
        if hint is Decimal:
            return Decimal(value)
        if hint is date:
            return date.fromisoformat(value)
        if hint is bool:
            return bool(value)
        if hint is int:
            return int(value)
    return value


def claim_to_json(claim: Claim) -> str:
    """The claim as compact JSON text."""
    return json.dumps(_plain(claim), separators=(",", ":"), sort_keys=True)


def claim_from_json(text: str) -> Claim:
    """The claim stored by ``claim_to_json``, equal to the one that was stored."""
    claim = _typed(Claim, json.loads(text))
    assert isinstance(claim, Claim)
    return claim
