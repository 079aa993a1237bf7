"""fetch / afetch / wait / await_ / fetch_many / afetch_many against the emulator over HTTP."""

from __future__ import annotations

import ast
import asyncio
import gc
import weakref
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from msgspec.structs import replace

import agentruns
from agentruns import AgentRun, AgentRunsError, InvalidRefError, NotFoundError, RateLimitError, RunStatus
from agentruns.testing import Emulator, make_run
from agentruns.testing.data import sample_ids, terminal
from spec_tools import PROVIDERS, run_model


@pytest.fixture(scope="module", autouse=True)
def emu() -> Iterator[Emulator]:
    # Refs of several providers go through one call: each provider's key comes from its variable,
    # set for every test of the module (the ones with an emulator of their own read it too, run
    # alone or in any order).
    with Emulator(seed=4, steps=3, missing={"run_missing"}) as emulator, pytest.MonkeyPatch.context() as patch:
        for name, value in emulator.environ().items():
            if name.endswith("_API_KEY"):
                patch.setenv(name, value)
        yield emulator


def without_request_id(run: AgentRun) -> bytes:
    """A run's JSON but for the request id, which is the response's, new on every fetch."""
    return agentruns.to_json(replace(run, request_id=None))


def opts(emu: Emulator, **extra: Any) -> dict[str, Any]:
    return {"base_url": emu.url, **extra}


def expected(provider: str, ids: tuple[str, ...], seed: int = 4, steps: int = 3) -> AgentRun:
    body = make_run(provider, ids, seed=seed, steps=steps)
    return agentruns.normalize(run_model(provider).from_dict(body))


def test_fetch_returns_the_normalized_run(emu: Emulator) -> None:
    run = agentruns.fetch("nsrocks:adpl_1/adrun_1", **opts(emu))
    want = expected("nsrocks", ("adpl_1", "adrun_1"))
    assert run.ref == "nsrocks:adpl_1/adrun_1"
    assert (run.status, run.started_at, run.failure) == (want.status, want.started_at, want.failure)


async def test_afetch_matches_fetch(emu: Emulator) -> None:
    ref = "backside:contact_deduper/3c90c3cc-0d44-4b50-8888-8dd25736052a"
    sync_run = agentruns.fetch(ref, **opts(emu))
    async_run = await agentruns.afetch(ref, **opts(emu))
    # The same run through both roads; each response has its own request id.
    assert sync_run.request_id and async_run.request_id and sync_run.request_id != async_run.request_id
    assert without_request_id(sync_run) == without_request_id(async_run)


def test_fetch_errors_carry_the_ref(emu: Emulator) -> None:
    with pytest.raises(NotFoundError) as caught:
        agentruns.fetch("casedev:run_missing", **opts(emu))
    assert caught.value.ref == "casedev:run_missing"
    with pytest.raises(InvalidRefError):
        agentruns.fetch("casedev", **opts(emu))


@pytest.mark.parametrize(
    "ref", ["casedev:run_life", "nsrocks:adpl_1/adrun_life", "middesk:3c90c3cc-0d44-4b50-8888-8dd25736052a"]
)
def test_wait_polls_until_terminal(ref: str) -> None:
    with Emulator(lifecycle=True) as emu:
        run = agentruns.wait(ref, poll_interval=0.01, **opts(emu))
        polls = len(emu.requests)
    assert run.is_terminal
    assert run.raw_status in terminal(run.provider)
    assert polls >= 2


async def test_await_polls_until_terminal() -> None:
    with Emulator(lifecycle=True) as emu:
        run = await agentruns.await_("backside:k/3c90c3cc-0d44-4b50-8888-8dd25736052a", poll_interval=0.01, **opts(emu))
    assert run.is_terminal
    assert len(emu.requests) == 3  # queued, running, then the terminal state


def test_wait_times_out_with_a_clear_error() -> None:
    running = next(f"casedev:r{n}" for n in range(200) if make_run("casedev", (f"r{n}",)).get("status") == "running")
    with Emulator() as emu, pytest.raises(agentruns.WaitTimeoutError) as caught:
        agentruns.wait(running, timeout=0.2, poll_interval=0.05, **opts(emu, api_key=emu.token_for("casedev")))
    assert caught.value.ref == running
    assert caught.value.last_status == "running"
    assert "still running after 0.2 s" in str(caught.value)


def mixed_refs(n: int) -> list[str]:
    refs = []
    for i in range(n):
        refs += [f"casedev:run_{i}", f"nsrocks:adpl_{i % 3}/adrun_{i}"]
    return [*refs, "casedev:run_missing", "nope:1", "middesk:not-a-uuid"]


def test_fetch_many_answers_every_ref_exactly_once(emu: Emulator) -> None:
    refs = mixed_refs(40)
    results = list(agentruns.fetch_many(refs, concurrency=6, **opts(emu)))
    assert Counter(r.ref for r in results) == Counter(refs)
    errors = {r.ref: r for r in results if isinstance(r, AgentRunsError)}
    assert set(errors) == {"casedev:run_missing", "nope:1", "middesk:not-a-uuid"}
    assert isinstance(errors["casedev:run_missing"], NotFoundError)
    assert isinstance(errors["nope:1"], InvalidRefError)
    for run in results:
        if isinstance(run, AgentRun) and run.provider == "casedev":
            assert run.status == expected("casedev", (run.ref.removeprefix("casedev:"),)).status


async def test_fetch_many_inside_a_running_loop_answers_the_same_and_leaves_no_thread(emu: Emulator) -> None:
    # Its loop cannot run in a thread whose own loop is running: there it runs in a worker thread.
    import threading

    refs = mixed_refs(20)
    before = set(threading.enumerate())
    inside = list(agentruns.fetch_many(refs, concurrency=4, **opts(emu)))
    # The worker thread has ended (compared by thread, not by count: an earlier test's may end meanwhile).
    assert set(threading.enumerate()) - before == set()
    outside = await asyncio.to_thread(lambda: list(agentruns.fetch_many(refs, concurrency=4, **opts(emu))))
    assert Counter(r.ref for r in inside) == Counter(refs) == Counter(r.ref for r in outside)
    kinds = {r.ref: type(r).__name__ for r in inside}
    assert kinds == {r.ref: type(r).__name__ for r in outside}
    assert kinds["casedev:run_missing"] == "NotFoundError"


def test_fetch_many_leaves_the_threads_event_loop_as_it_was(emu: Emulator) -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        assert len(list(agentruns.fetch_many(mixed_refs(6), **opts(emu)))) == len(mixed_refs(6))
        assert asyncio.get_event_loop_policy().get_event_loop() is loop and not loop.is_closed()
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_an_error_reading_the_refs_reaches_the_caller_after_the_runs_before_it(emu: Emulator) -> None:
    def refs() -> Iterator[str]:
        yield "casedev:run_1"
        yield "casedev:run_2"
        raise LookupError("the ref source failed")

    seen = []
    with pytest.raises(LookupError, match="the ref source failed") as caught:
        for result in agentruns.fetch_many(refs(), concurrency=1, **opts(emu)):
            seen.append(result.ref)
    assert seen == ["casedev:run_1", "casedev:run_2"]
    assert caught.value.__context__ is None  # nothing of the machinery chained onto it


def batch_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the batches fetch_many's own loop hands its caller, as they are made."""
    from agentruns import fetching

    sizes: list[int] = []
    batches = fetching._afetch_batches

    async def recorded(*args: Any) -> Any:
        async for batch in batches(*args):
            sizes.append(len(batch))
            yield batch

    monkeypatch.setattr(fetching, "_afetch_batches", recorded)
    return sizes


def test_fetch_many_decodes_no_more_than_its_budget_before_the_caller_takes_it(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its loop stands still while the caller works, so answers pile up; past the budget they wait
    # as bytes. A budget of one byte: each run is taken before the next is decoded.
    from agentruns import fetching

    refs = [f"casedev:run_{i}" for i in range(60)]
    sizes = batch_sizes(monkeypatch)
    assert len(list(agentruns.fetch_many(refs, concurrency=8, **opts(emu)))) == 60
    assert max(sizes) > 1  # unbounded, a turn of the loop finishes several runs
    sizes.clear()
    monkeypatch.setattr(fetching, "DECODE_BUDGET_BYTES", 1)
    got = list(agentruns.fetch_many(refs, concurrency=8, **opts(emu)))
    assert sorted(r.ref for r in got) == sorted(refs) and all(isinstance(r, AgentRun) for r in got)
    assert sizes == [1] * 60


def test_runs_of_several_requests_never_wait_for_a_budget_no_run_will_refill(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Letta's run is three requests and more (its steps paged), OpenAI's two and more: with
    # every worker past the budget midway through a run, no run is finished for the caller to
    # take, so none may wait.
    from agentruns import fetching

    monkeypatch.setattr(fetching, "DECODE_BUDGET_BYTES", 1)
    refs = [f"{provider}:" + "/".join(sample_ids(provider, n)) for provider in ("letta", "openai") for n in range(12)]
    got = list(agentruns.fetch_many(refs, concurrency=8, **opts(emu)))
    assert sorted(r.ref for r in got) == sorted(refs)
    assert all(isinstance(r, AgentRun) for r in got), [r for r in got if not isinstance(r, AgentRun)]


async def test_afetch_many_streams_with_bounded_concurrency() -> None:
    in_flight = 0
    peak = 0
    with Emulator(fault_rate=1.0, faults=("slow",), slow_seconds=0.05) as emu:
        original = emu.app._respond

        async def counting(*args: Any) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await original(*args)
            finally:
                in_flight -= 1

        emu.app._respond = counting  # type: ignore[method-assign]
        refs = [f"casedev:run_{i}" for i in range(30)]
        results = [r async for r in agentruns.afetch_many(refs, concurrency=4, **opts(emu))]
    assert sorted(r.ref for r in results) == sorted(refs)
    assert all(isinstance(r, AgentRun) for r in results)
    assert 2 <= peak <= 4


def test_fetch_many_stops_cleanly_when_the_consumer_does(emu: Emulator) -> None:
    before = len(emu.requests)  # the emulator serves the whole module
    results = agentruns.fetch_many((f"casedev:run_{i}" for i in range(10_000)), concurrency=4, **opts(emu))
    first = [next(results) for _ in range(5)]
    results.close()
    assert len({r.ref for r in first}) == 5
    assert len(emu.requests) - before < 200  # lazily read: the rest of the 10,000 refs were never fetched


def test_fetch_many_reports_missing_keys_per_ref(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> None:
    monkeypatch.delenv("BACKSIDE_API_KEY", raising=False)
    refs = [f"backside:k/3c90c3cc-0d44-4b50-8888-8dd2573605{n:02d}" for n in range(3)]
    results = list(agentruns.fetch_many(refs, base_url=emu.url))
    assert sorted(r.ref for r in results) == sorted(refs)
    assert all(isinstance(r, agentruns.ConfigurationError) and "BACKSIDE_API_KEY" in str(r) for r in results)


def test_rate_limited_refs_retry_after_the_server_says(delays: list[float]) -> None:
    with Emulator(seed=1, fault_rate=0.3, faults=("rate_limit",)) as emu:
        emu.config.retry_after = "2"
        refs = [f"casedev:run_{i}" for i in range(30)]
        results = list(agentruns.fetch_many(refs, concurrency=4, **opts(emu, max_retries=6)))
    assert sorted(r.ref for r in results) == sorted(refs)
    rate_limited = [r for r in results if isinstance(r, RateLimitError)]
    assert len(rate_limited) < len(refs)
    assert 2.0 in delays  # the retry waited what Retry-After said
    assert all(isinstance(r, (AgentRun, RateLimitError)) for r in results)


def test_runs_from_fetch_many_equal_single_fetches(emu: Emulator) -> None:
    refs = [f"nsrocks:adpl_2/adrun_{i}" for i in range(10)]
    many = {r.ref: r for r in agentruns.fetch_many(refs, **opts(emu)) if isinstance(r, AgentRun)}
    single = {ref: agentruns.fetch(ref, **opts(emu)) for ref in refs}
    assert {ref: without_request_id(run) for ref, run in many.items()} == {
        ref: without_request_id(run) for ref, run in single.items()
    }
    assert len({run.request_id for run in [*many.values(), *single.values()]}) == 2 * len(refs)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_fetched_run_is_a_tree_the_cyclic_collector_never_walks(emu: Emulator, provider: str) -> None:
    # Bulk work holds thousands of runs: their Structs are untracked (gc=False), which is sound
    # only while a run never refers back to itself. Then dropping it frees it, native model
    # included, by reference counts alone, with the collector off.
    ref = f"{provider}:" + "/".join(sample_ids(provider, 1))
    gc.collect()
    gc.disable()
    try:
        run = agentruns.fetch(ref, **opts(emu))
        tracked = [gc.is_tracked(run), *(gc.is_tracked(step) for step in run.steps)]
        native = weakref.ref(run.native)
        del run
        freed = native() is None
    finally:
        gc.enable()
    assert tracked == [False] * len(tracked)
    assert freed


def test_status_enum_is_exported() -> None:
    assert agentruns.RunStatus is RunStatus
    assert set(agentruns.__all__) == set(agentruns._EXPORTS) | set(agentruns._client_exports())
    for name in agentruns.__all__:  # every exported name resolves, the registry's clients included
        assert getattr(agentruns, name) is not None
    for info in agentruns.registry.all_providers():
        assert (
            getattr(agentruns, info.client_names[0]),
            getattr(agentruns, info.client_names[1]),
        ) == info.clients()
    assert asyncio.iscoroutinefunction(agentruns.await_)


def test_type_checkers_see_every_registered_client() -> None:
    """At run time the registry finds a provider's clients; a type checker sees only the
    TYPE_CHECKING imports of agentruns/__init__.py: the star import of _clients, which `make
    regen` writes from specs/. Each client is re-exported (`X as X`) from its provider's module."""
    tree = ast.parse(Path(agentruns.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    assert any(
        isinstance(node, ast.ImportFrom) and node.module == "_clients" and [a.name for a in node.names] == ["*"]
        for node in block.body
    )
    listing = ast.parse((Path(agentruns.__file__).parent / "_clients.py").read_text(encoding="utf-8"))
    seen = {
        alias.asname: f".{node.module}"
        for node in listing.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == alias.name
    }
    assert seen == agentruns._client_exports()


def test_the_registry_is_reached_from_the_package_in_a_fresh_interpreter() -> None:
    """`agentruns.registry.names()`, as the package's docstring shows it, with nothing imported
    before (in this process the registry is loaded already, which hides a missing export)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import agentruns; print(','.join(agentruns.registry.names()))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().split(",") == list(agentruns.registry.names())


# What a plain-http fetch decoded on the fast path has no use for: httpx (the roads read
# responses themselves), asyncio (the sync road), TLS, a decompressor (an uncompressed body), the
# idna codec (an ASCII host) and importlib.util. Each was once on the cold start's path.
NOT_NEEDED = ("httpx", "asyncio", "ssl", "zlib", "encodings.idna", "importlib.util")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_fetch_in_a_fresh_interpreter_loads_nothing_it_does_not_use(emu: Emulator, provider: str) -> None:
    import subprocess
    import sys

    ref = f"{provider}:" + "/".join(sample_ids(provider, 1))
    # orjson too, for case.dev: it reads only bodies the fast path refuses and JSON inside strings
    # (OpenAI's tool-call arguments), and a case.dev run holds neither.
    watched = (*NOT_NEEDED, "orjson")
    code = (
        f"import sys, agentruns; run = agentruns.fetch({ref!r}, base_url={emu.url!r}); "
        f"print(run.ref, *sorted(name for name in {watched!r} if name in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    shown_ref, *loaded = done.stdout.split()
    assert shown_ref == ref
    unneeded = [name for name in loaded if name in NOT_NEEDED or provider == "casedev"]
    assert unneeded == []


def test_watch_yields_each_state_until_the_run_ends() -> None:
    with Emulator(lifecycle=True) as emu:
        states = list(
            agentruns.watch("casedev:run_watched", poll_interval=0.01, **opts(emu, api_key=emu.token_for("casedev")))
        )
        polls = len(emu.requests)
    assert len(states) == polls >= 2  # one state a poll, the last one terminal
    assert [run.is_terminal for run in states] == [False] * (len(states) - 1) + [True]
    assert [str(run.status) for run in states[:2]] == ["queued", "running"]


def test_leaving_a_watch_early_stops_its_polls() -> None:
    with Emulator(lifecycle=True) as emu:
        for run in agentruns.watch(
            "casedev:run_left", poll_interval=0.01, **opts(emu, api_key=emu.token_for("casedev"))
        ):
            assert str(run.status) == "queued"
            break
        assert len(emu.requests) == 1


async def test_awatch_yields_the_same_states() -> None:
    with Emulator(lifecycle=True) as emu:
        key = emu.token_for("casedev")
        states = [
            run async for run in agentruns.awatch("casedev:run_watched", poll_interval=0.01, **opts(emu, api_key=key))
        ]
    with Emulator(lifecycle=True) as emu:
        again = list(agentruns.watch("casedev:run_watched", poll_interval=0.01, **opts(emu, api_key=key)))
    assert [str(run.status) for run in states] == [str(run.status) for run in again]
    assert states[-1].is_terminal


def test_fetch_in_a_loop_keeps_one_client_and_its_connection() -> None:
    """fetch() keeps a client per provider and options, as openai-python keeps its module
    client: a loop of fetches reuses one kept-alive connection (it opened one per call), other
    options get a client of their own, and close_default_clients() closes them all."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from agentruns import fetching
    from spec_tools import example

    body = orjson.dumps(example("casedev"))
    connections: list[int] = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            connections.append(1)

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        fetching.close_default_clients()
        runs = [agentruns.fetch(f"casedev:run_{n}", api_key="sk_case_x", base_url=url) for n in range(5)]
        assert [run.ref for run in runs] == [f"casedev:run_{n}" for n in range(5)]
        assert len(connections) == 1 and len(fetching._DEFAULTS) == 1
        agentruns.fetch("casedev:run_9", api_key="sk_case_x", base_url=url, max_retries=0)
        assert len(connections) == 2 and len(fetching._DEFAULTS) == 2
        kept = list(fetching._DEFAULTS.values())
        fetching.close_default_clients()
        assert all(client.is_closed for client in kept) and not fetching._DEFAULTS
    finally:
        server.shutdown()
        server.server_close()
