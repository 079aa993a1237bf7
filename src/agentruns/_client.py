"""Base classes of the provider clients: configuration, connection pool, lifecycle.

A provider's two clients are written out by `make regen` (agentruns/clients/<name>.py), each
operation a real method that hands its plan (see _plan.py) to `_run`, on `SyncProviderClient`
and on `AsyncProviderClient`. Everything a client needs to know about its provider (base URL,
key variable and prefix) comes from the registry."""

from __future__ import annotations

import ipaddress
import os
import re
import urllib.parse
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar

from . import _base_url, _constants, registry
from ._plan import Plan
from ._request_loop import RequestLoop
from ._retry import BadOption, CallOptions
from ._transport import environment
from ._transport.socket_pool import SocketPool
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from .errors import ClientStateError, ConfigurationError, InvalidRequestError
from .responses import RunResponse

if TYPE_CHECKING:
    import httpx

    from ._transport.asyncio_pool import AsyncioPool
    from ._transport.httpx_senders import AsyncHttpxSender, HttpxSender

T = TypeVar("T")
# A caller's httpx client, of the kind each client takes (httpx is imported only where one is used).
HttpClientT = TypeVar("HttpClientT")


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolve_base_url(provider: registry.ProviderInfo, base_url: str | None, allow_insecure_http: bool) -> str:
    url = base_url or os.environ.get(provider.base_url_variable) or provider.default_base_url
    if url is not None and not isinstance(url, str):
        raise ConfigurationError(
            f"base_url must be a string, got {type(url).__name__}", provider=provider.name, field="base_url"
        )
    if not url:
        servers = ", ".join(provider.servers) or "none"
        raise ConfigurationError(
            f"{provider.title} has no server of its own (it is self-hosted): pass base_url=... or set "
            f"{provider.base_url_variable} to your instance's API URL (its spec's servers: {servers})",
            provider=provider.name,
            field="base_url",
        )
    source = (
        "base_url"
        if base_url
        else provider.base_url_variable
        if os.environ.get(provider.base_url_variable)
        else "servers"
    )
    url = _base_url.checked(url, source, provider.name)
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname or "") and not allow_insecure_http:
        raise ConfigurationError(
            f"refusing plain-http base_url {url!r}: the API key would travel unencrypted. "
            "Use https, a loopback address, or pass allow_insecure_http=True.",
            provider=provider.name,
            field="base_url",
        )
    return url


def _key_fault(key: str) -> str | None:
    """What makes `key` unusable in a header, without showing the key: a token is
    printable ASCII, so a newline from `$(cat keyfile)` or a pasted non-breaking space is refused
    here, not sent (or echoed by a parser's error message)."""
    for position, char in enumerate(key, 1):
        if not ("!" <= char <= "~"):
            kind = "whitespace" if char.isspace() else "non-ASCII" if ord(char) > 127 else "a control character"
            return f"character {position} of {len(key)} is {kind} (U+{ord(char):04X})"
    return None


class KeyPrefixWarning(UserWarning):
    """A key without its provider's prefix, sent to a server that is not the provider's own (an
    API-compatible one, which takes keys of its own form)."""


# (provider, base URL) pairs already warned about: once each, however many clients are made.
_WARNED_PREFIXES: set[tuple[str, str]] = set()


def _own_server(provider: registry.ProviderInfo, base_url: str) -> bool:
    own = provider.default_base_url
    return own is not None and base_url.rstrip("/") == own.rstrip("/")


def _resolve_api_key(provider: registry.ProviderInfo, api_key: str | None, base_url: str) -> str:
    variable = provider.api_key_variable
    key = api_key if api_key is not None else os.environ.get(variable)
    if not key and provider.auth.optional:
        return ""  # its spec lets a server take requests with no key (a self-hosted one)
    if not key:
        raise ConfigurationError(
            f"no API key: pass api_key=... or set the {variable} environment variable",
            provider=provider.name,
            field="api_key",
        )
    if fault := _key_fault(key):
        source = "the api_key argument" if api_key is not None else f"the {variable} environment variable"
        raise ConfigurationError(
            f"the API key in {source} is not a valid token: {fault}", provider=provider.name, field="api_key"
        )
    if provider.key_prefix and not key.startswith(provider.key_prefix):
        said = f"{provider.title} API keys start with {provider.key_prefix!r}; the key given does not"
        if not _own_server(provider, base_url):
            # Another server that speaks the API (OpenAI-compatible ones) has keys of its own form:
            # the prefix is advice there, said once, and the key is sent as given.
            if (provider.name, base_url) not in _WARNED_PREFIXES:
                _WARNED_PREFIXES.add((provider.name, base_url))
                import warnings

                warnings.warn(f"{said}; sending it to {base_url} as given", KeyPrefixWarning, stacklevel=3)
            return key
        raise ConfigurationError(
            f"{said}. For a server that speaks the {provider.title} API with keys of its own form, pass "
            f"its base_url (or set {provider.base_url_variable}), and the key is sent as given",
            provider=provider.name,
            field="api_key",
        )
    return key


def _checked_headers(info: registry.ProviderInfo, headers: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's extra headers, refused with the name at fault if HTTP cannot carry them."""
    checked: dict[str, str] = {}
    for name, value in (headers or {}).items():
        field = f"default_headers[{name!r}]"
        if not isinstance(name, str) or not _TOKEN_CHARS.fullmatch(name):
            raise ConfigurationError(f"{field}: not a valid header name", provider=info.name, field="default_headers")
        if name.lower() in ("authorization", info.auth.header.lower()):
            raise ConfigurationError(
                f"{field}: the key is set with api_key", provider=info.name, field="default_headers"
            )
        if not isinstance(value, str) or not _VALUE_CHARS.fullmatch(value):
            raise ConfigurationError(
                f"{field}: a value must be printable ASCII", provider=info.name, field="default_headers"
            )
        checked[name] = value
    return checked


_TOKEN_CHARS = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE_CHARS = re.compile(r"[\x20-\x7e]*")


class _ProviderClientBase(Generic[HttpClientT]):
    provider: ClassVar[str]  # the registry name, set by each generated client class (agentruns/clients/)
    is_async: ClassVar[bool]
    _sender: Any  # the connection pool requests go through (each subclass's own kinds)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes = _constants.DEFAULT_TIMEOUT,
        max_retries: int = _constants.DEFAULT_MAX_RETRIES,
        total_timeout: float | None = _constants.DEFAULT_TOTAL_TIMEOUT,
        http_client: HttpClientT | None = None,
        max_response_bytes: int = _constants.DEFAULT_MAX_RESPONSE_BYTES,
        allow_insecure_http: bool = False,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        info = registry.get(self.provider)
        try:
            options = CallOptions.checked(timeout, max_retries, max_response_bytes, total_timeout)
        except BadOption as bad:
            raise ConfigurationError(f"{bad.field}: {bad.message}", provider=info.name, field=bad.field) from None
        resolved = _resolve_base_url(info, base_url, allow_insecure_http)
        self._request_loop = RequestLoop(
            info,
            resolved,
            _resolve_api_key(info, api_key, resolved),
            options,
            _checked_headers(info, default_headers),
        )
        self._allow_insecure_http = allow_insecure_http
        self._http_client: HttpClientT | None = http_client
        # Why the client cannot send any more (closed; forked with a caller's http_client), or None.
        self._unusable: str | None = None
        # A client passed in belongs to its owner, who closes it; ours never follows redirects, so
        # the Authorization header cannot be carried to another origin.
        self._owns_http_client = http_client is None
        self._open_pool(http_client)
        _LIVE_CLIENTS.add(self)

    def _open_pool(self, http_client: HttpClientT | None) -> None:
        raise NotImplementedError

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        total_timeout: float | NotGiven | None = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A new client configured like this one but for the options given. It shares a caller's
        `http_client` and otherwise opens its own pool: close it as any client. `default_headers`
        are added to this client's."""
        options = self._request_loop.options
        return type(self)(
            api_key=api_key or self._request_loop._token,
            base_url=base_url or self.base_url,
            timeout=options.timeout if timeout is NOT_GIVEN else timeout,
            max_retries=options.max_retries if max_retries is NOT_GIVEN else max_retries,
            total_timeout=options.total_timeout if total_timeout is NOT_GIVEN else total_timeout,
            http_client=self._http_client,
            max_response_bytes=(options.max_response_bytes if max_response_bytes is NOT_GIVEN else max_response_bytes),
            allow_insecure_http=self._allow_insecure_http,
            default_headers={**self._request_loop.default_headers, **(default_headers or {})},
        )

    def _state_error(self) -> ClientStateError:
        return ClientStateError(self._unusable or "", provider=self.info.name)

    def _after_fork(self) -> None:
        """In a forked child: our own pool is replaced (the parent's connections stay the
        parent's: reading from them here would take its replies); a caller's cannot be."""
        if self._unusable is not None:
            return
        if self._owns_http_client:
            _INHERITED_POOLS.append(self._sender)  # never closed, nor finalised, in the child
            self._open_pool(None)
        else:
            self._unusable = "this client's http_client was opened before os.fork(); make a new client in the child"

    @property
    def info(self) -> registry.ProviderInfo:
        return self._request_loop.provider

    @property
    def base_url(self) -> str:
        return self._request_loop.base_url

    @property
    def is_closed(self) -> bool:
        """Whether the client can send no more (closed, or made unusable by a fork), as httpx's says."""
        return self._unusable is not None

    @property
    def timeout(self) -> httpx.Timeout:
        """The client's per-phase timeouts, as an httpx.Timeout."""
        return self._request_loop.options.timeout.as_httpx()

    @property
    def max_retries(self) -> int:
        return self._request_loop.options.max_retries

    def _options(
        self, timeout: TimeoutTypes | NotGiven, max_retries: int | NotGiven, total_timeout: float | NotGiven | None
    ) -> CallOptions:
        """The options one call runs with: the client's, overridden by the call's own timeout,
        max_retries and total_timeout."""
        defaults = self._request_loop.options
        if timeout is NOT_GIVEN and max_retries is NOT_GIVEN and total_timeout is NOT_GIVEN:
            return defaults  # most calls: the client's own options
        try:
            return CallOptions.checked(
                defaults.timeout if timeout is NOT_GIVEN else timeout,
                defaults.max_retries if max_retries is NOT_GIVEN else max_retries,
                defaults.max_response_bytes,
                defaults.total_timeout if total_timeout is NOT_GIVEN else total_timeout,
            )
        except BadOption as bad:
            raise InvalidRequestError(
                bad.message, provider=self.info.name, operation="get_run", field=bad.field
            ) from None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key='***')"


class SyncProviderClient(_ProviderClientBase["httpx.Client"]):
    """A blocking client: one connection pool, closed by `close()` or the `with` block.

    Without an `http_client`, requests go through our own pool of connections (see
    _transport/socket_pool.py), or, behind a proxy from the environment, through an httpx.Client of ours; with
    one, through that httpx.Client and whatever transport it has."""

    is_async: ClassVar[bool] = False  # its operations are plain methods

    def _open_pool(self, http_client: httpx.Client | None) -> None:
        request_loop = self._request_loop
        proxy = None if http_client is not None else environment.proxy_for(self.base_url)
        if http_client is not None or proxy:
            from ._transport.httpx_senders import HttpxSender, proxied_client  # httpx loads only for these

            client = http_client or proxied_client("Client", proxy, self.info.name)
            owned = http_client is None
            self._sender: SocketPool | HttpxSender = HttpxSender(client, self.base_url, request_loop._headers, owned)
        else:
            self._sender = SocketPool(self.base_url, request_loop._headers)

    def _run(
        self,
        plan: Plan[T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        total_timeout: float | NotGiven | None,
    ) -> RunResponse[T]:
        """Run one call's plan: every operation method of a generated client comes here."""
        if self._unusable is not None:
            raise self._state_error()
        return self._request_loop.run(self._sender, plan, self._options(timeout, max_retries, total_timeout))

    def close(self) -> None:
        """Close the connection pool (not one passed in as http_client: its owner closes it).
        A request in flight in another thread fails at once, and the client cannot send
        afterwards (ClientStateError)."""
        self._unusable = "this client was closed"
        self._sender.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncProviderClient(_ProviderClientBase["httpx.AsyncClient"]):
    """An asyncio client: one connection pool, closed by `aclose()` or the `async with` block.
    It belongs to the event loop it first sends in.

    Without an `http_client`, requests go through our own pool of connections on asyncio (see
    _transport/asyncio_pool.py), or, behind a proxy, through an httpx.AsyncClient of ours; with one,
    through that httpx.AsyncClient and whatever transport it has."""

    is_async: ClassVar[bool] = True  # its operations are coroutine methods

    def _open_pool(self, http_client: httpx.AsyncClient | None) -> None:
        request_loop = self._request_loop
        proxy = None if http_client is not None else environment.proxy_for(self.base_url)
        if http_client is not None or proxy:
            from ._transport.httpx_senders import AsyncHttpxSender, proxied_client  # httpx loads only for these

            client = http_client or proxied_client("AsyncClient", proxy, self.info.name)
            owned = http_client is None
            self._sender: AsyncioPool | AsyncHttpxSender = AsyncHttpxSender(
                client, self.base_url, request_loop._headers, owned
            )
        else:
            from ._transport.asyncio_pool import AsyncioPool  # asyncio's machinery loads only for async use

            self._sender = AsyncioPool(self.base_url, request_loop._headers, self.info.name)

    async def _run(
        self,
        plan: Plan[T],
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        total_timeout: float | NotGiven | None,
    ) -> RunResponse[T]:
        """Run one call's plan on the event loop: every operation method of a generated async
        client comes here."""
        if self._unusable is not None:
            raise self._state_error()
        return await self._request_loop.run_async(
            self._sender, plan, self._options(timeout, max_retries, total_timeout)
        )

    async def aclose(self) -> None:
        """Close the connection pool (not one passed in as http_client: its owner closes it).
        A request in flight fails at once, and the client cannot send afterwards
        (ClientStateError)."""
        self._unusable = "this client was closed"
        await self._sender.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# Every client alive, so a fork can give each its own pool in the child.
_LIVE_CLIENTS: weakref.WeakSet[_ProviderClientBase[Any]] = weakref.WeakSet()
# The parent's pools, held (unused) in a forked child so that finalisers never touch them.
_INHERITED_POOLS: list[object] = []


def _after_fork_in_child() -> None:
    for client in list(_LIVE_CLIENTS):
        client._after_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)
