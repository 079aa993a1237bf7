"""The one request path. Both sync and async clients go through `RequestContext`:
URL and auth header → send (retrying with backoff) → status → typed error, or body → model."""

from __future__ import annotations

import asyncio
import email.utils
import gc
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import orjson
import tenacity
from attrs import frozen

from . import _constants
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
)

if TYPE_CHECKING:
    from ._aiohttp import AiohttpSender

T = TypeVar("T")
logger = logging.getLogger("agentruns")

# Indirections so tests can record the delays a retry asks for without waiting them out.
sleep: Callable[[float], None] = time.sleep
async_sleep: Callable[[float], Any] = asyncio.sleep


@frozen
class Provider:
    """What the layer needs to know about a provider beyond its generated package."""

    name: str  # "casedev": the ref prefix and the generated package suffix
    title: str  # "case.dev"
    env_prefix: str  # "CASEDEV": CASEDEV_API_KEY, CASEDEV_BASE_URL
    default_base_url: str  # servers[0] of specs/<name>.yaml
    decode_error: type[ValueError]  # the generated package's DecodeError
    key_prefix: str | None = None  # keys must start with this, when the provider says so


@frozen
class RequestPlan(Generic[T]):
    """One operation call, built from the generated request builder: where to send, how to parse."""

    operation: str
    path: str  # already percent-encoded by the generated builder
    parse: Callable[[Any], T]  # the generated model's from_dict
    params: Mapping[str, str] = {}


@frozen
class RunResponse(Generic[T]):
    """The parsed model beside the raw response it came from."""

    parsed: T
    status_code: int
    headers: httpx.Headers
    content: bytes
    request_id: str | None
    attempts: int
    http_response: httpx.Response


@frozen
class CallOptions:
    timeout: httpx.Timeout
    max_retries: int
    max_response_bytes: int


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


def request_id_of(response: httpx.Response) -> str | None:
    # One pass over the raw headers: httpx's Headers.get scans (and re-encodes) the list per call.
    found: dict[bytes, bytes] = {}
    for key, value in response.headers.raw:
        lowered = key.lower()
        if lowered in _REQUEST_ID_HEADERS:
            found.setdefault(lowered, value)
    for name in _REQUEST_ID_HEADERS:
        if name in found:
            return found[name].decode("latin-1")
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def is_retryable(error: BaseException) -> bool:
    if isinstance(error, APIConnectionError):
        return True
    if isinstance(error, APIStatusError):
        return error.status_code >= 500 or error.status_code in _constants.RETRYABLE_STATUSES
    return False


_backoff = tenacity.wait_exponential_jitter(
    multiplier=_constants.INITIAL_RETRY_DELAY, max=_constants.MAX_RETRY_DELAY, jitter=_constants.RETRY_JITTER
)


@frozen
class _Attempt:
    """The one field of tenacity's RetryCallState that its wait strategies read."""

    attempt_number: int


def retry_delay(error: BaseException | None, attempt_number: int) -> float:
    """Seconds to wait after failed attempt `attempt_number`: the server's Retry-After (up to a
    cap) when it sent one, else exponential backoff with jitter."""
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        return min(float(retry_after), _constants.MAX_RETRY_AFTER)
    return float(_backoff(_Attempt(attempt_number)))  # type: ignore[arg-type]


class RequestContext:
    """Everything a client holds that a request needs. Never renders its token."""

    def __init__(self, provider: Provider, base_url: str, token: str, options: CallOptions) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.options = options
        # After a 429 with Retry-After, requests not yet started wait until this monotonic time, so
        # concurrent callers sharing the client slow down together (retries wait on their own).
        self._not_before = 0.0

    def __repr__(self) -> str:
        return f"RequestContext(provider={self.provider.name!r}, base_url={self.base_url!r})"

    # -- building and judging one attempt --------------------------------------------------------

    def build(
        self, client: httpx.Client | httpx.AsyncClient, plan: RequestPlan[Any], options: CallOptions
    ) -> httpx.Request:
        return client.build_request(
            "GET",
            self.base_url + plan.path,
            params=dict(plan.params) or None,
            headers=self._headers,
            timeout=options.timeout,
        )

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text

    def transport_error(self, plan: RequestPlan[Any], error: httpx.HTTPError) -> APIConnectionError:
        kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        request = getattr(error, "_request", None)
        detail = self._scrub(str(error)) or type(error).__name__
        return kind(
            f"{type(error).__name__}: {detail}", provider=self.provider.name, operation=plan.operation, request=request
        )

    def too_large(self, plan: RequestPlan[Any], limit: int) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"response body exceeds max_response_bytes={limit}",
            provider=self.provider.name,
            operation=plan.operation,
            limit=limit,
        )

    def finish(self, plan: RequestPlan[T], response: httpx.Response, body: bytes, attempts: int) -> RunResponse[T]:
        """Turn a fully read response into a RunResponse, or raise the typed error it amounts to."""
        request_id = request_id_of(response)
        status = response.status_code
        where = {"provider": self.provider.name, "operation": plan.operation}
        common: dict[str, Any] = {**where, "response": response, "body": body, "request_id": request_id}
        if not 200 <= status < 300:
            raise self._status_error(status, response, body, common)
        try:
            parsed = decode(plan.parse, body)
        except orjson.JSONDecodeError as error:
            content_type = response.headers.get("content-type", "no content type")
            raise ResponseValidationError(
                f"body is not JSON ({content_type}, {len(body)} bytes): {error}", **common
            ) from None
        except self.provider.decode_error as error:
            raise ResponseValidationError(
                f"does not match the {self.provider.title} spec: {getattr(error, 'message', error)}",
                path=getattr(error, "path_str", None) or None,
                **common,
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            raise ResponseValidationError(f"response could not be parsed: {error!r}", **common) from None
        return RunResponse(
            parsed=parsed,
            status_code=status,
            headers=response.headers,
            content=body,
            request_id=request_id,
            attempts=attempts,
            http_response=response,
        )

    def _status_error(
        self, status: int, response: httpx.Response, body: bytes, common: dict[str, Any]
    ) -> APIStatusError:
        excerpt = self._scrub(body[:300].decode("utf-8", "replace")).strip()
        message = f"HTTP {status}" + (f": {excerpt}" if excerpt else "")
        kind: type[APIStatusError] = {
            401: AuthenticationError,
            403: PermissionDeniedError,
            404: NotFoundError,
            429: RateLimitError,
        }.get(status, ServerError if status >= 500 else APIStatusError)
        if kind is RateLimitError:
            return RateLimitError(message, retry_after=parse_retry_after(response.headers.get("retry-after")), **common)
        return kind(message, **common)

    def _cooldown(self) -> float:
        return max(0.0, self._not_before - time.monotonic())

    def _note_rate_limit(self, error: BaseException) -> None:
        retry_after = getattr(error, "retry_after", None)
        if isinstance(error, RateLimitError) and retry_after:
            wait = min(float(retry_after), _constants.MAX_RETRY_AFTER)
            self._not_before = max(self._not_before, time.monotonic() + wait)

    def _should_retry(self, error: BaseException, attempt_number: int, options: CallOptions) -> bool:
        """Whether failed attempt `attempt_number` is followed by another; logs and notes 429s."""
        self._note_rate_limit(error)
        if not is_retryable(error) or attempt_number > options.max_retries:
            return False
        logger.info("retrying (attempt %d failed: %s)", attempt_number, error)
        return True

    def _retrying(self, options: CallOptions, cls: type[tenacity.BaseRetrying], sleep_fn: Any) -> Any:
        """tenacity, for attempts 2 to max_retries + 1: the first attempt runs outside it, since
        most requests succeed at once and the retry machinery costs tens of microseconds a call."""

        def wait(state: tenacity.RetryCallState) -> float:
            return retry_delay(state.outcome.exception() if state.outcome else None, state.attempt_number + 1)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            if state.outcome is not None and (error := state.outcome.exception()) is not None:
                self._should_retry(error, state.attempt_number + 1, options)

        return cls(
            stop=tenacity.stop_after_attempt(options.max_retries),
            retry=tenacity.retry_if_exception(is_retryable),
            wait=wait,
            sleep=sleep_fn,
            before_sleep=before_sleep,
            reraise=True,
        )

    def _read(
        self, response: httpx.Response, chunks: Iterator[bytes], plan: RequestPlan[Any], options: CallOptions
    ) -> bytes:
        """The body, up to max_response_bytes. A declared, uncompressed length within the limit is
        read in one go (most responses); otherwise chunk by chunk, stopping at the limit (a
        compressed body is measured after decompression, so a small gzip bomb stops too)."""
        limit = options.max_response_bytes
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
                raise self.too_large(plan, limit)
        return bytes(body)

    # -- the sync and async loops ------------------------------------------------------------------

    def send(self, client: httpx.Client, plan: RequestPlan[T], options: CallOptions) -> RunResponse[T]:
        attempts = 0

        def attempt() -> RunResponse[T]:
            nonlocal attempts
            attempts += 1
            request = self.build(client, plan, options)
            try:
                response = client.send(request, stream=True)
                try:
                    body = self._read(response, response.iter_bytes(), plan, options)
                finally:
                    response.close()
            except httpx.HTTPError as error:
                raise self.transport_error(plan, error) from None
            logger.debug("GET %s -> %d (attempt %d)", request.url, response.status_code, attempts)
            return self.finish(plan, response, body, attempts)

        if wait := self._cooldown():
            sleep(wait)
        try:
            return attempt()
        except AgentRunsError as error:
            if not self._should_retry(error, 1, options):
                raise
            sleep(retry_delay(error, 1))
        try:
            result: RunResponse[T] = self._retrying(options, tenacity.Retrying, lambda s: sleep(s))(attempt)
        except RateLimitError as error:
            self._note_rate_limit(error)
            raise
        return result

    async def _aiohttp_attempt(
        self, sender: AiohttpSender, plan: RequestPlan[T], options: CallOptions, attempts: int
    ) -> RunResponse[T]:
        url = self.base_url + plan.path
        params = dict(plan.params) or None
        try:
            status, headers, body, too_large = await sender.get(
                url, params, self._headers, options.timeout, options.max_response_bytes
            )
        except httpx.HTTPError as error:
            raise self.transport_error(plan, error) from None
        if too_large:
            raise self.too_large(plan, options.max_response_bytes)
        # The httpx response the rest of the library works with. Its request, for reference only
        # (and without the Authorization header), is built when an error will carry it: parsing
        # a URL costs more than the rest of this step.
        response = httpx.Response(status, headers=headers, content=body)
        logger.debug("GET %s -> %d (attempt %d)", url, status, attempts)
        try:
            return self.finish(plan, response, body, attempts)
        except AgentRunsError:
            response.request = httpx.Request("GET", url, params=params, headers={"Accept": "application/json"})
            raise

    async def asend(
        self, client: httpx.AsyncClient | AiohttpSender, plan: RequestPlan[T], options: CallOptions
    ) -> RunResponse[T]:
        attempts = 0

        async def attempt() -> RunResponse[T]:
            nonlocal attempts
            attempts += 1
            if not isinstance(client, httpx.AsyncClient):
                return await self._aiohttp_attempt(client, plan, options, attempts)
            request = self.build(client, plan, options)
            try:
                response = await client.send(request, stream=True)
                try:
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > options.max_response_bytes:
                            raise self.too_large(plan, options.max_response_bytes)
                finally:
                    await response.aclose()
            except httpx.HTTPError as error:
                raise self.transport_error(plan, error) from None
            logger.debug("GET %s -> %d (attempt %d)", request.url, response.status_code, attempts)
            return self.finish(plan, response, bytes(body), attempts)

        if wait := self._cooldown():
            await async_sleep(wait)
        try:
            return await attempt()
        except AgentRunsError as error:
            if not self._should_retry(error, 1, options):
                raise
            await async_sleep(retry_delay(error, 1))
        try:
            retrying = self._retrying(options, tenacity.AsyncRetrying, lambda s: async_sleep(s))
            result: RunResponse[T] = await retrying(attempt)
        except RateLimitError as error:
            self._note_rate_limit(error)
            raise
        return result


__all__ = ["AgentRunsError", "CallOptions", "Provider", "RequestContext", "RequestPlan", "RunResponse"]
