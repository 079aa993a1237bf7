"""The senders through an httpx client: a caller's own `http_client`, or ours behind a proxy (which
our own pools do not speak). They answer as our pools do: a Received, or TransportFailure with
httpx's errors mapped in one table, or BodyTooLarge; bodies are read raw and decoded by
BodyReader within the call's limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from .. import _constants
from ..errors import ConfigurationError
from . import environment
from .base import Params, Received, TransportFailure
from .body import BodyReader, BodyUndecodable, body_reader
from .deadline import check_deadline

if TYPE_CHECKING:
    from .._types import Timeout

_C = TypeVar("_C", httpx.Client, httpx.AsyncClient)

# httpx's errors as the kinds of TransportFailure, most specific first.
_KINDS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ConnectTimeout, "connect_timeout"),
    (httpx.ReadTimeout, "read_timeout"),
    (httpx.WriteTimeout, "write_timeout"),
    (httpx.PoolTimeout, "pool_timeout"),
    (httpx.ProxyError, "connect"),
    (httpx.ConnectError, "connect"),
    (httpx.UnsupportedProtocol, "connect"),
    (httpx.WriteError, "write"),
    (httpx.RemoteProtocolError, "protocol"),
    (httpx.LocalProtocolError, "protocol"),
    (httpx.TimeoutException, "read_timeout"),
    (httpx.HTTPError, "read"),
)


def failure(error: httpx.HTTPError) -> TransportFailure:
    kind = next(kind for error_type, kind in _KINDS if isinstance(error, error_type))
    return TransportFailure(kind, f"{error}" or type(error).__name__)


def _within(content: bytes, limit: int) -> bytes:
    reader = BodyReader(None, limit)  # raises BodyTooLarge past the limit
    reader.feed(content)
    return reader.body()


class _Sender(Generic[_C]):
    """What both httpx roads hold: the client, whether we own it, and how a request is built."""

    closed: bool

    def __init__(self, client: _C, base_url: str, headers: Mapping[str, str], owned: bool) -> None:
        self.client: _C = client
        self._base_url = base_url.rstrip("/")
        self._headers = dict(headers)
        self._owned = owned
        self.closed = False

    def _request(self, path: str, params: Params, timeout: Timeout) -> httpx.Request:
        return self.client.build_request(
            "GET", self._base_url + path, params=params or None, headers=self._headers, timeout=timeout.as_httpx()
        )


class HttpxSender(_Sender[httpx.Client]):
    """Requests through an `httpx.Client`: the caller's (they close it) or ours for a proxy."""

    def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received:
        request = self._request(path, params, timeout)
        try:
            response = self.client.send(request, stream=True)
            try:
                if response.is_stream_consumed:  # made with its content (MockTransport): decoded already
                    return Received(response.status_code, response.headers.raw, _within(response.content, limit))
                try:
                    reader = body_reader(response.headers.raw, limit)
                    for chunk in response.iter_raw():
                        reader.feed(chunk)
                        check_deadline()  # httpx's timeouts are per read only
                    return Received(response.status_code, response.headers.raw, reader.body())
                except BodyUndecodable as error:
                    return Received(response.status_code, response.headers.raw, b"", str(error))
            finally:
                response.close()
        except httpx.HTTPError as error:
            raise failure(error) from None

    def close(self) -> None:
        self.closed = True
        if self._owned:
            self.client.close()


class AsyncHttpxSender(_Sender[httpx.AsyncClient]):
    """Requests through an `httpx.AsyncClient`: the caller's, or ours for a proxy."""

    async def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received:
        request = self._request(path, params, timeout)
        try:
            response = await self.client.send(request, stream=True)
            try:
                if response.is_stream_consumed:
                    return Received(response.status_code, response.headers.raw, _within(response.content, limit))
                try:
                    reader = body_reader(response.headers.raw, limit)
                    async for chunk in response.aiter_raw():
                        reader.feed(chunk)
                    return Received(response.status_code, response.headers.raw, reader.body())
                except BodyUndecodable as error:
                    return Received(response.status_code, response.headers.raw, b"", str(error))
            finally:
                await response.aclose()
        except httpx.HTTPError as error:
            raise failure(error) from None

    async def aclose(self) -> None:
        self.closed = True
        if self._owned:
            await self.client.aclose()


def proxied_client(kind: str, proxy: str | None, provider: str) -> Any:
    """An httpx client of ours (`kind`: "Client" or "AsyncClient") for a proxy set-up: the
    environment already read by environment.py (so both roads read it alike), its CA bundle and our pool
    limits included."""
    limits = httpx.Limits(
        max_connections=_constants.MAX_CONNECTIONS,
        max_keepalive_connections=_constants.MAX_KEEPALIVE_CONNECTIONS,
        keepalive_expiry=_constants.KEEPALIVE_EXPIRY,
    )
    try:
        client: Any = getattr(httpx, kind)(
            proxy=proxy, verify=environment.ssl_context(), trust_env=False, follow_redirects=False, limits=limits
        )
        return client
    except ImportError as error:  # a SOCKS proxy without socksio
        raise ConfigurationError(f"the proxy {proxy!r} needs an extra package: {error}", provider=provider) from None


__all__ = ["AsyncHttpxSender", "HttpxSender", "failure", "proxied_client"]
