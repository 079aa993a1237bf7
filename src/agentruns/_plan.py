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

import attrs
import orjson
from attrs import frozen

from . import registry
from ._wire import WireDecoder, package_module
from .errors import InvalidRequestError, ResponseValidationError

T = TypeVar("T")
U = TypeVar("U")
P = ParamSpec("P")
MAX_PAGES = 10_000  # a list longer than this many pages is refused rather than followed forever


@frozen
class Request(Generic[T]):
    """One GET a plan needs, built from the generated request builder: where to send, how to parse."""

    provider: registry.ProviderInfo
    operation: str  # operationId
    path: str  # percent-encoded by the generated builder
    params: tuple[tuple[str, str], ...]  # in order; a name repeats where the spec explodes a list
    parse: Callable[[bytes], T]  # the body's bytes → model; see `body`
    with_headers: bool = False  # hand the plan Headed(model, headers): a page style that reads Link


@frozen
class Headed(Generic[T]):
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


@frozen
class CursorList:
    """A page is a bare JSON array; the next page is asked for with the `cursor` field (the id) of
    its last item in the query parameter `after`, until a page comes back shorter than the page
    size asked for, or empty (Letta's steps)."""

    cursor: str = "id"
    after: str = "after"

    def read(self, page: Any, page_size: int) -> tuple[list[Any], str | None]:
        items = list(page)
        more = bool(items) and len(items) >= page_size
        return items, str(_field(items[-1], self.cursor)) if more else None

    def page(self, items: list[Any], more: bool, template: Any) -> Any:
        """The body of one page of `items` (the server's half: the emulator's)."""
        return items


@frozen
class Envelope:
    """A page is an object: its items under `items`, whether more follow under `has_more`, the
    cursor of the next page under `last_id` (and of this one under `first_id`), sent back as
    `after` (OpenAI's and Stripe's lists: `{object, data, first_id, last_id, has_more}`)."""

    items: str = "data"
    has_more: str = "has_more"
    last_id: str = "last_id"
    first_id: str | None = "first_id"
    after: str = "after"
    cursor: str = "id"  # the field of an item that `last_id` repeats

    def read(self, page: Any, page_size: int) -> tuple[list[Any], str | None]:
        items = list(_field(page, self.items) or [])
        more = bool(_field(page, self.has_more)) and bool(items)
        return items, str(_field(page, self.last_id)) if more else None

    def page(self, items: list[Any], more: bool, template: Any) -> Any:
        """The body of one page of `items`: `template` (a drawn page) with its list fields set (an
        empty page keeps the template's ids: specs type them as strings)."""
        body = {**template, self.items: items, self.has_more: more}
        if items:
            body[self.last_id] = _field(items[-1], self.cursor)
            if self.first_id is not None:
                body[self.first_id] = _field(items[0], self.cursor)
        return body


@frozen
class NextCursor:
    """A page is an object whose `next` field holds the next page's cursor (or a URL whose
    query holds it, under `after`), null on the last page."""

    items: str = "data"
    next: str = "next"
    after: str = "after"
    cursor: str = "id"

    def read(self, page: Any, page_size: int) -> tuple[list[Any], str | None]:
        items = list(_field(page, self.items) or [])
        following = _field(page, self.next)
        return items, _cursor_in(str(following), self.after) if following else None

    def page(self, items: list[Any], more: bool, template: Any) -> Any:
        following = _field(items[-1], self.cursor) if more and items else None
        return {**template, self.items: items, self.next: following}


@frozen
class LinkHeader:
    """A page is a bare JSON array (or the `items` of an object) and its response's `Link` header
    names the next page (`<https://…?after=c2>; rel="next"`, GitHub's and RFC 8288's way): the
    next page is asked for with that URL's `after`, until no `rel="next"` link comes."""

    items: str | None = None
    after: str = "after"
    cursor: str = "id"
    with_headers: bool = True  # paginate asks for the headers of each page

    def read(self, page: Any, page_size: int) -> tuple[list[Any], str | None]:
        body = page.body if isinstance(page, Headed) else page
        items = list(body if self.items is None else _field(body, self.items) or [])
        link = page.header("link") if isinstance(page, Headed) else None
        following = _next_link(link) if link else None
        return items, _cursor_in(following, self.after) if following else None

    def page(self, items: list[Any], more: bool, template: Any) -> Any:
        return items if self.items is None else {**template, self.items: items}


def _cursor_in(following: str, after: str) -> str:
    """The next page's cursor: the query parameter `after` of a next URL, or the cursor itself."""
    if "?" not in following:
        return following
    import urllib.parse

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(following).query)
    return (query.get(after) or [following])[-1]


def _next_link(header: str) -> str | None:
    """The URL of the `rel="next"` link of a Link header."""
    for part in header.split(","):
        target, _, params = part.partition(";")
        if any(param.strip().replace('"', "").lower() == "rel=next" for param in params.split(";")):
            return target.strip().strip("<>")
    return None


PageStyle = CursorList | Envelope | NextCursor | LinkHeader


def _field(page: Any, name: str) -> Any:
    """A field of a page: an attribute of its model (the generated name), a key the model's spec
    does not declare (kept in its additional_properties), or a key of a dict."""
    if isinstance(page, dict):
        return page.get(name)
    for attribute in (name, f"{name}_"):
        if hasattr(page, attribute):
            value = getattr(page, attribute)
            return None if type(value).__name__ == "Unset" else value
    extra = getattr(page, "additional_properties", None)
    return extra.get(name) if isinstance(extra, dict) else None


def paginate(
    page: Callable[[str | None], Request[Any]], style: PageStyle, page_size: int
) -> Generator[Request[Any], Any, list[Any]]:
    """Every item of a paginated list, in the style the provider declares: asks for `page(None)`,
    then `page(<cursor>)` as the style reads it from each page (`page_size` items asked for per
    page), until the style says it was the last. A server that ignores the cursor (a cursor seen
    before) or a list longer than MAX_PAGES pages ends in ResponseValidationError instead of a
    loop that never ends."""
    items: list[Any] = []
    seen: set[str] = set()
    after: str | None = None
    for _ in range(MAX_PAGES):
        next_request = page(after)
        if getattr(style, "with_headers", False):
            next_request = attrs.evolve(next_request, with_headers=True)
        batch, after = style.read((yield from send(next_request)), page_size)
        items += batch
        if after is None:
            return items
        if after in seen:
            raise _pagination_error(next_request, f"the page after {after!r} repeats it: the server ignored the cursor")
        seen.add(after)
    raise _pagination_error(page(after), f"more than {MAX_PAGES} pages")


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
    "CursorList",
    "Envelope",
    "Headed",
    "LinkHeader",
    "NextCursor",
    "PageStyle",
    "Plan",
    "Request",
    "body",
    "list_body",
    "paginate",
    "request",
    "send",
]
