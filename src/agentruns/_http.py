"""The one request path. A client's `Transport` drives a plan (see _plan.py) over its sender
(`_transport.Sender`): one that sends one GET and hands back the response read to its end
(`Received`), or raises TransportFailure or BodyTooLarge. Every sender has the same `send`: our
own sync and async pools and the httpx ones (a caller's `http_client`, or a proxy). What follows is shared: status → typed error, body → model, the retry decision of
_retry.py and the call's deadline. The sync and async loops are the same lines, one with `await`."""

from __future__ import annotations

import functools
import gc
import os
import sys
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, TypeVar, cast

import orjson

from . import _constants
from ._plan import Headed, Plan, Request
from ._retry import CallBudget, CallOptions, RateLimitGate, next_delay, parse_retry_after
from ._transport import AsyncSender, BodyTooLarge, Received, Sender, TransportFailure
from ._transport.body import ACCEPT_ENCODING
from ._transport.deadline import deadline
from ._transport.target import Origin
from .errors import (
    AgentRunsError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientStateError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .registry import ProviderInfo
from .responses import RawResponse, RunResponse

T = TypeVar("T")


def _log(level: int, message: str, *args: object) -> None:
    """A record on the `agentruns` logger. Until something imports `logging` nobody can have
    configured it (and our records, DEBUG and INFO, would go nowhere), so an application that
    never logs never pays for the import."""
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger("agentruns").log(level, message, *args)


DEBUG, INFO = 10, 20  # logging's levels, named without importing it


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


def decode(parse: Callable[[bytes], T], body: bytes) -> T:
    """bytes → model (see `_plan.body`). Raises orjson.JSONDecodeError or the model's DecodeError.

    Building a large run allocates hundreds of thousands of objects, and every few hundred of those
    CPython's cyclic GC walks the young objects, and now and then all live ones: on a 1 MB run that
    is up to half the decode time, spent finding no garbage (JSON trees have no cycles). So the
    collector is paused while a large body is decoded, and resumed at once after."""
    if len(body) < _constants.GC_PAUSE_MIN_BYTES or not gc.isenabled():
        return parse(body)
    gc.disable()
    try:
        return parse(body)
    finally:
        gc.enable()


_REQUEST_ID_HEADERS = tuple(name.encode() for name in _constants.REQUEST_ID_HEADERS)


def request_id_in(raw_headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    # One pass over the raw headers: httpx's Headers.get scans (and re-encodes) the list per call.
    found: dict[bytes, bytes] = {}
    for key, value in raw_headers:
        lowered = key.lower()
        if lowered in _REQUEST_ID_HEADERS:
            found.setdefault(lowered, value)
    for name in _REQUEST_ID_HEADERS:
        if name in found:
            return found[name].decode("latin-1")
    return None


# The kinds of TransportFailure as an error message names them (httpx's names, which users know).
_FAILURE_NAMES = {
    "connect": "ConnectError",
    "connect_timeout": "ConnectTimeout",
    "read": "ReadError",
    "read_timeout": "ReadTimeout",
    "write": "WriteError",
    "write_timeout": "WriteTimeout",
    "pool_timeout": "PoolTimeout",
    "protocol": "RemoteProtocolError",
}

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _error_message(content: bytes) -> str | None:
    """The provider's own message in a JSON error body ({"message": ...}, {"error": {"message":
    ...}}, {"detail": ...}, {"error": "..."}), or None when it has none."""
    if not content or len(content) > 64 * 1024 or content[:1] != b"{":
        return None
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(body, dict):
        return None
    nested = body.get("error")
    for value in (
        body.get("message"),
        nested.get("message") if isinstance(nested, dict) else None,
        body.get("detail"),
        nested,
    ):
        if isinstance(value, str) and value.strip():
            return value[:300]
    return None


@functools.cache
def user_agent() -> str:
    """`agentruns/<version>`, sent by every road."""
    from ._version_info import version

    return f"agentruns/{version()}"


class Transport:
    """Everything a client holds that a request needs. Never renders its token."""

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
        self._headers = {"Authorization": f"Bearer {token}", **headers, **self.default_headers}
        self._raw_headers = [(name.encode("ascii"), value.encode("ascii")) for name, value in self._headers.items()]
        self.options = options
        self.gate = RateLimitGate()
        self.netloc = Origin.of(self.base_url).netloc  # as an error about reaching the server names it

    def __repr__(self) -> str:
        return f"Transport(provider={self.provider.name!r}, base_url={self.base_url!r})"

    # -- judging one received response (every road) -------------------------------------------

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def transport_error(self, request: Request[Any], failure: TransportFailure) -> APIConnectionError:
        kind = APITimeoutError if failure.is_timeout else APIConnectionError
        detail = self._scrub(str(failure))
        return kind(
            f"{_FAILURE_NAMES[failure.kind]}: {detail} ({self.netloc})",
            provider=self.provider.name,
            operation=request.operation,
        )

    def too_large(self, request: Request[Any], budget: CallBudget) -> ResponseTooLargeError:
        limit = budget.options.max_response_bytes
        return ResponseTooLargeError(
            f"response body exceeds max_response_bytes={limit}",
            provider=self.provider.name,
            operation=request.operation,
            limit=limit,
        )

    def finish(self, request: Request[T], received: Received, attempts: int) -> tuple[RawResponse, T]:
        """Turn a fully read response into its record and model, or raise the typed error it is.
        The status decides: a body that could not be decoded only loses the body."""
        status, raw_headers, body = received.status, received.headers, received.body
        record = RawResponse(
            operation=request.operation,
            status_code=status,
            content=body,
            request_id=request_id_in(raw_headers),
            attempts=attempts,
            raw_headers=raw_headers,
        )
        if not 200 <= status < 300:
            raise self._status_error(request, record, received.body_error)
        if received.body_error is not None:
            raise ResponseValidationError(
                f"the body could not be read: {received.body_error}", **self._about(request, record)
            )
        try:
            parsed = decode(request.parse, body)
            if request.with_headers:  # a page style that reads the Link header: the plan gets both
                return record, cast(T, Headed(parsed, tuple(raw_headers)))
            return record, parsed
        except orjson.JSONDecodeError as error:
            content_type = record.headers.get("content-type", "no content type")
            raise ResponseValidationError(
                f"body is not JSON ({content_type}, {len(body)} bytes): {error}", **self._about(request, record)
            ) from None
        except self.provider.decode_error as error:
            raise ResponseValidationError(
                f"does not match the {self.provider.title} spec: {getattr(error, 'message', error)}",
                path=getattr(error, "path_str", None) or None,
                **self._about(request, record),
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            raise ResponseValidationError(
                f"response could not be parsed: {error!r}", **self._about(request, record)
            ) from None

    def _about(self, request: Request[Any], record: RawResponse) -> dict[str, Any]:
        """What every error about a received response carries."""
        if record.http_request is None:
            # For reference only, without the Authorization header; built only for an error, as
            # parsing a URL costs more than the rest of a successful request's handling.
            import httpx  # only for an error: the request, for reference

            record.http_request = httpx.Request(
                "GET", self.base_url + request.path, params=request.params, headers={"Accept": "application/json"}
            )
        return {
            "provider": self.provider.name,
            "operation": request.operation,
            "response": record.http_response,
            "body": record.content,
            "request_id": record.request_id,
        }

    def _status_error(self, request: Request[Any], record: RawResponse, body_error: str | None) -> APIStatusError:
        status = record.status_code
        said = _error_message(record.content)
        excerpt = self._scrub(said if said is not None else record.content[:300].decode("utf-8", "replace")).strip()
        message = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
        if body_error is not None:
            message += f" (the body could not be read: {body_error})"
        kind = _STATUS_ERRORS.get(status, ServerError if status >= 500 else APIStatusError)
        about = self._about(request, record)
        if kind is RateLimitError:
            return RateLimitError(message, retry_after=parse_retry_after(record.headers.get("retry-after")), **about)
        return kind(message, **about)

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

    # -- one attempt, on whatever road the client has ----------------------------------------

    def _attempt(self, sender: Sender, request: Request[T], budget: CallBudget, attempt: int) -> tuple[RawResponse, T]:
        try:
            received = sender.send(request.path, request.params, budget.timeout(), budget.bytes_left)
        except TransportFailure as failure:
            raise self.transport_error(request, failure) from None
        except BodyTooLarge:
            raise self.too_large(request, budget) from None
        _log(DEBUG, "GET %s%s -> %d (attempt %d)", self.base_url, request.path, received.status, attempt)
        return self.finish(request, received, attempt)

    async def _attempt_async(
        self, sender: AsyncSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        try:
            received = await sender.send(request.path, request.params, budget.timeout(), budget.bytes_left)
        except TransportFailure as failure:
            raise self.transport_error(request, failure) from None
        except BodyTooLarge:
            raise self.too_large(request, budget) from None
        _log(DEBUG, "GET %s%s -> %d (attempt %d)", self.base_url, request.path, received.status, attempt)
        return self.finish(request, received, attempt)

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
        """`run` on an async road. The deadline cancels whatever is in flight when it passes."""
        steps = _PlanSteps(plan, options)
        request = None
        import asyncio

        scope = asyncio.timeout(steps.budget.remaining())
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


__all__ = ["Transport", "decode", "request_id_in"]
