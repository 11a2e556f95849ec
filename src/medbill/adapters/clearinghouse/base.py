"""What every clearinghouse adapter shares: outbound file naming, nested ``with`` blocks, secrets from the environment."""

from __future__ import annotations

import string
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import PurePosixPath
from types import TracebackType
from typing import Self

from medbill.domain.errors import ClearinghouseError, ValidationError

Now = Callable[[], datetime]

PATTERN_FIELDS = frozenset({"name", "stem", "suffix", "timestamp", "unique"})
_VARYING = frozenset({"name", "stem", "timestamp", "unique"})


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_pattern(pattern: str, field: str = "file_name_pattern") -> str:
    """A naming pattern uses only {name} {stem} {suffix} {timestamp} {unique}, and at least one that varies."""
    try:
        used = {f for _, f, spec, conv in string.Formatter().parse(pattern) if f is not None}
    except ValueError as exc:
        raise ValidationError(f"is not a valid pattern ({exc})", field=field) from None
    unknown = used - PATTERN_FIELDS
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in sorted(PATTERN_FIELDS))
        raise ValidationError(f"knows only {allowed}, not {', '.join(sorted(unknown))}", field=field)
    if not used & _VARYING:
        raise ValidationError("needs {name}, {stem}, {timestamp} or {unique}, or every file gets one name", field=field)
    return pattern


def apply_pattern(pattern: str, name: str, now: datetime) -> str:
    """``837P_20261126153000_1a2b3c4d.x12`` from ``{stem}_{timestamp}_{unique}{suffix}`` and ``837P.x12``."""
    path = PurePosixPath(name)
    return pattern.format(
        name=name,
        stem=path.stem,
        suffix=path.suffix,
        timestamp=now.astimezone(UTC).strftime("%Y%m%d%H%M%S"),
        unique=uuid.uuid4().hex[:8],
    )


def secret_from_env(environ: Mapping[str, str], variable: str, what: str, mailbox: str) -> str:
    """The secret held in ``variable``; the error names the variable, never a value."""
    value = environ.get(variable)
    if not value:
        raise ClearinghouseError(
            f"mailbox {mailbox}: the {what} is read from the environment variable {variable}, which is not set",
            code="clearinghouse_misconfigured",
        )
    return value


class Nesting:
    """``with mailbox:`` holds one connection; nested blocks share it; the outermost block closes it."""

    _depth: int = 0

    def _open(self) -> None:
        """Connect (nothing to do for transports without a connection)."""

    def _close(self) -> None:
        """Disconnect; never raises."""

    def __enter__(self) -> Self:
        if self._depth == 0:
            self._open()
        self._depth += 1
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._close()
