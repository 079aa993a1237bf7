"""Each of the eight clients against the emulator over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from emulator_cases import ASYNC_CLIENTS, SYNC_CLIENTS, ids_for

from agentruns import APIConnectionError, AuthenticationError, NotFoundError, RateLimitError, ServerError, registry
from agentruns.testing import Emulator, make_run
from spec_tools import PROVIDERS, a_key, run_model, run_part


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=3, steps=5) as emulator:
        yield emulator


@pytest.mark.parametrize("provider", PROVIDERS)
def test_sync_client_fetches_the_complete_run(emu: Emulator, provider: str) -> None:
    ids = ids_for(provider, 11)
    with SYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        response = client.get_run_response(*ids)
    expected = make_run(provider, ids, seed=3, steps=5)
    assert orjson.loads(response.content) == expected  # the first response is the run itself
    assert run_part(provider, response.parsed) == run_model(provider).from_dict(expected)
    assert all(r.request_id is not None and r.request_id.startswith("req_") for r in response.responses)
    assert response.attempts == len(response.responses)  # one attempt per request: nothing failed
    assert response.responses[0].operation == registry.get(provider).run_operation.operation_id


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_async_client_fetches_the_complete_run(emu: Emulator, provider: str) -> None:
    ids = ids_for(provider, 12)
    async with ASYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        run = await client.get_run(*ids)
    assert run_part(provider, run) == run_model(provider).from_dict(make_run(provider, ids, seed=3, steps=5))
    with SYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        assert client.get_run(*ids) == run  # both roads run the same plan


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_async_raw_responses_match_the_sync_road(emu: Emulator, provider: str) -> None:
    # The aiohttp road builds its httpx.Response only when asked: asked, it must be the same answer.
    ids = ids_for(provider, 13)
    async with ASYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        remote = await client.get_run_response(*ids)
    with SYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        local = client.get_run_response(*ids)
    assert len(remote.responses) == len(local.responses)
    for got, want in zip(remote.responses, local.responses, strict=True):
        assert got.content == want.content and got.status_code == want.status_code == 200
        assert got.headers["content-type"] == want.headers["content-type"]
        assert got.request_id == got.headers["x-request-id"]
        assert got.http_response.status_code == 200 and got.http_response.content == got.content
        assert got.http_response is got.http_response  # built once


async def test_async_errors_carry_their_request_without_the_key(emu: Emulator) -> None:
    async with ASYNC_CLIENTS["casedev"](api_key="sk_case_wrong", base_url=emu.url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.get_run("run_1")
    request = caught.value.response.request
    assert request.url.path == "/agent/v1/run/run_1/details"
    assert "authorization" not in request.headers
    assert caught.value.response.status_code == 401 and b"bearer token" in caught.value.response.content


def test_middesk_complete_by_default_light_on_request(emu: Emulator) -> None:
    (run_id,) = ids_for("middesk", 4)
    with SYNC_CLIENTS["middesk"](api_key=emu.token_for("middesk"), base_url=emu.url) as client:
        complete = client.get_run(run_id)
        light = client.get_run(run_id, include=())
    assert len(complete.steps) == 5
    assert "steps" not in light.to_dict()
    assert light.status == complete.status


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrong_token_is_an_authentication_error(emu: Emulator, provider: str) -> None:
    with SYNC_CLIENTS[provider](api_key=a_key(provider, "wrong"), base_url=emu.url) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.get_run(*ids_for(provider, 1))
    assert caught.value.status_code == 401
    assert caught.value.provider == provider


def test_missing_run_is_not_found() -> None:
    with (
        Emulator(missing={"run_gone"}) as emu,
        SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url) as client,
    ):
        with pytest.raises(NotFoundError) as caught:
            client.get_run("run_gone")
    assert caught.value.status_code == 404
    assert b"no such run" in caught.value.body


def test_hostile_ids_arrive_as_single_segments(emu: Emulator) -> None:
    hostile = "a/../b?c#d %2F é"
    run_id = ids_for("backside", 1)[1]
    # Backside's agent_kind is required and echoes the {kind} segment the emulator decoded.
    with SYNC_CLIENTS["backside"](api_key=emu.token_for("backside"), base_url=emu.url) as client:
        run = client.get_run(hostile, run_id)
    assert run.agent_kind == hostile
    assert emu.requests[-1].raw_path == f"/api/v1/agents/a%2F..%2Fb%3Fc%23d%20%252F%20%C3%A9/runs/{run_id}"
    assert all("authorization" not in r.headers for r in emu.requests)


def test_rate_limits_and_server_errors_are_retried_over_http() -> None:
    with Emulator(fault_rate=1.0, faults=("rate_limit",)) as emu:
        with SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url, max_retries=2) as client:
            with pytest.raises(RateLimitError):
                client.get_run("run_1")
        assert [r.status for r in emu.requests] == [429, 429, 429]
    with Emulator(fault_rate=1.0, faults=("server_error",)) as emu:
        with SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url, max_retries=0) as client:
            with pytest.raises(ServerError) as caught:
                client.get_run("run_1")
        assert caught.value.status_code in (500, 502, 503)


@pytest.mark.parametrize("fault", ["drop", "truncate"])
def test_broken_connections_are_connection_errors(fault: str) -> None:
    with Emulator(fault_rate=1.0, faults=(fault,)) as emu:
        with SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url, max_retries=1) as client:
            with pytest.raises(APIConnectionError):
                client.get_run("run_1")
        assert len(emu.requests) == 2


def test_a_fault_then_success_returns_the_same_run(delays: list[float]) -> None:
    with Emulator(seed=5, fault_rate=0.5, faults=("server_error", "truncate")) as emu:
        with SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url, max_retries=8) as client:
            runs = [client.get_run_response(f"run_{n}") for n in range(10)]
        assert any(r.attempts > 1 for r in runs)
        assert len(delays) == sum(r.attempts - 1 for r in runs)
    for n, response in enumerate(runs):
        assert response.parsed == run_model("casedev").from_dict(make_run("casedev", (f"run_{n}",), seed=5))
