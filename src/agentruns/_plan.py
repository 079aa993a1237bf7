"""A provider's fetch, declared once as a plan: a generator that yields the requests it needs and
receives each parsed body back. The sync and the async client drive the same plan (sans-IO), so a
run fetched in several requests (the run, its steps page after page, its usage) is one call on
both roads.

    def get_run(run_id: str, **options: Unpack[CallOverrides]) -> Plan[RunDetails]:
        return (yield from send(request(get_run_details, body(RunDetails), id=run_id)))

    class _Casedev:
        provider = "casedev"
        get_run: Final = fetch_operation(get_run)
        get_run_response: Final = response_operation(get_run)

    class CasedevClient(_Casedev, SyncProviderClient): ...
    class AsyncCasedevClient(_Casedev, AsyncProviderClient): ...

A plan function ends its signature with `**options: Unpack[CallOverrides]`: the per-call
timeout, max_retries and total_timeout, which the client takes off before the plan runs. The
plan never reads them; they are there so that every call site type-checks them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Generator, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypedDict, TypeVar, cast, overload
from uuid import UUID

import httpx
import orjson
from attrs import frozen

from . import registry
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ._wire import WireDecoder, package_module
from .errors import InvalidRequestError, ResponseValidationError

if TYPE_CHECKING:
    import inspect

    from ._client import AsyncProviderClient, SyncProviderClient
    from .responses import RunResponse

T = TypeVar("T")
U = TypeVar("U")
P = ParamSpec("P")
MAX_PAGES = 10_000  # a list longer than this many pages is refused rather than followed forever


class CallOverrides(TypedDict, total=False):
    """Per-call overrides of the client's options."""

    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven
    total_timeout: float | NotGiven | None


CALL_OVERRIDES = frozenset(CallOverrides.__annotations__)


@frozen
class Request(Generic[T]):
    """One GET a plan needs, built from the generated request builder: where to send, how to parse."""

    provider: registry.ProviderInfo
    operation: str  # operationId
    path: str  # percent-encoded by the generated builder
    params: tuple[tuple[str, str], ...]  # in order; a name repeats where the spec explodes a list
    parse: Callable[[bytes], T]  # the body's bytes → model; see `body`


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
        decoder = _BODIES[model, False] = WireDecoder(model, lambda content: from_dict(orjson.loads(content)))
    return decoder


def list_body(model: type[T]) -> WireDecoder[list[T]]:
    """The parser of a body that is a JSON array of `model`; an item's error names its index."""
    decoder = _BODIES.get((model, True))
    if decoder is None:
        parse = _checked_list(cast(Callable[[Any], T], model.from_dict), package_module(model, "errors").DecodeError)  # type: ignore[attr-defined]
        decoder = _BODIES[model, True] = WireDecoder(model, lambda content: parse(orjson.loads(content)), many=True)
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


def paginate(
    page: Callable[[str | None], Request[list[T]]], cursor: Callable[[T], str], page_size: int
) -> Generator[Request[list[T]], list[T], list[T]]:
    """Every item of a cursor-paginated list: asks for `page(None)`, then `page(<cursor of the
    last item>)`, until a page comes back shorter than `page_size` (the limit each page asks
    for) or empty. A server that ignores the cursor (a page whose last item was seen before) or
    a list longer than MAX_PAGES pages ends in ResponseValidationError instead of a loop that
    never ends."""
    items: list[T] = []
    seen: set[str] = set()
    after: str | None = None
    for _ in range(MAX_PAGES):
        next_request = page(after)
        batch = yield from send(next_request)
        if not batch:
            return items
        items += batch
        if len(batch) < page_size:
            return items
        after = cursor(batch[-1])
        if after in seen:
            raise _pagination_error(next_request, f"the page after {after!r} repeats it: the server ignored the cursor")
        seen.add(after)
    raise _pagination_error(page(after), f"more than {MAX_PAGES} pages")


def _pagination_error(request: Request[Any], why: str) -> ResponseValidationError:
    return ResponseValidationError(
        why,
        provider=request.provider.name,
        operation=request.operation,
        response=httpx.Response(200),
        body=b"",
        request_id=None,
    )


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
        """The operation as a method of the client class `owner`: a coroutine function on an
        async client, a plain one on a sync client."""
        plan, with_response = self.plan, self.with_response

        async def coroutine_method(client: Any, /, *args: Any, **kwargs: Any) -> Any:
            return await client._call(plan, with_response, *args, **kwargs)

        def sync_method(client: Any, /, *args: Any, **kwargs: Any) -> Any:
            return client._call(plan, with_response, *args, **kwargs)

        method: Callable[..., Any] = coroutine_method if is_async else sync_method
        method.__name__ = self.name
        method.__qualname__ = f"{owner.__qualname__}.{self.name}"
        method.__module__ = owner.__module__
        method.__doc__ = self.__doc__
        method.__signature__ = self.signature()  # type: ignore[attr-defined]
        method.plan = plan  # type: ignore[attr-defined]  # the plan it runs (the bench drives it raw)
        return method

    def signature(self) -> inspect.Signature:
        """The method's signature: the plan's parameters with the per-call options spelled out,
        returning the plan's model (or a RunResponse of it)."""
        import inspect
        import typing

        from .responses import RunResponse

        hints = typing.get_type_hints(self.plan)
        result: Any = typing.get_args(hints["return"])[2]  # Plan[X] is Generator[Request, Any, X]
        if self.with_response:
            result = RunResponse[result]
        parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)]
        for parameter in inspect.signature(self.plan).parameters.values():
            if parameter.kind is inspect.Parameter.VAR_KEYWORD:  # **options: Unpack[CallOverrides]
                parameters += [
                    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=NOT_GIVEN, annotation=hint)
                    for name, hint in typing.get_type_hints(CallOverrides).items()
                ]
            else:
                parameters.append(parameter.replace(annotation=hints.get(parameter.name, parameter.annotation)))
        return inspect.Signature(parameters, return_annotation=result)


_RESPONSE_NOTE = """

Returns a RunResponse: the model as `.parsed`, beside every HTTP response the call took
(`.responses`: status, headers, body and request id of each)."""


def fetch_operation(plan: Callable[P, Plan[T]]) -> Operation[P, T]:
    """`get_run = fetch_operation(plan)`: returns the parsed model."""
    return Operation(plan)


def response_operation(plan: Callable[P, Plan[T]]) -> Operation[P, RunResponse[T]]:
    """`get_run_response = response_operation(plan)`: returns a RunResponse."""
    return Operation(plan, with_response=True)


__all__ = [
    "CallOverrides",
    "Operation",
    "Plan",
    "Request",
    "body",
    "fetch_operation",
    "list_body",
    "paginate",
    "request",
    "response_operation",
    "send",
]
