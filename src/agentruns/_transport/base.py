"""The one interface every sender implements, and what a sender hands back.

A sender sends one GET and reads its answer to the end, within the call's byte limit: a
`Received`, or `TransportFailure` (no usable answer), or `BodyTooLarge`. Everything above it
(retries, the deadline, status and body judged into models and typed errors) is the same for
every sender; everything below it (sockets, asyncio, httpx) is the sender's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .._types import Timeout

Headers = list[tuple[bytes, bytes]]
Params = tuple[tuple[str, str], ...]


class TransportFailure(Exception):
    """A request that got no usable answer. `kind` is one of KINDS; the judge maps it onto the error
    tree (APITimeoutError for the timeouts, APIConnectionError for the rest)."""

    KINDS = frozenset(
        {"connect", "connect_timeout", "read", "read_timeout", "write", "write_timeout", "pool_timeout", "protocol"}
    )

    def __init__(self, kind: str, message: str) -> None:
        assert kind in self.KINDS, kind
        super().__init__(message)
        self.kind = kind

    @property
    def is_timeout(self) -> bool:
        return self.kind.endswith("_timeout")


class Received:
    """A response read to its end: status, raw headers and body; `body_error` says why the body
    could not be decoded (it is then empty), if so."""

    __slots__ = ("body", "body_error", "headers", "status")

    def __init__(self, status: int, headers: Headers, body: bytes, body_error: str | None = None) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.body_error = body_error


class Sender(Protocol):
    """A blocking sender: our socket pool, or an httpx.Client (a caller's, or ours for a proxy)."""

    closed: bool

    def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received:
        """GET `path` (percent-encoded, under the base URL) with `params`, the answer read within
        `limit` body bytes."""
        ...

    def close(self) -> None: ...


class AsyncSender(Protocol):
    """An asyncio sender: our asyncio pool, or an httpx.AsyncClient."""

    closed: bool

    async def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received: ...

    async def aclose(self) -> None: ...


__all__ = ["AsyncSender", "Headers", "Params", "Received", "Sender", "TransportFailure"]
