"""Pagination styles as declarations (`x-agentruns: pages`; the plan drives them sans-IO): a cursor
read from the last item (nested fields too), from the page, a next URL or a Link header whose
query is sent whole (page=N links included), page numbers and offsets; a server that ignores the
cursor ends in a typed error, never a loop. Over HTTP, the emulator serves a provider's list in
every style its page can take and get_run reads every page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import httpx
import msgspec
import orjson
import pytest

from agentruns import ResponseValidationError, registry
from agentruns._pages import PageStyle, next_link
from agentruns._plan import Headed, Request, paginate
from agentruns.testing import Emulator
from agentruns.testing.data import draft, respond, sample_ids
from agentruns.testing.schemas import walker

Params = dict[str, str]
# OpenAI's and Stripe's: {data, last_id, has_more}, the next page after=<last_id>.
ENVELOPE = {
    "items": "/data",
    "cursor_param": "after",
    "cursor_from": "body",
    "cursor_at": "/last_id",
    "has_more": "/has_more",
}


def drive(
    block: Mapping[str, Any], pages: Callable[[Params], Any], page_size: int | None = 3
) -> tuple[list[Any], list[Params]]:
    """Run `paginate` over `pages` (a request's query -> its page) in the style `block` declares;
    the items and the query of every request."""
    info = msgspec.structs.replace(registry.get("letta"), pages={"list": PageStyle.declared("list", block)})
    first = Request(info, "list", "/items", (("limit", "3"),), lambda b: b)
    asked: list[Params] = []
    plan = paginate(first, page_size)
    request = next(plan)
    try:
        while True:
            asked.append(dict(request.params))
            request = plan.send(pages(dict(request.params)))
    except StopIteration as done:
        return done.value, asked


def test_a_cursor_nested_in_the_last_item_is_read_by_its_pointer_until_a_short_page() -> None:
    data = [{"checkpoint": {"checkpoint_id": f"c{n}"}} for n in range(7)]
    cursors = [item["checkpoint"]["checkpoint_id"] for item in data]

    def pages(query: Params) -> list[Any]:
        start = cursors.index(query["before"]) + 1 if "before" in query else 0
        return data[start : start + 3]

    block = {"cursor_param": "before", "cursor_from": "last_item", "cursor_at": "/checkpoint/checkpoint_id"}
    items, asked = drive(block, pages)
    assert items == data
    assert [query.get("before") for query in asked] == [None, "c2", "c5"]
    assert all(query["limit"] == "3" for query in asked)  # the rest of the first query is kept


def test_an_envelope_follows_its_last_id_while_has_more() -> None:
    data = [f"item_{n}" for n in range(5)]

    def pages(query: Params) -> dict[str, Any]:
        start = data.index(query["after"]) + 1 if "after" in query else 0
        chunk = data[start : start + 2]
        return {"object": "list", "data": chunk, "last_id": chunk[-1], "has_more": start + 2 < 5}

    block = ENVELOPE
    items, asked = drive(block, pages, page_size=2)
    assert items == data and [q.get("after") for q in asked] == [None, "item_1", "item_3"]


def test_a_page_token_in_the_body_is_followed_until_it_is_null() -> None:
    pages = {
        None: {"runs": [1, 2], "meta": {"next": "t2"}},
        "t2": {"runs": [3], "meta": {"next": "t3"}},
        "t3": {"runs": [], "meta": {"next": None}},
    }
    block = {"items": "/runs", "cursor_param": "page_token", "cursor_from": "body", "cursor_at": "/meta/next"}
    items, asked = drive(block, lambda query: pages[query.get("page_token")])
    assert items == [1, 2, 3] and [q.get("page_token") for q in asked] == [None, "t2", "t3"]


def test_a_next_url_s_query_is_sent_whole() -> None:
    def pages(query: Params) -> dict[str, Any]:
        number = int(query.get("page", "1"))
        following = f"https://api.example.com/v1/items?{urlencode({'page': number + 1, 'per_page': 2, 'sig': 'a b'})}"
        return {"data": [number * 10, number * 10 + 1], "next": following if number < 3 else None}

    block = {"items": "/data", "cursor_param": "page", "cursor_from": "next_url", "cursor_at": "/next"}
    items, asked = drive(block, pages)
    assert items == [10, 11, 20, 21, 30, 31]
    assert asked == [
        {"limit": "3"},
        {"page": "2", "per_page": "2", "sig": "a b"},
        {"page": "3", "per_page": "2", "sig": "a b"},
    ]


def test_a_link_header_s_next_url_is_sent_whole_and_its_requests_ask_for_headers() -> None:
    data = list(range(5))
    with_headers: list[bool] = []
    info = msgspec.structs.replace(
        registry.get("letta"),
        pages={"list": PageStyle.declared("list", {"cursor_param": "page", "cursor_from": "link"})},
    )

    def answer(query: Params) -> Headed[list[Any]]:
        number = int(query.get("page", "1"))
        links = ['<https://api.example.com/v1/items?page=1&per_page=2>; rel="first"']
        if number * 2 < 5:
            links.append(f'<https://api.example.com/v1/items?page={number + 1}&per_page=2>; rel="next"')
        return Headed(data[(number - 1) * 2 : number * 2], ((b"Link", ", ".join(links).encode()),))

    plan = paginate(Request(info, "list", "/items", (("per_page", "2"),), lambda b: b), 2)
    request, asked = next(plan), []
    try:
        while True:
            with_headers.append(request.with_headers)
            asked.append(dict(request.params))
            request = plan.send(answer(dict(request.params)))
    except StopIteration as done:
        assert done.value == data
    assert with_headers == [True, True, True]
    assert asked == [{"per_page": "2"}, {"page": "2", "per_page": "2"}, {"page": "3", "per_page": "2"}]


def test_a_link_header_is_read_as_rfc_8288_writes_it() -> None:
    header = '<https://x/a?after=9>; rel="prev", <https://x/a?page=3&q=1>; rel="next last"'
    assert next_link(header) == "https://x/a?page=3&q=1"
    assert next_link(header, "prev") == "https://x/a?after=9"
    assert next_link("<https://x/a?after=3>; REL=next") == "https://x/a?after=3"
    assert next_link('<https://x/a>; rel="first"') is None


@pytest.mark.parametrize(
    ("kind", "param", "expected"), [("page_number", "page", ["2", "3"]), ("offset", "offset", ["3", "6"])]
)
def test_page_numbers_and_offsets_count_until_a_short_page(kind: str, param: str, expected: list[str]) -> None:
    data = list(range(8))

    def pages(query: Params) -> list[int]:
        start = (int(query.get(param, "1")) - 1) * 3 if kind == "page_number" else int(query.get(param, "0"))
        return data[start : start + 3]

    items, asked = drive({"cursor_param": param, "cursor_from": kind}, pages)
    assert items == data and [q.get(param) for q in asked] == [None, *expected]


def test_a_server_that_ignores_the_cursor_is_a_typed_error() -> None:
    block = ENVELOPE
    with pytest.raises(ResponseValidationError, match="ignored the cursor"):
        drive(block, lambda query: {"data": ["a", "b"], "last_id": "b", "has_more": True})
    with pytest.raises(ResponseValidationError, match="ignored the cursor"):  # the same page, whatever its number
        drive({"cursor_param": "page", "cursor_from": "page_number"}, lambda query: [1, 2, 3])


def test_an_endless_list_stops_at_max_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import agentruns._plan as plan

    monkeypatch.setattr(plan, "MAX_PAGES", 5)
    counter = iter(range(10_000))
    block = ENVELOPE
    with pytest.raises(ResponseValidationError, match="more than 5 pages"):
        drive(block, lambda query: {"data": [next(counter)], "last_id": str(next(counter)), "has_more": True})


def test_a_list_with_no_declared_style_is_named() -> None:
    first = Request(registry.get("letta"), "retrieve_run", "/x", (), lambda b: b)
    with pytest.raises(
        LookupError, match=r"specs/letta.yaml declares no page style for retrieve_run \(x-agentruns: pages\)"
    ):
        next(paginate(first))


def test_a_request_made_with_headers_hands_the_plan_its_headers() -> None:
    """The road's half of a Link-header page: the parsed body comes with its response's headers."""
    from agentruns import LettaClient
    from agentruns._transport import Received

    link = (b"Link", b'<https://api.example.com/v1/items?after=i2>; rel="next"')
    with LettaClient(api_key="emulator", base_url="http://127.0.0.1:9") as client:
        plain = Request(registry.get("letta"), "list", "/items", (), orjson.loads)
        headed = msgspec.structs.replace(plain, with_headers=True)
        _, without = client._request_loop.judge.verdict(plain, Received(200, [link], b"[1, 2]"), 1)
        record, with_ = client._request_loop.judge.verdict(headed, Received(200, [link], b"[1, 2]"), 1)
    assert without == [1, 2]
    assert isinstance(with_, Headed) and with_.body == [1, 2] and with_.header("LINK") == link[1].decode()
    style = PageStyle.declared("list", {"cursor_param": "after", "cursor_from": "link"})
    assert record.status_code == 200 and style.read(with_, 2, None) == ([1, 2], (("after", "i2"),))


# Over HTTP: the emulator serves a list in whatever style the spec declares, and the client reads
# every page of it. Each declared list is tried in every style its page can take: a bare array
# (Letta's steps) by its last item's cursor, a Link header, page numbers or offsets; an object
# page (OpenAI's input items) by a cursor in the page, has_more or not, a next URL, page numbers.
def item_cursor(provider: str, operation: str, declared: PageStyle) -> str:
    """Where each item's own cursor is: the declared one, else (a list declared to page by
    number or offset need not name one, and its items may have no `id`) the first field whose
    value differs from item to item."""
    from agentruns import _pointer

    ids = sample_ids(provider, 3)
    items = declared.items_of(respond(draft(provider, ids, seed=5, steps=20), operation, None))
    if all(_pointer.read(item, declared.item_cursor) is not None for item in items):
        return declared.item_cursor
    for key in items[0] if items and isinstance(items[0], dict) else ():
        values = [item.get(key) for item in items]
        if all(isinstance(v, str | int) and not isinstance(v, bool) for v in values) and len(set(values)) == len(items):
            return "/" + key
    raise LookupError(f"{provider}.{operation}: no field of its items tells them apart, to be a cursor")


def styles() -> list[tuple[str, str, PageStyle]]:
    found: list[tuple[str, str, PageStyle]] = []
    for provider in registry.names():
        info = registry.get(provider)
        for operation, declared in info.pages.items():
            cursor = item_cursor(provider, operation, declared)
            # Every style asks for its page size as the list does (OpenAI's `limit`, `page_size`).
            size = {"size_param": declared.size_param}
            at = {"cursor_param": declared.cursor_param, "item_cursor": cursor, **size}
            if walker(info).response_schema(info.operations[operation]).get("type") == "array":
                blocks: list[dict[str, Any]] = [
                    {**at, "cursor_from": "last_item", "cursor_at": cursor},
                    {**at, "cursor_from": "link"},
                    {"cursor_param": "page", "cursor_from": "page_number", "item_cursor": cursor, **size},
                    {"cursor_param": "offset", "cursor_from": "offset", "item_cursor": cursor, **size},
                ]
            else:
                items = {"items": declared.items}
                blocks = [
                    {**at, **items, "cursor_from": "body", "cursor_at": "/last_id", "has_more": "/has_more"},
                    {**at, **items, "cursor_from": "body", "cursor_at": "/next_cursor"},
                    {**at, **items, "cursor_from": "next_url", "cursor_at": "/next"},
                    {"cursor_param": "page", "cursor_from": "page_number", "item_cursor": cursor, **items, **size},
                ]
            found += [(provider, operation, PageStyle.declared(operation, block)) for block in blocks]
    return found


STYLES = styles()


@pytest.mark.parametrize(
    ("provider", "operation", "style"),
    STYLES,
    ids=[f"{p}-{s.cursor_from}{'-has_more' if s.has_more else ''}" for p, _, s in STYLES],
)
def test_the_emulator_serves_each_style_and_get_run_reads_every_page(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, provider: str, operation: str, style: PageStyle
) -> None:
    from agentruns import _pointer
    from agentruns.testing.app import encoded_body

    declared = registry.ProviderInfo.page_style
    monkeypatch.setattr(
        registry.ProviderInfo,
        "page_style",
        lambda self, op: style if (self.name, op) == (provider, operation) else declared(self, op),
    )
    encoded_body.cache_clear()  # pages served in the style declared before
    request.addfinalizer(encoded_body.cache_clear)
    info = registry.get(provider)
    ids = sample_ids(provider, 3)
    # The list's path takes the ref's ids, or some of them (a thread's history, by thread alone).
    list_path = info.operations[operation].path.format(
        **dict(zip((p.name for p in info.ref_parameters), ids, strict=True))
    )
    # A list scoped by a parent is served from the parent's own draw (the ids it leaves out empty).
    taken = {parameter.name for parameter in info.operations[operation].path_parameters}
    drawn = tuple(i if p.name in taken else "" for p, i in zip(info.ref_parameters, ids, strict=True))
    items = style.items_of(respond(draft(provider, drawn, seed=5, steps=500), operation, None))
    cursors = [str(_pointer.read(item, style.item_cursor)) for item in items]
    assert len(items) > 200  # three pages or more of 100
    with Emulator(seed=5, steps=500) as emu:
        headers = emu.headers_for(provider)
        with info.sync_client(api_key=emu.token_for(provider), base_url=f"{emu.url}/{provider}") as client:
            run = client.get_run(*ids)
        pages = [urlsplit(r.raw_path) for r in emu.requests if urlsplit(r.raw_path).path.endswith(list_path)]
        if style.cursor_from == "link":  # the header as any HTTP client sees it
            asked_first = {style.size_param: "100", "order": "asc"}  # a parameter the server does not read too
            first = httpx.get(f"{emu.url}/{provider}{list_path}", params=asked_first, headers=headers)
            following = first.links["next"]["url"]
            assert parse_qs(urlsplit(following).query) == {
                **{k: [v] for k, v in asked_first.items()},
                style.cursor_param: [cursors[99]],
            }
            last = httpx.get(following.replace(cursors[99], cursors[-2]), headers=headers)
            assert last.json() == items[-1:] and "link" not in last.headers
    # The complete run holds the list whole (Letta's steps, OpenAI's input items), every item in order.
    lists = [value for value in run.to_dict().values() if isinstance(value, list)]
    assert [[str(_pointer.read(item, style.item_cursor)) for item in got] for got in lists] == [cursors]
    # Each page after the first asks for what follows the previous page: its last item's cursor,
    # the next page's number, the count of items before it...
    asked = [dict(parse_qsl(page.query)).get(style.cursor_param) for page in pages]
    expected = {
        "page_number": [str(n + 1) for n in range(1, len(asked))],
        "offset": [str(n * 100) for n in range(1, len(asked))],
    }.get(style.cursor_from, [cursors[n * 100 - 1] for n in range(1, len(asked))])
    assert asked == [None, *expected]
    # ...the rest of the first query is kept (a next URL's query is sent whole)...
    first_query = {k: v for k, v in parse_qsl(pages[0].query) if k != style.cursor_param}
    assert first_query and all(
        {k: v for k, v in parse_qsl(page.query) if k != style.cursor_param} == first_query for page in pages
    )
    # ...and the pages stop at the end: learnt from a short page, or told.
    told = style.has_more or style.cursor_from in ("body", "next_url", "link")
    assert len(pages) == (-(-len(items) // 100) if told else len(items) // 100 + 1)
