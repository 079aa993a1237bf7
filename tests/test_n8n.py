"""n8n: a self-hosted API (no server of its own), its key in `X-N8N-API-KEY`, an execution whose
node-by-node run data only comes with `includeData=true`; its mapping to steps in the order
n8n ran the nodes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import orjson
import pytest

import agentruns
from agentruns import AsyncN8nClient, ConfigurationError, N8nClient, RunStatus, StepKind
from agentruns.normalizers import status_table
from agentruns.testing import Emulator
from agentruns.testing.data import sample_ids
from spec_tools import example, load_spec, run_model


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=3, steps=7) as emulator:
        yield emulator


def client(emu: Emulator) -> N8nClient:
    return N8nClient(api_key=emu.token_for("n8n"), base_url=f"{emu.url}/n8n")


def test_the_key_travels_in_n8n_s_own_header_and_the_run_data_is_asked_for(emu: Emulator) -> None:
    (execution_id,) = sample_ids("n8n", 4)
    emu.clear_requests()
    with client(emu) as n8n:
        execution = n8n.get_run(execution_id)
    (request,) = emu.requests
    assert request.raw_path == f"/n8n/executions/{execution_id}?includeData=true"
    assert "x-n8n-api-key" not in request.headers and "authorization" not in request.headers  # never logged
    assert execution.id == execution_id and execution.data  # the node runs came with it


def test_a_wrong_key_is_refused_as_n8n_refuses_it(emu: Emulator) -> None:
    with N8nClient(api_key="not-the-key", base_url=f"{emu.url}/n8n") as n8n:
        with pytest.raises(agentruns.AuthenticationError) as caught:
            n8n.get_run("1000")
    assert caught.value.status_code == 401
    assert orjson.loads(caught.value.body) == {"message": "missing or invalid X-N8N-API-KEY"}


def test_no_base_url_is_a_configuration_error_that_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("N8N_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        N8nClient(api_key="key")
    message = str(caught.value)
    assert caught.value.field == "base_url" and "self-hosted" in message
    assert "N8N_BASE_URL" in message and "{url}/api/v1" in message  # the spec's own server template
    assert agentruns.registry.get("n8n").default_base_url is None


def test_the_key_header_cannot_be_replaced_by_default_headers(emu: Emulator) -> None:
    with pytest.raises(ConfigurationError, match="the key is set with api_key"):
        N8nClient(api_key="key", base_url=emu.url, default_headers={"x-n8n-api-key": "other"})


async def test_the_async_client_reads_the_same_execution(emu: Emulator) -> None:
    (execution_id,) = sample_ids("n8n", 5)
    async with AsyncN8nClient(api_key=emu.token_for("n8n"), base_url=f"{emu.url}/n8n") as n8n:
        async_execution = await n8n.get_run(execution_id)
    with client(emu) as n8n:
        assert n8n.get_run(execution_id).to_dict() == async_execution.to_dict()


def test_every_status_of_n8n_s_enum_has_its_place() -> None:
    enum = load_spec("n8n")["components"]["schemas"]["ExecutionStatus"]["enum"]
    table = status_table("n8n")
    assert sorted(table) == sorted(enum)
    assert table["crashed"] is RunStatus.FAILED and table["waiting"] is RunStatus.WAITING


def test_node_runs_become_steps_in_the_order_n8n_ran_them() -> None:
    body = example("n8n")
    body["status"] = "error"
    body["data"] = {
        "resultData": {
            "runData": {  # listed out of order: the second node's entry first, two runs of the agent
                "Call Tool": [
                    {
                        "startTime": 1767603600300,
                        "executionIndex": 2,
                        "executionTime": 40,
                        "executionStatus": "success",
                        "source": [{"previousNode": "AI Agent"}],
                        "data": {"ai_tool": [[{"json": {"result": 1}}]]},
                    }
                ],
                "AI Agent": [
                    {"startTime": 1767603600200, "executionIndex": 1, "executionTime": 90, "source": []},
                    {
                        "startTime": 1767603600400,
                        "executionIndex": 3,
                        "executionTime": 10,
                        "executionStatus": "error",
                        "source": [],
                        "error": {"message": "The model refused"},
                    },
                ],
                "Trigger": [
                    {
                        "startTime": 1767603600120,
                        "executionIndex": 0,
                        "executionTime": 5,
                        "source": [],
                        "data": {"main": [[{"json": {"q": "hi"}}]]},
                    }
                ],
            },
            "lastNodeExecuted": "AI Agent",
            "error": {"message": "The model refused", "node": {"name": "AI Agent"}},
        }
    }
    run = agentruns.normalize(run_model("n8n").from_dict(body))
    assert [(step.seq, step.name) for step in run.steps] == [
        (0, "Trigger"),
        (1, "AI Agent"),
        (2, "Call Tool"),
        (3, "AI Agent"),
    ]
    trigger, _, tool, failed = run.steps
    assert trigger.started_at == datetime(2026, 1, 5, 9, 0, 0, 120000, tzinfo=UTC)
    assert (trigger.ended_at - trigger.started_at).total_seconds() == 0.005
    assert trigger.kind is StepKind.ACTIVITY and tool.kind is StepKind.TOOL and tool.raw_kind == "ai_tool"
    assert trigger.output == {"main": [[{"json": {"q": "hi"}}]]}
    assert failed.status == "error" and failed.error == "The model refused"
    assert run.status is RunStatus.FAILED and run.failure is not None and run.failure.message == "The model refused"
    assert run.agent_id == body["workflowId"] and run.ref == f"n8n:{body['id']}"
    assert (run.input_tokens, run.cost_usd_micros) == (None, None)  # n8n reports neither


def test_a_schema_valid_but_absurd_time_is_no_time_and_the_rest_of_the_step_stays() -> None:
    # startTime and executionTime are any int64 in n8n's schema: one past datetime's range is no
    # time, not an OverflowError out of the mapping.
    body = example("n8n")
    never = 2**62
    runs = {
        "Late start": [{"startTime": never, "executionIndex": 0, "executionTime": 5, "source": []}],
        "Long run": [
            {"startTime": 1767603600120, "executionIndex": 1, "executionTime": never, "executionStatus": "success"}
        ],
    }
    body["data"] = {"resultData": {"runData": runs}}
    late, long_run = agentruns.normalize(run_model("n8n").from_dict(body)).steps
    assert (late.name, late.started_at, late.ended_at) == ("Late start", None, None)
    assert long_run.started_at == datetime(2026, 1, 5, 9, 0, 0, 120000, tzinfo=UTC)
    assert long_run.ended_at is None and long_run.status == "success"


def test_a_waiting_execution_has_stopped_but_not_ended() -> None:
    body = example("n8n") | {"status": "waiting", "finished": False, "waitTill": "2026-01-05T10:00:00.000Z"}
    run = agentruns.normalize(run_model("n8n").from_dict(body))
    assert run.status is RunStatus.WAITING and not run.is_terminal
    assert run.ended_at is None and run.duration is None


def test_an_execution_fetched_without_its_data_has_no_steps() -> None:
    body = {key: value for key, value in example("n8n").items() if key != "data"}
    run = agentruns.normalize(run_model("n8n").from_dict(body))
    assert run.steps == [] and run.output is None and run.status is RunStatus.SUCCEEDED


def test_the_workflow_s_output_is_what_its_last_node_put_out() -> None:
    run = agentruns.normalize(run_model("n8n").from_dict(example("n8n")))
    assert run.output == [{}]  # the example's Manual Trigger put out one empty item


def test_the_declared_run_query_reaches_the_request_the_written_plan_makes() -> None:
    from agentruns.clients.n8n import plan_get_run

    request = next(plan_get_run("42"))
    assert (request.path, request.params) == ("/executions/42", (("includeData", "true"),))
