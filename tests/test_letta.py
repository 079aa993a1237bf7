"""Letta: a run over three endpoints, its steps paginated, fetched complete in one call; its
mapping; the emulator serving it beside Middesk on the same path."""

from __future__ import annotations

import math
from collections.abc import Iterator

import httpx
import orjson
import pytest
from agentruns_letta.errors import DecodeError
from agentruns_letta.models import HTTPValidationError
from emulator_cases import run_with
from hostile_servers import serve

import agentruns
from agentruns import AsyncLettaClient, LettaClient, ResponseTooLargeError, ResponseValidationError, RunStatus
from agentruns.testing import Emulator, make_run
from agentruns.testing.data import draft, respond, sample_ids
from agentruns.testing.schemas import walker

STEPS = 250  # more than two pages of 100


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=5, steps=STEPS) as emulator:
        yield emulator


def expected_steps(run_id: str) -> list[dict[str, object]]:
    """The run's steps oldest first, as the emulator drew them."""
    return respond(
        draft("letta", (run_id,), seed=5, steps=STEPS), "list_steps_for_run", {"order": ["asc"], "limit": ["1000"]}
    )


def test_get_run_is_the_complete_run_in_one_call(emu: Emulator) -> None:
    (run_id,) = sample_ids("letta", 2)
    with LettaClient(api_key=emu.token_for("letta"), base_url=emu.url) as client:
        response = client.get_run_response(run_id)
    complete = response.parsed
    assert orjson.loads(response.content) == make_run("letta", (run_id,), seed=5, steps=STEPS)
    assert [step.id for step in complete.steps] == [step["id"] for step in expected_steps(run_id)]
    assert len(complete.steps) == STEPS
    usage = respond(draft("letta", (run_id,), seed=5, steps=STEPS), "retrieve_usage_for_run", None)
    assert complete.usage.to_dict() == usage
    # The run, ceil((250 + 1) / 100) = 3 pages of steps (the last one empty), the usage.
    operations = [r.operation for r in response.responses]
    pages = math.ceil((STEPS + 1) / 100)
    assert operations == ["retrieve_run", *["list_steps_for_run"] * pages, "retrieve_usage_for_run"]
    step_requests = [r.raw_path for r in emu.requests if "/steps" in r.raw_path][-pages:]
    assert "after=" not in step_requests[0]
    assert all(f"after={complete.steps[100 * n - 1].id}" in path for n, path in enumerate(step_requests[1:], 1))


async def test_async_road_runs_the_same_plan(emu: Emulator) -> None:
    (run_id,) = sample_ids("letta", 3)
    async with AsyncLettaClient(api_key=emu.token_for("letta"), base_url=emu.url) as client:
        async_run = await client.get_run(run_id)
    with LettaClient(api_key=emu.token_for("letta"), base_url=emu.url) as client:
        assert client.get_run(run_id) == async_run
    assert len(async_run.steps) == STEPS


def test_fetch_by_ref_normalizes_the_complete_run(emu: Emulator) -> None:
    (run_id,) = run_with("letta", "status", seed=5, steps=STEPS)
    run = agentruns.fetch(f"letta:{run_id}", api_key=emu.token_for("letta"), base_url=emu.url)
    body = make_run("letta", (run_id,), seed=5, steps=STEPS)
    usage = respond(draft("letta", (run_id,), seed=5, steps=STEPS), "retrieve_usage_for_run", None)
    assert run.ref == f"letta:{run_id}"
    assert run.raw_status == body["status"]
    assert len(run.steps) == STEPS
    assert run.cost_usd_micros is None  # Letta reports no money
    steps = expected_steps(run_id)
    for field, counts in (("prompt_tokens", "input_tokens"), ("completion_tokens", "output_tokens")):
        from_steps = [s.get(field) for s in steps if s.get(field) is not None]
        want = usage[field] if field in usage else (sum(from_steps) if from_steps else None)  # type: ignore[arg-type]
        assert getattr(run, counts) == want


# The README's Letta row, written out independently of the code.
LETTA_STATUS = {
    "created": RunStatus.QUEUED,
    "running": RunStatus.RUNNING,
    "completed": RunStatus.SUCCEEDED,
    "failed": RunStatus.FAILED,
    "cancelled": RunStatus.CANCELLED,
}


@pytest.mark.parametrize(("raw", "status"), LETTA_STATUS.items())
def test_every_documented_status_maps_as_documented(raw: str, status: RunStatus) -> None:
    (run_id,) = sample_ids("letta", 1)
    run = agentruns.normalize(
        agentruns.registry.get("letta").run_model.from_dict(make_run("letta", (run_id,), status=raw))
    )
    assert (run.status, run.raw_status) == (status, raw)
    assert run.is_terminal is (status in (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED))
    assert set(LETTA_STATUS) == set(walker(agentruns.registry.get("letta")).statuses or ())


def test_a_server_that_ignores_the_cursor_cannot_loop_forever() -> None:
    """Every steps request gets the same page: the client stops at the first repeat."""
    run = orjson.dumps({"id": "run-0123abcd", "agent_id": "agent-1", "status": "running"})
    page = orjson.dumps([{"id": f"step-{n}"} for n in range(100)])  # a full page, every time

    def handler(conn: object, head: bytes) -> None:
        body = page if b"/steps" in head.split(b"\r\n", 1)[0] else run
        conn.sendall(  # type: ignore[attr-defined]
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body)
        )

    with serve(handler) as (url, heads), LettaClient(api_key="k", base_url=url) as client:
        with pytest.raises(ResponseValidationError) as caught:
            client.get_run("run-0123abcd")
    assert "ignored the cursor" in str(caught.value)
    assert caught.value.operation == "list_steps_for_run"
    assert len(heads) == 3  # the run, the first page, the repeated page: then it stops


def test_one_size_limit_spans_every_request_of_the_run(emu: Emulator) -> None:
    (run_id,) = sample_ids("letta", 4)
    with LettaClient(api_key=emu.token_for("letta"), base_url=emu.url) as client:
        sizes = [len(r.content) for r in client.get_run_response(run_id).responses]
    limit = sum(sizes) - 1  # every single response fits; all of them together do not
    assert max(sizes) < limit
    with LettaClient(api_key=emu.token_for("letta"), base_url=emu.url, max_response_bytes=limit) as client:
        with pytest.raises(ResponseTooLargeError) as caught:
            client.get_run(run_id)
    assert caught.value.limit == limit


def test_middesk_and_letta_share_a_path_and_both_are_served(emu: Emulator) -> None:
    """`/v1/runs/{id}` is both Middesk's run and Letta's: the ids each spec accepts tell them apart,
    and each provider is also served under its own prefix."""
    (letta_id,) = sample_ids("letta", 6)
    (middesk_id,) = sample_ids("middesk", 6)
    headers = {"Authorization": f"Bearer {emu.token_for('letta')}"}
    with httpx.Client(base_url=emu.url, headers=headers) as http:
        letta = http.get(f"/v1/runs/{letta_id}").json()
        middesk = http.get(f"/v1/runs/{middesk_id}").json()
        prefixed = http.get(f"/letta/v1/runs/{letta_id}").json()
        neither = http.get("/v1/runs/not-a-run-id")
    assert letta == prefixed == make_run("letta", (letta_id,), seed=5, steps=STEPS)
    assert "agent_id" in letta
    assert middesk == make_run("middesk", (middesk_id,), seed=5, steps=STEPS, query={})
    assert neither.status_code == 404


def test_validation_error_locations_are_strings_or_integers() -> None:
    """Letta's 422 body: `loc` items are `string | integer`, checked by type."""
    parsed = HTTPValidationError.from_dict(
        {"detail": [{"loc": ["query", "limit", 0], "msg": "bad", "type": "value_error"}]}
    )
    assert parsed.detail[0].loc == ["query", "limit", 0]  # type: ignore[index]
    with pytest.raises(DecodeError) as caught:
        HTTPValidationError.from_dict({"detail": [{"loc": [1.5], "msg": "bad", "type": "value_error"}]})
    assert caught.value.path_str == "detail[0].loc[0]"
    assert "string or integer" in str(caught.value)


async def test_typed_usage(emu: Emulator) -> None:
    from typed_usage_letta import letta_request_count, letta_step_ids

    (run_id,) = sample_ids("letta", 7)
    assert letta_step_ids(emu.url, emu.token_for("letta"), run_id) == [s["id"] for s in expected_steps(run_id)]
    assert await letta_request_count(emu.url, emu.token_for("letta"), run_id) == 2 + math.ceil((STEPS + 1) / 100)


def test_letta_agent_conversation_step_models_and_errors() -> None:
    from agentruns_letta.models import Run, Step, UsageStatistics

    from agentruns import normalize
    from agentruns.providers.letta import LettaRun

    run = Run.from_dict({"id": "run-1", "agent_id": "agent-7", "conversation_id": "conv-3", "status": "failed"})
    steps = [
        Step.from_dict({"id": "step-1", "model_handle": "openai/gpt-4o-mini", "status": "success"}),
        Step.from_dict(
            {
                "id": "step-2",
                "model": "gpt-4o-mini",
                "status": "failed",
                "error_type": "ToolError",
                "error_data": {"message": "no such tool"},
            }
        ),
    ]
    normalized = normalize(LettaRun(run, steps, UsageStatistics()))
    assert (normalized.ref, normalized.id, normalized.raw_status) == ("letta:run-1", "run-1", "failed")  # the frame's
    assert (normalized.agent_id, normalized.conversation_id) == ("agent-7", "conv-3")
    assert [(s.id, s.model, s.error) for s in normalized.steps] == [
        ("step-1", "openai/gpt-4o-mini", None),
        ("step-2", "gpt-4o-mini", "ToolError: no such tool"),
    ]
