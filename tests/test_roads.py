"""Both of our roads against a loopback server that misbehaves byte by byte (hostile_http.py), in
one parametrized suite: a response belongs to its request, a connection is never leaked, and the
sync and the async road behave as one. `make transport-report` runs the same scenarios through
stock httpx as well, to show where we stand against it."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import resource
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import orjson
import pytest
from hostile_http import Peer, keep_alive, response, run_body, run_response, scripted

from agentruns import (
    AgentRunsError,
    APIConnectionError,
    APITimeoutError,
    AsyncCasedevClient,
    CasedevClient,
    ClientStateError,
    ConfigurationError,
    NotFoundError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    _constants,
)
from agentruns._transport.body import BodyReader
from agentruns._transport.http11 import ResponseReader

TOKEN = "sk_case_roads"
ROADS = ["sync", "async"]
Outcome = str  # the run id a request got, or the name of the error it raised


def fetch_on(road: str, url: str, ids: Sequence[str], *, between: float = 0.0, **options: Any) -> list[Outcome]:
    """Fetch `ids` one after another on one client of `road`; the run id each got, or its error."""
    options = {"max_retries": 0, **options}
    if road == "sync":
        outcomes: list[Outcome] = []
        with CasedevClient(api_key=TOKEN, base_url=url, **options) as client:
            for run_id in ids:
                try:
                    outcomes.append(client.get_run(run_id).id)
                except AgentRunsError as error:
                    outcomes.append(type(error).__name__)
                time.sleep(between)
        return outcomes

    async def main() -> list[Outcome]:
        found: list[Outcome] = []
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url, **options) as client:
            for run_id in ids:
                try:
                    found.append((await client.get_run(run_id)).id)
                except AgentRunsError as error:
                    found.append(type(error).__name__)
                await asyncio.sleep(between)
        return found

    return asyncio.run(main())


def answer_each(peer: Peer, path: str) -> bytes:
    return run_response(peer.run_id(path))


# -- a response belongs to its request ------------------------------------------------------------


def unsolicited_after_first(extra: bytes, close: bool = False) -> Callable[[Peer], None]:
    """Answers the first request, then sends `extra` on the idle connection (an answer nobody
    asked for), then answers what comes (a client that reused it would read `extra` first)."""

    def script(peer: Peer) -> None:
        path = peer.read_request()
        if path is None:
            return
        peer.send(run_response(peer.run_id(path)))
        time.sleep(0.05)
        peer.send(extra)
        if close:
            return
        keep_alive(answer_each)(peer)

    return script


@pytest.mark.parametrize("road", ROADS)
@pytest.mark.parametrize(
    ("extra", "close"),
    [
        (run_response("unsolicited"), False),
        (response(status=408, reason="Request Timeout", headers=[("Connection", "close")]), True),
    ],
    ids=["a-complete-response", "a-408-then-close"],
)
def test_an_answer_nobody_asked_for_is_never_read_as_the_next_one(road: str, extra: bytes, close: bool) -> None:
    with scripted(unsolicited_after_first(extra, close)) as server:
        got = fetch_on(road, server.url, ["idle-unsolicited_1", "idle-unsolicited_2"], between=0.3)
    assert got == ["idle-unsolicited_1", "idle-unsolicited_2"]
    assert server.accepted == 2  # the connection that heard it was not given the second request


def right_after_first(extra: bytes) -> Callable[[Peer], None]:
    """Writes `extra` on the connection right after the first answer, in a write of its own: a
    client that asks again at once races the bytes (bun's fetch lost that race, their #41987)."""

    def script(peer: Peer) -> None:
        path = peer.read_request()
        if path is None:
            return
        peer.send(run_response(peer.run_id(path)))
        peer.send(extra)
        keep_alive(answer_each)(peer)

    return script


@pytest.mark.parametrize("road", ROADS)
@pytest.mark.parametrize(
    "extra",
    [run_response("unsolicited"), b"\r\n", b"garbage " * 8],
    ids=["a-response", "a-stray-crlf", "garbage"],
)
def test_what_follows_an_answer_at_once_is_never_read_as_the_next_one(road: str, extra: bytes) -> None:
    with scripted(right_after_first(extra)) as server:
        got = fetch_on(road, server.url, ["run_1", "run_2"], between=0.05)
    assert got == ["run_1", "run_2"]


@pytest.mark.parametrize("road", ROADS)
def test_bytes_trailing_a_bodyless_answer_end_that_connection(road: str) -> None:
    """An empty 404 with a second response behind it (bun's #37438, for 204 and Content-Length: 0)."""

    def answer(peer: Peer, path: str) -> bytes:
        run_id = peer.run_id(path)
        if run_id == "gone":
            return response(status=404, reason="Not Found") + run_response("injected")
        return run_response(run_id)

    with scripted(keep_alive(answer)) as server:
        got = fetch_on(road, server.url, ["gone", "run_1"])
    assert got == ["NotFoundError", "run_1"]


def test_concurrent_bodies_read_in_many_pieces_each_reach_their_own_request() -> None:
    """The async road's connections read into one buffer per pool: eight responses at once, each
    of 300 KB written in 7 KB pieces (so every body takes many reads, the reads of the eight
    interleaved), each arrive whole and unmixed at the request that asked."""

    def output_of(run_id: str) -> str:
        return run_id * (300_000 // len(run_id))

    def answer(peer: Peer, path: str) -> bytes | None:
        run_id = peer.run_id(path)
        body = orjson.dumps({"id": run_id, "status": "completed", "result": {"output": output_of(run_id)}})
        whole = response(body)
        for start in range(0, len(whole), 7_000):
            peer.send(whole[start : start + 7_000])
            time.sleep(0.0005)  # the pieces of the eight responses arrive interleaved
        return b""

    async def main(url: str) -> list[tuple[str, str | None]]:
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url) as client:
            ids = [f"run_{n}{'x' * n}" for n in range(8)] * 2
            runs = await asyncio.gather(*(client.get_run(run_id) for run_id in ids))
        return [(run.id, run.result.output) for run in runs]

    with scripted(keep_alive(answer)) as server:
        got = asyncio.run(main(server.url))
    assert len(got) == 16
    for run_id, output in got:
        assert output == output_of(run_id), run_id
    assert server.accepted >= 2  # the reads of several connections shared the buffer


@pytest.mark.parametrize("road", ROADS)
def test_bytes_after_a_complete_response_end_that_connection(road: str) -> None:
    """A second response in the same write as the real one (a duplicate, or smuggled bytes)."""
    smuggled = keep_alive(lambda peer, path: run_response(peer.run_id(path)) + run_response("run_SMUGGLED"))
    with scripted(smuggled) as server:
        got = fetch_on(road, server.url, ["run_1", "run_2", "run_3"])
    assert got == ["run_1", "run_2", "run_3"]
    assert server.accepted == 3


# -- a connection is never leaked ------------------------------------------------------------------


def undecodable(peer: Peer, path: str) -> bytes:
    run_id = peer.run_id(path)
    if run_id == "good":
        return run_response(run_id)
    return response(b"\x8b\x00 not brotli at all", headers=[("Content-Encoding", "br")])


@pytest.mark.parametrize("road", ROADS)
def test_an_unsupported_encoding_leaks_no_connection(road: str) -> None:
    with scripted(keep_alive(undecodable)) as server:
        got = fetch_on(road, server.url, [*(f"run_{n}" for n in range(70)), "good"], max_retries=2)
        left_open = server.open_after()
    assert got == ["ResponseValidationError"] * 70 + ["good"]  # typed at once, never a PoolTimeout
    assert left_open == 0


@pytest.mark.parametrize("road", ROADS)
@pytest.mark.parametrize(
    ("status", "encoding", "error"),
    [(404, "br", NotFoundError), (502, "x-custom", ServerError)],
    ids=["404-in-br", "502-in-x-custom"],
)
def test_the_status_decides_the_error_when_the_body_cannot_be_read(
    road: str, status: int, encoding: str, error: type[Exception]
) -> None:
    page = response(b"\x00\x01 compressed?", status=status, reason="Error", headers=[("Content-Encoding", encoding)])
    with scripted(keep_alive(lambda peer, path: page)) as server:
        got = fetch_on(road, server.url, ["run_1", "run_2"])
    assert got == [error.__name__] * 2


def slow_answer(seconds: float) -> Callable[[Peer], None]:
    def script(peer: Peer) -> None:
        while (path := peer.read_request()) is not None:
            time.sleep(seconds)
            peer.send(run_response(peer.run_id(path)))

    return script


def test_close_in_flight_fails_the_call_typed_and_leaves_nothing_sync() -> None:
    with scripted(slow_answer(2.0)) as server:
        client = CasedevClient(api_key=TOKEN, base_url=server.url, max_retries=3)
        outcome: list[BaseException | str] = []

        def call() -> None:
            try:
                outcome.append(client.get_run("run_1").id)
            except BaseException as error:
                outcome.append(error)

        worker = threading.Thread(target=call)
        started = time.monotonic()
        worker.start()
        time.sleep(0.3)
        client.close()
        worker.join(timeout=5)
        elapsed = time.monotonic() - started
        left_open = server.open_after()
        accepted = server.accepted
    assert len(outcome) == 1 and isinstance(outcome[0], ClientStateError), outcome
    assert elapsed < 1.5  # not the 2 s answer, and no retry after the close
    assert accepted == 1 and left_open == 0


def test_close_in_flight_fails_the_call_typed_and_leaves_nothing_async() -> None:
    async def main(url: str) -> BaseException | str:
        client = AsyncCasedevClient(api_key=TOKEN, base_url=url, max_retries=3)
        task = asyncio.ensure_future(client.get_run("run_1"))
        await asyncio.sleep(0.3)
        await client.aclose()
        try:
            return (await task).id
        except BaseException as error:
            return error

    with warnings.catch_warnings(record=True) as caught, scripted(slow_answer(2.0)) as server:
        warnings.simplefilter("always")
        started = time.monotonic()
        outcome = asyncio.run(main(server.url))
        elapsed = time.monotonic() - started
        gc.collect()
        left_open = server.open_after()
        accepted = server.accepted
    assert isinstance(outcome, ClientStateError), outcome
    assert elapsed < 1.5 and accepted == 1 and left_open == 0
    assert not [w for w in caught if "nclosed" in str(w.message)], [str(w.message) for w in caught]


def test_an_async_client_used_in_one_loop_and_closed_in_another_leaves_nothing() -> None:
    with warnings.catch_warnings(record=True) as caught, scripted(keep_alive(answer_each)) as server:
        warnings.simplefilter("always")
        client = AsyncCasedevClient(api_key=TOKEN, base_url=server.url)
        assert asyncio.run(client.get_run("run_1")).id == "run_1"
        open_between = server.open_after()  # the first loop's end closed its connection
        asyncio.run(client.aclose())
        gc.collect()
        left_open = server.open_after()
    assert open_between == 0 and left_open == 0
    assert not [w for w in caught if "nclosed" in str(w.message)], [str(w.message) for w in caught]


# -- one behaviour, typed ------------------------------------------------------------------------


@pytest.mark.parametrize("client_class", [CasedevClient, AsyncCasedevClient])
def test_credentials_in_the_base_url_are_refused_alike(client_class: type[Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        client_class(api_key=TOKEN, base_url="http://user:pass@127.0.0.1:9")
    assert caught.value.field == "base_url" and "user:pass" not in str(caught.value)


@pytest.mark.parametrize("road", ROADS)
def test_header_limits_are_generous_and_bounded_alike(road: str) -> None:
    cookies = [("Set-Cookie", f"c{n}=v{n}; Path=/") for n in range(150)]
    big = [("X-Big", "v" * 12_000)]
    too_many = [(f"X-H{n}", "1") for n in range(1_100)]
    too_long = [(f"X-Long{n}", "v" * 8_000) for n in range(40)]  # a 320 KB head

    def answer(peer: Peer, path: str) -> bytes:
        run_id = peer.run_id(path)
        headers = {"cookies": cookies, "big": big, "too_many": too_many, "too_long": too_long}[run_id]
        return response(run_body(run_id), headers=headers)

    with scripted(keep_alive(answer)) as server:
        got = fetch_on(road, server.url, ["cookies", "big", "too_many", "too_long"])
    assert got == ["cookies", "big", "APIConnectionError", "APIConnectionError"]


# -- what holds, and must keep holding --------------------------------------------------------------


def cut_first(peer: Peer, path: str) -> bytes | None:
    run_id = peer.run_id(path)
    if run_id == "cut":
        whole = run_response(run_id)
        peer.send(whole[: len(whole) - 10])
        return None  # hang up mid-body
    if run_id == "broken-chunks":
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n"
    if run_id == "too-large":
        return response(b"[" + b"1," * 600_000 + b"1]")
    return run_response(run_id)


@pytest.mark.parametrize("road", ROADS)
def test_a_connection_is_not_reused_after_a_broken_answer(road: str) -> None:
    with scripted(keep_alive(cut_first)) as server:
        got = fetch_on(
            road,
            server.url,
            ["cut", "run_1", "broken-chunks", "run_2", "too-large", "run_3"],
            max_response_bytes=1_000_000,
        )
        left_open = server.open_after()
    assert got == ["APIConnectionError", "run_1", "APIConnectionError", "run_2", "ResponseTooLargeError", "run_3"]
    assert left_open == 0


@pytest.mark.parametrize("road", ROADS)
def test_an_answer_is_freed_when_its_request_ends_not_by_the_cyclic_collector(road: str) -> None:
    # A response's reader and its body parts must go as soon as the call is done with them: left
    # to the cyclic collector (which pauses while large bodies decode), bulk fetching kept dozens
    # of finished 1 MB bodies alive at once. So, with the collector off, nothing may remain.
    with scripted(keep_alive(cut_first)) as server:
        fetch_on(road, server.url, ["warm"])
        gc.collect()
        gc.disable()
        try:
            got = fetch_on(road, server.url, ["run_1", "cut", "broken-chunks", "run_2"])
            alive = [type(o).__name__ for o in gc.get_objects() if isinstance(o, (ResponseReader, BodyReader))]
        finally:
            gc.enable()
    assert got == ["run_1", "APIConnectionError", "APIConnectionError", "run_2"]
    assert alive == []


def stalls_on_slow(seconds: float) -> Callable[[Peer, str], bytes]:
    """Answers each request, but for run `slow`: the first 60 bytes of its answer, then nothing
    for `seconds` (then the whole answer again, which no client still waits for)."""

    def answer(peer: Peer, path: str) -> bytes:
        run_id = peer.run_id(path)
        if run_id == "slow":
            peer.send(run_response(run_id)[:60])
            time.sleep(seconds)
        return run_response(run_id)

    return answer


@pytest.mark.parametrize("road", ROADS)
def test_an_abandoned_answer_ends_its_connection(road: str) -> None:
    with scripted(keep_alive(stalls_on_slow(1.0))) as server:
        got = fetch_on(road, server.url, ["slow", "run_1"], timeout=0.3)
    assert got == ["APITimeoutError", "run_1"]
    assert server.accepted == 2


def test_a_shorter_read_timeout_on_a_kept_alive_connection_still_holds() -> None:
    """The async road's read-timeout timer outlives a request (armed once, re-armed while
    requests come): a request with a shorter timeout than the last one's must not wait for the
    longer one, and a quiet connection between requests must not time anything out."""

    async def main() -> tuple[list[Outcome], float]:
        found: list[Outcome] = []
        async with AsyncCasedevClient(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=30.0) as client:
            found.append((await client.get_run("run_1")).id)
            await asyncio.sleep(0.4)  # idle longer than the next timeout: nothing may fire for it
            found.append((await client.get_run("run_2", timeout=0.3)).id)
            started = time.monotonic()
            try:
                await client.get_run("slow", timeout=0.3)
            except AgentRunsError as error:
                found.append(type(error).__name__)
            return found, time.monotonic() - started

    with scripted(keep_alive(stalls_on_slow(1.5))) as server:
        got, waited = asyncio.run(main())
    assert got == ["run_1", "run_2", "APITimeoutError"]
    assert waited < 1.0  # the 0.3 s timeout, not the 30 s one armed first
    assert server.accepted == 1  # all on one kept-alive connection


@pytest.mark.parametrize("road", ROADS)
def test_a_kept_alive_connection_the_server_closed_costs_no_retry(road: str) -> None:
    """The server says keep-alive, then closes each connection after one answer (stale)."""

    def one_then_close(peer: Peer) -> None:
        path = peer.read_request()
        if path is not None:
            peer.send(run_response(peer.run_id(path)))
        peer.sock.shutdown(2)  # as a proxy that times idle connections out at once

    with scripted(one_then_close) as server:
        started = time.monotonic()
        got = fetch_on(road, server.url, [f"run_{n}" for n in range(5)], between=0.05)
        elapsed = time.monotonic() - started
    assert got == [f"run_{n}" for n in range(5)]  # with max_retries=0: no retry was needed
    assert elapsed < 2.0


@pytest.mark.parametrize("road", ROADS)
def test_close_framed_interim_and_connection_close_answers(road: str) -> None:
    def answer(peer: Peer, path: str) -> bytes | None:
        run_id = peer.run_id(path)
        if run_id == "http10":
            peer.send(response(run_body(run_id), version="HTTP/1.0", length=False))
            return None
        if run_id == "interim":
            return b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + run_response(run_id)
        if run_id == "close":
            peer.send(run_response(run_id, headers=[("Connection", "close")]))
            return None
        if run_id == "chunked":
            return run_response(run_id, chunked=True)
        return run_response(run_id)

    with scripted(keep_alive(answer)) as server:
        got = fetch_on(road, server.url, ["http10", "run_1", "interim", "close", "run_2", "chunked", "run_3"])
    assert got == ["http10", "run_1", "interim", "close", "run_2", "chunked", "run_3"]
    assert server.accepted == 3  # a new one after http10 and after close; the rest reused


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("road", ROADS)
def test_sequential_requests_keep_one_connection_and_no_growth(road: str) -> None:
    # 10,000 requests and 10 MB: a leak of 1 KB a request shows.
    with scripted(keep_alive(answer_each, requests=100_000)) as server:
        fetch_on(road, server.url, ["warm"] * 200)
        fds, rss = _fds(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        got = fetch_on(road, server.url, [f"run_{n}" for n in range(10_000)])
        grown_fds, grown_kb = _fds() - fds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
        accepted = server.accepted
    assert got == [f"run_{n}" for n in range(10_000)]
    assert accepted == 2  # one connection per client, kept alive throughout
    assert grown_fds <= 1 and grown_kb < 10_000


def dropping(seed: int, rate: float) -> Callable[[Peer, str], bytes | None]:
    """Drops a share of answers: before any byte, or in the middle of the body."""
    lock = threading.Lock()
    rng = random.Random(seed)

    def answer(peer: Peer, path: str) -> bytes | None:
        with lock:
            roll = rng.random()
        whole = run_response(peer.run_id(path))
        if roll < rate / 2:
            return None
        if roll < rate:
            peer.send(whole[: len(whole) // 2])
            return None
        return whole

    return answer


@pytest.mark.parametrize("road", ROADS)
def test_random_drops_give_each_request_its_own_run_or_a_typed_error(road: str, delays: list[float]) -> None:
    """5,000 requests, a tenth of the answers dropped; retries (their backoff recorded, not slept)."""
    ids = [f"run_{n}" for n in range(5_000)]
    with scripted(keep_alive(dropping(7, 0.1))) as server:
        got = fetch_on(road, server.url, ids, max_retries=3)
        left_open = server.open_after()
    assert [g for g in got if g.startswith("run_")] == [i for i, g in zip(ids, got, strict=True) if g == i]
    assert sum(g == i for i, g in zip(ids, got, strict=True)) >= len(ids) - 10  # retries cover nearly all
    assert len(delays) >= 200  # drops mid-answer were retried (one before any byte gets a fresh connection free)
    assert set(got) - set(ids) <= {"APIConnectionError"}
    assert left_open == 0


def test_sixteen_threads_share_one_sync_client_through_drops(delays: list[float]) -> None:
    with scripted(keep_alive(dropping(11, 0.05))) as server:
        results: dict[str, Outcome] = {}
        with CasedevClient(api_key=TOKEN, base_url=server.url, max_retries=3) as client:

            def work(thread: int) -> None:
                for n in range(100):
                    run_id = f"run_{thread}_{n}"
                    try:
                        results[run_id] = client.get_run(run_id).id
                    except APIConnectionError as error:
                        results[run_id] = type(error).__name__

            threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            pooled = client._sender.open_connections()
        left_open = server.open_after()
    assert len(results) == 1_600
    assert all(got in (run_id, "APIConnectionError") for run_id, got in results.items())
    assert sum(got == run_id for run_id, got in results.items()) >= 1_590
    assert pooled <= 16 and left_open == 0


def test_a_thousand_cancelled_async_tasks_leave_the_client_usable() -> None:
    async def main(url: str) -> tuple[str, int]:
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url) as client:
            tasks = [asyncio.ensure_future(client.get_run(f"run_{n}")) for n in range(1_000)]
            await asyncio.sleep(0.2)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            after = (await client.get_run("after")).id
            return after, client._sender.open_connections()

    with warnings.catch_warnings(record=True) as caught, scripted(slow_answer(0.05)) as server:
        warnings.simplefilter("always")
        after, pooled = asyncio.run(main(server.url))
        gc.collect()
        left_open = server.open_after()
    assert after == "after"
    assert pooled <= 64 and left_open == 0
    assert not [w for w in caught if "nclosed" in str(w.message)]


@pytest.mark.parametrize("road", ROADS)
def test_waiting_past_the_pool_timeout_for_a_connection_is_a_typed_timeout(
    road: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One connection allowed, held by a slow answer: a second request waits for it only as long
    as the pool timeout, then fails typed, and the first still gets its run."""
    monkeypatch.setattr(_constants, "MAX_CONNECTIONS", 1)
    timeout = httpx.Timeout(5.0, pool=0.2)

    def named(error: AgentRunsError) -> str:
        return f"{type(error).__name__}: {error.message}"

    def outcome(call: Callable[[], Any]) -> str:
        try:
            return str(call().id)
        except AgentRunsError as error:
            return named(error)

    with scripted(slow_answer(1.0)) as server:
        if road == "sync":
            with CasedevClient(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=timeout) as client:
                first: list[str] = []
                holder = threading.Thread(target=lambda: first.append(outcome(lambda: client.get_run("run_1"))))
                holder.start()
                time.sleep(0.3)  # the first request holds the only connection
                started = time.monotonic()
                second = outcome(lambda: client.get_run("run_2"))
                waited = time.monotonic() - started
                holder.join()
            got = [first[0], second]
        else:

            async def main() -> tuple[list[str], float]:
                async with AsyncCasedevClient(
                    api_key=TOKEN, base_url=server.url, max_retries=0, timeout=timeout
                ) as client:

                    async def one(run_id: str) -> str:
                        try:
                            return str((await client.get_run(run_id)).id)
                        except AgentRunsError as error:
                            return named(error)

                    holder = asyncio.ensure_future(one("run_1"))
                    await asyncio.sleep(0.3)
                    started = time.monotonic()
                    second = await one("run_2")
                    waited = time.monotonic() - started
                    return [await holder, second], waited

            got, waited = asyncio.run(main())
    assert got[0] == "run_1"
    assert got[1].startswith("APITimeoutError") and "PoolTimeout" in got[1], got[1]
    assert 0.15 <= waited < 0.9  # the pool timeout, not the first answer's second


def test_timeouts_are_typed_alike() -> None:
    """A server that never answers: the same error on both roads, in the read timeout."""

    def silent(peer: Peer) -> None:
        peer.read_request()
        time.sleep(2)

    with scripted(silent) as server:
        for road in ROADS:
            started = time.monotonic()
            assert fetch_on(road, server.url, ["run_1"], timeout=0.3) == [APITimeoutError.__name__]
            assert time.monotonic() - started < 1.5


def test_the_error_kinds_are_the_same_on_both_roads() -> None:
    """Every scenario above ends in the same outcome on both roads: gathered here once more for
    the ones whose outcome is an error, so a divergence names its scenario."""
    scenarios: dict[str, tuple[Callable[[Peer, str], bytes | None], list[str]]] = {
        "cut": (cut_first, ["cut"]),
        "broken-chunks": (cut_first, ["broken-chunks"]),
        "too-large": (cut_first, ["too-large"]),
        "undecodable": (undecodable, ["run_1"]),
    }
    for name, (answer, ids) in scenarios.items():
        with scripted(keep_alive(answer)) as server:
            outcomes = {road: fetch_on(road, server.url, ids, max_response_bytes=1_000_000) for road in ROADS}
        assert outcomes["sync"] == outcomes["async"], (name, outcomes)
    assert ResponseTooLargeError.__name__ and ResponseValidationError.__name__  # the names compared above


@pytest.mark.parametrize("road", ROADS)
def test_ambiguous_framing_is_refused_and_ends_the_connection(road: str) -> None:
    """Two lengths, or a length beside chunking: RFC 9112 §6.3 calls both a sign of response
    splitting, to be handled as an error (llhttp refuses them; so do urllib3 and aiohttp)."""
    body = run_body("framed")

    def answer(peer: Peer, path: str) -> bytes:
        run_id = peer.run_id(path)
        if run_id == "two-lengths":
            return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Length: 5\r\n\r\n%s" % (len(body), body)
        if run_id == "length-and-chunks":
            chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
            return b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
        return run_response(run_id)

    with scripted(keep_alive(answer)) as server:
        got = fetch_on(road, server.url, ["two-lengths", "run_1", "length-and-chunks", "run_2"])
    assert got == ["APIConnectionError", "run_1", "APIConnectionError", "run_2"]


@pytest.mark.parametrize("road", ROADS)
def test_an_unasked_protocol_switch_is_a_typed_connection_error(road: str) -> None:
    """A 101 Switching Protocols nobody asked for (no Upgrade header was sent) is not HTTP any
    more: the request fails as an APIConnectionError, that connection ends, the next one works."""

    def answer(peer: Peer, path: str) -> bytes:
        run_id = peer.run_id(path)
        if run_id == "switch":
            return b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello"
        return run_response(run_id)

    with scripted(keep_alive(answer)) as server:
        got = fetch_on(road, server.url, ["switch", "run_1"])
    assert got == ["APIConnectionError", "run_1"]
