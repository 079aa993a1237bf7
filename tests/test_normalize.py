"""Each provider's run maps onto AgentRun as the README's table says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentruns_model import AgentRun, RunStatus, StepKind
from emulator_cases import ids_for, run_with

from agentruns import _pointer, normalize, registry
from agentruns.serialize import to_json
from agentruns.testing import make_run
from agentruns.testing.data import statuses
from agentruns.testing.schemas import walker
from spec_tools import PROVIDERS, ROOT, example, run_model

# The README's mapping, written out independently of the code (a provider's own test file may
# hold its table instead: tests/test_letta.py).
EXPECTED_STATUS = {
    "backside": {
        "queued": "queued",
        "running": "running",
        "waiting": "waiting",
        "succeeded": "succeeded",
        "failed": "failed",
        "cancelled": "cancelled",
        "timed_out": "timed_out",
    },
    "middesk": {"running": "running", "completed": "succeeded", "error": "failed", "interrupted": "waiting"},
    "casedev": {
        "queued": "queued",
        "running": "running",
        "completed": "succeeded",
        "failed": "failed",
        "cancelled": "cancelled",
    },
    "nsrocks": {
        "queued": "queued",
        "starting": "starting",
        "installing": "starting",
        "running": "running",
        "succeeded": "succeeded",
        "failed": "failed",
        "cancelled": "cancelled",
        "timed_out": "timed_out",
    },
}
TERMINAL = {"succeeded", "failed", "cancelled", "timed_out"}


def normalized(provider: str, body: dict[str, Any]) -> AgentRun:
    return normalize(run_model(provider).from_dict(body))


@pytest.mark.parametrize("provider", sorted(EXPECTED_STATUS))
def test_every_documented_status_maps_as_documented(provider: str) -> None:
    ids = ids_for(provider, 1)
    for raw, expected in EXPECTED_STATUS[provider].items():
        run = normalized(provider, make_run(provider, ids, status=raw))
        assert (run.status, run.raw_status) == (RunStatus(expected), raw)
        assert run.is_terminal is (expected in TERMINAL)
    assert set(EXPECTED_STATUS[provider]) == set(statuses(provider))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unknown_status_maps_to_unknown_and_keeps_the_raw_value(provider: str) -> None:
    info = registry.get(provider)
    if not walker(info).says_status:
        pytest.skip(f"{provider}'s run body says no status: its normalizer works one out of the parts")
    body = _pointer.write(make_run(provider, ids_for(provider, 2)), info.status_at, "hibernating")
    run = normalized(provider, body)
    assert run.status is RunStatus.UNKNOWN
    assert run.raw_status == "hibernating"
    assert run.is_terminal is False


def test_backside_money_tokens_and_steps() -> None:
    body = make_run(
        "backside",
        run_with("backside", "failure_category", "steps.0.cost_usd_cents", status="failed", steps=6),
        steps=6,
        status="failed",
    )
    run = normalized("backside", body)
    assert run.ref == f"backside:{body['agent_kind']}/{body['id']}"
    assert run.cost_usd_micros == body["cost_usd_cents"] * 10_000
    assert run.input_tokens == sum(s.get("input_tokens") or 0 for s in body["steps"])
    assert run.output_tokens == sum(s.get("output_tokens") or 0 for s in body["steps"])
    assert [s.kind for s in run.steps] == [StepKind.LLM, StepKind.TOOL] * 3
    assert [s.seq for s in run.steps] == list(range(6))
    assert [s.cost_usd_micros for s in run.steps] == [
        None if s.get("cost_usd_cents") is None else s["cost_usd_cents"] * 10_000 for s in body["steps"]
    ]
    assert run.failure is not None
    assert (run.failure.category, run.failure.message) == (body["failure_category"], body.get("failure_detail"))
    assert run.ended_at is not None and run.duration is not None and run.duration > 0


def test_casedev_micros_tokens_and_step_kinds() -> None:
    ids = run_with(
        "casedev",
        "usage.summary.costMicros",
        "usage.summary.totalInputTokens",
        "result.output",
        "steps",
        status="completed",
    )
    body = make_run("casedev", ids, steps=8, status="completed")
    run = normalized("casedev", body)
    assert run.cost_usd_micros == body["usage"]["summary"]["costMicros"]
    assert run.input_tokens == body["usage"]["summary"]["totalInputTokens"]
    assert [s.raw_kind for s in run.steps] == [s.get("type") for s in body["steps"]]
    kinds = {"thinking": StepKind.THINKING, "tool_call": StepKind.TOOL, "tool_result": StepKind.TOOL_RESULT}
    kinds |= {"output": StepKind.OUTPUT, None: StepKind.OTHER}
    assert [s.kind for s in run.steps] == [kinds[s.get("type")] for s in body["steps"]]
    assert run.output == body["result"]["output"]
    assert [s.input for s in run.steps] == [s.get("toolInput") for s in body["steps"]]


def test_middesk_without_steps_and_with_output() -> None:
    (run_id,) = run_with("middesk", "output", status="completed")
    body = make_run("middesk", (run_id,), status="completed", query={})
    run = normalized("middesk", body)
    assert run.steps == []
    assert run.cost_usd_micros is None and run.input_tokens is None
    assert run.output == body["output"]
    assert run.ref == f"middesk:{run_id}"


def test_nsrocks_failure_carries_exit_code() -> None:
    ids = run_with("nsrocks", "exit_code", "failure_reason", status="failed")
    body = make_run("nsrocks", ids, status="failed")
    run = normalized("nsrocks", body)
    assert run.failure is not None
    assert (run.failure.message, run.failure.exit_code) == (body["failure_reason"], body["exit_code"])
    assert run.ref == f"nsrocks:{ids[0]}/{ids[1]}"
    assert run.steps == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_sparse_seed_examples_normalize(provider: str) -> None:
    run = normalized(provider, example(provider))
    assert run.provider == provider
    assert run.native is not None


def test_native_model_is_kept_and_json_uses_the_schema_names() -> None:
    model = run_model("casedev").from_dict(make_run("casedev", run_with("casedev", "steps.0"), status="completed"))
    run = normalize(model)
    assert run.native is model
    encoded = json.loads(to_json(run))
    schema = json.loads((ROOT / "specs" / "agentrun.schema.json").read_text())
    assert set(encoded) == set(schema["properties"])
    assert encoded["native"] == model.to_dict()
    assert set(encoded["steps"][0]) == set(schema["$defs"]["Step"]["properties"])


def test_normalize_refuses_other_objects() -> None:
    with pytest.raises(TypeError, match="not a provider run model"):
        normalize({"status": "running"})


def test_casedev_step_end_out_of_datetime_range_is_null() -> None:
    # Found by make fuzz: schema-valid, but timestamp + durationMs leaves datetime's range.
    body = {"steps": [{"durationMs": -1, "timestamp": "0001-01-01T00:00:00Z"}]}
    run = normalized("casedev", body)
    assert run.steps[0].ended_at is None
    assert run.steps[0].started_at is not None


# Where each provider's spec puts the agent, the conversation, the model and the step ids, written
# out independently of the normalizers: (run body path, AgentRun field).
IDENTITY = {
    "backside": [("agent_kind", "agent_name")],
    "casedev": [("agentId", "agent_id"), ("model", "model")],
    "middesk": [("agent", "agent_name"), ("thread_id", "conversation_id")],
    "nsrocks": [("deployment_id", "agent_id")],
}


@pytest.mark.parametrize("provider", sorted(IDENTITY))
def test_the_agent_conversation_and_model_come_from_the_spec_fields(provider: str) -> None:
    body = make_run(provider, ids_for(provider, 5))
    run = normalized(provider, body)
    for path, field in IDENTITY[provider]:
        assert getattr(run, field) == str(body[path]), (path, field)
    untouched = {"agent_id", "agent_name", "conversation_id", "model"} - {f for _, f in IDENTITY[provider]}
    assert all(getattr(run, field) is None for field in untouched)


def test_steps_carry_their_ids_models_and_errors() -> None:
    body = make_run("casedev", ids_for("casedev", 5))
    assert [s.id for s in normalized("casedev", body).steps] == [s["id"] for s in body["steps"]]
    backside = make_run("backside", ids_for("backside", 5), status="succeeded")
    assert [s.model for s in normalized("backside", backside).steps] == [s["model"] for s in backside["steps"]]
    middesk = make_run("middesk", ids_for("middesk", 5))
    assert [s.id for s in normalized("middesk", middesk).steps] == [s["id"] for s in middesk["steps"]]


def test_the_frame_is_what_the_declaration_says_and_the_mapping_gives_the_rest() -> None:
    """The shared part of a normalized run comes from the spec's declaration: ids from the echo
    fields (else the ref), status by the declared table (or worked out by the mapping, for a body
    that says none), the request id; a mapping may not give those, and what it leaves out is None."""
    from agentruns import registry
    from agentruns.normalizers import Frame

    info = registry.get("nsrocks")
    ids = ids_for("nsrocks", 4)
    model = registry.get("nsrocks").run_model.from_dict(make_run("nsrocks", ids, status="queued"))
    frame = Frame(info, model, None)
    assert (frame.ids, frame.ref) == (ids, "nsrocks:" + "/".join(ids))
    assert (frame.status, frame.raw_status, frame.is_terminal) == (RunStatus.QUEUED, "queued", False)
    assert frame.with_status("timed_out").is_terminal and frame.status is RunStatus.TIMED_OUT
    assert frame.with_status("hibernating").status is RunStatus.UNKNOWN and frame.raw_status == "hibernating"
    run = frame.run(agent_id="dep")
    assert (run.agent_id, run.model, run.steps, run.duration, run.native) == ("dep", None, [], None, model)
    with pytest.raises(TypeError, match="nsrocks's normalizer gives status: not its to give"):
        frame.run(status=RunStatus.FAILED)
    # A ref given wins where the body does not echo an id; the body's own id wins where it does.
    assert Frame(info, model, "nsrocks:other/run_9").ids == ids


def test_a_provider_without_a_normalizer_is_told_which_file_to_write(monkeypatch: pytest.MonkeyPatch) -> None:
    import agentruns.normalizers as normalizers

    model_class = run_model("casedev")
    monkeypatch.delitem(normalizers._FOUND, model_class, raising=False)

    def absent(name: str) -> None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(normalizers.importlib, "import_module", absent)
    with pytest.raises(TypeError, match=r"casedev has no normalizer: write src/agentruns/normalizers/casedev\.py"):
        normalize(model_class.from_dict(example("casedev")))


def test_a_mapping_that_fails_on_a_hand_built_model_is_a_typed_error_naming_provider_and_model() -> None:
    # attrs models take any value: a datetime field set to a string reaches the mapping, whose
    # arithmetic fails. The caller gets the package's error, the cause chained, the model intact.
    from agentruns import UnexpectedError

    model = run_model("casedev").from_dict(example("casedev"))
    model.steps[0].timestamp = "yesterday"
    with pytest.raises(UnexpectedError) as caught:
        normalize(model)
    error = caught.value
    assert (error.provider, error.operation) == ("casedev", "normalize")
    assert "could not map this RunDetails onto an AgentRun: TypeError" in str(error)
    assert isinstance(error.__cause__, TypeError)
    assert model.steps[0].timestamp == "yesterday"
