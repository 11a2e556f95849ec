"""Fast constructors for the frozen, slotted domain dataclasses the readers build by the hundred thousand.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which looks the attribute up
again on every call; reading a 10,000-claim file spends most of its time there. ``fast_constructor(cls)``
generates, once, a keyword-only function with the same parameters and defaults that creates the instance and
fills each slot through its member descriptor: the result is the same frozen instance (equal, hashable,
immutable), built about twice as fast. Only classes without ``__post_init__`` qualify (nothing is skipped).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")


def fast_constructor(klass: Callable[P, T]) -> Callable[P, T]:
    """A function taking exactly the class's constructor parameters (so mypy checks every call) and building it."""
    cls = cast(type, klass)
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__):
        raise TypeError(f"{cls.__name__} is not a slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} validates in __post_init__: build it with its own __init__")
    fields = [f for f in dataclasses.fields(cls) if f.init]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            namespace["_MISSING"] = dataclasses.MISSING
            body.append(f"    if {f.name} is _MISSING:\n        {f.name} = _factory_{f.name}()\n")
        else:
            params.append(f.name)
    body.append("    self = _new(_cls)\n")
    body += [f"    _set_{f.name}(self, {f.name})\n" for f in fields]
    source = f"def make_{cls.__name__}(*, {', '.join(params)}):\n{''.join(body)}    return self\n"
    exec(source, namespace)  # noqa: S102 - generated from the dataclass's own field names, like dataclasses does
    make: Callable[P, T] = namespace[f"make_{cls.__name__}"]
    make.__doc__ = f"Build a {cls.__name__} (fast path; same result as {cls.__name__}(...))."
    return make
