"""The 837-shaped domain ``Claim`` as JSON text and back, exactly (dates ISO, Decimals as strings, cents as ints).

The codec walks the frozen dataclasses by their type hints, so a field added to ``medbill.domain.claims`` is stored
without touching this module. Fields left at their default are omitted, which keeps stored documents small.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from medbill.domain.claims import Claim

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _plain(value: Any) -> Any:
    """Any value of a claim as plain JSON data (dataclasses through their compiled encoder)."""
    if is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
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
def _encoder(cls: type) -> Encoder:
    """The encoder of one dataclass, built once: its fields with their defaults, so a default is left out."""
    plan = []
    for f in fields(cls):
        default: Any = f.default if f.default is not MISSING else MISSING
        if f.default_factory is not MISSING:
            default = f.default_factory()
        plan.append((f.name, default))

    def encode(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, default in plan:
            item = getattr(value, name)
            if default is not MISSING and item == default:
                continue
            out[name] = _plain(item)
        return out

    return encode


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _same(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Decoder:
    """The decoder for one type hint, built once and kept: walking the hints per value was most of the cost of
    reading a claim back (thousands of claims a second are read when scrubbing, batching and posting)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        inner = _decoder(options[0])
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda value: tuple(item(v) for v in value)
        parts = [_decoder(a) for a in args]
        return lambda value: tuple(d(v) for d, v in zip(parts, value, strict=True))
    if isinstance(hint, type):
        if is_dataclass(hint):
            cls = hint
            by_name = {name: _decoder(h) for name, h in _hints(cls).items()}
            return lambda value: cls(**{k: by_name[k](v) for k, v in value.items()})
        if issubclass(hint, Enum):
            return hint
        if hint is Decimal:
            return Decimal
        if hint is date:
            return date.fromisoformat
        if hint is bool:
            return bool
        if hint is int:
            return int
    return _same


def claim_to_json(claim: Claim) -> str:
    """The claim as compact JSON text."""
    return json.dumps(_plain(claim), separators=(",", ":"), sort_keys=True)


def claim_from_json(text: str) -> Claim:
    """The claim stored by ``claim_to_json``, equal to the one that was stored."""
    claim = _decoder(Claim)(json.loads(text))
    assert isinstance(claim, Claim)
    return claim
