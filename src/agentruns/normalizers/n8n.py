"""n8n Execution → AgentRun. An execution is a workflow run: each run of each node is a step, in
the order n8n ran them (`executionIndex`, n8n's published ITaskStartedData), with its own times
(`startTime` epoch ms, `executionTime` ms), status and error. n8n reports no tokens or cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind
from agentruns_n8n.models import Execution, NodeExecutionItem, NodeExecutionItemJson, TaskData, TaskDataData
from agentruns_n8n.types import Unset

from . import normalizes
from ._common import ACTIVITY, TERMINAL, opt
from ._frame import Frame

# A node's kind by the connection types its output has: an AI agent's sub-nodes put out on
# `ai_languageModel` (a model call) or `ai_tool` (a tool); every other node is a workflow activity.
STEP_KINDS = {"ai_languageModel": StepKind.LLM, "ai_tool": StepKind.TOOL}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def _ordered(run_data: dict[str, list[TaskData]]) -> list[tuple[int, int, str, TaskData]]:
    """Every (node, run) pair in the order n8n ran them: executionIndex, else startTime, else as listed."""
    runs = []
    for position, (node, tasks) in enumerate(run_data.items()):
        for index, task in enumerate(tasks):
            order = task.execution_index
            if isinstance(order, Unset):
                order = task.start_time
                if isinstance(order, Unset):
                    order = position
            runs.append((order, position * 1_000_000 + index, node, task))
    # The first two fields are ints and the second is unique: the tuples sort by them alone.
    runs.sort()
    return runs


def _written(outputs: TaskDataData) -> dict[str, Any]:
    """A node run's items per connection type as JSON holds them (TaskDataData.to_dict without
    its layers of calls, and in loops rather than comprehensions, each a call of its own: this
    runs once per step)."""
    written: dict[str, Any] = {}
    alone = _ITEM_IS_JSON_ALONE
    for kind, lists in outputs.additional_properties.items():
        out: list[Any] = []
        for items in lists:
            if items is None:
                out.append(None)
                continue
            items_written = []
            for item in items:
                if alone:
                    extra = item.additional_properties
                    items_written.append(
                        {**extra, "json": dict(item.json.additional_properties)}
                        if extra
                        else {"json": dict(item.json.additional_properties)}
                    )
                else:
                    items_written.append(item.to_dict())
            out.append(items_written)
        written[kind] = out
    return written


# `_written` writes an item whose only declared field is `json` (a free-form object), as n8n's
# INodeExecutionData is in the spec; should the spec declare more, items are written by to_dict.
_ITEM_IS_JSON_ALONE = dict(NodeExecutionItem.json_attributes()) == {"json": "json"} and not dict(
    NodeExecutionItemJson.json_attributes()
)


def _steps(run_data: dict[str, list[TaskData]]) -> list[Step]:
    # Written out rather than through opt() and helpers: this loop runs once per node run.
    steps = []
    for seq, (_, _, node, task) in enumerate(_ordered(run_data)):
        outputs = task.data
        raw_kind: str | None = None
        output = None
        if not isinstance(outputs, Unset):
            for kind in outputs.additional_properties:
                if kind in STEP_KINDS:
                    raw_kind = kind
                    break
                raw_kind = raw_kind or kind  # the first, where none is a sub-node's
            output = _written(outputs)
        start_time, took = task.start_time, task.execution_time
        started = ended = None
        if not isinstance(start_time, Unset):
            try:  # epoch milliseconds, inline: once per node run
                started = _EPOCH + _MILLISECOND * start_time
                if not isinstance(took, Unset):
                    ended = started + _MILLISECOND * took
            except OverflowError:  # a schema-valid but absurd time: none
                pass
        status = task.execution_status
        error = task.error
        message = None if isinstance(error, Unset) or isinstance(error.message, Unset) else error.message
        steps.append(
            Step(  # by position: see _common.STEP_FIELDS
                seq,  # seq
                None,  # id: n8n names a step by its node and run, not by an id
                STEP_KINDS.get(raw_kind or "", ACTIVITY),  # kind
                node,  # name
                None,  # model
                None,  # tool_call_id
                raw_kind,  # raw_kind
                None
                if isinstance(status, Unset)
                else status._value_
                if isinstance(status, Enum)
                else str(status),  # status
                message,  # error
                started,  # started_at
                ended,  # ended_at
                None,  # input_tokens
                None,  # output_tokens
                None,  # cost_usd_micros
                None,  # input
                output,  # output: the items per connection type
            )
        )
    return steps


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
    steps = _steps(run_data)
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
