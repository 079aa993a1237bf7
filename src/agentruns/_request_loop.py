"""The request loop: the one request path above the senders. A client's `RequestLoop` drives a
plan (see _plan.py) over its sender (`_transport.Sender`, which sends one GET and hands back the
response read to its end, or raises TransportFailure or BodyTooLarge): the call's budget and
deadline, each request's retries (the decision is _retry.py's), the shared rate-limit pause.
What each response means (a model, or which typed error) is the judge's (_judge.py). The sync
and async loops are the same lines, one with `await`."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

from ._judge import Judge
from ._plan import Plan, Request
from ._retry import CallBudget, CallOptions, RateLimitGate, next_delay
from ._transport import AsyncSender, BodyTooLarge, Sender, TransportFailure
from ._transport.body import ACCEPT_ENCODING
from ._transport.deadline import deadline
from .errors import AgentRunsError, APITimeoutError, ClientStateError
from .registry import ProviderInfo
from .responses import RawResponse, RunResponse

T = TypeVar("T")


_logger: Any = None  # the `agentruns` logger, once `logging` is imported


def _log(level: int, message: str, *args: object) -> None:
    """A record on the `agentruns` logger. Until something imports `logging` nobody can have
    configured it (and our records, DEBUG and INFO, would go nowhere), so an application that
    never logs never pays for the import. The logger is looked up once (getLogger takes
    logging's lock), and a level it does not want costs one cached check."""
    global _logger
    if _logger is None:
        logging = sys.modules.get("logging")
        if logging is None:
            return
        _logger = logging.getLogger("agentruns")
    if _logger.isEnabledFor(level):
        _logger.log(level, message, *args)


DEBUG, INFO = 10, 20  # logging's levels, named without importing it

# Awaited with a body's size before the async road decodes it, where set (for this task): the
# pause fetch_many's own loop puts on decoding until its caller has taken what was decoded.
before_decode: ContextVar[Callable[[int], Awaitable[None]] | None] = ContextVar("agentruns_before_decode", default=None)


def _log_from_environment() -> None:
    """AGENTRUNS_LOG=debug (every request) or info (retries): a stderr handler for our logger,
    unless the application has configured one."""
    level = os.environ.get("AGENTRUNS_LOG", "").strip().upper()
    if level in ("DEBUG", "INFO"):
        import logging

        logger = logging.getLogger("agentruns")
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(level)


_log_from_environment()

# Indirections so tests can record the delays a retry asks for without waiting them out.
sleep: Callable[[float], None] = time.sleep


async def _asyncio_sleep(seconds: float) -> None:
    import asyncio  # asyncio loads only for async use

    await asyncio.sleep(seconds)


async_sleep: Callable[[float], Any] = _asyncio_sleep


@functools.cache
def user_agent() -> str:
    """`agentruns/<version>`, sent by every sender."""
    from ._version_info import version

    return f"agentruns/{version()}"


class RequestLoop:
    """Everything a client holds that a request needs: its headers, options, rate-limit gate and
    judge. Never renders its token."""

    def __init__(
        self,
        provider: ProviderInfo,
        base_url: str,
        token: str,
        options: CallOptions,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.default_headers = dict(default_headers or {})
        headers = {"Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING, "User-Agent": user_agent()}
        # The caller's headers replace ours of the same name (whatever its case); the key's own.
        chosen = {name.lower() for name in self.default_headers}
        headers = {name: value for name, value in headers.items() if name.lower() not in chosen}
        key = {provider.auth.header: provider.auth.value(token)} if token else {}  # none where a key is optional
        self._headers = {**key, **headers, **self.default_headers}
        self._raw_headers = [(name.encode("ascii"), value.encode("ascii")) for name, value in self._headers.items()]
        self.options = options
        self.gate = RateLimitGate()
        self.judge = Judge(provider, self.base_url, token)

    def __repr__(self) -> str:
        return f"RequestLoop(provider={self.provider.name!r}, base_url={self.base_url!r})"

    def _failed(self, error: AgentRunsError, attempt: int, budget: CallBudget) -> float | None:
        """The wait before the next attempt of a request that failed with `error`, or None when
        the policy says to give up. (The caller re-raises with a bare `raise`: an error raised from
        a local here would hold this frame, and through it everything the attempt read, in a
        cycle only the cyclic collector frees.)"""
        self.gate.note(error)
        delay = next_delay(error, attempt, budget)
        if delay is not None:
            _log(INFO, "retrying (attempt %d failed: %s)", attempt, error)
        return delay

    # -- one attempt, on whatever sender the client has--------------------------------------

    def _attempt(self, sender: Sender, request: Request[T], budget: CallBudget, attempt: int) -> tuple[RawResponse, T]:
        try:
            received = sender.send(request.path, request.params, budget.timeout(), budget.bytes_left)
        except TransportFailure as failure:
            raise self.judge.transport_error(request, failure) from None
        except BodyTooLarge:
            raise self.judge.too_large(request, budget) from None
        _log(DEBUG, "GET %s%s -> %d (attempt %d)", self.base_url, request.path, received.status, attempt)
        return self.judge.verdict(request, received, attempt)

    async def _attempt_async(
        self, sender: AsyncSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        try:
            received = await sender.send(request.path, request.params, budget.timeout(), budget.bytes_left)
        except TransportFailure as failure:
            raise self.judge.transport_error(request, failure) from None
        except BodyTooLarge:
            raise self.judge.too_large(request, budget) from None
        _log(DEBUG, "GET %s%s -> %d (attempt %d)", self.base_url, request.path, received.status, attempt)
        if (pause := before_decode.get()) is not None:
            await pause(len(received.body))
        return self.judge.verdict(request, received, attempt)

    def _closed(self, sender: Sender | AsyncSender, request: Request[Any]) -> ClientStateError | None:
        """The error for a request of a client closed meanwhile (no attempt starts after close)."""
        if not sender.closed:
            return None
        return ClientStateError("this client was closed", provider=self.provider.name, operation=request.operation)

    # -- the loops: one request with its retries, and a whole plan --------------------------------

    def _gate_wait(self, request: Request[Any], budget: CallBudget) -> float:
        """The shared rate-limit pause still to wait before a request's first attempt; a pause
        that would pass the call's deadline ends the call now instead."""
        wait = self.gate.wait()
        remaining = budget.remaining()
        if wait and remaining is not None and wait >= remaining:
            raise APITimeoutError(
                f"rate limited: the shared {wait:.1f} s pause passes the call's total_timeout",
                provider=self.provider.name,
                operation=request.operation,
            )
        return wait

    def _send(self, sender: Sender, request: Request[T], budget: CallBudget) -> tuple[RawResponse, T]:
        attempt = 0
        while True:
            attempt += 1
            if attempt == 1 and (wait := self._gate_wait(request, budget)):  # a retry waits its own delay
                sleep(wait)
            if closed := self._closed(sender, request):
                raise closed
            try:
                return self._attempt(sender, request, budget, attempt)
            except AgentRunsError as error:
                if closed := self._closed(sender, request):
                    raise closed from None
                delay = self._failed(error, attempt, budget)
                if delay is None:
                    raise
            sleep(delay)

    async def _send_async(self, sender: AsyncSender, request: Request[T], budget: CallBudget) -> tuple[RawResponse, T]:
        attempt = 0
        while True:
            attempt += 1
            if attempt == 1 and (wait := self._gate_wait(request, budget)):  # a retry waits its own delay
                await async_sleep(wait)
            if closed := self._closed(sender, request):
                raise closed
            try:
                return await self._attempt_async(sender, request, budget, attempt)
            except AgentRunsError as error:
                if closed := self._closed(sender, request):
                    raise closed from None
                delay = self._failed(error, attempt, budget)
                if delay is None:
                    raise
            await async_sleep(delay)

    def _deadline_passed(self, steps: _PlanSteps, request: Request[Any] | None) -> APITimeoutError:
        return APITimeoutError(
            f"total_timeout={steps.budget.options.total_timeout:g} s passed",
            provider=self.provider.name,
            operation=request.operation if request is not None else "",
        )

    def run(self, client: Sender, plan: Plan[T], options: CallOptions) -> RunResponse[T]:
        """Drive `plan` to its end on the sync road: every request it yields, within one budget.
        The deadline reaches into every socket operation on our own road (see _transport/deadline.py)."""
        steps = _PlanSteps(plan, options)
        with deadline(steps.budget.deadline):
            while (request := steps.next_request()) is not None:
                steps.received(*self._send(client, request, steps.budget))
        return steps.result()

    async def run_async(self, client: AsyncSender, plan: Plan[T], options: CallOptions) -> RunResponse[T]:
        """`run` on an async road. On our own, each request is given at most what is left of the
        deadline (a request still in flight then fails, as on the sync road); on httpx's, a scope
        cancels whatever is in flight when it passes."""
        steps = _PlanSteps(plan, options)
        request = None
        remaining = steps.budget.remaining()
        if remaining is None or getattr(client, "keeps_deadline", False):
            # Our own road gives each request at most what is left of the deadline, as the sync
            # road does: no scope to enter (a timer and two loop lookups a call, ~5 µs).
            with deadline(steps.budget.deadline):
                while (request := steps.next_request()) is not None:
                    steps.received(*await self._send_async(client, request, steps.budget))
            return steps.result()
        import asyncio

        scope = asyncio.timeout(remaining)
        try:
            async with scope:
                while (request := steps.next_request()) is not None:
                    steps.received(*await self._send_async(client, request, steps.budget))
        except TimeoutError:
            if not scope.expired():
                raise
            raise self._deadline_passed(steps, request) from None
        return steps.result()


class _PlanSteps:
    """The sans-IO half of running a plan: hands out its requests one by one, takes back each
    parsed body, keeps the raw responses and the call's budget."""

    def __init__(self, plan: Generator[Request[Any], Any, Any], options: CallOptions) -> None:
        self._plan = plan
        self.budget = options.budget()
        self._records: list[RawResponse] = []
        self._reply: Any = None
        self._value: Any = None

    def next_request(self) -> Request[Any] | None:
        try:
            return self._plan.send(self._reply) if self._records else next(self._plan)
        except StopIteration as stop:
            self._value = stop.value
            return None

    def received(self, record: RawResponse, parsed: Any) -> None:
        self._records.append(record)
        self.budget.bytes_left -= len(record.content)
        if hasattr(parsed, "_request_id"):  # an operation's body model (a list page has none)
            parsed._request_id = record.request_id
        self._reply = parsed

    def result(self) -> RunResponse[Any]:
        return RunResponse(self._value, tuple(self._records))


__all__ = ["RequestLoop", "async_sleep", "sleep", "user_agent"]
