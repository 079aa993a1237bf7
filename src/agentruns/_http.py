"""The one request path. A client's `Transport` drives a plan (see _plan.py) over one of three
roads: sync httpx, async httpx (a caller's `httpx.AsyncClient`) or async aiohttp (the default
async road). Each road only moves bytes; what follows is shared: status → typed error, or body →
model, and the retry decision of _retry.py. The sync and async loops are the same lines, one with
`await`."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import orjson

from . import _constants
from ._plan import Plan, Request
from ._retry import CallBudget, CallOptions, RateLimitGate, next_delay, parse_retry_after
from .errors import (
    AgentRunsError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    _ResponseError,
)
from .registry import ProviderInfo
from .responses import RawResponse, RunResponse

if TYPE_CHECKING:
    from ._aiohttp import AiohttpSender

T = TypeVar("T")
logger = logging.getLogger("agentruns")

# Indirections so tests can record the delays a retry asks for without waiting them out.
sleep: Callable[[float], None] = time.sleep
async_sleep: Callable[[float], Any] = asyncio.sleep


def decode(parse: Callable[[Any], T], body: bytes) -> T:
    """bytes → JSON → model. Raises orjson.JSONDecodeError or the model's DecodeError.

    Building a large run allocates hundreds of thousands of objects, and every few hundred of those
    CPython's cyclic GC walks the young objects, and now and then all live ones: on a 1 MB run that
    is up to half the decode time, spent finding no garbage (JSON trees have no cycles). So the
    collector is paused while a large body is decoded, and resumed at once after."""
    if len(body) < _constants.GC_PAUSE_MIN_BYTES or not gc.isenabled():
        return parse(orjson.loads(body))
    gc.disable()
    try:
        return parse(orjson.loads(body))
    finally:
        gc.enable()


_REQUEST_ID_HEADERS = tuple(name.encode() for name in _constants.REQUEST_ID_HEADERS)


def request_id_of(raw_headers: Iterable[tuple[bytes, bytes]]) -> str | None:
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


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}


class Transport:
    """Everything a client holds that a request needs. Never renders its token."""

    def __init__(self, provider: ProviderInfo, base_url: str, token: str, options: CallOptions) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.options = options
        self.gate = RateLimitGate()

    def __repr__(self) -> str:
        return f"Transport(provider={self.provider.name!r}, base_url={self.base_url!r})"

    # -- judging one received response (every road) -------------------------------------------

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def transport_error(self, request: Request[Any], error: httpx.HTTPError) -> APIConnectionError:
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        detail = self._scrub(str(error)) or type(error).__name__
        return kind(
            f"{type(error).__name__}: {detail}",
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
        response: httpx.Response | None = None,
    ) -> tuple[RawResponse, T]:
        """Turn a fully read response into its record and model, or raise the typed error it is.
        `response` is the httpx response where the road has one; else it is built for an error."""
        record = RawResponse(
            operation=request.operation,
            status_code=status,
            content=body,
            request_id=request_id_of(raw_headers),
            attempts=attempts,
            raw_headers=raw_headers,
            http_response=response,
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
        return {
            "provider": self.provider.name,
            "operation": request.operation,
            "response": record.http_response,
            "body": record.content,
            "request_id": record.request_id,
        }

    def _status_error(self, request: Request[Any], record: RawResponse) -> APIStatusError:
        status = record.status_code
        excerpt = self._scrub(record.content[:300].decode("utf-8", "replace")).strip()
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

    # -- the three roads: one attempt each ---------------------------------------------------

    def _read(self, response: httpx.Response, chunks: Any, request: Request[Any], budget: CallBudget) -> bytes:
        """The body, up to `limit` bytes. A declared, uncompressed length within the limit is read in
        one go (most responses); otherwise chunk by chunk, stopping at the limit (a compressed body
        is measured after decompression, so a small gzip bomb stops too)."""
        limit = budget.bytes_left
        declared = response.headers.get("content-length")
        if (
            declared is not None
            and declared.isdigit()
            and int(declared) <= limit
            and "content-encoding" not in response.headers
        ):
            return response.read()
        body = bytearray()
        for chunk in chunks:
            body += chunk
            if len(body) > limit:
                raise self.too_large(request, budget)
        return bytes(body)

    def _build(
        self, client: httpx.Client | httpx.AsyncClient, request: Request[Any], budget: CallBudget
    ) -> httpx.Request:
        return client.build_request(
            "GET",
            self.base_url + request.path,
            params=request.params or None,
            headers=self._headers,
            timeout=budget.timeout(),
        )

    def _attempt(
        self, client: httpx.Client, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        outgoing = self._build(client, request, budget)
        try:
            response = client.send(outgoing, stream=True)
            try:
                body = self._read(response, response.iter_bytes(), request, budget)
            finally:
                response.close()
        except httpx.HTTPError as error:
            raise self.transport_error(request, error) from None
        logger.debug("GET %s -> %d (attempt %d)", outgoing.url, response.status_code, attempt)
        return self.finish(request, response.status_code, response.headers.raw, body, attempt, response)

    async def _attempt_async(
        self, client: httpx.AsyncClient | AiohttpSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        if not isinstance(client, httpx.AsyncClient):
            return await self._attempt_aiohttp(client, request, budget, attempt)
        outgoing = self._build(client, request, budget)
        try:
            response = await client.send(outgoing, stream=True)
            try:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > budget.bytes_left:
                        raise self.too_large(request, budget)
            finally:
                await response.aclose()
        except httpx.HTTPError as error:
            raise self.transport_error(request, error) from None
        logger.debug("GET %s -> %d (attempt %d)", outgoing.url, response.status_code, attempt)
        return self.finish(request, response.status_code, response.headers.raw, bytes(body), attempt, response)

    async def _attempt_aiohttp(
        self, sender: AiohttpSender, request: Request[T], budget: CallBudget, attempt: int
    ) -> tuple[RawResponse, T]:
        url = self.base_url + request.path
        try:
            status, headers, body, too_large = await sender.get(
                url, request.params, self._headers, budget.timeout(), budget.bytes_left
            )
        except httpx.HTTPError as error:
            raise self.transport_error(request, error) from None
        if too_large:
            raise self.too_large(request, budget)
        logger.debug("GET %s -> %d (attempt %d)", url, status, attempt)
        try:
            return self.finish(request, status, headers, body, attempt)
        except _ResponseError as error:
            # Its request, for reference only (without the Authorization header), is built only for
            # an error: parsing a URL costs more than the rest of this step.
            error.response.request = httpx.Request(
                "GET", url, params=request.params, headers={"Accept": "application/json"}
            )
            raise

    # -- the loops: one request with its retries, and a whole plan --------------------------------

    def _send(self, client: httpx.Client, request: Request[T], budget: CallBudget) -> tuple[RawResponse, T]:
        attempt = 0
        while True:
            attempt += 1
            if attempt == 1 and (wait := self.gate.wait()):  # a retry waits its own delay, not the gate
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
            if attempt == 1 and (wait := self.gate.wait()):  # a retry waits its own delay, not the gate
                await async_sleep(wait)
            try:
                return await self._attempt_async(client, request, budget, attempt)
            except AgentRunsError as error:
                await async_sleep(self._failed(error, attempt, budget))

    def run(self, client: httpx.Client, plan: Plan[T], options: CallOptions) -> RunResponse[T]:
        """Drive `plan` to its end on the sync road: every request it yields, within one budget."""
        steps = _PlanSteps(plan, options)
        while (request := steps.next_request()) is not None:
            steps.received(*self._send(client, request, steps.budget))
        return steps.result()

    async def run_async(
        self, client: httpx.AsyncClient | AiohttpSender, plan: Plan[T], options: CallOptions
    ) -> RunResponse[T]:
        """`run` on an async road."""
        steps = _PlanSteps(plan, options)
        while (request := steps.next_request()) is not None:
            steps.received(*await self._send_async(client, request, steps.budget))
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
        self._reply = parsed

    def result(self) -> RunResponse[Any]:
        return RunResponse(self._value, tuple(self._records))


__all__ = ["Transport", "decode", "request_id_of"]
