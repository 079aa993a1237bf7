"""The exception tree. Every error names the provider and operation it came from.

AgentRunsError
├── ConfigurationError        bad client settings (missing key, refused base URL)
├── InvalidRequestError       bad call arguments, caught before any request (also a ValueError)
│   ├── InvalidRefError       a run reference that does not parse
│   └── UnknownProviderError  a provider no spec declares (also a LookupError)
├── ClientStateError          a client used after close, in another event loop (also a RuntimeError)
├── APIError                  what a provider's answer (or its absence) raised: provider, operation,
│   │                         request_id, and the provider's own type, code and param where its body has them
│   ├── APIStatusError        the server answered with a non-2xx status (status_code, response, body)
│   │   ├── BadRequestError       400
│   │   ├── AuthenticationError   401
│   │   ├── PermissionDeniedError 403
│   │   ├── NotFoundError         404
│   │   ├── ConflictError         409
│   │   ├── UnprocessableEntityError 422
│   │   ├── RateLimitError        429 (retry_after)
│   │   └── ServerError           5xx
│   ├── APIConnectionError    no usable answer: refused, reset, truncated
│   │   └── APITimeoutError
│   ├── ResponseValidationError   a 2xx body that is not JSON or breaks the schema (path)
│   └── ResponseTooLargeError     the body passed the configured size limit
├── WaitTimeoutError          wait() gave up before the run finished
└── UnexpectedError           anything else, wrapped (the cause is chained): a bulk fetch's bug, a mapping that failed
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx


class AgentRunsError(Exception):
    """Base of every error this package raises. `ref` is set on errors that answer a run reference
    (from fetch, wait and fetch_many)."""

    ref: str | None = None

    def __init__(self, message: str, *, provider: str, operation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.operation = operation

    def __str__(self) -> str:
        where = f"{self.provider}.{self.operation}" if self.operation else self.provider
        return f"[{where}] {self.message}"

    def __repr__(self) -> str:
        # What a log line or a debugger needs first: where it came from and, for a response,
        # its status and request id (both quoted in support tickets).
        parts = [f"provider={self.provider!r}"]
        if self.operation:
            parts.append(f"operation={self.operation!r}")
        for name in ("status_code", "request_id", "ref"):
            value = getattr(self, name, None)
            if value is not None:
                parts.append(f"{name}={value!r}")
        parts.append(f"message={self.message!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class ConfigurationError(AgentRunsError):
    """The client cannot be built as configured (no API key, a refused base URL). `field` names
    the setting at fault ("api_key", "base_url", ...) where there is one."""

    def __init__(self, message: str, *, provider: str, operation: str | None = None, field: str | None = None) -> None:
        super().__init__(message, provider=provider, operation=operation)
        self.field = field


class ClientStateError(AgentRunsError, RuntimeError):
    """The client cannot send from here: it was closed, or (async) it belongs to another event
    loop. Make a new client."""


class InvalidRequestError(AgentRunsError, ValueError):
    """An argument was rejected before any request was sent; `field` names it."""

    def __init__(self, message: str, *, provider: str, operation: str, field: str) -> None:
        super().__init__(f"{field}: {message}", provider=provider, operation=operation)
        self.field = field


class InvalidRefError(InvalidRequestError):
    """A run reference that does not parse; the message shows the expected form."""


class UnknownProviderError(InvalidRequestError, LookupError):
    """A provider name that no spec declares."""


class APIError(AgentRunsError):
    """What a provider's answer raised, or the lack of one: every status error, a body that breaks
    the spec or its size limit, a connection that gave no answer. `type`, `code` and `param` are
    the provider's own, read once from its error body where it has them (OpenAI's
    `{"error": {"type", "code", "param"}}`, case.dev's `{"error": "<code>"}`), else None;
    `request_id` is the provider's, to quote to its support."""

    request_id: str | None = None
    type: str | None = None
    code: str | None = None
    param: str | None = None


def _said(body: bytes) -> tuple[str | None, str | None, str | None]:
    """(type, code, param) of a JSON error body, where it says them."""
    if not body or len(body) > 64 * 1024 or body[:1] != b"{":
        return None, None, None
    from ._json import NotJSON, loads

    try:
        data = loads(body)
    except NotJSON:
        return None, None, None
    nested = data.get("error") if isinstance(data, dict) else None
    source = nested if isinstance(nested, dict) else data if isinstance(data, dict) else {}

    def text(name: str) -> str | None:
        value = source.get(name)
        return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None

    # A bare string under `error` is a code where it reads as one (case.dev's "run_not_found"),
    # not a sentence (which is the message, and may quote what was sent).
    import re  # only for an error

    named = nested if isinstance(nested, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}", nested) else None
    return text("type"), text("code") or named, text("param")


class _ResponseError(APIError):
    """An error about one received response: keeps the response, its body and request id."""

    type: str | None
    code: str | None
    param: str | None

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        operation: str,
        response: httpx.Response,
        body: bytes,
        request_id: str | None,
    ) -> None:
        super().__init__(message, provider=provider, operation=operation)
        self.response = response
        self.status_code: int = response.status_code
        self.body = body
        self.request_id = request_id
        if not 200 <= self.status_code < 300:
            said = _said(body)
            self.type = said[0]
            self.code = said[1]
            self.param = said[2]


class APIStatusError(_ResponseError):
    """The server answered with a status that is not 2xx."""


class BadRequestError(APIStatusError):
    """400: the server refused the request as malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not read this run."""


class NotFoundError(APIStatusError):
    """404: no such run (or deployment, or agent kind)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the run's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the server understood the request but refused its parameters."""


class RateLimitError(APIStatusError):
    """429: too many requests. `retry_after` is the server's wait in seconds, if it gave one."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        operation: str,
        response: httpx.Response,
        body: bytes,
        request_id: str | None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, operation=operation, response=response, body=body, request_id=request_id
        )
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: the provider failed."""


class APIConnectionError(APIError):
    """The request got no usable answer: connection refused or reset, body cut short."""

    def __init__(self, message: str, *, provider: str, operation: str, request: httpx.Request | None = None) -> None:
        super().__init__(message, provider=provider, operation=operation)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class ResponseValidationError(_ResponseError):
    """A 2xx body is not JSON, or does not match the spec. `path` names the field when there is one,
    for example ``steps[3].started_at``."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        operation: str,
        response: httpx.Response,
        body: bytes,
        request_id: str | None,
        path: str | None = None,
    ) -> None:
        super().__init__(
            f"{path}: {message}" if path else message,
            provider=provider,
            operation=operation,
            response=response,
            body=body,
            request_id=request_id,
        )
        self.path = path


class WaitTimeoutError(AgentRunsError):
    """`wait` gave up before the run reached a terminal status; `last_status` is what it last saw."""

    def __init__(self, message: str, *, provider: str, ref: str, last_status: str | None) -> None:
        super().__init__(message, provider=provider, operation="wait")
        self.ref: str | None = ref
        self.last_status = last_status


class UnexpectedError(AgentRunsError):
    """A failure with no better type, wrapped so that bulk fetches report it against its ref."""


class MissingExtraError(ImportError):
    """A part of agentruns was used whose extra is not installed; the message says which (and the
    command that installs it). An ImportError, not an AgentRunsError: nothing was sent."""


class ResponseTooLargeError(APIError):
    """The response body grew past `max_response_bytes`; reading stopped there."""

    def __init__(self, message: str, *, provider: str, operation: str, limit: int) -> None:
        super().__init__(message, provider=provider, operation=operation)
        self.limit = limit


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AgentRunsError",
    "AuthenticationError",
    "ClientStateError",
    "ConfigurationError",
    "InvalidRefError",
    "InvalidRequestError",
    "MissingExtraError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "UnexpectedError",
    "UnknownProviderError",
    "WaitTimeoutError",
]
