"""Base classes of the provider clients: configuration, connection pool, lifecycle.

A provider module subclasses `SyncClient`/`AsyncClient`, sets `provider` and adds its `get_run`;
every request goes through `_http.RequestContext`."""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, ClassVar, Generic, Self, TypeVar

import httpx

from . import _constants
from ._http import CallOptions, Provider, RequestContext, RequestPlan, RunResponse
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes, to_timeout
from .errors import ConfigurationError

if TYPE_CHECKING:
    from ._aiohttp import AiohttpSender

T = TypeVar("T")
HttpClientT = TypeVar("HttpClientT", httpx.Client, httpx.AsyncClient)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolve_base_url(provider: Provider, base_url: str | None, allow_insecure_http: bool) -> str:
    url = base_url or os.environ.get(f"{provider.env_prefix}_BASE_URL") or provider.default_base_url
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise ConfigurationError(f"invalid base_url {url!r}: {error}", provider=provider.name) from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"base_url must be an http(s) URL with a host, got {url!r}", provider=provider.name)
    if parsed.scheme == "http" and not _is_loopback(parsed.host) and not allow_insecure_http:
        raise ConfigurationError(
            f"refusing plain-http base_url {url!r}: the API key would travel unencrypted. "
            "Use https, a loopback address, or pass allow_insecure_http=True.",
            provider=provider.name,
        )
    return url


def _resolve_api_key(provider: Provider, api_key: str | None) -> str:
    variable = f"{provider.env_prefix}_API_KEY"
    key = api_key if api_key is not None else os.environ.get(variable)
    if not key:
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {variable} environment variable", provider=provider.name
        )
    if provider.key_prefix and not key.startswith(provider.key_prefix):
        raise ConfigurationError(
            f"{provider.title} API keys start with {provider.key_prefix!r}; the key given does not",
            provider=provider.name,
        )
    return key


class _ClientBase(Generic[HttpClientT]):
    provider: ClassVar[Provider]

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes = _constants.DEFAULT_TIMEOUT,
        max_retries: int = _constants.DEFAULT_MAX_RETRIES,
        http_client: HttpClientT | None = None,
        max_response_bytes: int = _constants.DEFAULT_MAX_RESPONSE_BYTES,
        allow_insecure_http: bool = False,
    ) -> None:
        if max_retries < 0:
            raise ConfigurationError("max_retries must be >= 0", provider=self.provider.name)
        options = CallOptions(
            timeout=to_timeout(timeout), max_retries=max_retries, max_response_bytes=max_response_bytes
        )
        self._context = RequestContext(
            self.provider,
            _resolve_base_url(self.provider, base_url, allow_insecure_http),
            _resolve_api_key(self.provider, api_key),
            options,
        )
        # A client passed in belongs to its owner, who closes it; ours never follows redirects, so
        # the Authorization header cannot be carried to another origin.
        self._owns_http_client = http_client is None
        self._open_pool(http_client)

    def _open_pool(self, http_client: HttpClientT | None) -> None:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._context.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._context.options.timeout

    @property
    def max_retries(self) -> int:
        return self._context.options.max_retries

    def _options(self, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven) -> CallOptions:
        defaults = self._context.options
        return CallOptions(
            timeout=defaults.timeout if timeout is NOT_GIVEN else to_timeout(timeout),
            max_retries=defaults.max_retries if max_retries is NOT_GIVEN else max_retries,
            max_response_bytes=defaults.max_response_bytes,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key='***')"


class SyncClient(_ClientBase[httpx.Client]):
    """A blocking client: one connection pool, closed by `close()` or the `with` block."""

    def _open_pool(self, http_client: httpx.Client | None) -> None:
        self._http_client = http_client or httpx.Client(
            follow_redirects=False, limits=_constants.DEFAULT_CONNECTION_LIMITS
        )

    def _send(
        self, plan: RequestPlan[T], timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> RunResponse[T]:
        return self._context.send(self._http_client, plan, self._options(timeout, max_retries))

    def close(self) -> None:
        """Close the connection pool (not one passed in as http_client: its owner closes it)."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient(_ClientBase[httpx.AsyncClient]):
    """An asyncio client: one connection pool, closed by `aclose()` or the `async with` block.

    Without an `http_client`, requests go through aiohttp directly (see _aiohttp.py for why);
    with one, through that httpx.AsyncClient and whatever transport it has."""

    def _open_pool(self, http_client: httpx.AsyncClient | None) -> None:
        from ._aiohttp import AiohttpSender  # aiohttp loads only for async use

        self._sender: httpx.AsyncClient | AiohttpSender = http_client or AiohttpSender(
            _constants.DEFAULT_CONNECTION_LIMITS, self.base_url
        )

    async def _send(
        self, plan: RequestPlan[T], timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven
    ) -> RunResponse[T]:
        return await self._context.asend(self._sender, plan, self._options(timeout, max_retries))

    async def aclose(self) -> None:
        """Close the connection pool (not one passed in as http_client: its owner closes it)."""
        if self._owns_http_client:
            await self._sender.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
