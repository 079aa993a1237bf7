"""The sync clients' own road: httpcore's connection pool, driven directly.

httpx's client layer (URL, header, request and response objects, hooks, cookie jar) costs more
than the request itself on a small run; httpcore underneath is the part that moves bytes. So
our own sync clients send through a `httpcore.ConnectionPool` here, and only what the rest of
the library consumes (status, raw headers, raw body chunks) comes back, with httpcore's errors
mapped to httpx's so that one error mapping serves every road. A caller's `http_client`, and a
proxy from the environment, keep the httpx road.

The pool's network backend also enforces the call's deadline: every connect, read and write is
given at most what is left of it, so a server that trickles one byte a second (headers or body)
still ends the call on time. httpx has no such limit: its timeouts are per read."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import httpcore
import httpx

from . import _env
from ._body import BodyReader

T = TypeVar("T")

# The deadline (monotonic seconds) of the call running in this thread or task, if any.
_deadline: ContextVar[float | None] = ContextVar("agentruns_deadline", default=None)


@contextmanager
def deadline(at: float | None) -> Iterator[None]:
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


_PASSED = "the call's total_timeout passed"


def _bounded(operation: Callable[[float | None], T], timeout: float | None, kind: type[httpcore.TimeoutException]) -> T:
    """Run a socket operation with its timeout cut to what is left of the call's deadline; a
    timeout that the deadline set is reported as the deadline."""
    at = _deadline.get()
    if at is None:
        return operation(timeout)
    left = at - time.monotonic()
    if left <= 0:
        raise kind(_PASSED)
    if timeout is not None and timeout <= left:
        return operation(timeout)
    try:
        return operation(left)
    except httpcore.TimeoutException:
        raise kind(_PASSED) from None


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _bounded(lambda t: self._stream.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _bounded(lambda t: self._stream.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        started = _bounded(
            lambda t: self._stream.start_tls(ssl_context, server_hostname, t), timeout, httpcore.ConnectTimeout
        )
        return _DeadlineStream(started)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        connect = super().connect_tcp
        stream = _bounded(
            lambda t: connect(host, port, t, local_address, socket_options), timeout, httpcore.ConnectTimeout
        )
        return _DeadlineStream(stream)


# httpcore's errors as httpx's, which the shared error mapping knows.
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


_HTTPCORE_ERRORS = tuple(theirs for theirs, _ in _ERRORS)


def as_httpx_error(error: Exception) -> httpx.HTTPError:
    for theirs, ours in _ERRORS:
        if isinstance(error, theirs):
            return ours(str(error) or type(error).__name__)
    return httpx.TransportError(f"{type(error).__name__}: {error}")


class HttpcoreSender:
    """One connection pool for one base URL."""

    def __init__(self, limits: httpx.Limits, base_url: str) -> None:
        self._limits = limits
        url = httpx.URL(base_url)
        self._scheme = url.raw_scheme
        self._host = url.raw_host
        self._port = url.port
        self._base_path = url.raw_path.rstrip(b"/")
        self._host_header = (b"Host", url.netloc)  # httpcore sends only the headers it is given
        self.pool = self._new_pool()

    def _new_pool(self) -> httpcore.ConnectionPool:
        return httpcore.ConnectionPool(
            ssl_context=_env.ssl_context() if self._scheme == b"https" else None,
            max_connections=self._limits.max_connections,
            max_keepalive_connections=self._limits.max_keepalive_connections,
            keepalive_expiry=self._limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )

    def after_fork(self) -> None:
        """In a forked child: a pool of its own. The parent's connections are left to the parent
        (closing them here could not disturb it, but reading from them would steal its replies)."""
        self.pool = self._new_pool()

    def target(self, path: str, params: tuple[tuple[str, str], ...]) -> bytes:
        target = self._base_path + path.encode("ascii")
        if params:
            target += b"?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote).encode("ascii")
        return target

    def open(
        self, path: str, params: tuple[tuple[str, str], ...], headers: list[tuple[bytes, bytes]], timeout: httpx.Timeout
    ) -> httpcore.Response:
        """Send one GET; the caller reads `.stream` and closes the response. Raises httpx errors."""
        request = httpcore.Request(
            b"GET",
            httpcore.URL(scheme=self._scheme, host=self._host, port=self._port, target=self.target(path, params)),
            headers=[self._host_header, *headers],
            extensions={"timeout": timeout.as_dict()},
        )
        try:
            return self.pool.handle_request(request)
        except _HTTPCORE_ERRORS as error:
            raise as_httpx_error(error) from None

    def read(self, response: httpcore.Response, reader: BodyReader) -> bytes:
        """The body of `response`, through `reader`; closes the response (back to the pool)."""
        try:
            for chunk in response.stream:  # type: ignore[union-attr]
                reader.feed(chunk)
            return reader.body()
        except _HTTPCORE_ERRORS as error:
            raise as_httpx_error(error) from None
        finally:
            response.close()

    def close(self) -> None:
        self.pool.close()
