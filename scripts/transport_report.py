"""`make transport-report`: every hostile-server scenario of tests/test_roads.py on our two roads
and on stock httpx (httpx.Client, httpx.AsyncClient), side by side, so a reader sees where we
stand against it. It asserts nothing: the suite does, for our roads."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from hostile_http import Peer, keep_alive, response, run_response, scripted
from test_roads import (
    answer_each,
    cut_first,
    dropping,
    fetch_on,
    undecodable,
    unsolicited_after_first,
)


def stock(road: str, url: str, ids: Sequence[str], *, between: float = 0.0, **options: Any) -> list[str]:
    """What stock httpx gets for the same requests: the run id, or its exception's name."""
    timeout = options.get("timeout", 5.0)

    def outcome(result: httpx.Response) -> str:
        if result.status_code >= 400:
            return f"HTTP {result.status_code}"
        return str(orjson.loads(result.content)["id"])

    if road == "httpx sync":
        found = []
        with httpx.Client(timeout=timeout) as client:
            for run_id in ids:
                try:
                    found.append(outcome(client.get(f"{url}/agent/v1/run/{run_id}/details")))
                except Exception as error:
                    found.append(type(error).__name__)
                time.sleep(between)
        return found

    async def main() -> list[str]:
        got = []
        async with httpx.AsyncClient(timeout=timeout) as client:
            for run_id in ids:
                try:
                    got.append(outcome(await client.get(f"{url}/agent/v1/run/{run_id}/details")))
                except Exception as error:
                    got.append(type(error).__name__)
                await asyncio.sleep(between)
        return got

    return asyncio.run(main())


Scenario = tuple[str, Callable[[Peer], None], list[str], dict[str, Any]]
SCENARIOS: list[Scenario] = [
    (
        "a response on an idle connection",
        unsolicited_after_first(run_response("unsolicited")),
        ["idle-unsolicited_1", "idle-unsolicited_2"],
        {"between": 0.3},
    ),
    (
        "a 408 on an idle connection",
        unsolicited_after_first(
            response(status=408, reason="Request Timeout", headers=[("Connection", "close")]), close=True
        ),
        ["idle_1", "idle_2"],
        {"between": 0.3},
    ),
    (
        "a second response in the same write",
        keep_alive(lambda peer, path: run_response(peer.run_id(path)) + run_response("run_SMUGGLED")),
        ["run_1", "run_2"],
        {},
    ),
    ("70 bodies in an unasked encoding", keep_alive(undecodable), [*(f"run_{n}" for n in range(70)), "good"], {}),
    ("a body cut short, then another request", keep_alive(cut_first), ["cut", "run_1"], {}),
    ("broken chunks, then another request", keep_alive(cut_first), ["broken-chunks", "run_2"], {}),
    ("200 drops in 2,000 requests", keep_alive(dropping(7, 0.1)), [f"run_{n}" for n in range(2_000)], {}),
    ("sequential, one connection", keep_alive(answer_each), [f"run_{n}" for n in range(2_000)], {}),
]


def summary(ids: Sequence[str], got: Sequence[str]) -> str:
    right = sum(g == i for i, g in zip(ids, got, strict=True))
    wrong_runs = sum(g != i and not g[:1].isupper() for i, g in zip(ids, got, strict=True))
    errors = sorted({g for i, g in zip(ids, got, strict=True) if g != i and g[:1].isupper()})
    text = f"{right}/{len(ids)} right"
    if wrong_runs:
        text += f", {wrong_runs} WRONG RUN"
    if errors:
        text += f", errors: {', '.join(errors)}"
    return text


def main() -> int:
    roads = ["sync", "async", "httpx sync", "httpx async"]
    print(f"{'scenario':40} | " + " | ".join(f"{road:34}" for road in roads))
    for name, script, ids, options in SCENARIOS:
        cells = []
        for road in roads:
            with scripted(script) as server:
                run = fetch_on if road in ("sync", "async") else stock
                got = run(road, server.url, ids, **options)
                cells.append(f"{summary(ids, got)}; open {server.open_after(1.0)}")
        print(f"{name:40} | " + " | ".join(f"{cell:34}" for cell in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
