"""`make bench`: each figure beside its baseline, measured in the same process and run.

Prints a table of medians and ratios (ours / baseline; for throughput, higher is better) and
writes them to bench-results.json. Each group of figures (FIGURES) runs in a fresh interpreter.
Servers run in a subprocess on 127.0.0.1, so they do not share the client's GIL: the client
figures are measured against a fixed-body server (scripts/fixed_server.py, a minimal ASGI app
under uvicorn) that is faster than either client, so a ratio measures the clients and not the
server; the emulator-served figures stay beside them. `--quick` runs every figure with tiny
counts, to keep the harness from rotting (make test does that); its numbers mean nothing."""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import functools
import gc
import importlib
import json
import os
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import orjson
import regen as regen_script  # scripts/regen.py: what a generation reads

import agentruns
from agentruns import _plan
from agentruns._judge import decode
from agentruns.normalizers import status_table
from agentruns.testing import make_run
from agentruns.testing.data import draft, sample_ids, terminal

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "sk_case_bench"  # the emulator's secret: case.dev's key itself, the others' after their prefix
HEADERS = {"Authorization": f"Bearer {TOKEN}"}  # case.dev's


def key(provider: str) -> str:
    """The key the benchmark's emulator takes for `provider`."""
    from agentruns.testing.app import token_for

    return token_for(agentruns.registry.get(provider), TOKEN)


@dataclass(frozen=True)
class BigRun:
    """A run of one provider to measure: a finished one, with as many of its parts as the draw
    gives, and the step count that makes its body about `size` bytes."""

    provider: str
    ids: tuple[str, ...]
    status: str
    steps: int

    @property
    def path(self) -> str:
        info = agentruns.registry.get(self.provider)
        return info.run_operation.path.format(**dict(zip((p.name for p in info.ref_parameters), self.ids, strict=True)))

    def body(self, steps: int | None = None) -> bytes:
        steps = self.steps if steps is None else steps
        return orjson.dumps(make_run(self.provider, self.ids, steps=steps, status=self.status))


@functools.cache
def big_run(provider: str, size: int = 1_000_000) -> BigRun:
    succeeded = next(s for s in terminal(provider) if status_table(provider)[s] == "succeeded")
    # Of the first sample runs, the one whose steps weigh most (the most parts drawn present).
    candidates = [BigRun(provider, sample_ids(provider, n), succeeded, 0) for n in range(5)]
    best = max(candidates, key=lambda run: len(run.body(40)) - len(run.body(0)))
    per_step = max((len(best.body(40)) - len(best.body(0))) / 40, 1.0)
    return BigRun(provider, best.ids, succeeded, max(1, round((size - len(best.body(0))) / per_step)))


TARGETS: dict[str, tuple[str, float]] = {}  # figure -> ("<=" | ">=", target)
PROVIDERS = list(agentruns.registry.names())  # --provider narrows it


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(ours: Callable[[], object], base: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median of each, measured alternately so that drift on the machine hits both alike; the
    spread of each side is kept for the report. (A gc.collect() before each call was tried: it
    leaves the caches cold and makes small figures meaningless.)"""
    ours_times, base_times = [], []
    for fn in (ours, base, ours, base):
        fn()  # warm-up
    for _ in range(repeat):
        for fn, times in ((base, base_times), (ours, ours_times)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    SPREADS.append((spread(ours_times), spread(base_times)))
    return statistics.median(ours_times), statistics.median(base_times)


SPREADS: list[tuple[float, float]] = []  # (ours, baseline) spread of the last interleaved figure, until reported


def spread(times: list[float]) -> float:
    """The interquartile range as a share of the median."""
    quartiles = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    return (quartiles[2] - quartiles[0]) / quartiles[1] if quartiles[1] else 0.0


@contextlib.contextmanager
def emulator(steps: int) -> Iterator[str]:
    process = subprocess.Popen(
        [str(BIN / "agentruns"), "emulate", "--port", "0", "--steps", str(steps), "--token", TOKEN, "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def fixed_server(body: bytes) -> Iterator[str]:
    """scripts/fixed_server.py answering every GET with `body`, in its own process."""
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(body)
        file.flush()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "fixed_server.py"), "--body", file.name],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            yield process.stdout.readline().strip()
        finally:
            process.terminate()
            process.wait(timeout=10)


def casedev_body(size: int) -> bytes:
    """A finished case.dev run of about `size` bytes."""
    run = big_run("casedev")
    return run.body(max(1, round(run.steps * size / 1_000_000)))


class Table:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, figure: str, ours: float, baseline: float | None, unit: str, target: str, ok: bool | None) -> None:
        ratio = ours / baseline if baseline else None
        row = {
            "figure": figure,
            "ours": ours,
            "baseline": baseline,
            "unit": unit,
            "ratio": ratio,
            "target": target,
            "met": ok,
        }
        self.rows.append(row)
        shown_ratio = f"{ratio:6.2f}" if ratio is not None else "     —"
        shown_base = f"{baseline:10.3f}" if baseline is not None else "         —"
        verdict = {True: "met", False: "MISSED", None: ""}[ok]
        print(f"{figure:48s} {ours:10.3f} {shown_base} {unit:6s} {shown_ratio}  {target:8s} {verdict}", flush=True)


def ratio_figure(table: Table, figure: str, ours: float, base: float, unit: str, limit: float | None) -> None:
    """A ratio against its target; without one (`limit` None) reported only, as for what a choice
    costs where it does not pay."""
    table.add(
        figure,
        ours,
        base,
        unit,
        f"<= {limit}" if limit is not None else "",
        ours / base <= limit if limit is not None else None,
    )
    if SPREADS:
        ours_spread, base_spread = SPREADS.pop()
        table.rows[-1]["spread"] = {"ours": ours_spread, "baseline": base_spread}
        print(f"    spread (IQR / median): ours {ours_spread:.0%}, baseline {base_spread:.0%}")


def letta_page(ids: tuple[str, ...], steps: int) -> bytes:
    return orjson.dumps(draft("letta", ids, steps=steps).bodies["list_steps_for_run"])


def steps_for(provider: str, size: int) -> int:
    """Steps that make the body growing with them (the run; Letta's steps list) ~`size` bytes."""
    run = big_run(provider)
    if provider != "letta":
        return max(1, round(run.steps * size / 1_000_000))
    per_step = (len(letta_page(run.ids, 40)) - len(letta_page(run.ids, 0))) / 40
    return max(1, round(size / per_step))


def decode_case(provider: str, size: int) -> tuple[bytes, Callable[[bytes], Any]]:
    """A body of about `size` bytes that grows with steps, and the parser our client uses on it:
    the run itself, or for Letta (whose run holds no steps) its steps list."""
    run, steps = big_run(provider), steps_for(provider, size)
    if provider != "letta":
        return run.body(steps), _plan.body(agentruns.registry.get(provider).run_model)
    from agentruns_letta.models import Step

    return letta_page(run.ids, steps), _plan.list_body(Step)


@contextlib.contextmanager
def built_at_once() -> Iterator[None]:
    """Every list of models built with its model (the generated packages' DEFER_MIN_ITEMS past any
    length), so that a decode figure counts every object, as json.loads makes them all; get_run's
    own figures (single_fetch_fast) leave long lists to be built on their first read."""
    modules = [importlib.import_module(f"agentruns_{provider}.types") for provider in agentruns.registry.names()]
    saved = [module.DEFER_MIN_ITEMS for module in modules]
    for module in modules:
        module.DEFER_MIN_ITEMS = sys.maxsize
    try:
        yield
    finally:
        for module, value in zip(modules, saved, strict=True):
            module.DEFER_MIN_ITEMS = value


def with_unknown_fields(content: bytes) -> bytes:
    """The body with three fields no spec lists on the top object and on every listed object."""
    data = orjson.loads(content)
    items = data if isinstance(data, list) else next((v for v in data.values() if isinstance(v, list)), [])
    for item in [*items, *([data] if isinstance(data, dict) else [])]:
        if isinstance(item, dict):
            item.update({"addedLater": 1, "new_flag": True, "note_v2": "forward compatible"})
    return orjson.dumps(data)


def decode_and_normalize(table: Table, quick: bool) -> None:
    with built_at_once():
        _decode_and_normalize(table, quick)


def _decode_and_normalize(table: Table, quick: bool) -> None:
    repeat = 3 if quick else 25
    for provider in PROVIDERS:
        for label, size in (("12 KB", 12_000), ("1 MB", 1_000_000)):
            content, parse = decode_case(provider, size // 50 if quick and size > 12_000 else size)
            ours, base = interleaved(lambda p=parse, c=content: decode(p, c), lambda c=content: json.loads(c), repeat)
            figure = f"decode {label} {provider} ({len(content) / 1e3:.0f} KB) (ms)"
            ratio_figure(table, figure, ours * 1e3, base * 1e3, "ms", 0.75)
        unknown = with_unknown_fields(content)
        decode(parse, unknown)  # the first such body teaches the Structs its new keys
        ours, base = interleaved(lambda p=parse, c=unknown: decode(p, c), lambda c=unknown: json.loads(c), repeat)
        ratio_figure(table, f"decode 1 MB {provider}, unknown fields (ms)", ours * 1e3, base * 1e3, "ms", 1.0)
        if provider == "letta":
            continue  # its run is normalized from three bodies; the steps dominate, measured above
        model = decode(parse, content)
        ours, base = interleaved(lambda m=model: agentruns.normalize(m), lambda c=content: json.loads(c), repeat)
        ratio_figure(table, f"normalize 1 MB {provider} run (ms)", ours * 1e3, base * 1e3, "ms", 0.5)


def raw_requests(
    client: Any, ids: tuple[str, ...], url: str, headers: dict[str, str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The requests `get_run` makes for `ids` (URL, query), found by driving its plan once."""
    plan = importlib.import_module(f"agentruns.clients.{client.info.name}").plan_get_run(*ids)
    found: list[tuple[str, list[tuple[str, str]]]] = []
    with httpx.Client() as raw:
        try:
            request = next(plan)
            while True:
                found.append((url + request.path, list(request.params)))
                content = raw.get(url + request.path, params=list(request.params), headers=headers).content
                request = plan.send(request.parse(content))
        except StopIteration:
            return found


QUICK_STEPS = 20  # --quick: every provider's runs, both sizes, from one emulator of this many steps


def single_fetch(table: Table, quick: bool) -> None:
    with contextlib.ExitStack() as servers:
        shared = servers.enter_context(emulator(QUICK_STEPS)) if quick else None
        for provider in PROVIDERS:
            _single_fetch(table, provider, shared)


def _single_fetch(table: Table, provider: str, shared: str | None) -> None:
    """get_run of `provider`'s 12 KB and 1 MB runs beside raw httpx + json.loads, each from an
    emulator of its own (or from `shared`, for --quick, whose figures mean nothing: an emulator
    takes half a second to start)."""
    run = big_run(provider)
    auth = agentruns.registry.get(provider).auth  # the key sent as the provider's spec says
    headers = {auth.header: auth.value(key(provider))}
    for label, size, limit in (("12 KB", 12_000, 0.75), ("1 MB", 1_000_000, 0.85)):
        steps = steps_for(provider, size)
        client_class = agentruns.registry.get(provider).sync_client
        with (
            contextlib.nullcontext(shared) if shared else emulator(steps) as url,
            httpx.Client() as raw,
            client_class(api_key=key(provider), base_url=url) as client,
        ):
            requests = raw_requests(client, run.ids, url, headers)
            total = sum(len(raw.get(u, params=q, headers=headers).content) for u, q in requests)
            if len(requests) > 2 and size > 100_000:
                limit = 1.0  # a list read page by page (Letta's steps): the pages cost their own parsing

            def baseline(r: list[tuple[str, list[tuple[str, str]]]] = requests, h: dict[str, str] = headers) -> None:
                for u, q in r:
                    json.loads(raw.get(u, params=q, headers=h).content)

            repeat = 5 if shared else (300 if size < 100_000 else 30)
            ours, base = interleaved(lambda c=client, i=run.ids: c.get_run(*i), baseline, repeat)
        kind = f"{len(requests)} requests" if len(requests) > 1 else "keep-alive"
        figure = f"get_run {label} {provider} ({total / 1e3:.0f} KB), {kind} (ms)"
        ratio_figure(table, figure, ours * 1e3, base * 1e3, "ms", limit)


class SocketFloor:
    """The least a GET of one JSON body can cost from Python: one kept-alive socket, the
    request's bytes written at once, the answer's head read to its blank line, the body read by
    its Content-Length, orjson.loads. No client does less; get_run is measured beside it."""

    def __init__(self, url: str, path: str) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.address = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        token = HEADERS["Authorization"]
        self.request = f"GET {path} HTTP/1.1\r\nHost: {parsed.netloc}\r\nAuthorization: {token}\r\n\r\n".encode()

    def __enter__(self) -> SocketFloor:
        self.socket = socket.create_connection(self.address)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.socket.close()

    def get(self) -> Any:
        self.socket.sendall(self.request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.socket.recv(65536)
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        chunks, have = [rest], len(rest)
        while have < length:
            chunk = self.socket.recv(max(65536, length - have))
            chunks.append(chunk)
            have += len(chunk)
        data = b"".join(chunks)
        self.buffer = data[length:]
        return orjson.loads(data[:length])


def single_fetch_fast(table: Table, quick: bool) -> None:
    """One case.dev get_run against the fixed-body server, beside httpx.Client.get + json.loads.

    Long lists of objects are built on their first read (DeferredLists in the generated types):
    the get_run row measures what the call costs; for the large body, two more rows measure a
    caller who then reads every list of the run, beside json.loads (which has built them all) and
    beside our own get_run with every list built in the call (DEFER_MIN_ITEMS past any length)."""
    for label, size, limit in (("12 KB", 12_000, 0.6), ("1 MB", 1_000_000, 0.5)):
        body = casedev_body(size // 20 if quick and size > 12_000 else size)
        with fixed_server(body) as url, httpx.Client() as raw:
            with agentruns.CasedevClient(api_key=TOKEN, base_url=url) as client:
                target = f"{url}/agent/v1/run/run_1/details"
                repeat = 5 if quick else (400 if size < 100_000 else 40)

                def baseline(r: httpx.Client = raw, t: str = target) -> Any:
                    return json.loads(r.get(t, headers=HEADERS).content)

                ours, base = interleaved(lambda c=client: c.get_run("run_1"), baseline, repeat)
                figure = f"get_run {label} casedev ({len(body) / 1e3:.0f} KB), fast server (ms)"
                ratio_figure(table, figure, ours * 1e3, base * 1e3, "ms", limit)
                with SocketFloor(url, "/agent/v1/run/run_1/details") as floor:
                    ours, base = interleaved(lambda c=client: c.get_run("run_1"), floor.get, repeat)
                floor_limit = 1.5 if size <= 12_000 else 1.0
                figure = f"get_run {label} casedev vs the socket floor, fast server (ms)"
                ratio_figure(table, figure, ours * 1e3, base * 1e3, "ms", floor_limit)
                if size <= 12_000:
                    continue

                def read_all(c: Any = client) -> int:
                    return every_list_read(c.get_run("run_1"))

                def eager(c: Any = client) -> int:
                    with built_at_once():
                        return every_list_read(c.get_run("run_1"))

                ours, base = interleaved(read_all, baseline, repeat)
                figure = f"get_run {label} casedev, every list read, fast server (ms)"
                ratio_figure(table, figure, ours * 1e3, base * 1e3, "ms", None)
                ours, base = interleaved(read_all, eager, repeat)
                ratio_figure(table, "the same vs every list built in get_run (ms)", ours * 1e3, base * 1e3, "ms", None)


def every_list_read(run: Any) -> int:
    """Reads each list of a case.dev run (its steps and usage entries) as a caller walking it would."""
    return len(run.steps) + len(run.usage.entries)


async def raw_aiohttp(url: str, refs: list[str], concurrency: int, keep: bool = False) -> tuple[float, float]:
    """The baseline of bulk work: raw aiohttp + json.loads, `concurrency` in flight; (runs/s, CPU s
    a run). As fetch_many's consumer does, each parsed body is dropped once parsed, unless `keep`
    (then every body is kept to the end, as `list(fetch_many(...))` keeps every run): returning
    each body into gather kept 1,500 of them alive for the cyclic collector to walk again and
    again, a handicap the other side did not carry."""
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    kept: list[Any] = []
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(ref: str) -> None:
            async with semaphore, session.get(f"{url}/agent/v1/run/{ref[8:]}/details", headers=HEADERS) as r:
                body = json.loads(await r.read())
            if keep:
                kept.append(body)

        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(ref) for ref in refs))
        return len(refs) / (time.perf_counter() - start), (time.process_time() - cpu) / len(refs)


async def ours_afetch_many(url: str, refs: list[str], concurrency: int, keep: bool = False) -> tuple[float, float]:
    """afetch_many over the same refs, each run dropped or (`keep`) every one kept; (runs/s, CPU s a run)."""
    start, cpu = time.perf_counter(), time.process_time()
    done = 0
    kept: list[Any] = []
    async for result in agentruns.afetch_many(refs, concurrency=concurrency, api_key=TOKEN, base_url=url):
        assert not isinstance(result, agentruns.AgentRunsError), result
        done += 1
        if keep:
            kept.append(result)
    assert done == len(refs)
    return len(refs) / (time.perf_counter() - start), (time.process_time() - cpu) / len(refs)


def bulk_fetch(table: Table, quick: bool) -> None:
    count, concurrency = (200 if quick else 3000), 32
    refs = [f"casedev:run_{i % 100}" for i in range(count)]

    def baseline(url: str) -> Any:
        return raw_aiohttp(url, refs, concurrency)

    def ours(url: str) -> Any:
        return ours_afetch_many(url, refs, concurrency)

    with emulator(8) as url:
        asyncio.run(baseline(url))  # warm both sides
        asyncio.run(ours(url))
        # Rounds alternate, so that drift on the machine (the emulator shares its 2 cores) hits
        # both alike; the median and the spread of the rounds are reported.
        rounds = 1 if quick else 7
        ours_runs, base_runs = [], []
        for _ in range(rounds):
            base_runs.append(asyncio.run(baseline(url)))
            ours_runs.append(asyncio.run(ours(url)))
    ours_rate = statistics.median(rate for rate, _ in ours_runs)
    base_rate = statistics.median(rate for rate, _ in base_runs)
    ratios = sorted(o[0] / b[0] for o, b in zip(ours_runs, base_runs, strict=True))
    figure = f"fetch_many {count} refs, concurrency {concurrency} (runs/s)"
    table.add(figure, ours_rate, base_rate, "runs/s", ">= 0.6", ours_rate / base_rate >= 0.6)
    print(f"    ratio per round: {', '.join(f'{r:.2f}' for r in ratios)}")
    ours_cpu = statistics.median(cpu for _, cpu in ours_runs) * 1e6
    base_cpu = statistics.median(cpu for _, cpu in base_runs) * 1e6
    table.add("fetch_many client CPU per run (us)", ours_cpu, base_cpu, "us", "<= 2.0", ours_cpu / base_cpu <= 2.0)


def bulk_fetch_fast(table: Table, quick: bool) -> None:
    """1,500 case.dev refs of 12 KB each, 32 in flight, against the fixed-body server: fetch_many
    and afetch_many each beside raw aiohttp + json.loads, seven interleaved rounds."""
    count, concurrency = (150 if quick else 1500), 32
    refs = [f"casedev:run_{i}" for i in range(count)]

    def ours_sync(url: str, keep: bool) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        results = agentruns.fetch_many(refs, concurrency=concurrency, api_key=TOKEN, base_url=url)
        done = len(list(results)) if keep else sum(1 for _ in results)
        assert done == count
        return count / (time.perf_counter() - start), (time.process_time() - cpu) / count

    with fixed_server(casedev_body(12_000)) as url:
        sides: dict[str, Callable[[], tuple[float, float]]] = {
            "aiohttp": lambda: asyncio.run(raw_aiohttp(url, refs, concurrency)),
            "afetch_many": lambda: asyncio.run(ours_afetch_many(url, refs, concurrency)),
            "fetch_many": lambda: ours_sync(url, False),
            "aiohttp, keeping": lambda: asyncio.run(raw_aiohttp(url, refs, concurrency, keep=True)),
            "afetch_many, keeping": lambda: asyncio.run(ours_afetch_many(url, refs, concurrency, keep=True)),
            "fetch_many, keeping": lambda: ours_sync(url, True),
        }
        for side in sides.values():
            side()  # warm every side
        measured: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
        # Seven rounds, as the emulator-served bulk figure: this machine's speed moves by a third
        # within seconds, and a median of three rounds followed it (0.51-1.17 a round).
        for _ in range(1 if quick else 7):
            for name, side in sides.items():
                measured[name].append(side())
    # Both sides drop each result, then both keep every one: the same work on either side.
    for suffix in ("", ", keeping"):
        baseline = measured["aiohttp" + suffix]
        base_rate = statistics.median(rate for rate, _ in baseline)
        base_cpu = statistics.median(cpu for _, cpu in baseline) * 1e6
        for name in ("fetch_many", "afetch_many"):
            rate = statistics.median(r for r, _ in measured[name + suffix])
            cpu = statistics.median(c for _, c in measured[name + suffix]) * 1e6
            figure = f"{name}{suffix} {count} x 12 KB, concurrency {concurrency}, fast server (runs/s)"
            table.add(figure, rate, base_rate, "runs/s", ">= 1.0", rate / base_rate >= 1.0)
            rounds = [o[0] / b[0] for o, b in zip(measured[name + suffix], baseline, strict=True)]
            print(f"    ratio per round: {', '.join(f'{r:.2f}' for r in rounds)}")
            cpu_figure = f"{name}{suffix} client CPU per run, fast server (us)"
            table.add(cpu_figure, cpu, base_cpu, "us", "<= 1.0", cpu / base_cpu <= 1.0)


def heavy_casedev_refs(count: int) -> list[str]:
    """case.dev refs whose runs carry their steps (the spec makes them optional), so each is ~1 MB."""
    refs = []
    for n in range(2000):
        ids = sample_ids("casedev", n)
        if "steps" in make_run("casedev", ids, steps=1):
            refs.append(f"casedev:{ids[0]}")
        if len(refs) == count:
            return refs
    raise LookupError("too few case.dev sample runs with steps")


def bulk_memory(table: Table, quick: bool) -> None:
    count = 60 if quick else 3000
    steps = 200 if quick else big_run("casedev").steps
    with emulator(steps) as url:
        script = (
            "import agentruns\n"
            f"heavy = {heavy_casedev_refs(40)!r}\n"
            f"refs = [heavy[i % len(heavy)] for i in range({count})]\n"
            "n = 0\n"
            f"for r in agentruns.fetch_many(refs, concurrency=32, api_key={TOKEN!r}, base_url={url!r}):\n"
            "    assert not isinstance(r, agentruns.AgentRunsError), r\n"
            "    n += 1\n"
            f"assert n == {count}\n"
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child of this
            # (larger) process would report the parent's peak.
            "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024)\n"
        )
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - start
    peak = float(result.stdout.strip())
    table.add(f"fetch_many {count} x ~1 MB runs: peak RSS (MB)", peak, None, "MB", "< 200", peak < 200)
    table.add(f"fetch_many {count} x ~1 MB runs: wall time (s)", elapsed, None, "s", "", None)


def with_bytecode() -> None:
    """Compile our sources to bytecode, as installing a wheel does (pip compiles every module).
    The baseline's httpx has its bytecode from its install; our editable checkout has none where
    PYTHONDONTWRITEBYTECODE is set, and each fresh process would then compile some forty sources
    first (~50 ms), a cost no installed copy pays. The fresh-process figures compare installs."""
    for folder in (ROOT / "src", ROOT / "generated"):
        compileall.compile_dir(folder, quiet=1)


def import_time(table: Table, quick: bool) -> None:
    with_bytecode()

    def timed(module: str) -> float:
        return median_seconds(
            lambda: subprocess.run([sys.executable, "-c", f"import {module}"], check=True), 3 if quick else 15, warmup=1
        )

    ours, base = timed("agentruns"), timed("httpx")
    ratio_figure(table, "import agentruns, fresh interpreter (ms)", ours * 1e3, base * 1e3, "ms", 0.25)
    client = timed("agentruns.clients.casedev")
    table.add("import agentruns + one provider client (ms)", client * 1e3, base * 1e3, "ms", "", None)


PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w"]


@contextlib.contextmanager
def installed_from_wheels() -> Iterator[Path]:
    """The python of a fresh venv where agentruns and every generated package are installed
    from wheels built from this checkout, as a user's `pip install` leaves them (compiled, no
    editable-install hooks at startup); third-party packages come from this venv's
    site-packages, added by a .pth line (which runs none of that directory's own hooks)."""
    with tempfile.TemporaryDirectory(prefix="agentruns-bench-") as scratch:
        wheels, target = Path(scratch) / "wheels", Path(scratch) / "venv"
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # uv_build's binary
        packages = [*sorted((ROOT / "generated").glob("*/pyproject.toml")), ROOT / "pyproject.toml"]
        # One pip for every wheel: a pip per package spent more on starting pip than on building.
        subprocess.run([*PIP_WHEEL, str(wheels), *(str(package.parent) for package in packages)], check=True, env=env)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True)
        python = target / "bin" / "python"
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
            + [str(wheel) for wheel in sorted(wheels.glob("*.whl"))],
            check=True,
        )
        purelib = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        (Path(purelib) / "_bench_third_party.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        yield python


def cold_start(table: Table, quick: bool) -> None:
    """A fresh process that fetches one run, beside a bare `httpx.get` + `json.loads` script, in
    interleaved pairs, from this editable checkout and from an install of our wheels; and the
    command's wall time for `get` and `--help`."""
    with_bytecode()
    with fixed_server(casedev_body(12_000)) as url:
        env = {**os.environ, "CASEDEV_API_KEY": TOKEN, "CASEDEV_BASE_URL": url}
        target = f"{url}/agent/v1/run/run_1/details"

        def run(command: list[str]) -> Callable[[], None]:
            return lambda: subprocess.run(command, env=env, check=True, capture_output=True) and None

        pairs = 3 if quick else 15
        with installed_from_wheels() as wheel_python:
            for label, python in (("editable install", sys.executable), ("installed wheels", str(wheel_python))):
                ours = [python, "-c", "import agentruns; agentruns.fetch('casedev:run_1')"]
                bare = [
                    python,
                    "-c",
                    f"import httpx, json; json.loads(httpx.get({target!r}, headers={HEADERS!r}).content)",
                ]
                ours_s, base_s = interleaved(run(ours), run(bare), pairs)
                figure = f"cold start to one fetched run, {label} (ms)"
                ratio_figure(table, figure, ours_s * 1e3, base_s * 1e3, "ms", 0.5)
        for args in (["get", "casedev:run_1"], ["--help"]):
            wall = median_seconds(run([str(BIN / "agentruns"), *args]), pairs, warmup=1)
            figure = f"agentruns {' '.join(args)}, wall (s)"
            table.add(figure, wall, None, "s", "< 0.25", wall < 0.25)


def otel_export(table: Table, quick: bool) -> None:
    """Runs made spans (to_spans) and encoded as the OTLP protobuf body (what export sends)."""
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

    from agentruns import otel

    model = agentruns.registry.get("backside").run_model
    runs = []
    for n in range(20 if quick else 200):
        ids = sample_ids("backside", n)
        body = make_run("backside", ids, status="succeeded", steps=20)
        runs.append(agentruns.normalize(model.from_dict(body), ref=f"backside:{'/'.join(ids)}"))

    def spans_of_all() -> int:
        spans = [span for run in runs for span in otel.to_spans(run)]
        encode_spans(spans).SerializeToString()
        return len(spans)

    count = spans_of_all()
    seconds = median_seconds(spans_of_all, 3 if quick else 9, warmup=1)
    table.add(
        f"export as traces: {len(runs)} runs, {count} spans (spans/s)", count / seconds, None, "spans/s", "", None
    )


def regen(table: Table, quick: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = regen_script.copy_inputs(Path(tmp))
        command = [sys.executable, str(project / "scripts" / "regen.py")]
        noop = median_seconds(
            lambda: subprocess.run(command, check=True, capture_output=True), 3 if quick else 7, warmup=1
        )
        table.add("make regen, nothing changed (s)", noop, None, "s", "<= 0.5", noop <= 0.5)
        if quick:
            return

        def touch_all() -> None:
            for spec in (project / "specs").iterdir():
                spec.write_text(spec.read_text() + ("\n" if spec.suffix == ".yaml" else " "))

        touch_all()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        full = time.perf_counter() - start
        table.add("make regen after touching every spec (s)", full, None, "s", "<= 10", full <= 10.0)


def official_sdks(table: Table, quick: bool) -> None:
    """The providers' own Python SDKs beside our clients, on the same bytes from the same
    emulator, each client made once and kept alive: OpenAI's (`responses.retrieve` and every
    page of `responses.input_items.list`, validated into pydantic models) beside
    `OpenaiClient.get_run`, which asks for the same two; case.dev's (`agent.v1.run.get_details`)
    beside `CasedevClient.get_run` on a 1 MB run."""
    import casedev
    import openai

    run = big_run("openai")
    with emulator(200) as url:  # 200 steps: a ~46 KB response and 99 input items, one page of 100
        with (
            openai.OpenAI(api_key=key("openai"), base_url=f"{url}/openai", max_retries=0) as sdk,
            agentruns.OpenaiClient(api_key=key("openai"), base_url=f"{url}/openai") as ours,
        ):
            (response_id,) = run.ids

            def sdk_get() -> None:
                sdk.responses.retrieve(response_id)
                list(sdk.responses.input_items.list(response_id, order="asc", limit=100))

            got = ours.get_run(response_id)
            size = len(orjson.dumps(got.response.to_dict())) + len(orjson.dumps([i.to_dict() for i in got.input_items]))
            mine, theirs = interleaved(lambda: ours.get_run(response_id), sdk_get, 5 if quick else 60)
        figure = f"get_run openai ({size / 1e3:.0f} KB, {len(got.input_items)} items) vs openai SDK (ms)"
        ratio_figure(table, figure, mine * 1e3, theirs * 1e3, "ms", 0.2)
    casedev_run = big_run("casedev")
    with emulator(min(casedev_run.steps, 200) if quick else casedev_run.steps) as url:
        with (
            casedev.Casedev(api_key=key("casedev"), base_url=url, max_retries=0) as sdk_cd,
            agentruns.CasedevClient(api_key=key("casedev"), base_url=url) as ours_cd,
        ):
            (run_id,) = casedev_run.ids
            size = len(ours_cd.get_run_response(run_id).content)
            mine, theirs = interleaved(
                lambda: ours_cd.get_run(run_id), lambda: sdk_cd.agent.v1.run.get_details(run_id), 3 if quick else 20
            )
        figure = f"get_run casedev ({size / 1e6:.1f} MB) vs case.dev SDK (ms)"
        ratio_figure(table, figure, mine * 1e3, theirs * 1e3, "ms", 0.3)


FIGURES = {
    "decode": decode_and_normalize,
    "fetch-fast": single_fetch_fast,
    "fetch": single_fetch,
    "bulk-fast": bulk_fetch_fast,
    "bulk": bulk_fetch,
    "memory": bulk_memory,
    "import": import_time,
    "cold": cold_start,
    "sdks": official_sdks,
    "otel": otel_export,
    "regen": regen,
}


def in_own_process(name: str, args: argparse.Namespace, capture: bool = False) -> tuple[list[dict[str, Any]], str]:
    """Measure the figures `name` in a fresh interpreter and return its rows (and its printed
    table lines, where `capture`d): what one group leaves behind (the 1 MB bodies and models of the
    decode figures, some 90,000 objects for the cyclic collector to walk at each full collection)
    must not weigh on the next group's figures."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "rows.json"
        command = [sys.executable, __file__, "--only", name, "--out", str(out), "--rows-only"]
        command += ["--quick"] * args.quick + [f"--provider={p}" for p in args.provider or ()]
        printed = subprocess.run(command, check=True, stdout=subprocess.PIPE if capture else None, text=True).stdout
        rows: list[dict[str, Any]] = json.loads(out.read_text())["rows"]
    return rows, printed or ""


def every_group(names: list[str], args: argparse.Namespace) -> Iterator[list[dict[str, Any]]]:
    """Each group's rows, in order. Measured one group at a time, so that no group's figures share
    the cores with another's; `--quick`'s figures mean nothing, so its groups run side by side on
    every core (`make test` waits on them) and print their lines group by group."""
    if not args.quick:
        for name in names:
            yield in_own_process(name, args)[0]
        return
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for rows, printed in pool.map(lambda name: in_own_process(name, args, capture=True), names):
            print(printed, end="", flush=True)
            yield rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny counts: checks the harness runs, not speed")
    parser.add_argument("--only", choices=sorted(FIGURES), action="append", help="run only these figures")
    parser.add_argument("--provider", action="append", help="measure only these providers (decode, fetch)")
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    parser.add_argument("--rows-only", action="store_true", help=argparse.SUPPRESS)  # one group, for in_own_process
    args = parser.parse_args()
    if args.provider:
        PROVIDERS[:] = args.provider
    table = Table()
    names = args.only or list(FIGURES)
    if not args.rows_only:
        print(f"{'figure':48s} {'ours':>10s} {'baseline':>10s} {'unit':6s} {'ratio':>6s}  target", flush=True)
    if len(names) == 1:
        FIGURES[names[0]](table, args.quick)
    else:
        for rows in every_group(names, args):
            table.rows += rows
    Path(args.out).write_text(
        json.dumps(
            {"quick": args.quick, "python": sys.version.split()[0], "cpus": os.cpu_count(), "rows": table.rows},
            indent=2,
        )
        + "\n"
    )
    if not args.rows_only:
        missed = [row["figure"] for row in table.rows if row["met"] is False]
        print(f"\n{len(table.rows)} figures, {len(missed)} targets missed" + (f": {missed}" if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
