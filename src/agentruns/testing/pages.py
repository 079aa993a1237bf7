"""The server's half of pagination: a list operation's whole list, served one page at a time in
the style its provider module declares (`PAGES`: a bare list, an envelope, a next cursor, a
`Link` header), so the emulator pages exactly as the clients read. The query's `order` (asc or
desc, the spec's default when absent), `after` and `before` (an item's cursor) and `limit` (the
spec's default when absent) choose the page."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from .. import registry
from .._plan import PageStyle, _field
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


def _window(
    info: registry.ProviderInfo, operation_id: str, body: Any, query: Mapping[str, list[str]] | None
) -> tuple[PageStyle, list[Any], bool, Any] | None:
    """The page `query` asks for of the list `body`: its style, its items, whether more follow,
    and the body it is cut from. None for an operation that does not page."""
    style: PageStyle | None = info.page_style(operation_id)
    if style is None:
        return None
    items_field = getattr(style, "items", None)
    items = list(body) if items_field is None else list(_field(body, items_field) or [])
    template = body if isinstance(body, dict) else {}
    if query is None:
        return style, items, False, template
    operation = info.operations[operation_id]
    if (_last(query, "order") or _default(info, operation, "order") or "asc") == "desc":
        items.reverse()
    cursors = [_field(item, style.cursor) for item in items]
    if (after := _last(query, style.after)) is not None:
        items = items[cursors.index(after) + 1 :] if after in cursors else []
    if (before := _last(query, "before")) is not None:
        items = items[: [_field(item, style.cursor) for item in items].index(before)] if before in cursors else []
    limit = _last(query, "limit") or _default(info, operation, "limit")
    size = int(limit) if limit is not None else len(items)
    return style, items[:size], len(items) > size, template


def page_of(info: registry.ProviderInfo, operation_id: str, body: Any, query: Mapping[str, list[str]] | None) -> Any:
    """One page of the list `body` (every item of it) for `query`, in the style the provider
    module declares for the operation; None: the whole list as one page (what a test reads to see
    a run complete). The body of an operation that does not page, as it is."""
    window = _window(info, operation_id, body, query)
    if window is None:
        return body
    style, items, more, template = window
    return style.page(items, more, template)


def next_link(info: registry.ProviderInfo, operation_id: str, body: Any, url: str, query: str) -> str | None:
    """The `Link` header of the page the request `url?query` asks for of the list `body`, where
    the operation's style names the next page in one (LinkHeader): that URL with `after` set to the
    page's last cursor, `rel="next"`. None on the last page and for every other style."""
    style: PageStyle | None = info.page_style(operation_id)
    if style is None or not getattr(style, "with_headers", False):
        return None
    params = urllib.parse.parse_qs(query)
    window = _window(info, operation_id, body, params)
    if window is None:
        return None
    _, items, more, _ = window
    if not (more and items):
        return None
    params[style.after] = [str(_field(items[-1], style.cursor))]
    return f'<{url}?{urllib.parse.urlencode(params, doseq=True)}>; rel="next"'


__all__ = ["next_link", "page_of"]
