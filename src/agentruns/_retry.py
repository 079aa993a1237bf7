"""When to try again and how long to wait: a sans-IO policy that the sync and async loops share.

Nothing here sends, sleeps or awaits; the loops in _request_loop.py ask and act. A call's budget spans
all its requests (a Letta run is several): one deadline, one retry budget, one size limit."""

from __future__ import annotations

import functools
import math
import time
from datetime import UTC, datetime
from typing import Any, Self

import msgspec

from . import _constants
from ._types import Timeout, is_httpx_timeout
from .errors import APIConnectionError, APIStatusError, RateLimitError


class BadOption(Exception):
    """An option value refused by `CallOptions.checked`; callers raise it as their typed error."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _seconds(field: str, value: object) -> float | None:
    """A timeout in seconds: None (no limit) or a finite number above zero. 0, negatives, NaN
    and infinity are refused: each reads as something different to someone."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadOption(field, f"must be a number of seconds or None, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise BadOption(field, f"must be finite and above 0 (None for no limit), got {value!r}")
    return float(value)


def _count(field: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadOption(field, f"must be an int, got {type(value).__name__}")
    if value < minimum:
        raise BadOption(field, f"must be >= {minimum}, got {value}")
    return value


class CallOptions(msgspec.Struct, frozen=True):
    """The options one call runs with: the client's, with the call's own overrides applied."""

    timeout: Timeout  # each read, connect, write and pool wait
    max_retries: int  # retries across all the call's requests
    max_response_bytes: int  # bytes across all the call's response bodies
    total_timeout: float | None  # seconds for the whole call, retries and waits included

    @classmethod
    def checked(cls, timeout: object, max_retries: object, max_response_bytes: object, total_timeout: object) -> Self:
        """Options from a caller's values, each checked; raises BadOption naming the first bad one."""
        if isinstance(timeout, Timeout) or is_httpx_timeout(timeout):
            phases: dict[str, float | None] = timeout.as_dict()  # type: ignore[attr-defined]
            timeout = Timeout(**{phase: _seconds(f"timeout.{phase}", value) for phase, value in phases.items()})
        else:
            timeout = Timeout.all(_seconds("timeout", timeout))
        return cls(
            timeout=timeout,
            max_retries=_count("max_retries", max_retries, 0),
            max_response_bytes=_count("max_response_bytes", max_response_bytes, 1),
            total_timeout=_seconds("total_timeout", total_timeout),
        )

    def budget(self) -> CallBudget:
        deadline = None if self.total_timeout is None else time.monotonic() + self.total_timeout
        return CallBudget(self, deadline=deadline, retries_left=self.max_retries, bytes_left=self.max_response_bytes)


class CallBudget(msgspec.Struct):
    """What is left to one call: its deadline (monotonic seconds), retries and body bytes."""

    options: CallOptions
    deadline: float | None
    retries_left: int
    bytes_left: int

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def timeout(self) -> Timeout:
        """The call's per-phase timeouts, none longer than what is left of the deadline."""
        configured = self.options.timeout
        remaining = self.remaining()
        if remaining is None:
            return configured
        left = max(remaining, 0.001)

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return Timeout(
            connect=cap(configured.connect),
            read=cap(configured.read),
            write=cap(configured.write),
            pool=cap(configured.pool),
        )


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, APIConnectionError):
        return True
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 or error.status_code in _constants.RETRYABLE_STATUSES
    return False


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import email.utils  # an HTTP date is rare: read only when one comes

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


@functools.cache
def _backoff() -> Any:
    """tenacity's exponential backoff with jitter (imported at the first retry, not before)."""
    import tenacity

    return tenacity.wait_exponential_jitter(
        multiplier=_constants.INITIAL_RETRY_DELAY, max=_constants.MAX_RETRY_DELAY, jitter=_constants.RETRY_JITTER
    )


class _Attempt(msgspec.Struct, frozen=True):
    """The one field of tenacity's RetryCallState that its wait strategies read."""

    attempt_number: int


def retry_delay(error: BaseException, attempt_number: int) -> float:
    """Seconds to wait after failed attempt `attempt_number` of one request: the server's
    Retry-After (up to a cap) when it sent one, else exponential backoff with jitter."""
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        return float(retry_after)
    return float(_backoff()(_Attempt(attempt_number)))


def next_delay(error: BaseException, attempt_number: int, budget: CallBudget) -> float | None:
    """The wait before retrying a request whose attempt `attempt_number` failed with `error`, or
    None when the call should give up: the error is final, no retries are left, or the wait would
    pass the deadline. A retry granted is taken from the budget."""
    if not is_retryable(error) or budget.retries_left <= 0:
        return None
    delay = retry_delay(error, attempt_number)
    if delay > _constants.MAX_RETRY_AFTER:
        return None  # the server asks for a pause longer than any caller would wait: give up now
    remaining = budget.remaining()
    if remaining is not None and delay >= remaining:
        return None
    budget.retries_left -= 1
    return delay


class RateLimitGate:
    """After a 429 with Retry-After, requests not yet started wait until then, so concurrent
    callers sharing one client slow down together (a retry waits on its own delay)."""

    def __init__(self) -> None:
        self._not_before = 0.0

    def wait(self) -> float:
        return max(0.0, self._not_before - time.monotonic())

    def note(self, error: BaseException) -> None:
        # A Retry-After over the cap ends its call instead (see next_delay), pausing no one.
        if isinstance(error, RateLimitError) and error.retry_after and error.retry_after <= _constants.MAX_RETRY_AFTER:
            self._not_before = max(self._not_before, time.monotonic() + error.retry_after)
