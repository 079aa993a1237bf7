"""Middesk AgentRun → AgentRun. Middesk reports no cost or tokens; its steps are activities."""

from __future__ import annotations

from typing import Any

from agentruns_middesk.models import MiddeskRun
from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind

from . import normalizes
from ._common import OTHER, opt, seconds_between
from ._frame import Frame

STEP_KINDS = {"activity": StepKind.ACTIVITY}


@normalizes(MiddeskRun)
def normalize_run(run: MiddeskRun, frame: Frame) -> AgentRun:
    status = frame.status
    started_at = opt(run.started_at)
    ended_at = opt(run.ended_at)
    steps = [
        Step(  # by position: see _common.STEP_FIELDS
            seq,  # seq
            step.id,  # id
            STEP_KINDS.get(step.type_, OTHER),  # kind
            step.name,  # name
            None,  # model
            None,  # tool_call_id
            step.type_,  # raw_kind
            step.status,  # status
            None,  # error
            step.started_at,  # started_at
            step.completed_at or None,  # ended_at
            None,  # input_tokens
            None,  # output_tokens
            None,  # cost_usd_micros
            None,  # input
            [a.to_dict() for a in step.artifacts] if step.artifacts else None,  # output
        )
        for seq, step in enumerate(run.steps or ())
    ]
    output: Any = run.output.to_dict() if run.output else None
    return frame.run(
        agent_name=opt(run.agent),  # "Agent type that produced this run (for example, cip_orchestrator)"
        conversation_id=None if opt(run.thread_id) is None else str(run.thread_id),
        created_at=opt(run.created_at),
        started_at=started_at,
        ended_at=ended_at,
        duration=seconds_between(started_at, ended_at or opt(run.updated_at)),
        failure=Failure(category="error", message=None, exit_code=None) if status is RunStatus.FAILED else None,
        output=output,
        steps=steps,
    )
