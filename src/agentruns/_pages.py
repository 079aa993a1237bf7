"""How a list operation pages, as its spec declares it (`x-agentruns: pages`): data, not code.

One declaration says where a page's items are, which query parameter asks for the next page,
where the next page's cursor is read and how a list ends. The client's half (`read`) is here;
the server's half, which the emulator serves, is agentruns.testing.pages. The forms:

| cursor_from | the next page is asked for with | the list ends |
|---|---|---|
| `last_item` | the field `cursor_at` of the page's last item (Letta's step id) | on a page shorter than asked, or empty |
| `body` | the field `cursor_at` of the page (OpenAI's `last_id`, a `next_cursor` token) | when `has_more` says false, or the field is null |
| `next_url` | the whole query of the URL at `cursor_at` (`"next": "https://…?page=3"`) | when that URL is null |
| `link` | the whole query of the `Link` header's `rel="next"` URL (GitHub, RFC 8288) | when no such link comes |
| `page_number` | the page's number, `first_page` first | on a short or empty page |
| `offset` | how many items came before | on a short or empty page |

`has_more` (a pointer to a boolean) ends any form when it says false."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from . import _pointer

CURSOR_FROM = ("last_item", "body", "next_url", "link", "page_number", "offset")
# A whole query to send (a next URL's), or one cursor for the style's cursor parameter.
Query = tuple[tuple[str, str], ...]
Following = str | Query


class PageStyle(msgspec.Struct, frozen=True):
    """One list operation's page style, from its declaration (see the module's table)."""

    operation: str  # its operationId
    cursor_param: str  # the query parameter that picks a page: after, starting_after, page, offset, page_token
    cursor_from: str  # one of CURSOR_FROM
    cursor_at: str = ""  # JSON pointer: into the last item (last_item), into the page (body, next_url)
    items: str = ""  # JSON pointer to the page's items; "": the page is the array
    has_more: str | None = None  # JSON pointer to the page's "more follow" boolean
    item_cursor: str = "/id"  # JSON pointer into an item: the cursor that names it
    first_at: str | None = None  # JSON pointer to the page's first item's cursor (OpenAI's first_id)
    size_param: str = "limit"  # the query parameter a page's size is asked with
    first_page: int = 1  # page_number: the first page's number
    rel: str = "next"  # link: the relation of the next page's link

    @classmethod
    def declared(cls, operation: str, block: Mapping[str, Any]) -> PageStyle:
        fields = dict(block)
        if fields.get("cursor_from") == "last_item":
            fields.setdefault("item_cursor", fields.get("cursor_at", "/id"))
        return cls(operation=operation, **fields)

    @property
    def with_headers(self) -> bool:
        """Whether a page's cursor is in its response's headers (paginate asks for them)."""
        return self.cursor_from == "link"

    @property
    def whole_query(self) -> bool:
        """Whether the next page is asked for with a URL's whole query (not one cursor)."""
        return self.cursor_from in ("next_url", "link")

    def items_of(self, page: Any) -> list[Any]:
        body = page.body if hasattr(page, "header") else page
        found = _pointer.read(body, self.items)
        return list(found) if isinstance(found, list | tuple) else []

    def read(self, page: Any, page_size: int | None, asked: str | None) -> tuple[list[Any], Following | None]:
        """The items of one page (a parsed body, or a Headed one for `link`) and how to ask for
        the next: a cursor, a whole query, or None on the last page. `asked` is the cursor this
        page was asked with (None for the first)."""
        items = self.items_of(page)
        body = page.body if hasattr(page, "header") else page
        if self.has_more is not None:
            if not (_pointer.read(body, self.has_more) and items):
                return items, None
            more = True
        else:
            more = bool(items) and (page_size is None or len(items) >= page_size)
        if self.cursor_from == "body":
            cursor = _pointer.read(body, self.cursor_at)
            return items, None if cursor in (None, "") else str(cursor)
        if self.cursor_from == "next_url":
            url = _pointer.read(body, self.cursor_at)
            return items, _query_of(str(url)) if url else None
        if self.cursor_from == "link":
            link = page.header("link") if hasattr(page, "header") else None
            url = next_link(link, self.rel) if link else None
            return items, _query_of(url) if url else None
        if not more:
            return items, None
        if self.cursor_from == "last_item":
            cursor = _pointer.read(items[-1], self.cursor_at)
            return items, None if cursor is None else str(cursor)
        if self.cursor_from == "page_number":
            return items, str((int(asked) if asked else self.first_page) + 1)
        return items, str((int(asked) if asked else 0) + len(items))  # offset


def _query_of(url: str) -> Query:
    """The query of a next URL, whole and in order, as the next request sends it."""
    import urllib.parse

    return tuple(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))


def next_link(header: str, rel: str = "next") -> str | None:
    """The URL of the `rel` link of a Link header (RFC 8288: `<url>; rel="next"`, several links
    comma-separated, a rel naming several relations)."""
    for part in header.split(","):
        target, _, params = part.partition(";")
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel" and rel in value.strip().strip('"').lower().split():
                return target.strip().strip("<>")
    return None


__all__ = ["CURSOR_FROM", "PageStyle", "next_link"]
