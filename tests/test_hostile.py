"""Against servers that misbehave, and input that tries to escape: typed errors, bounded time
and memory, the token kept home, ids kept inside their path segment."""

from __future__ import annotations

import logging
import resource
import time

import httpx
import orjson
import pytest
from hostile_servers import endless_body, html_page, huge_declared_body, json_ok, never_answers, redirect_to, serve

import agentruns
from agentruns import (
    APIStatusError,
    APITimeoutError,
    AsyncCasedevClient,
    CasedevClient,
    InvalidRequestError,
    ResponseTooLargeError,
    ResponseValidationError,
)
from agentruns.testing import Emulator
from spec_tools import example

TOKEN = "sk_case_hostile_secret_token"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_server_that_never_answers_times_out_within_budget() -> None:
    with serve(never_answers) as (url, heads):
        started = time.monotonic()
        with (
            pytest.raises(APITimeoutError),
            CasedevClient(api_key=TOKEN, base_url=url, timeout=0.3, max_retries=1) as c,
        ):
            c.get_run("run_1")
        elapsed = time.monotonic() - started
    assert len(heads) == 2  # the first try and one retry
    # Two 0.3 s timeouts and one backoff (under 1 s), with room for a loaded machine; a client
    # that waited for this server instead would take over 6 s.
    assert elapsed < 4.0


async def test_async_server_that_never_answers_times_out() -> None:
    with serve(never_answers) as (url, _heads):
        started = time.monotonic()
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url, timeout=0.3, max_retries=0) as client:
            with pytest.raises(APITimeoutError):
                await client.get_run("run_1")
        assert time.monotonic() - started < 2.5  # one 0.3 s timeout; the server would hold 3 s


@pytest.mark.parametrize("handler", [endless_body, huge_declared_body], ids=["endless-chunked", "declares-4GB"])
def test_endless_body_stops_at_the_size_limit(handler: object) -> None:
    before = rss_mb()
    with serve(handler) as (url, _):  # type: ignore[arg-type]
        with CasedevClient(api_key=TOKEN, base_url=url, max_response_bytes=2_000_000, max_retries=0) as client:
            with pytest.raises(ResponseTooLargeError) as caught:
                client.get_run("run_1")
    assert caught.value.limit == 2_000_000
    assert rss_mb() - before < 100  # memory stayed near the limit, not the body


@pytest.mark.parametrize("handler", [endless_body, huge_declared_body], ids=["endless-chunked", "declares-4GB"])
async def test_async_endless_body_stops_at_the_size_limit(handler: object) -> None:
    with serve(handler) as (url, _):  # type: ignore[arg-type]
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url, max_response_bytes=2_000_000) as client:
            with pytest.raises(ResponseTooLargeError):
                await client.get_run("run_1")


def test_html_200_is_a_validation_error() -> None:
    with serve(html_page) as (url, _), CasedevClient(api_key=TOKEN, base_url=url) as client:
        with pytest.raises(ResponseValidationError) as caught:
            client.get_run("run_1")
    assert "not JSON" in str(caught.value) and "text/html" in str(caught.value)


async def test_async_html_200_is_a_validation_error() -> None:
    with serve(html_page) as (url, _):
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url) as client:
            with pytest.raises(ResponseValidationError):
                await client.get_run("run_1")


def test_redirect_to_another_origin_does_not_carry_the_token() -> None:
    with serve(json_ok(orjson.dumps(example("casedev")))) as (elsewhere, elsewhere_heads):
        with serve(redirect_to(f"{elsewhere}/steal")) as (url, heads):
            with CasedevClient(api_key=TOKEN, base_url=url) as client, pytest.raises(APIStatusError) as caught:
                client.get_run("run_1")
            assert caught.value.status_code == 302
            # Even a caller's client that follows redirects strips the key at the origin change.
            with httpx.Client(follow_redirects=True) as follower:
                run = CasedevClient(api_key=TOKEN, base_url=url, http_client=follower).get_run("run_1")
    assert run.id == "<string>"
    assert TOKEN.encode() in heads[0]
    assert len(elsewhere_heads) == 1
    assert TOKEN.encode() not in elsewhere_heads[0]
    assert b"authorization" not in elsewhere_heads[0].lower()


async def test_async_redirect_is_not_followed() -> None:
    with serve(json_ok(b"{}")) as (elsewhere, elsewhere_heads), serve(redirect_to(elsewhere)) as (url, _):
        async with AsyncCasedevClient(api_key=TOKEN, base_url=url) as client:
            with pytest.raises(APIStatusError) as caught:
                await client.get_run("run_1")
    assert caught.value.status_code == 302
    assert elsewhere_heads == []


HOSTILE_IDS = ["a/b", "..%2F..", "x?y=1", "frag#ment", "with space", "naïve-ünïcödé", "%2e%2e", "a/../b"]


@pytest.fixture(scope="module")
def emu() -> Emulator:
    with Emulator(token=TOKEN) as emulator:
        yield emulator  # type: ignore[misc]


def expected_segment(raw: str) -> str:
    from urllib.parse import quote

    return quote(raw, safe="")


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_hostile_ids_stay_single_segments_sync(emu: Emulator, hostile: str) -> None:
    with agentruns.NsrocksClient(api_key=TOKEN, base_url=emu.url) as client:
        with pytest.raises(agentruns.NotFoundError):  # not adpl_/adrun_ shaped: the server says 404
            client.get_run(hostile, hostile)
    logged = emu.requests[-1].raw_path
    segment = expected_segment(hostile)
    assert logged == f"/v1/agent-deployments/{segment}/runs/{segment}"
    assert logged.count("/") == 5  # the path's own five: none came from the ids


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
async def test_hostile_ids_stay_single_segments_async(emu: Emulator, hostile: str) -> None:
    run_id = "3c90c3cc-0d44-4b50-8888-8dd25736052a"
    async with agentruns.AsyncBacksideClient(api_key=TOKEN, base_url=emu.url) as client:
        run = await client.get_run(hostile, run_id)
    assert run.agent_kind == hostile  # the emulator decoded exactly the one segment it was sent
    assert emu.requests[-1].raw_path == f"/api/v1/agents/{expected_segment(hostile)}/runs/{run_id}"


@pytest.mark.parametrize("bad", ["", ".", ".."])
async def test_dot_ids_never_leave_the_process(emu: Emulator, bad: str) -> None:
    before = len(emu.requests)
    async with agentruns.AsyncCasedevClient(api_key=TOKEN, base_url=emu.url) as client:
        with pytest.raises(InvalidRequestError):
            await client.get_run(bad)
    with pytest.raises(InvalidRequestError):
        agentruns.fetch(f"nsrocks:adpl_1/{bad}" if bad else "nsrocks:adpl_1/", api_key=TOKEN, base_url=emu.url)
    with pytest.raises(InvalidRequestError):
        agentruns.MiddeskClient(api_key=TOKEN, base_url=emu.url).get_run(
            "3c90c3cc-0d44-4b50-8888-8dd25736052a", include=["steps", bad or "none"]
        )
    assert len(emu.requests) == before


async def test_token_absent_from_every_log_record(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    with Emulator(token=TOKEN, fault_rate=0.5, faults=("server_error", "rate_limit", "truncate")) as faulty:
        for url in (emu.url, faulty.url):
            for run_id in ("run_1", "run_2", "run_3"):
                try:
                    CasedevClient(api_key=TOKEN, base_url=url, max_retries=3).get_run(run_id)
                    async with AsyncCasedevClient(api_key=TOKEN, base_url=url, max_retries=3) as client:
                        await client.get_run(run_id)
                except agentruns.AgentRunsError as error:
                    assert TOKEN not in str(error) and TOKEN not in repr(error)
        with pytest.raises(agentruns.AuthenticationError) as caught:
            CasedevClient(api_key="sk_case_wrong_" + TOKEN, base_url=emu.url).get_run("run_1")
    assert TOKEN not in str(caught.value)
    assert len(caplog.records) > 10
    assert all(TOKEN not in record.getMessage() for record in caplog.records)
