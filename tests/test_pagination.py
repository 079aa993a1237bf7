"""Pagination styles as declarations (the plan drives them sans-IO): a bare list with a cursor,
an envelope with has_more and a last id, a next cursor or URL, a Link header; a server that
ignores the cursor ends in a typed error, never a loop. Over HTTP, the emulator serves a list in
each style a provider may declare and get_run reads every page."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import orjson
import pytest

from agentruns import ResponseValidationError, registry
from agentruns._plan import (
    CursorList,
    Envelope,
    Headed,
    LinkHeader,
    NextCursor,
    PageStyle,
    Request,
    _next_link,
    paginate,
)
from agentruns.testing import Emulator
from agentruns.testing.data import draft, respond, sample_ids
from agentruns.testing.schemas import walker


def drive(style: PageStyle, pages: Callable[[str | None], Any]) -> tuple[list[Any], list[str | None]]:
    """Run `paginate` over `pages` (cursor -> page body); the items and the cursors asked for."""
    asked: list[str | None] = []

    def page(after: str | None) -> Request[Any]:
        asked.append(after)
        return Request(registry.get("letta"), "list", "/items", (("after", after),) if after else (), lambda b: b)

    plan = paginate(page, style, 3)
    request = next(plan)
    try:
        while True:
            request = plan.send(pages(dict(request.params).get("after")))
    except StopIteration as done:
        return done.value, asked


def test_a_bare_list_follows_the_last_items_cursor_until_a_short_page() -> None:
    data = [{"id": f"i{n}"} for n in range(7)]

    def pages(after: str | None) -> list[Any]:
        start = 0 if after is None else next(i for i, item in enumerate(data) if item["id"] == after) + 1
        return data[start : start + 3]

    items, asked = drive(CursorList(cursor="id"), pages)
    assert items == data and asked == [None, "i2", "i5"]


def test_an_envelope_follows_last_id_while_has_more() -> None:
    data = [f"item_{n}" for n in range(5)]

    def pages(after: str | None) -> dict[str, Any]:
        start = 0 if after is None else data.index(after) + 1
        chunk = data[start : start + 2]
        return {"object": "list", "data": chunk, "first_id": chunk[0], "last_id": chunk[-1], "has_more": start + 2 < 5}

    items, asked = drive(Envelope(), pages)
    assert items == data and asked == [None, "item_1", "item_3"]


def test_a_next_url_gives_its_cursor() -> None:
    pages = {
        None: {"data": [1, 2], "next": "https://api.example.com/v1/items?limit=2&after=c2"},
        "c2": {"data": [3, 4], "next": "c4"},
        "c4": {"data": [5], "next": None},
    }
    items, asked = drive(NextCursor(), lambda after: pages[after])
    assert items == [1, 2, 3, 4, 5] and asked == [None, "c2", "c4"]


def test_a_link_header_names_the_next_page_and_its_requests_ask_for_headers() -> None:
    data = [{"id": f"i{n}"} for n in range(5)]
    asked_headers: list[bool] = []

    def pages(after: str | None) -> Headed[list[Any]]:
        start = 0 if after is None else int(after)
        link = f'<https://api.example.com/v1/items?after={start + 2}&limit=2>; rel="next"' if start + 2 < 5 else ""
        first = '<https://api.example.com/v1/items>; rel="first"'
        return Headed(data[start : start + 2], ((b"Link", f"{first}, {link}".strip(", ").encode()),))

    def page(after: str | None) -> Request[Any]:
        return Request(registry.get("letta"), "list", "/items", (("after", after),) if after else (), lambda b: b)

    plan = paginate(page, LinkHeader(), 2)
    request, items = next(plan), None
    try:
        while True:
            asked_headers.append(request.with_headers)
            request = plan.send(pages(dict(request.params).get("after")))
    except StopIteration as done:
        items = done.value
    assert items == data and asked_headers == [True, True, True]  # after=2, after=4, then no next link
    assert _next_link('<https://x/a?after=9>; rel="prev", <https://x/a?after=3>; rel=next') == "https://x/a?after=3"


def test_a_server_that_ignores_the_cursor_is_a_typed_error() -> None:
    def same_page(after: str | None) -> dict[str, Any]:
        return {"data": ["a", "b"], "last_id": "b", "has_more": True}

    with pytest.raises(ResponseValidationError, match="ignored the cursor"):
        drive(Envelope(), same_page)


def test_an_endless_list_stops_at_max_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import agentruns._plan as plan

    monkeypatch.setattr(plan, "MAX_PAGES", 5)
    counter = iter(range(10_000))
    with pytest.raises(ResponseValidationError, match="more than 5 pages"):
        drive(Envelope(), lambda after: {"data": [0], "last_id": str(next(counter)), "has_more": True})


def test_a_request_made_with_headers_hands_the_plan_its_headers() -> None:
    """The road's half of a Link-header page: the parsed body comes with its response's headers."""
    from agentruns import LettaClient
    from agentruns._transport import Received

    link = (b"Link", b'<https://api.example.com/v1/items?after=i2>; rel="next"')
    with LettaClient(api_key="emulator", base_url="http://127.0.0.1:9") as client:
        plain = Request(registry.get("letta"), "list", "/items", (), orjson.loads)
        headed = attrs.evolve(plain, with_headers=True)
        _, without = client._request_loop.judge.verdict(plain, Received(200, [link], b"[1, 2]"), 1)
        record, with_ = client._request_loop.judge.verdict(headed, Received(200, [link], b"[1, 2]"), 1)
    assert without == [1, 2]
    assert isinstance(with_, Headed) and with_.body == [1, 2] and with_.header("LINK") == link[1].decode()
    assert record.status_code == 200 and LinkHeader().read(with_, 2) == ([1, 2], "i2")


# Over HTTP: the emulator serves a list in whatever style the provider module declares, and the
# client reads every page of it. Each list operation a provider module declares is tried in the
# two styles its page can take: a bare array (Letta's steps) by cursor or by Link header, an object
# page (OpenAI's input items) as an envelope or with a next cursor.
def styles() -> list[tuple[str, str, PageStyle]]:
    found: list[tuple[str, str, PageStyle]] = []
    for provider in registry.names():
        info = registry.get(provider)
        pages = {operation: info.page_style(operation) for operation in info.operations}
        for operation, declared in pages.items():
            if declared is None:
                continue
            bare = walker(info).response_schema(info.operations[operation]).get("type") == "array"
            kinds: tuple[type, ...] = (CursorList, LinkHeader) if bare else (Envelope, NextCursor)
            found += [(provider, operation, kind(cursor=declared.cursor)) for kind in kinds]
    return found


STYLES = styles()


@pytest.mark.parametrize(
    ("provider", "operation", "style"), STYLES, ids=[f"{p}-{type(style).__name__}" for p, _, style in STYLES]
)
def test_the_emulator_serves_each_style_and_get_run_reads_every_page(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, provider: str, operation: str, style: PageStyle
) -> None:
    from agentruns.testing.app import encoded_body

    monkeypatch.setattr(importlib.import_module(f"agentruns.providers.{provider}"), "PAGES", {operation: style})
    encoded_body.cache_clear()  # pages served in the style declared before
    request.addfinalizer(encoded_body.cache_clear)
    info = registry.get(provider)
    (run_id,) = sample_ids(provider, 3)
    list_path = info.operations[operation].path.format(**{p.name: run_id for p in info.ref_parameters})
    expected = respond(draft(provider, (run_id,), seed=5, steps=500), operation, None)
    items = expected if isinstance(expected, list) else expected[style.items]  # type: ignore[union-attr]
    assert len(items) > 200  # three pages or more of 100
    with Emulator(seed=5, steps=500) as emu:
        auth = {"Authorization": f"Bearer {emu.token_for(provider)}"}
        with info.sync_client(api_key=emu.token_for(provider), base_url=f"{emu.url}/{provider}") as client:
            run = client.get_run(run_id)
        pages = [urlsplit(r.raw_path) for r in emu.requests if urlsplit(r.raw_path).path.endswith(list_path)]
        if isinstance(style, LinkHeader):  # the header as any HTTP client sees it
            first = httpx.get(f"{emu.url}/{provider}{list_path}", params={"limit": 100, "order": "asc"}, headers=auth)
            following = first.links["next"]["url"]
            assert parse_qs(urlsplit(following).query) == {
                "limit": ["100"],
                "order": ["asc"],
                "after": [str(items[99]["id"])],
            }
            last = httpx.get(following.replace(str(items[99]["id"]), str(items[-2]["id"])), headers=auth)
            assert last.json() == items[-1:] and "link" not in last.headers
    # The complete run holds the list whole (Letta's steps, OpenAI's input items), every item in order.
    lists = [value for value in run.to_dict().values() if isinstance(value, list)]
    assert [[item[style.cursor] for item in got] for got in lists] == [[item[style.cursor] for item in items]]
    # Each page after the first asks for what follows the previous page's last item...
    asked = [parse_qs(page.query).get(style.after, [None])[-1] for page in pages]
    assert asked == [None, *(str(items[n * 100 - 1]["id"]) for n in range(1, len(asked)))]
    # ...and the pages stop at the end: a bare list learns it from a short page, the others are told.
    assert len(pages) == (len(items) // 100 + 1 if isinstance(style, CursorList) else -(-len(items) // 100))
