"""When and how often a failed call to a clearinghouse is tried again: the backoff policy and transient errors.

A failure is *transient* when trying again later may well succeed: the server could not be reached, the connection
was refused, reset or dropped, an operation timed out, an upload came out short. A refusal that will repeat itself
(a host key that is not the configured one, credentials the server refused, a missing secret or key file, a file
name that exists already, a folder the server does not have) is *permanent* and is never retried.

The delay before retry ``n`` (1, 2 …) is ``base_delay_seconds * factor ** (n - 1)``, capped at
``max_delay_seconds``; with ``jitter`` (a fraction from 0 to 1) that much of each delay is drawn at random, so that
many workers do not all come back at once. Jitter is off by default so that tests see exact delays, and the sleep
function is injectable so that they need not wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from medbill.domain.errors import ClearinghouseError, HostKeyRejected, MedbillError, ValidationError

T = TypeVar("T")

# Codes of ClearinghouseError that a later try may not meet again (see the adapters' error translations).
TRANSIENT_CODES = frozenset({"clearinghouse_unreachable", "clearinghouse_incomplete_upload"})


def is_transient(exc: BaseException) -> bool:
    """The failure may go away by itself: worth trying again after a pause."""
    return isinstance(exc, ClearinghouseError) and not isinstance(exc, HostKeyRejected) and exc.code in TRANSIENT_CODES


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """How many times to try (``attempts`` counts the first), and how long to wait in between."""

    attempts: int = 3
    base_delay_seconds: float = 2.0
    factor: float = 2.0
    max_delay_seconds: float = 60.0
    jitter: float = 0.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    random: Callable[[], float] = field(default=random.random, compare=False)  # 0 ≤ x < 1; only with jitter

    def __post_init__(self) -> None:
        if not 1 <= self.attempts <= 100:
            raise ValidationError("is a number of attempts from 1 to 100", field="attempts")
        if self.base_delay_seconds < 0 or self.max_delay_seconds < 0:
            raise ValidationError("is a number of seconds, not negative", field="base_delay_seconds")
        if self.factor < 1:
            raise ValidationError("is 1 or more (delays do not shrink)", field="factor")
        if not 0 <= self.jitter <= 1:
            raise ValidationError("is a fraction from 0 to 1", field="jitter")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number ``retry`` (the second attempt is retry 1)."""
        full = min(self.max_delay_seconds, self.base_delay_seconds * self.factor ** (retry - 1))
        if not self.jitter:
            return full
        return full * (1 - self.jitter) + full * self.jitter * self.random()

    def delays(self) -> list[float]:
        """The waits between the attempts, in order (without jitter: exactly what ``run`` sleeps)."""
        return [self.delay(n) for n in range(1, self.attempts)]

    def run(
        self,
        call: Callable[[], T],
        *,
        on_failure: Callable[[int, MedbillError, float | None], None] | None = None,
        transient: Callable[[BaseException], bool] = is_transient,
    ) -> T:
        """``call()`` until it succeeds; a transient ``MedbillError`` is retried after the policy's delay while
        attempts remain. ``on_failure(attempt, error, delay)`` hears of every failed attempt (``delay`` is None
        when there is no retry after it). The last error is raised; anything but a ``MedbillError`` at once."""
        attempt = 1
        while True:
            try:
                return call()
            except MedbillError as exc:
                retrying = attempt < self.attempts and transient(exc)
                wait = self.delay(attempt) if retrying else None
                if on_failure is not None:
                    on_failure(attempt, exc, wait)
                if wait is None:
                    raise
            if wait > 0:
                self.sleep(wait)
            attempt += 1


NO_RETRY = RetryPolicy(attempts=1)
# Sending a batch: three tries, 2 s and 4 s apart (with the connect timeout, a dead server costs under a minute).
SEND_RETRY = RetryPolicy(attempts=3, base_delay_seconds=2.0, factor=2.0, max_delay_seconds=60.0)
