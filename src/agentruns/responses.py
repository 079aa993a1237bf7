"""What a `*_response` call returns: the parsed model beside every HTTP response it took."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

import msgspec

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")


class RawResponse(msgspec.Struct):
    """One HTTP response of a call, as received: a run fetched in several requests has several.

    `headers` and `http_response` are built on first use: our roads read responses without httpx,
    and making httpx objects of every successful one cost more than decoding a small run."""

    operation: str  # the spec's operationId
    status_code: int
    content: bytes
    request_id: str | None
    attempts: int  # 1, or more when the request was retried
    raw_headers: Sequence[tuple[bytes, bytes]]
    # The request, for reference (without the Authorization header), where one was built.
    http_request: httpx.Request | None = None
    _http_response: httpx.Response | None = None  # built from the rest on first read (http_response)

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_response(self) -> httpx.Response:
        """The response as an `httpx.Response`. Its content is the decoded body, so the
        Content-Encoding it came with is left out."""
        if self._http_response is None:
            import httpx  # built on first use: the roads read responses without httpx

            headers = [(k, v) for k, v in self.raw_headers if k.lower() != b"content-encoding"]
            self._http_response = httpx.Response(
                self.status_code, headers=headers, content=self.content, request=self.http_request
            )
        return self._http_response


class RunResponse(msgspec.Struct, Generic[T], frozen=True):
    """The parsed model and the raw responses it came from, in request order. The scalar fields
    (`status_code`, `headers`, `content`, `request_id`) are those of the first response: the run
    itself, for providers that fetch its parts in further requests."""

    parsed: T
    responses: tuple[RawResponse, ...]

    @property
    def status_code(self) -> int:
        return self.responses[0].status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.responses[0].headers

    @property
    def content(self) -> bytes:
        return self.responses[0].content

    @property
    def request_id(self) -> str | None:
        return self.responses[0].request_id

    @property
    def http_response(self) -> httpx.Response:
        return self.responses[0].http_response

    @property
    def attempts(self) -> int:
        """HTTP attempts made for the whole call, retries included."""
        return sum(response.attempts for response in self.responses)


def request_id_of(value: object) -> str | None:
    """The request id of the response `value` was read from, as the provider's request-id header
    sent it: for the model a client's `get_run` returned (Letta's LettaRun: its run's), a
    RunResponse (its first response's), a normalized AgentRun, or an error about a response.
    None when the server sent none, or `value` was not fetched by agentruns. Quote it to the
    provider's support."""
    if isinstance(value, RunResponse | RawResponse):
        return value.request_id
    found = getattr(value, "_request_id", None)
    if found is None:  # an AgentRun, or an error about a response
        found = getattr(value, "request_id", None)
    return found if isinstance(found, str) else None


__all__ = ["RawResponse", "RunResponse", "request_id_of"]
