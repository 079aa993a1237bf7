"""The server's half of pagination: a list operation's whole list, served one page at a time in
the style its spec declares (`x-agentruns: pages`, agentruns._pages), so the emulator pages
exactly as the clients read. The query's `order` (asc or desc, the spec's default when absent),
the style's cursor parameter (an item's cursor, a page number or an offset), `before` where the
operation has it and the cursor is another parameter, and the style's size parameter (the spec's
default when absent) choose the page."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from .. import _pointer, registry
from .._pages import PageStyle
from .schemas import walker


def _last(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _default(info: registry.ProviderInfo, operation: registry.OperationInfo, name: str) -> Any:
    """The default the spec gives the query parameter `name` (or the schema it refers to)."""
    for parameter in operation.parameters:
        if parameter.name == name:
            schema = walker(info).resolve(parameter.schema)
            for option in (schema, *(walker(info).resolve(o) for o in schema.get("anyOf", ()))):
                if "default" in option:
                    return option["default"]
    return None


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _window(
    info: registry.ProviderInfo, style: PageStyle, body: Any, query: Mapping[str, list[str]] | None
) -> tuple[list[Any], bool, int]:
    """The page `query` asks for of the list `body`: its items, whether more follow, and where
    it starts in the whole list (for page numbers and offsets)."""
    items = style.items_of(body)
    if query is None:
        return items, False, 0
    operation = info.operations[style.operation]
    if (_last(query, "order") or _default(info, operation, "order") or "asc") == "desc":
        items.reverse()
    asked = _last(query, style.cursor_param)
    start = 0
    if style.cursor_from == "page_number":
        limit = _last(query, style.size_param) or _default(info, operation, style.size_param)
        size = int(limit) if limit is not None else len(items)
        start = max(_number(asked, style.first_page) - style.first_page, 0) * size
    elif style.cursor_from == "offset":
        start = max(_number(asked, 0), 0)
    elif asked is not None:
        cursors = [str(_pointer.read(item, style.item_cursor)) for item in items]
        start = cursors.index(asked) + 1 if asked in cursors else len(items)
    items = items[start:]
    before_is_a_parameter = any(p.name == "before" for p in operation.parameters)
    if before_is_a_parameter and style.cursor_param != "before" and (before := _last(query, "before")) is not None:
        cursors = [str(_pointer.read(item, style.item_cursor)) for item in items]
        items = items[: cursors.index(before)] if before in cursors else []
    limit = _last(query, style.size_param) or _default(info, operation, style.size_param)
    size = int(limit) if limit is not None else len(items)
    return items[:size], len(items) > size, start


def _following(style: PageStyle, items: list[Any], start: int, query: Mapping[str, list[str]]) -> str:
    """The cursor parameter's value that asks for the page after this one."""
    if style.cursor_from == "page_number":
        return str(_number(_last(query, style.cursor_param), style.first_page) + 1)
    if style.cursor_from == "offset":
        return str(start + len(items))
    return str(_pointer.read(items[-1], style.item_cursor))


def _next_url(style: PageStyle, url: str, query: Mapping[str, list[str]], value: str) -> str:
    params = {name: list(values) for name, values in query.items()}
    params[style.cursor_param] = [value]
    return f"{url}?{urllib.parse.urlencode(params, doseq=True)}"


def page_of(
    info: registry.ProviderInfo,
    operation_id: str,
    body: Any,
    query: Mapping[str, list[str]] | None,
    url: str = "",
) -> Any:
    """One page of the list `body` (every item of it) for `query` to the URL `url` (scheme, host
    and path: what a next URL repeats), in the style the spec declares for the operation; query
    None: the whole list as one page (what a test reads to see a run complete). The body of an
    operation that does not page, as it is."""
    style = info.page_style(operation_id)
    if style is None:
        return body
    items, more, start = _window(info, style, body, query)
    page: Any = _pointer.write(body if isinstance(body, dict) else {}, style.items, items)
    if style.has_more is not None:
        page = _pointer.write(page, style.has_more, more)
    if items and style.first_at is not None:
        page = _pointer.write(page, style.first_at, _pointer.read(items[0], style.item_cursor))
    if style.cursor_from == "body":
        if style.has_more is not None:
            if items:  # a page says its last item's cursor; an empty one keeps the drawn value
                page = _pointer.write(page, style.cursor_at, _pointer.read(items[-1], style.item_cursor))
        else:
            page = _pointer.write(
                page, style.cursor_at, _following(style, items, start, query or {}) if more and items else None
            )
    elif style.cursor_from == "next_url":
        following = _following(style, items, start, query or {}) if more and items else None
        page = _pointer.write(
            page, style.cursor_at, _next_url(style, url, query or {}, following) if following else None
        )
    return page


def next_link(info: registry.ProviderInfo, operation_id: str, body: Any, url: str, query: str) -> str | None:
    """The `Link` header of the page the request `url?query` asks for of the list `body`, where
    the operation's style names the next page in one: that URL, its query whole with the cursor
    parameter set to the next page's, `rel="next"`. None on the last page and for every other
    style."""
    style = info.page_style(operation_id)
    if style is None or not style.with_headers:
        return None
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    items, more, start = _window(info, style, body, params)
    if not (more and items):
        return None
    return f'<{_next_url(style, url, params, _following(style, items, start, params))}>; rel="{style.rel}"'


__all__ = ["next_link", "page_of"]
