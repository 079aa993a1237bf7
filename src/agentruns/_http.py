"""The one request path. A client's `Transport` drives a plan (see _plan.py) over one of four
roads: sync httpcore (the default sync road), sync httpx (a caller's `httpx.Client`, or a proxy
set-up), async aiohttp (the default async road) or async httpx (a caller's `httpx.AsyncClient`).
Each road only moves bytes, still compressed; what follows is shared: the body read within its
limit (_body.py), status → typed error, or body → model, the retry decision of _retry.py and the
call's deadline. The sync and async loops are the same lines, one with `await`."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import orjson

from . import _constants
from ._body import ACCEPT_ENCODING, BodyReader, BodyTooLarge
from ._httpcore import HttpcoreSender, deadline
from ._plan import Plan, Request
from ._retry import CallBudget, CallOptions, RateLimitGate, next_delay, parse_retry_after
from .errors import (
    AgentRunsError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
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

if TYPE_CHECKING:
    from ._aiohttp import AiohttpSender

T = TypeVar("T")
logger = logging.getLogger("agentruns")


def _log_from_environment() -> None:
    """AGENTRUNS_LOG=debug (every request) or info (retries): a stderr handler for our logger,
    unless the application has configured one."""
    level = os.environ.get("AGENTRUNS_LOG", "").strip().upper()
    if level in ("DEBUG", "INFO") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)


_log_from_environment()

# Indirections so tests can record the delays a retry asks for without waiting them out.
sleep: Callable[[float], None] = time.sleep
async_sleep: Callable[[float], Any] = asyncio.sleep


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


def header(raw_headers: Iterable[tuple[bytes, bytes]], name: bytes) -> str | None:
    """The first value of header `name` (lower case) in raw headers."""
    for key, value in raw_headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


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
    """`agentruns/<version>`, sent by every road (read once: the metadata lookup costs ms)."""
    from importlib.metadata import version

    return f"agentruns/{version('agentruns')}"


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
        url = httpx.URL(self.base_url)
        # host:port, as an error about reaching the server names it
        self.netloc = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"

    def __repr__(self) -> str:
        return f"Transport(provider={self.provider.name!r}, base_url={self.base_url!r})"

    # -- judging one received response (every road) -------------------------------------------

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def transport_error(self, request: Request[Any], error: httpx.HTTPError) -> APIConnectionError:
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        detail = self._scrub(str(error)) or type(error).__name__
        return kind(
            f"{type(error).__name__}: {detail} ({self.netloc})",
            provider=self.provider.name,
            operation=request.operation,
            request=getattr(error, "_request", None),
        )

    def too_large(self, request: Request[Any], budget: CallBudget) -> ResponseTooLargeError:
        limit = budget.options.max_response_bytes
        return ResponseTooLargeError(
            f"response body exceeds max_response_bytes={limit}",
            provider=self.provider.name,
            operation=request.operation,
            limit=limit,
        )

    def finish(
        self,
        request: Request[T],
        status: int,
        raw_headers: Sequence[tuple[bytes, bytes]],
        body: bytes,
        attempts: int,
        outgoing: httpx.Request | None = None,
    ) -> tuple[RawResponse, T]:
        """Turn a fully read response into its record and model, or raise the typed error it is.
        `outgoing` is the httpx request where the road built one."""
        record = RawResponse(
            operation=request.operation,
            status_code=status,
            content=body,
            request_id=request_id_in(raw_headers),
            attempts=attempts,
            raw_headers=raw_headers,
            http_request=outgoing,
        )
        if not 200 <= status < 300:
            raise self._status_error(request, record)
        try:
            return record, decode(request.parse, body)
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

    def _status_error(self, request: Request[Any], record: RawResponse) -> APIStatusError:
        status = record.status_code
        said = _error_message(record.content)
        excerpt = self._scrub(said if said is not None else record.content[:300].decode("utf-8", "replace")).strip()
        message = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
        kind = _STATUS_ERRORS.get(status, ServerError if status >= 500 else APIStatusError)
        about = self._about(request, record)
        if kind is RateLimitError:
            return RateLimitError(message, retry_after=parse_retry_after(record.headers.get("retry-after")), **about)
        return kind(message, **about)

    def _failed(self, error: AgentRunsError, attempt: int, budget: CallBudget) -> float:
        """The wait before the next attempt of a request that failed with `error`; re-raises it
        when the policy says to give up."""
        self.gate.note(error)
        delay = next_delay(error, attempt, budget)
        if delay is None:
            raise error
        logger.info("retrying (attempt %d failed: %s)", attempt, error)
        return delay

    # -- the roads: one attempt each ----------------------------------------------------------

    def _httpx_request(
        self, client: httpx.Client | httpx.AsyncClient, request: Request[Any], budget: CallBudget
    ) -> httpx.Request:
        return client.build_request(
            "GET",
            self.base_url + request.path,
            params=request.params or None,
            headers=self._headers,
            timeout=budget.timeout(),
        )

    @staticmethod
    def _reader(
        budget: CallBudget, raw_headers: Sequence[tuple[bytes, bytes]], streamed: httpx.Response | None = None
    ) -> BodyReader:
        """Reads the body within the call's byte budget. A response made with its content (an
        httpx.MockTransport's) has it decoded already."""
        consumed = streamed is not None and streamed.is_stream_consumed
        return BodyReader(None if consumed else header(raw_headers, b"content-encoding"), budget.bytes_left)

    def _attempt(
        self, client: httpx.Client | HttpcoreSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        outgoing = None
        try:
            if isinstance(client, HttpcoreSender):
                response = client.open(request.path, request.params, self._raw_headers, budget.timeout())
                status, raw_headers = response.status, response.headers
                body = client.read(response, self._reader(budget, raw_headers))
            else:
                outgoing = self._httpx_request(client, request, budget)
                streamed = client.send(outgoing, stream=True)
                status, raw_headers = streamed.status_code, streamed.headers.raw
                try:
                    reader = self._reader(budget, raw_headers, streamed)
                    for chunk in streamed.iter_raw() if not streamed.is_stream_consumed else (streamed.content,):
                        reader.feed(chunk)
                        budget.check_deadline()  # httpx's timeouts are per read only
                    body = reader.body()
                finally:
                    streamed.close()
        except httpx.HTTPError as error:
            raise self.transport_error(request, error) from None
        except BodyTooLarge:
            raise self.too_large(request, budget) from None
        logger.debug("GET %s%s -> %d (attempt %d)", self.base_url, request.path, status, attempt)
        return self.finish(request, status, raw_headers, body, attempt, outgoing)

    async def _attempt_async(
        self, client: httpx.AsyncClient | AiohttpSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        outgoing = None
        try:
            if isinstance(client, httpx.AsyncClient):
                outgoing = self._httpx_request(client, request, budget)
                streamed = await client.send(outgoing, stream=True)
                status, raw_headers = streamed.status_code, streamed.headers.raw
                try:
                    reader = self._reader(budget, raw_headers, streamed)
                    if streamed.is_stream_consumed:
                        reader.feed(streamed.content)
                    else:
                        async for chunk in streamed.aiter_raw():
                            reader.feed(chunk)
                    body = reader.body()
                finally:
                    await streamed.aclose()
            else:
                status, raw_headers, body = await client.get(
                    self.base_url + request.path,
                    request.params,
                    self._headers,
                    budget.timeout(),
                    lambda headers: self._reader(budget, headers),
                )
        except httpx.HTTPError as error:
            raise self.transport_error(request, error) from None
        except BodyTooLarge:
            raise self.too_large(request, budget) from None
        logger.debug("GET %s%s -> %d (attempt %d)", self.base_url, request.path, status, attempt)
        return self.finish(request, status, raw_headers, body, attempt, outgoing)

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

    def _send(
        self, client: httpx.Client | HttpcoreSender, request: Request[T], budget: CallBudget
    ) -> tuple[RawResponse, T]:
        attempt = 0
        while True:
            attempt += 1
            if attempt == 1 and (wait := self._gate_wait(request, budget)):  # a retry waits its own delay
                sleep(wait)
            try:
                return self._attempt(client, request, budget, attempt)
            except AgentRunsError as error:
                sleep(self._failed(error, attempt, budget))

    async def _send_async(
        self, client: httpx.AsyncClient | AiohttpSender, request: Request[T], budget: CallBudget
    ) -> tuple[RawResponse, T]:
        attempt = 0
        while True:
            attempt += 1
            if attempt == 1 and (wait := self._gate_wait(request, budget)):  # a retry waits its own delay
                await async_sleep(wait)
            try:
                return await self._attempt_async(client, request, budget, attempt)
            except AgentRunsError as error:
                await async_sleep(self._failed(error, attempt, budget))

    def _deadline_passed(self, steps: _PlanSteps, request: Request[Any] | None) -> APITimeoutError:
        return APITimeoutError(
            f"total_timeout={steps.budget.options.total_timeout:g} s passed",
            provider=self.provider.name,
            operation=request.operation if request is not None else "",
        )

    def run(self, client: httpx.Client | HttpcoreSender, plan: Plan[T], options: CallOptions) -> RunResponse[T]:
        """Drive `plan` to its end on the sync road: every request it yields, within one budget.
        The deadline reaches into every socket operation on our own road (see _httpcore.py)."""
        steps = _PlanSteps(plan, options)
        with deadline(steps.budget.deadline):
            while (request := steps.next_request()) is not None:
                steps.received(*self._send(client, request, steps.budget))
        return steps.result()

    async def run_async(
        self, client: httpx.AsyncClient | AiohttpSender, plan: Plan[T], options: CallOptions
    ) -> RunResponse[T]:
        """`run` on an async road. The deadline cancels whatever is in flight when it passes."""
        steps = _PlanSteps(plan, options)
        request = None
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
