"""n8n Execution → AgentRun. An execution is a workflow run: each run of each node is a step, in
the order n8n ran them (`executionIndex`, n8n's published ITaskStartedData), with its own times
(`startTime` epoch ms, `executionTime` ms), status and error. n8n reports no tokens or cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind
from agentruns_n8n.models import Execution, TaskData

from . import normalizes
from ._common import TERMINAL, opt
from ._frame import Frame

# A node's kind by the connection types its output has: an AI agent's sub-nodes put out on
# `ai_languageModel` (a model call) or `ai_tool` (a tool); every other node is a workflow activity.
STEP_KINDS = {"ai_languageModel": StepKind.LLM, "ai_tool": StepKind.TOOL}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def _at(milliseconds: int | None) -> datetime | None:
    if milliseconds is None:
        return None
    try:
        return _EPOCH + _MILLISECOND * milliseconds
    except OverflowError:  # a schema-valid but absurd time: none
        return None


def _ordered(run_data: dict[str, list[TaskData]]) -> list[tuple[int, int, str, TaskData]]:
    """Every (node, run) pair in the order n8n ran them: executionIndex, else startTime, else as listed."""
    runs = []
    for position, (node, tasks) in enumerate(run_data.items()):
        for index, task in enumerate(tasks):
            order = opt(task.execution_index)
            started = opt(task.start_time)
            key = order if order is not None else started if started is not None else position
            runs.append((key, position * 1_000_000 + index, node, task))
    runs.sort(key=lambda run: (run[0], run[1]))
    return runs


def _step(seq: int, node: str, task: TaskData) -> Step:
    outputs = opt(task.data)
    kinds = list(outputs.additional_properties) if outputs else []
    raw_kind = next((kind for kind in kinds if kind in STEP_KINDS), kinds[0] if kinds else None)
    started = _at(opt(task.start_time))
    took = opt(task.execution_time)
    error = opt(task.error)
    status = opt(task.execution_status)
    return Step(  # by position: see _common.STEP_FIELDS
        seq,  # seq
        None,  # id: n8n names a step by its node and run, not by an id
        STEP_KINDS.get(raw_kind or "", StepKind.ACTIVITY),  # kind
        node,  # name
        None,  # model
        None,  # tool_call_id
        raw_kind,  # raw_kind
        str(status) if status is not None else None,  # status
        opt(error.message) if error else None,  # error
        started,  # started_at
        started + _MILLISECOND * took if started is not None and took is not None else None,  # ended_at
        None,  # input_tokens
        None,  # output_tokens
        None,  # cost_usd_micros
        None,  # input
        outputs.to_dict() if outputs else None,  # output: the items per connection type
    )


def _output(run_data: dict[str, list[TaskData]], last_node: str | None) -> Any:
    """What the workflow put out: the items of the last node's last run on its first `main` output."""
    tasks = run_data.get(last_node or "") or []
    outputs = opt(tasks[-1].data) if tasks else None
    main = outputs.additional_properties.get("main") if outputs else None
    first = main[0] if main else None
    return [item.json.to_dict() for item in first] if first else None


@normalizes(Execution)
def normalize_run(run: Execution, frame: Frame) -> AgentRun:
    status = frame.status
    data = opt(run.data)
    result = opt(data.result_data) if data else None
    runs = opt(result.run_data) if result else None
    run_data = runs.additional_properties if runs else {}
    steps = [_step(seq, node, task) for seq, (_, _, node, task) in enumerate(_ordered(run_data))]
    error = opt(result.error) if result else None
    workflow = opt(run.workflow_data)
    started_at = run.started_at
    ended_at = run.stopped_at if status in TERMINAL else None  # a waiting execution has stopped, not ended
    failed = status is RunStatus.FAILED
    return frame.run(
        agent_id=run.workflow_id,  # the workflow is what runs
        agent_name=opt(workflow.name) if workflow else None,
        created_at=run.created_at,
        started_at=started_at,
        ended_at=ended_at,
        failure=Failure(category=str(status), message=opt(error.message) if error else None, exit_code=None)
        if failed or error
        else None,
        output=_output(run_data, opt(result.last_node_executed) if result else None),
        steps=steps,
    )
