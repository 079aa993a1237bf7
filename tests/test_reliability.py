"""The promises of the README's reliability section, each on the sync and the async road, over
real HTTP on 127.0.0.1: a deadline per call, fork safety, a key that never leaks, bounded
decompression, prompt early exit from bulk work, typed errors for misuse, bounded Retry-After,
and the environment read alike."""

from __future__ import annotations

import asyncio
import math
import os
import signal
import ssl
import subprocess
import sys
import textwrap
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import trustme
from hostile_servers import gzip_body, gzip_bomb, json_ok, rate_limited, serve, trickle

import agentruns
from agentruns import (
    APIConnectionError,
    APITimeoutError,
    AsyncCasedevClient,
    CasedevClient,
    ClientStateError,
    ConfigurationError,
    InvalidRequestError,
    RateLimitError,
    ResponseTooLargeError,
    WaitTimeoutError,
)
from agentruns.testing import Emulator
from spec_tools import example

TOKEN = "sk_case_reliability_token"
RUN = orjson.dumps(example("casedev"))
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + str(len(RUN)).encode() + b"\r\n"


def in_subprocess(
    code: str, *, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=5) as emulator:
        yield emulator


# -- 1. a total deadline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "handler", [trickle(HEAD + b"\r\n"), trickle(HEAD + b"\r\n", RUN)], ids=["trickled-headers", "trickled-body"]
)
def test_a_trickling_server_ends_the_call_at_its_deadline(handler: Any) -> None:
    with serve(handler) as (url, _):
        started = time.monotonic()
        with CasedevClient(api_key=TOKEN, base_url=url, timeout=3, total_timeout=1.0) as client:
            with pytest.raises(APITimeoutError, match="total_timeout"):
                client.get_run("run_1")
        # Each byte comes within 0.2 s, so no per-read timeout ever fires: only the deadline.
        assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    "handler", [trickle(HEAD + b"\r\n"), trickle(HEAD + b"\r\n", RUN)], ids=["trickled-headers", "trickled-body"]
)
async def test_async_a_trickling_server_ends_the_call_at_its_deadline(handler: Any) -> None:
    with serve(handler) as (url, _):
        started = time.monotonic()
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url, timeout=3) as client:
            with pytest.raises(APITimeoutError, match="total_timeout"):
                await client.get_run("run_1", total_timeout=1.0)  # per call
        assert time.monotonic() - started < 2.0


def test_the_default_deadline_is_finite() -> None:
    for client in (CasedevClient(api_key=TOKEN), AsyncCasedevClient(api_key=TOKEN)):
        total = client._request_loop.options.total_timeout
        assert total is not None and 0 < total <= 600


def test_wait_holds_its_timeout_while_a_request_is_in_flight() -> None:
    with serve(trickle(HEAD + b"\r\n", RUN)) as (url, _):
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            agentruns.wait("casedev:run_1", timeout=1.0, api_key=TOKEN, base_url=url)
        assert time.monotonic() - started < 2.0
        assert caught.value.ref == "casedev:run_1"


async def test_await_holds_its_timeout_while_a_request_is_in_flight() -> None:
    with serve(trickle(HEAD + b"\r\n", RUN)) as (url, _):
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError):
            await agentruns.await_("casedev:run_1", timeout=1.0, api_key=TOKEN, base_url=url)
        assert time.monotonic() - started < 2.0


# -- 2. fork safety ------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_after_a_fork_each_process_reads_only_its_own_replies() -> None:
    result = in_subprocess(
        """
        import os, sys
        from agentruns import CasedevClient
        from agentruns.testing import Emulator

        with Emulator(seed=1) as emu:
            client = CasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url)
            # Each run's body is drawn from its id; fetching them leaves a kept-alive connection.
            body = {run: client.get_run_response(run).content for run in ("run_parent", "run_child")}
            assert body["run_parent"] != body["run_child"]
            child = os.fork()
            mine = "run_child" if child == 0 else "run_parent"
            wrong = sum(client.get_run_response(mine).content != body[mine] for _ in range(40))
            if child == 0:
                os._exit(10 + min(wrong, 1))
            _, status = os.waitpid(child, 0)
            print(wrong, os.waitstatus_to_exitcode(status))
        """
    )
    assert result.returncode == 0, result.stderr
    parent_wrong, child_code = result.stdout.split()
    assert (parent_wrong, child_code) == ("0", "10")  # no reply crossed over, either way


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_after_a_fork_a_callers_http_client_is_refused_in_the_child() -> None:
    result = in_subprocess(
        """
        import os, httpx
        from agentruns import CasedevClient, ClientStateError
        client = CasedevClient(api_key="sk_case_x", base_url="http://127.0.0.1:9", http_client=httpx.Client())
        child = os.fork()
        if child == 0:
            try:
                client.get_run("run_1")
            except ClientStateError as error:
                os._exit(0 if "os.fork()" in str(error) else 2)
            os._exit(3)
        _, status = os.waitpid(child, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    assert result.stdout.strip() == "0", result.stderr


# -- 3. the key never leaks ----------------------------------------------------------------------

BAD_KEYS = {
    "trailing-newline": "sk_case_secret_value\n",
    "crlf-injection": "sk_case_secret\r\nX-Evil: 1",
    "inner-space": "sk_case_secret value",
    "non-ascii": "sk_case_secrét",
    "nul": "sk_case_secret\x00",
}


@pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS.keys())
@pytest.mark.parametrize("client", [CasedevClient, AsyncCasedevClient])
def test_a_key_that_is_not_a_token_is_refused_at_construction(
    client: type[Any], key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        client(api_key=key)
    assert "api_key argument" in str(caught.value)
    assert "secret" not in str(caught.value) and "secret" not in repr(caught.value.args)
    if "\x00" in key:
        return  # no environment variable can hold a NUL
    monkeypatch.setenv("CASEDEV_API_KEY", key)
    with pytest.raises(ConfigurationError) as caught:
        client()
    assert "CASEDEV_API_KEY" in str(caught.value) and "secret" not in str(caught.value)


# -- 4. bounded decompression --------------------------------------------------------------------

BOMB_PROBE = """
import asyncio, resource, sys
from agentruns import AsyncCasedevClient, CasedevClient, ResponseTooLargeError

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

url, road, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = dict(api_key="sk_case_x", base_url=url, max_retries=0, max_response_bytes=limit)
before = peak_mb()
try:
    if road == "sync":
        with CasedevClient(**options) as client:
            client.get_run("run_1")
    else:
        async def main():
            async with AsyncCasedevClient(**options) as client:
                await client.get_run("run_1")
        asyncio.run(main())
except ResponseTooLargeError:
    print(peak_mb() - before)
"""


@pytest.fixture(scope="module")
def bomb_url() -> Iterator[str]:
    with serve(gzip_body(gzip_bomb(4)), max_seconds=120) as (url, _):
        yield url


@pytest.mark.parametrize("road", ["sync", "async"])
@pytest.mark.parametrize("limit_mib", [1, 64])
def test_a_gzip_bomb_stops_near_the_size_limit(bomb_url: str, road: str, limit_mib: int) -> None:
    # 4 MB on the wire, 4 GiB inflated: memory must track the limit, not the inflated size.
    result = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE, bomb_url, road, str(limit_mib << 20)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip(), result.stderr  # it ended in ResponseTooLargeError
    grew_mb = float(result.stdout)
    assert grew_mb < limit_mib + 24, f"peak RSS grew {grew_mb:.0f} MB for a {limit_mib} MiB limit"


@pytest.mark.parametrize("road", ["sync", "async"])
def test_a_gzipped_run_decodes_on_both_roads(road: str) -> None:
    import gzip

    with serve(gzip_body(gzip.compress(RUN))) as (url, _):
        if road == "sync":
            with CasedevClient(api_key=TOKEN, base_url=url) as client:
                response = client.get_run_response("run_1")
        else:

            async def main() -> Any:
                async with AsyncCasedevClient(api_key=TOKEN, base_url=url) as client:
                    return await client.get_run_response("run_1")

            response = asyncio.run(main())
    assert response.content == RUN and response.parsed.id == example("casedev")["id"]
    assert response.http_response.json() == example("casedev")  # decoded, so no Content-Encoding kept


def test_an_oversized_gzip_body_is_refused_by_the_byte_budget() -> None:
    import gzip

    with serve(gzip_body(gzip.compress(RUN))) as (url, _):
        with CasedevClient(api_key=TOKEN, base_url=url, max_response_bytes=len(RUN) - 1) as client:
            with pytest.raises(ResponseTooLargeError):
                client.get_run("run_1")


# -- 5. early exit from bulk work ----------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_emu() -> Iterator[Emulator]:
    """The first ref, run_missing, is answered at once (a 404 comes before any fault); every
    other request takes 3 s. Served from this process, so a subprocess's stderr is the client's."""
    with Emulator(seed=2, missing={"run_missing"}, fault_rate=1.0, faults=("slow",), slow_seconds=3.0) as emulator:
        yield emulator


EARLY_EXIT = """
import asyncio, contextlib, sys, threading, time, warnings
warnings.simplefilter("always")
import agentruns

how, url, token = sys.argv[1:]
refs = ["casedev:run_missing"] + [f"casedev:run_{i}" for i in range(40)]
options = dict(api_key=token, base_url=url, max_retries=0)
threads = threading.active_count()
left = None
if how == "break":
    for result in agentruns.fetch_many(refs, concurrency=8, **options):
        left = time.monotonic()
        break
elif how == "raise":
    with contextlib.suppress(LookupError):
        for result in agentruns.fetch_many(refs, concurrency=8, **options):
            left = time.monotonic()
            raise LookupError
elif how == "close":
    results = agentruns.fetch_many(refs, concurrency=8, **options)
    next(results)
    left = time.monotonic()
    results.close()
else:
    async def main():
        global left
        stream = agentruns.afetch_many(refs, concurrency=8, **options)
        if how == "async-aclosing":
            async with contextlib.aclosing(stream):
                async for result in stream:
                    left = time.monotonic()
                    break
        else:
            del stream
            await first()
            await asyncio.sleep(0.1)  # the stream, left unclosed, is closed when collected, by a task
    async def first():
        global left
        async for result in agentruns.afetch_many(refs, concurrency=8, **options):
            left = time.monotonic()
            return result
    asyncio.run(main())
elapsed = time.monotonic() - left
time.sleep(0.1)
print(f"{elapsed:.3f} {threading.active_count() - threads}")
"""


@pytest.mark.parametrize("how", ["break", "raise", "close", "async-aclosing", "async-break"])
def test_leaving_fetch_many_early_is_prompt_and_leaves_nothing_behind(slow_emu: Emulator, how: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", EARLY_EXIT, how, slow_emu.url, slow_emu.token_for("casedev")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    elapsed, extra_threads = result.stdout.split()
    assert float(elapsed) < 1.0  # not the 3 s the requests in flight would take
    assert extra_threads == "0"  # the worker thread has ended
    assert result.stderr == ""  # no "Unclosed client session", no warning, no traceback


def interruptible() -> None:
    """Ctrl-C as at a terminal, whatever the test runner inherited: a job started in the
    background of a shell ignores SIGINT, and so would the command (Python then raises no
    KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_fetch_many_at_once(slow_emu: Emulator) -> None:
    script = """
import sys, time
import agentruns
refs = ["casedev:run_missing"] + [f"casedev:run_{i}" for i in range(40)]
try:
    for result in agentruns.fetch_many(refs, api_key=sys.argv[2], base_url=sys.argv[1]):
        print("first", flush=True)
except KeyboardInterrupt:
    print(time.monotonic(), flush=True)
"""
    process = subprocess.Popen(
        [sys.executable, "-c", script, slow_emu.url, slow_emu.token_for("casedev")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "first"
        sent = time.monotonic()  # CLOCK_MONOTONIC: one clock for both processes
        process.send_signal(signal.SIGINT)
        out, errors = process.communicate(timeout=30)
    finally:
        process.kill()
    assert errors == ""
    assert float(out) - sent < 1.0


def test_export_on_ctrl_c_keeps_the_rows_written_and_exits_130(tmp_path: Path) -> None:
    with Emulator(seed=3) as fast, Emulator(seed=3, fault_rate=1.0, faults=("slow",), slow_seconds=20.0) as slow:
        refs = [f"casedev:run_{i}" for i in range(3)] + [f"nsrocks:adpl_1/adrun_{i}" for i in range(12)]
        (tmp_path / "refs.txt").write_text("\n".join(refs) + "\n")
        env = {
            **os.environ,
            "CASEDEV_API_KEY": fast.token_for("casedev"),
            "CASEDEV_BASE_URL": fast.url,
            "NSROCKS_API_KEY": slow.token_for("nsrocks"),
            "NSROCKS_BASE_URL": slow.url,
        }
        out = tmp_path / "runs.jsonl"
        command = [str(Path(sys.executable).parent / "agentruns"), "export", "refs.txt", "--out", str(out)]
        process = subprocess.Popen(
            command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible
        )
        try:
            deadline = time.monotonic() + 20
            while (not out.exists() or out.read_text().count("\n") < 3) and time.monotonic() < deadline:
                time.sleep(0.05)
            sent = time.monotonic()
            process.send_signal(signal.SIGINT)
            _, errors = process.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            process.kill()
    assert process.returncode == 130
    assert took < 2.0  # the slow requests would hold it 20 s
    assert errors.strip().splitlines() == ["interrupted: 3 of 15 runs exported"]
    rows = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert sorted(row["ref"] for row in rows) == refs[:3]


# -- 6. misuse gets a typed error ----------------------------------------------------------------


def test_a_closed_client_refuses_to_send(emu: Emulator) -> None:
    with CasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url) as client:
        client.get_run("run_1")
    with pytest.raises(ClientStateError, match="closed"):
        client.get_run("run_1")
    http = httpx.Client()
    with CasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url, http_client=http) as client:
        client.get_run("run_1")
    assert not http.is_closed  # a client passed in belongs to its owner
    with pytest.raises(ClientStateError):
        client.get_run("run_1")
    http.close()


async def test_a_closed_async_client_refuses_to_send(emu: Emulator) -> None:
    client = AsyncCasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url)
    await client.get_run("run_1")
    await client.aclose()
    with pytest.raises(ClientStateError, match="closed"):
        await client.get_run("run_1")


def test_an_async_client_in_a_second_event_loop_is_a_typed_error(emu: Emulator) -> None:
    client = AsyncCasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url)
    assert asyncio.run(client.get_run("run_1")).id == "run_1"
    with pytest.raises(ClientStateError, match="event loop"):
        asyncio.run(client.get_run("run_1"))


BAD_SECONDS = [-1, 0, math.nan, math.inf, "3", True]


@pytest.mark.parametrize("bad", BAD_SECONDS, ids=repr)
@pytest.mark.parametrize("option", ["timeout", "total_timeout"])
def test_bad_timeouts_are_refused_alike_on_both_roads(emu: Emulator, option: str, bad: object) -> None:
    for client in (CasedevClient, AsyncCasedevClient):
        with pytest.raises(ConfigurationError, match=option):
            client(api_key=TOKEN, **{option: bad})
    before = len(emu.requests)
    with CasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url) as client:
        with pytest.raises(InvalidRequestError) as caught:
            client.get_run("run_1", **{option: bad})
    assert caught.value.field == option

    async def call() -> None:
        async with AsyncCasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url) as client:
            await client.get_run("run_1", **{option: bad})

    with pytest.raises(InvalidRequestError) as caught:
        asyncio.run(call())
    assert caught.value.field == option
    assert len(emu.requests) == before  # refused before any request


def test_each_phase_of_an_httpx_timeout_is_checked() -> None:
    with pytest.raises(ConfigurationError, match=r"timeout\.read"):
        CasedevClient(api_key=TOKEN, timeout=httpx.Timeout(5, read=-1))
    assert CasedevClient(api_key=TOKEN, timeout=httpx.Timeout(None)).timeout == httpx.Timeout(None)  # no limits


@pytest.mark.parametrize("concurrency", ["8", 0, -2, 2.5, True])
def test_bad_concurrency_is_refused_at_the_call(concurrency: Any) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        agentruns.fetch_many(["casedev:run_1"], concurrency=concurrency)
    assert caught.value.field == "concurrency"
    with pytest.raises(InvalidRequestError):
        agentruns.afetch_many(["casedev:run_1"], concurrency=concurrency)


def test_a_misspelled_client_option_fails_at_once() -> None:
    for call in (agentruns.fetch_many, agentruns.afetch_many):
        with pytest.raises(InvalidRequestError) as caught:
            call([f"casedev:run_{i}" for i in range(5)], tiemout=3)
        assert caught.value.field == "tiemout" and "did you mean 'timeout'" in str(caught.value)
    with pytest.raises(InvalidRequestError, match="tiemout"):
        agentruns.fetch("casedev:run_1", tiemout=3)
    with pytest.raises(InvalidRequestError, match="max_retry"):
        agentruns.wait("casedev:run_1", max_retry=3)


# -- 7. Retry-After cannot stall a bulk run ------------------------------------------------------


def test_an_absurd_retry_after_does_not_stall_fetch_many() -> None:
    with serve(rate_limited("1e9")) as (url, heads):
        started = time.monotonic()
        results = list(agentruns.fetch_many([f"casedev:run_{i}" for i in range(50)], api_key=TOKEN, base_url=url))
        took = time.monotonic() - started
    assert len(results) == 50 and all(isinstance(r, RateLimitError) and r.retry_after == 1e9 for r in results)
    assert len(heads) == 50  # one request each: a pause that long is not waited out, nor retried
    assert took < 10


# -- 9. both roads read the environment alike ----------------------------------------------------


@pytest.fixture(scope="module")
def tls() -> tuple[trustme.CA, ssl.SSLContext]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    return ca, context


def fetch_sync(**options: Any) -> str:
    with CasedevClient(**options) as client:
        return client.get_run("run_1").id


async def fetch_async(**options: Any) -> str:
    async with AsyncCasedevClient(**options) as client:
        return (await client.get_run("run_1")).id


def fetch_both_roads(**options: Any) -> list[str]:
    return [fetch_sync(**options), asyncio.run(fetch_async(**options))]


def test_both_roads_trust_the_ca_bundle_ssl_cert_file_names(
    tls: tuple[trustme.CA, ssl.SSLContext], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca, context = tls
    with serve(json_ok(RUN), tls=context) as (url, _):
        # certifi's bundle does not know this CA: refused on each road.
        with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
            fetch_sync(api_key=TOKEN, base_url=url, max_retries=0)
        with pytest.raises(APIConnectionError, match=r"(?i)certificate"):
            asyncio.run(fetch_async(api_key=TOKEN, base_url=url, max_retries=0))
        bundle = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
        assert fetch_both_roads(api_key=TOKEN, base_url=url) == [example("casedev")["id"]] * 2


@pytest.mark.parametrize("variable", ["ALL_PROXY", "HTTP_PROXY", "all_proxy"])
def test_both_roads_go_through_the_proxy_the_environment_names(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "all_proxy", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with serve(json_ok(RUN)) as (proxy, via_proxy), serve(json_ok(RUN)) as (direct, reached_directly):
        monkeypatch.setenv(variable, proxy)
        target = "http://api.casedev.test"
        assert (
            fetch_both_roads(api_key=TOKEN, base_url=target, allow_insecure_http=True) == [example("casedev")["id"]] * 2
        )
        # A forward proxy is asked for the absolute URL, once per road.
        assert [head.split(b" ")[1].startswith(target.encode() + b"/") for head in via_proxy] == [True, True]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        fetch_both_roads(api_key=TOKEN, base_url=direct)
        assert len(via_proxy) == 2 and len(reached_directly) == 2  # NO_PROXY honoured on both roads
        assert all(head.split(b" ")[1].startswith(b"/") for head in reached_directly)


@pytest.mark.parametrize(
    ("no_proxy", "host", "port", "direct"),
    [
        ("127.0.0.1:8080", "127.0.0.1", 8080, True),
        ("127.0.0.1:8080", "127.0.0.1", 9, False),  # another port of the host still goes through the proxy
        ("10.0.0.0/8", "10.1.2.3", 443, True),
        ("10.0.0.0/8", "11.1.2.3", 443, False),
        ("::1", "::1", 80, True),
        ("[::1]:8443", "::1", 8443, True),
        ("fd00::/8", "fd12::1", 80, True),
        ("*.internal", "api.internal", 443, True),
        (".internal", "internal", 443, True),
        ("example.org", "api.example.org", 443, True),
        ("example.org", "badexample.org", 443, False),  # a domain is not a suffix of letters
        ("example.org:8443", "api.example.org", 443, False),
        ("*", "anything.test", 1, True),
        (" a.test , b.test ", "b.test", 443, True),
        ("", "a.test", 443, False),
    ],
)
def test_no_proxy_is_read_as_curl_and_httpx_read_it(no_proxy: str, host: str, port: int, direct: bool) -> None:
    from agentruns._transport.environment import bypassed

    assert bypassed(host, port, no_proxy) is direct


def test_no_proxy_with_a_port_sends_that_server_direct_on_both_roads(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "all_proxy", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with serve(json_ok(RUN)) as (proxy, via_proxy), serve(json_ok(RUN)) as (direct, reached_directly):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("NO_PROXY", f"localhost,127.0.0.1:{urllib.parse.urlsplit(direct).port}")
        assert fetch_both_roads(api_key=TOKEN, base_url=direct) == [example("casedev")["id"]] * 2
        assert (len(via_proxy), len(reached_directly)) == (0, 2)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("http://proxy:99999", "Port out of range"),
        ("http://proxy:port", "Port could not be cast"),
        ("http://[::1:3128", "Invalid IPv6 URL"),
        ("http://proxy:3128\r\nX: 1", "character 18 is a control character (U+000D)"),
        ("ftp://proxy:21", "unknown scheme 'ftp'"),
        ("http://:3128", "it names no host"),
    ],
)
def test_a_malformed_proxy_variable_is_a_configuration_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    for name in ("ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "all_proxy", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", value)
    for make in (CasedevClient, AsyncCasedevClient):
        with pytest.raises(ConfigurationError) as raised:
            make(api_key=TOKEN, base_url="https://api.case.dev")
        assert raised.value.field == "https_proxy" and f"https_proxy={value!r} is not a proxy URL: " in str(
            raised.value
        )
        assert said in str(raised.value)


def test_a_missing_ca_bundle_is_named_with_its_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from agentruns._transport import environment

    missing = tmp_path / "no-such-ca.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    with pytest.raises(ConfigurationError) as raised:
        environment.ssl_context()
    assert raised.value.field == "SSL_CERT_FILE" and f"SSL_CERT_FILE={str(missing)!r}" in str(raised.value)
    assert "No such file or directory" in str(raised.value)
