"""Base classes of the provider clients: configuration, connection pool, lifecycle.

A provider module declares its operations once (see _plan.py) in a mixin, and its two clients
are that mixin on `SyncProviderClient` and on `AsyncProviderClient`. Everything a client needs to
know about its provider (base URL, key variable and prefix) comes from the registry."""

from __future__ import annotations

import ipaddress
import os
import re
import urllib.parse
import weakref
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, Self, TypedDict, TypeVar, overload

from . import _constants, registry
from ._plan import CALL_OVERRIDES, Plan
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
P = ParamSpec("P")
# A caller's httpx client, of the kind each client takes (httpx is imported only where one is used).
HttpClientT = TypeVar("HttpClientT")


class ConnectionOptions(TypedDict, total=False):
    """Client options that `wait` and `await_` pass on (each poll has its own deadline)."""

    api_key: str | None
    base_url: str | None
    max_retries: int
    total_timeout: float | None
    max_response_bytes: int
    allow_insecure_http: bool
    default_headers: Mapping[str, str] | None


class ClientOptions(ConnectionOptions, total=False):
    """Client options that `fetch_many` and `afetch_many` pass to each provider's client."""

    timeout: TimeoutTypes


class SyncClientOptions(ClientOptions, total=False):
    """Every option of a sync client: what `fetch` passes on."""

    http_client: httpx.Client | None


class AsyncClientOptions(ClientOptions, total=False):
    """Every option of an async client: what `afetch` passes on."""

    http_client: httpx.AsyncClient | None


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolve_base_url(provider: registry.ProviderInfo, base_url: str | None, allow_insecure_http: bool) -> str:
    url = base_url or os.environ.get(provider.base_url_variable) or provider.default_base_url
    try:
        parsed = urllib.parse.urlsplit(url)
        parsed.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as error:
        raise ConfigurationError(
            f"invalid base_url {url!r}: {error}", provider=provider.name, field="base_url"
        ) from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigurationError(
            f"base_url must be an http(s) URL with a host, got {url!r}", provider=provider.name, field="base_url"
        )
    if "@" in parsed.netloc:
        # Both roads alike: the key travels in its own header, and a second set of credentials
        # in the URL would be sent by one road and dropped by the other.
        raise ConfigurationError(
            "base_url must not carry credentials (name:secret@ before the host); the key is api_key",
            provider=provider.name,
            field="base_url",
        )
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname) and not allow_insecure_http:
        raise ConfigurationError(
            f"refusing plain-http base_url {url!r}: the API key would travel unencrypted. "
            "Use https, a loopback address, or pass allow_insecure_http=True.",
            provider=provider.name,
            field="base_url",
        )
    return url


def _key_fault(key: str) -> str | None:
    """What makes `key` unusable in an Authorization header, without showing the key: a token is
    printable ASCII, so a newline from `$(cat keyfile)` or a pasted non-breaking space is refused
    here, not sent (or echoed by a parser's error message)."""
    for position, char in enumerate(key, 1):
        if not ("!" <= char <= "~"):
            kind = "whitespace" if char.isspace() else "non-ASCII" if ord(char) > 127 else "a control character"
            return f"character {position} of {len(key)} is {kind} (U+{ord(char):04X})"
    return None


def _resolve_api_key(provider: registry.ProviderInfo, api_key: str | None) -> str:
    variable = provider.api_key_variable
    key = api_key if api_key is not None else os.environ.get(variable)
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
        raise ConfigurationError(
            f"{provider.title} API keys start with {provider.key_prefix!r}; the key given does not",
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
        if name.lower() == "authorization":
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


class Operation(Generic[P, T]):
    """An operation of a provider client, declared once by its plan function: a sync client's
    call blocks and returns the result, an async client's call is awaited. With
    `with_response=True` the result is a RunResponse (every raw response beside the model).

    Each client class gets the operation as a real method of its own (see
    `_ProviderClientBase.__init_subclass__`), so `help()`, `inspect.signature`, IDEs and the API
    reference see its parameters, its docstring and the model it returns; type checkers see this
    descriptor's `__get__`, which says the same."""

    def __init__(self, plan: Callable[P, Plan[Any]], *, with_response: bool = False) -> None:
        self.plan = plan
        self.with_response = with_response
        self.name: str = plan.__name__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Any: ...
    @overload
    def __get__(self, client: SyncProviderClient, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, client: AsyncProviderClient, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, client: Any, owner: type[Any]) -> Any:
        return self  # on the operations mixin; a client class has its own method (method_for)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        doc = self.plan.__doc__
        if self.with_response and doc:
            doc += _RESPONSE_NOTE
        return doc

    def method_for(self, owner: type[Any], is_async: bool) -> Callable[..., Any]:
        """The operation as a method of the client class `owner` (a coroutine function on an
        async client), written out with the plan's own parameters and the per-call options, as
        dataclasses writes `__init__`: `inspect` reads it as any function, and nothing is
        computed for it at import (not even `inspect`, a 12 ms import)."""
        plan = self.plan
        code = plan.__code__
        positional = code.co_varnames[: code.co_argcount]
        keyword = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
        defaults = plan.__defaults__ or ()
        first_default = len(positional) - len(defaults)
        names: dict[str, Any] = {"_plan": plan, "_with_response": self.with_response, "_NOT_GIVEN": NOT_GIVEN}
        params = ["self"]
        for index, name in enumerate(positional):
            if index >= first_default:
                names[f"_default_{name}"] = defaults[index - first_default]
                params.append(f"{name}=_default_{name}")
            else:
                params.append(name)
        params.append("*")
        for name in keyword:
            names[f"_default_{name}"] = (plan.__kwdefaults__ or {})[name]
            params.append(f"{name}=_default_{name}")
        params += [f"{name}=_NOT_GIVEN" for name in CALL_OVERRIDES_ORDER]
        passed = ", ".join([*positional, *(f"{name}={name}" for name in keyword)])
        given = " and ".join(f"{name} is _NOT_GIVEN" for name in CALL_OVERRIDES_ORDER)
        overrides = ", ".join(f"{name}={name}" for name in CALL_OVERRIDES_ORDER)
        prefix, call = ("async ", "await self._call") if is_async else ("", "self._call")
        source = (
            f"{prefix}def {self.name}({', '.join(params)}):\n"
            f"    if {given}:\n"
            f"        return {call}(_plan, _with_response, {passed})\n"
            f"    return {call}(_plan, _with_response, {passed}, {overrides})\n"
        )
        exec(source, names)
        method: Callable[..., Any] = names[self.name]
        method.__qualname__ = f"{owner.__qualname__}.{self.name}"
        method.__module__ = owner.__module__
        method.__doc__ = self.__doc__
        method.__annotations__ = self._annotations()
        method.plan = plan  # type: ignore[attr-defined]  # the plan it runs (the bench drives it raw)
        return method

    def _annotations(self) -> dict[str, Any]:
        """The plan's annotations, each read where that is cheap (a name, a union of names), the
        per-call options' as written, and the model it returns (or a RunResponse of it)."""
        namespace = self.plan.__globals__
        annotations: dict[str, Any] = {}
        for name, hint in self.plan.__annotations__.items():
            if name == "return":
                model = _evaluated(str(hint).removeprefix("Plan[").removesuffix("]"), namespace)
                if self.with_response:
                    from .responses import RunResponse

                    model = RunResponse[model]  # type: ignore[valid-type]
                annotations["return"] = model
            elif not str(hint).startswith("Unpack["):
                annotations[name] = _evaluated(hint, namespace)
        annotations.update(_CALL_OVERRIDE_TYPES)
        return {name: annotations[name] for name in [*annotations.keys() - {"return"}, "return"] if name in annotations}


def _evaluated(hint: Any, namespace: dict[str, Any]) -> Any:
    """`hint` evaluated in the plan's module where it can be (else as written)."""
    if not isinstance(hint, str):
        return hint
    try:
        return eval(hint, namespace)
    except Exception:
        return hint


# The per-call options of every operation, as a reader of its signature wants them said (each
# defaults to NOT_GIVEN: the client's own); CallOverrides types them for type checkers.
_CALL_OVERRIDE_TYPES = {
    "timeout": "float | httpx.Timeout | None",
    "max_retries": "int",
    "total_timeout": "float | None",
}
CALL_OVERRIDES_ORDER = tuple(_CALL_OVERRIDE_TYPES)


_RESPONSE_NOTE = """

Returns a RunResponse: the model as `.parsed`, beside every HTTP response the call took
(`.responses`: status, headers, body and request id of each)."""


def fetch_operation(plan: Callable[P, Plan[T]]) -> Operation[P, T]:
    """`get_run = fetch_operation(plan)`: returns the parsed model."""
    return Operation(plan)


def response_operation(plan: Callable[P, Plan[T]]) -> Operation[P, RunResponse[T]]:
    """`get_run_response = response_operation(plan)`: returns a RunResponse."""
    return Operation(plan, with_response=True)


class _ProviderClientBase(Generic[HttpClientT]):
    provider: ClassVar[str]  # the registry name, set by the provider module's operations mixin
    is_async: ClassVar[bool]
    _sender: Any  # the connection pool requests go through (each subclass's own kinds)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each operation a provider's mixin declares becomes a real method of the client class,
        and a provider's client class registers itself (the registry imports no client)."""
        super().__init_subclass__(**kwargs)
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, Operation) and name not in cls.__dict__:
                    setattr(cls, name, value.method_for(cls, cls.is_async))
        if isinstance(getattr(cls, "provider", None), str):
            registry.register_client(cls.provider, cls.is_async, cls)

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
        self._request_loop = RequestLoop(
            info,
            _resolve_base_url(info, base_url, allow_insecure_http),
            _resolve_api_key(info, api_key),
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
    def timeout(self) -> httpx.Timeout:
        """The client's per-phase timeouts, as an httpx.Timeout."""
        return self._request_loop.options.timeout.as_httpx()

    @property
    def max_retries(self) -> int:
        return self._request_loop.options.max_retries

    def _prepare(
        self, plan_function: Callable[..., Plan[T]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[Plan[T], CallOptions]:
        """The plan for one call and the options it runs with (the client's, overridden by the
        call's own timeout, max_retries and total_timeout)."""
        defaults = self._request_loop.options
        if not kwargs or CALL_OVERRIDES.isdisjoint(kwargs):  # most calls: the client's own options
            return plan_function(*args, **kwargs), defaults
        overrides = {name: kwargs.pop(name) for name in CALL_OVERRIDES & kwargs.keys()}
        overrides = {name: value for name, value in overrides.items() if value is not NOT_GIVEN}
        try:
            options = CallOptions.checked(
                overrides.get("timeout", defaults.timeout),
                overrides.get("max_retries", defaults.max_retries),
                defaults.max_response_bytes,
                overrides.get("total_timeout", defaults.total_timeout),
            )
        except BadOption as bad:
            raise InvalidRequestError(
                bad.message, provider=self.info.name, operation=plan_function.__name__, field=bad.field
            ) from None
        return plan_function(*args, **kwargs), options

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key='***')"


class SyncProviderClient(_ProviderClientBase["httpx.Client"]):
    """A blocking client: one connection pool, closed by `close()` or the `with` block.

    Without an `http_client`, requests go through our own pool of connections (see
    _transport/socket_pool.py), or, behind a proxy from the environment, through an httpx.Client of ours; with
    one, through that httpx.Client and whatever transport it has."""

    is_async: ClassVar[bool] = False  # its operations are plain methods (see _plan.Operation)

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

    def _call(
        self, plan_function: Callable[..., Plan[T]], with_response: bool, /, *args: Any, **kwargs: Any
    ) -> RunResponse[T] | T:
        if self._unusable is not None:
            raise self._state_error()
        plan, options = self._prepare(plan_function, args, kwargs)
        response = self._request_loop.run(self._sender, plan, options)
        return response if with_response else response.parsed

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

    is_async: ClassVar[bool] = True  # its operations are coroutine methods (see _plan.Operation)

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

    async def _call(
        self, plan_function: Callable[..., Plan[T]], with_response: bool, /, *args: Any, **kwargs: Any
    ) -> RunResponse[T] | T:
        if self._unusable is not None:
            raise self._state_error()
        plan, options = self._prepare(plan_function, args, kwargs)
        response = await self._request_loop.run_async(self._sender, plan, options)
        return response if with_response else response.parsed

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
