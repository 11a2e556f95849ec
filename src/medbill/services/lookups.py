"""Checks that a reference names a row of this practice, refused under the field that named it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from medbill.domain.errors import NotFound

T = TypeVar("T")


def must_exist(fetch: Callable[[str, str], T], practice_id: str, item_id: str, field: str, what: str) -> T:
    try:
        return fetch(practice_id, item_id)
    except NotFound:
        raise NotFound(f"no {what} with that id in this practice", field=field) from None


def preloaded(items: Mapping[str, T]) -> Callable[[str, str], T]:
    """A ``fetch`` for ``must_exist`` over one practice's rows read once (a bulk call checks every item against them)."""

    def fetch(_practice_id: str, item_id: str) -> T:
        try:
            return items[item_id]
        except KeyError:
            raise NotFound("not found") from None

    return fetch
