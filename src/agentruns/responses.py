"""What a `*_response` call returns: the parsed model beside every HTTP response it took."""

from __future__ import annotations

from typing import Generic, TypeVar

import httpx
from attrs import frozen

T = TypeVar("T")


@frozen
class RawResponse:
    """One HTTP response of a call, as received: a run fetched in several requests has several."""

    operation: str  # the spec's operationId
    status_code: int
    headers: httpx.Headers
    content: bytes
    request_id: str | None
    attempts: int  # 1, or more when the request was retried
    http_response: httpx.Response


@frozen
class RunResponse(Generic[T]):
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


__all__ = ["RawResponse", "RunResponse"]
