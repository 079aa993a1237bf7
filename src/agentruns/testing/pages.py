"""The server's half of pagination: a list operation's whole list, served one page at a time in
the style its provider module declares (`PAGES`: a bare list, an envelope, a next cursor), so the
emulator pages exactly as the clients read. The query's `order` (asc or desc, the spec's default
when absent), `after` and `before` (an item's cursor) and `limit` (the spec's default when absent)
choose the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import registry
from .._plan import PageStyle, _field


def _last(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _default(info: registry.ProviderInfo, operation: registry.OperationInfo, name: str) -> Any:
    """The default the spec gives the query parameter `name` (or the schema it refers to)."""
    for parameter in operation.parameters:
        if parameter.name == name:
            schema = info.resolve(parameter.schema)
            for option in (schema, *(info.resolve(o) for o in schema.get("anyOf", ()))):
                if "default" in option:
                    return option["default"]
    return None


def page_of(info: registry.ProviderInfo, operation_id: str, body: Any, query: Mapping[str, list[str]] | None) -> Any:
    """One page of the list `body` (every item of it) for `query`, in the style the provider
    module declares for the operation; None: the whole list as one page (what a test reads to see
    a run complete). The body of an operation that does not page, as it is."""
    style: PageStyle | None = info.page_style(operation_id)
    if style is None:
        return body
    items_field = getattr(style, "items", None)
    items = list(body) if items_field is None else list(_field(body, items_field) or [])
    template = body if isinstance(body, dict) else {}
    if query is None:
        return style.page(items, False, template)
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
    return style.page(items[:size], len(items) > size, template)


__all__ = ["page_of"]
