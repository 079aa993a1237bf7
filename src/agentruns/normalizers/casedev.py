"""case.dev RunDetails → AgentRun. Money is already integer micro-dollars; usage gives the tokens."""

from __future__ import annotations

from datetime import timedelta

from agentruns_casedev.models import RunDetails, RunStep
from agentruns_casedev.types import JsonValue, Unset
from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind

from . import normalizes
from ._common import OTHER, items, opt
from ._frame import Frame

STEP_KINDS = {
    "thinking": StepKind.THINKING,
    "tool_call": StepKind.TOOL,
    "tool_result": StepKind.TOOL_RESULT,
    "output": StepKind.OUTPUT,
}


_MILLISECOND = timedelta(milliseconds=1)  # times an int: half the cost of timedelta(milliseconds=...)


@normalizes(RunDetails)
def normalize_run(run: RunDetails, frame: Frame) -> AgentRun:
    status = frame.status
    steps: list[Step] = []
    append, kind_of = steps.append, STEP_KINDS.get
    # Written out rather than through opt() and helpers: this loop runs once per step, thousands
    # of times, and a call costs more than the check. items(): the decoded steps, read as their
    # models (none of them is built).
    for seq, step in enumerate(items(run, "steps", RunStep)):
        raw_kind = step.type_ or None  # a StepType, which is a str
        started = step.timestamp or None
        duration_ms = step.duration_ms
        ended = None
        if started is not None and type(duration_ms) is int:
            try:
                ended = started + _MILLISECOND * duration_ms
            except OverflowError:  # a schema-valid but absurd pair (year 1, or a huge duration): no end
                ended = None
        tool_input = step.tool_input
        output: JsonValue
        if isinstance(step.tool_output, Unset):
            output = None if isinstance(step.content, Unset) else step.content
        else:
            output = step.tool_output
        step_id = step.id
        append(
            Step(  # by position: see _common.STEP_FIELDS
                seq,  # seq
                None if isinstance(step_id, Unset) else step_id,  # id
                kind_of(raw_kind or "", OTHER),  # kind
                step.tool_name or raw_kind or "step",  # name
                None,  # model
                None,  # tool_call_id: a tool_call and its tool_result share the tool's name, no call id
                raw_kind,  # raw_kind
                None,  # status
                None,  # error
                started,  # started_at
                ended,  # ended_at
                None,  # input_tokens
                None,  # output_tokens
                None,  # cost_usd_micros
                None if isinstance(tool_input, Unset) else tool_input,  # input
                output,  # output
            )
        )
    usage = opt(run.usage)
    summary = opt(usage.summary) if usage else None
    started_at = opt(run.started_at)
    ended_at = opt(run.completed_at)
    result = opt(run.result)
    return frame.run(
        agent_id=opt(run.agent_id),
        model=opt(run.model),
        created_at=opt(run.created_at),
        started_at=started_at,
        ended_at=ended_at,
        cost_usd_micros=opt(summary.cost_micros) if summary else None,
        input_tokens=opt(summary.total_input_tokens) if summary else None,
        output_tokens=opt(summary.total_output_tokens) if summary else None,
        failure=Failure(category="failed", message=None, exit_code=None) if status is RunStatus.FAILED else None,
        output=opt(result.output) if result else None,
        steps=steps,
    )
