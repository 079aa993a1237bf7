"""The judge: what a sender received, turned into its record and model or into the typed error it
is. The status decides first (a 404 is a NotFoundError whatever its body); a 2xx body is decoded
by the request's parser, and a body that breaks the provider's spec is a ResponseValidationError
naming the field; a sender's failure becomes an APIConnectionError or APITimeoutError. The
provider's key never appears in what it says."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from . import _constants
from ._json import NotJSON, loads
from ._plan import Headed, Request
from ._retry import CallBudget, parse_retry_after
from ._transport import Received, TransportFailure
from ._transport.target import Origin
from .errors import (
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
from .responses import RawResponse

T = TypeVar("T")


def decode(parse: Callable[[bytes], T], body: bytes) -> T:
    """bytes → model (see `_plan.body`). Raises NotJSON or the model's DecodeError.

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
    ...}}, {"detail": ...}, {"error": "..."}, or the body a JSON string: LangGraph's), or None
    when it has none."""
    if not content or len(content) > 64 * 1024 or content[:1] not in (b"{", b'"'):
        return None
    try:
        body = loads(content)
    except NotJSON:
        return None
    if isinstance(body, str):
        return body[:300] if body.strip() else None
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


class Judge:
    """Judges the responses of one client: its provider (whose spec the bodies must keep), its base
    URL (an error's request names it) and its key (scrubbed from every message)."""

    def __init__(self, provider: ProviderInfo, base_url: str, token: str) -> None:
        self.provider = provider
        self.base_url = base_url
        self._token = token
        self.netloc = Origin.of(base_url).netloc  # as an error about reaching the server names it

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

    def verdict(self, request: Request[T], received: Received, attempts: int) -> tuple[RawResponse, T]:
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
            raise self.status_error(request, record, received.body_error)
        if received.body_error is not None:
            raise ResponseValidationError(
                f"the body could not be read: {received.body_error}", **self._about(request, record)
            )
        try:
            parsed = decode(request.parse, body)
            if request.with_headers:  # a page style that reads the Link header: the plan gets both
                return record, cast(T, Headed(parsed, tuple(raw_headers)))
            return record, parsed
        except NotJSON as error:
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
        # Not AttributeError: a generated model raises none for a body, so one is a bug of ours or of a
        # template, and surfaces as itself rather than as the provider's fault.
        except (KeyError, TypeError, ValueError, RecursionError) as error:
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

    def status_error(self, request: Request[Any], record: RawResponse, body_error: str | None) -> APIStatusError:
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


__all__ = ["Judge", "decode", "request_id_in"]
