"""A provider's fetch, declared once as a plan: a generator that yields the requests it needs and
receives each parsed body back. The sync and the async client drive the same plan (sans-IO), so a
run fetched in several requests (the run, its steps page after page, its usage) is one call on
both roads.

    def plan_get_run(run_id: str) -> Plan[RunDetails]:   # agentruns/providers/casedev.py
        # its docstring: what the client's method says
        return (yield from send(request(get_run_details, body(RunDetails), id=run_id)))

`make regen` writes each provider's clients from its plan (agentruns/clients/<name>.py):
`CasedevClient.get_run(run_id, *, timeout=..., max_retries=..., total_timeout=...)`, a real
method with the plan's parameters and docstring, then the per-call options, which the client
applies to the call's budget; the plan never sees them."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from types import ModuleType
from typing import Any, Generic, ParamSpec, TypeVar, cast
from uuid import UUID

import msgspec

from . import registry
from ._json import loads
from ._pages import Following
from ._wire import WireDecoder, package_module
from .errors import InvalidRequestError, ResponseValidationError

T = TypeVar("T")
U = TypeVar("U")
P = ParamSpec("P")
MAX_PAGES = 10_000  # a list longer than this many pages is refused rather than followed forever


class Request(msgspec.Struct, Generic[T], frozen=True):
    """One GET a plan needs, built from the generated request builder: where to send, how to parse."""

    provider: registry.ProviderInfo
    operation: str  # operationId
    path: str  # percent-encoded by the generated builder
    params: tuple[tuple[str, str], ...]  # in order; a name repeats where the spec explodes a list
    parse: Callable[[bytes], T]  # the body's bytes → model; see `body`
    with_headers: bool = False  # hand the plan Headed(model, headers): a page style that reads Link


class Headed(msgspec.Struct, Generic[T], frozen=True):
    """A parsed body with its response's headers, for a request made `with_headers`."""

    body: T
    headers: tuple[tuple[bytes, bytes], ...]

    def header(self, name: str) -> str | None:
        """The first value of the header `name` (any case)."""
        wanted = name.lower().encode()
        return next((value.decode("latin-1") for key, value in self.headers if key.lower() == wanted), None)


Plan = Generator[Request[Any], Any, T]


def send(request: Request[T]) -> Generator[Request[T], T, T]:
    """`result = yield from send(request)`: the typed way for a plan to ask for one response."""
    result: T = yield request
    return result


def request(endpoint: ModuleType, parse: Callable[[bytes], T], /, **arguments: object) -> Request[T]:
    """A request to the operation the generated module `endpoint` implements. Path parameters are
    checked against the spec (format, pattern, no dot segments) and encoded by the generated
    builder; query parameters follow the spec's style (a comma-joined list where explode is
    false), are checked against its enums and left out when None."""
    provider, operation = registry.endpoint_operation(endpoint)
    path_arguments: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    for parameter in operation.parameters:
        value = arguments.pop(parameter.name, None)
        if parameter.location == "path":
            text = str(value) if isinstance(value, UUID) else value
            if not isinstance(text, str):
                raise _invalid(provider, operation, parameter, f"expected a string, got {type(value).__name__}")
            if problem := parameter.problem(text):
                raise _invalid(provider, operation, parameter, problem)
            path_arguments[parameter.name] = text
        elif parameter.location == "query" and value is not None:
            values = _as_list(value) if parameter.schema.get("type") == "array" else [value]
            allowed = operation.allowed.get(parameter.name)
            for item in values:
                if allowed is not None and item not in allowed:
                    why = f"unknown {parameter.name} {item!r}; known: {', '.join(allowed)}"
                    raise _invalid(provider, operation, parameter, why)
            if parameter.explode:
                params += [(parameter.name, _query_text(item)) for item in values]
            elif values:
                params.append((parameter.name, ",".join(_query_text(item) for item in values)))
    if arguments:
        raise InvalidRequestError(
            f"not a parameter of {operation.operation_id}",
            provider=provider.name,
            operation=operation.operation_id,
            field=", ".join(sorted(arguments)),
        )
    names = registry.builder_names(endpoint, operation.path)
    if names is not None:  # ids the generator names otherwise ({runId} is its run_id)
        path_arguments = {names[name]: value for name, value in path_arguments.items()}
    built = endpoint._get_kwargs(**path_arguments)
    return Request(provider, operation.operation_id, built["url"], tuple(params), parse)


def _invalid(
    provider: registry.ProviderInfo, operation: registry.OperationInfo, parameter: registry.Parameter, why: str
) -> InvalidRequestError:
    return InvalidRequestError(why, provider=provider.name, operation=operation.operation_id, field=parameter.name)


def _as_list(value: object) -> list[object]:
    if isinstance(value, str):  # "steps" would otherwise be read as five one-letter names
        return [value]
    if isinstance(value, Iterable):
        chosen: list[object] = []
        for item in value:
            if item not in chosen:
                chosen.append(item)
        return chosen
    return [value]


def _query_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "value", value))


_BODIES: dict[tuple[type, bool], WireDecoder[Any]] = {}


def body(model: type[T]) -> WireDecoder[T]:
    """The parser of a response body that is one `model` (a generated class): msgspec's fast
    checked path, and the model's `from_dict` for the bodies it refuses (their exact errors)."""
    decoder = _BODIES.get((model, False))
    if decoder is None:
        from_dict = cast(Callable[[Any], T], model.from_dict)  # type: ignore[attr-defined]
        decoder = _BODIES[model, False] = WireDecoder(model, lambda content: from_dict(loads(content)))
    return decoder


def list_body(model: type[T]) -> WireDecoder[list[T]]:
    """The parser of a body that is a JSON array of `model`; an item's error names its index."""
    decoder = _BODIES.get((model, True))
    if decoder is None:
        parse = _checked_list(cast(Callable[[Any], T], model.from_dict), package_module(model, "errors").DecodeError)  # type: ignore[attr-defined]
        decoder = _BODIES[model, True] = WireDecoder(model, lambda content: parse(loads(content)), many=True)
    return cast(WireDecoder[list[T]], decoder)


def _checked_list(parse: Callable[[Any], T], decode_error: type[ValueError]) -> Callable[[Any], list[T]]:
    def parse_list(data: Any) -> list[T]:
        if not isinstance(data, list):
            raise decode_error(f"expected array, got {type(data).__name__}")
        items = []
        for index, item in enumerate(data):
            try:
                items.append(parse(item))
            except decode_error as error:
                at = getattr(error, "at", None)
                raise (at(index) if at else error) from None
        return items

    return parse_list


def paginate(first: Request[Any], page_size: int | None = None) -> Generator[Request[Any], Any, list[Any]]:
    """Every item of the list `first` asks for (its first page), in the style the provider's spec
    declares for that operation (`x-agentruns: pages`, agentruns._pages): asks for `first`, then
    for each next page as the style reads it from the page before (a cursor in its cursor
    parameter, or a next URL's whole query), until the style says it was the last. `page_size`
    is what `first` asks for per page, where a short page ends the list. A server that ignores
    the cursor (a cursor seen before, or the same page again) or a list longer than MAX_PAGES
    pages ends in ResponseValidationError instead of a loop that never ends."""
    style = first.provider.page_style(first.operation)
    if style is None:
        raise LookupError(
            f"specs/{first.provider.name}.yaml declares no page style for {first.operation} (x-agentruns: pages)"
        )
    request = msgspec.structs.replace(first, with_headers=True) if style.with_headers else first
    items: list[Any] = []
    seen: set[Following] = set()
    asked: str | None = None
    previous: list[Any] | None = None
    for _ in range(MAX_PAGES):
        batch, following = style.read((yield from send(request)), page_size, asked)
        items += batch
        if following is None:
            return items
        if following in seen or (batch and batch == previous):
            raise _pagination_error(request, f"the page after {following!r} repeats it: the server ignored the cursor")
        seen.add(following)
        previous = batch
        if isinstance(following, tuple):  # a next URL's query, whole
            request = msgspec.structs.replace(request, params=following)
        else:
            asked = following
            kept = tuple(pair for pair in first.params if pair[0] != style.cursor_param)
            request = msgspec.structs.replace(request, params=(*kept, (style.cursor_param, following)))
    raise _pagination_error(request, f"more than {MAX_PAGES} pages")


def _pagination_error(request: Request[Any], why: str) -> ResponseValidationError:
    import httpx  # only for this error: what it says it read

    return ResponseValidationError(
        why,
        provider=request.provider.name,
        operation=request.operation,
        response=httpx.Response(200),
        body=b"",
        request_id=None,
    )


__all__ = [
    "Headed",
    "Plan",
    "Request",
    "body",
    "list_body",
    "paginate",
    "request",
    "send",
]
