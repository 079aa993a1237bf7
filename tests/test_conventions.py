"""The conventions of a well-kept SDK: headers, configured copies, logging, error classes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from emulator_cases import ids_for
from hostile_servers import serve

import agentruns
from agentruns import (
    APIStatusError,
    AsyncCasedevClient,
    BadRequestError,
    CasedevClient,
    ConfigurationError,
    ConflictError,
    UnprocessableEntityError,
    registry,
)
from agentruns.testing import Emulator

TOKEN = "sk_case_conventions"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN) as emulator:
        yield emulator


async def test_both_roads_send_the_same_user_agent_and_default_headers(emu: Emulator) -> None:
    emu.clear_requests()
    headers = {"X-Team": "evals", "User-Agent": "my-app/2"}
    with CasedevClient(api_key=TOKEN, base_url=emu.url) as client:
        client.get_run("run_1")
        with client.with_options(default_headers=headers) as custom:
            custom.get_run("run_1")
    async with AsyncCasedevClient(api_key=TOKEN, base_url=emu.url) as async_client:
        await async_client.get_run("run_1")
        async with async_client.with_options(default_headers=headers) as async_custom:
            await async_custom.get_run("run_1")
    sent = [{k.lower(): v for k, v in r.headers.items()} for r in emu.requests]
    assert len(sent) == 4
    assert sent[0]["user-agent"] == sent[2]["user-agent"] == f"agentruns/{agentruns.__version__}"
    for custom_headers in (sent[1], sent[3]):
        assert custom_headers["user-agent"] == "my-app/2" and custom_headers["x-team"] == "evals"


def test_with_options_returns_a_configured_copy(emu: Emulator) -> None:
    with CasedevClient(api_key=TOKEN, base_url=emu.url, max_retries=5, timeout=7.0) as client:
        copy = client.with_options(max_retries=0)
        with copy:
            assert copy.max_retries == 0 and client.max_retries == 5
            assert copy.timeout == client.timeout and copy.base_url == client.base_url
            assert copy.get_run("run_1").id == client.get_run("run_1").id


@pytest.mark.parametrize(
    ("headers", "field"),
    [({"Authorization": "Bearer x"}, "Authorization"), ({"Bad Name": "x"}, "Bad Name"), ({"X-Ok": "é"}, "X-Ok")],
)
def test_bad_default_headers_are_refused_by_name(headers: dict[str, str], field: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        CasedevClient(api_key=TOKEN, base_url="http://127.0.0.1:9", default_headers=headers)
    assert f"default_headers[{field!r}]" in str(caught.value)


def answer(status: int) -> bytes:
    body = b'{"error": "nope"}'
    head = f"HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-request-id: req_{status}\r\n"
    return head.encode() + f"content-length: {len(body)}\r\n\r\n".encode() + body


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, BadRequestError), (409, ConflictError), (422, UnprocessableEntityError), (418, APIStatusError)],
)
def test_client_errors_have_their_own_classes_and_a_telling_repr(status: int, kind: type[APIStatusError]) -> None:
    def handler(conn, head):  # type: ignore[no-untyped-def]
        conn.sendall(answer(status))

    with serve(handler) as (url, _), CasedevClient(api_key=TOKEN, base_url=url, max_retries=0) as client:
        with pytest.raises(APIStatusError) as caught:
            client.get_run("run_1")
    assert type(caught.value) is kind
    shown = repr(caught.value)
    assert shown.startswith(f"{kind.__name__}(provider='casedev', operation='getRunDetails', status_code={status}")
    assert f"request_id='req_{status}'" in shown


def test_agentruns_log_debug_shows_each_request(emu: Emulator) -> None:
    code = f"import agentruns; agentruns.CasedevClient(api_key={TOKEN!r}, base_url={emu.url!r}).get_run('run_1')"
    env = dict(os.environ, AGENTRUNS_LOG="debug")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "agentruns DEBUG GET " in result.stderr and "/agent/v1/run/run_1/details -> 200" in result.stderr
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert quiet.stderr == ""


@pytest.mark.parametrize("provider", agentruns.registry.names())
def test_runs_serialize_and_read_back(emu: Emulator, provider: str) -> None:
    from emulator_cases import run_with_status

    ref = f"{provider}:{'/'.join(run_with_status(provider, steps=8))}"
    run = agentruns.fetch(ref, api_key=emu.token_for(provider), base_url=emu.url)
    data = agentruns.to_dict(run)
    assert data["native"] == run.native.to_dict() and data["ref"] == ref
    back = agentruns.from_json(agentruns.to_json(run))
    assert back == agentruns.from_dict(data)
    assert back.steps == run.steps and back.status is run.status and back.created_at == run.created_at
    assert back.native == run.native.to_dict()
    assert agentruns.to_dict(run, native=False)["native"] is None
    assert "UNSET" not in agentruns.to_json(run).decode()


def test_a_bad_run_document_names_the_field() -> None:
    with pytest.raises(agentruns.InvalidRequestError) as caught:
        agentruns.from_dict({"provider": "casedev"})
    assert (caught.value.provider == "agentruns" and "id" in str(caught.value)) or "required" in str(caught.value)


def test_unset_reads_as_unset() -> None:
    from agentruns_casedev.types import UNSET

    assert repr(UNSET) == "UNSET" and not UNSET


@pytest.mark.parametrize("provider", agentruns.registry.names())
async def test_the_request_id_is_on_the_model_and_the_normalized_run(emu: Emulator, provider: str) -> None:
    from emulator_cases import run_with_status

    ids = run_with_status(provider)
    sync_client, async_client = agentruns.registry.get(provider).clients()
    with sync_client(api_key=emu.token_for(provider), base_url=emu.url) as client:
        response = client.get_run_response(*ids)
    async with async_client(api_key=emu.token_for(provider), base_url=emu.url) as aclient:
        async_response = await aclient.get_run_response(*ids)
    for got in (response, async_response):
        assert re.fullmatch(r"req_[0-9a-f]{16}", got.request_id or ""), got.request_id
        assert got.parsed._request_id == got.request_id  # the first response's: the run's own
    assert response.request_id != async_response.request_id  # each response has its own
    run = agentruns.normalize(response.parsed)
    assert run.request_id == response.request_id == agentruns.to_dict(run)["request_id"]
    assert agentruns.from_json(agentruns.to_json(run)).request_id == response.request_id
    assert "_request_id" not in repr(response.parsed)


def test_each_letta_part_keeps_the_request_id_of_its_own_response(emu: Emulator) -> None:
    from agentruns_letta.models import Run

    with agentruns.LettaClient(api_key=TOKEN, base_url=emu.url) as client:
        response = client.get_run_response("run-123e4567-e89b-12d3-a456-426614174000")
    ids = [raw.request_id for raw in response.responses]
    assert len(set(ids)) == len(ids) >= 3
    assert response.parsed.run._request_id == ids[0] and response.parsed.usage._request_id == ids[-1]
    assert not hasattr(response.parsed.steps[0], "_request_id")  # a list item is no response's body
    # A model made any other way was not fetched: it has no request id, and normalizes to None.
    made = Run.from_dict(response.parsed.run.to_dict())
    assert made._request_id is None and made == response.parsed.run


@pytest.mark.parametrize("provider", registry.names())
def test_request_id_of_reads_it_from_every_kind_of_result(emu: Emulator, provider: str) -> None:
    """One public accessor for the request id: the model, its RunResponse, the AgentRun and an error."""
    client_class = registry.get(provider).sync_client
    with client_class(api_key=emu.token_for(provider), base_url=emu.url) as client:
        response = client.get_run_response(*ids_for(provider, 3))
    assert agentruns.request_id_of(response) == response.responses[0].request_id
    assert agentruns.request_id_of(response.parsed) == response.responses[0].request_id
    assert agentruns.request_id_of(agentruns.normalize(response.parsed)) == response.responses[0].request_id
    assert agentruns.request_id_of(object()) is None
