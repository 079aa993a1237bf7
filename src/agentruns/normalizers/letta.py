"""Letta LettaRun → AgentRun. Tokens come from the run's usage (or, where usage leaves a count
out, from its steps); Letta reports no money, so cost is null. A run has no start time, and its
steps no times at all."""

from __future__ import annotations

from typing import Any

from agentruns_letta.models import Run, UsageStatistics
from agentruns_model import AgentRun, Failure, RunStatus, Step

from ..providers.letta import LettaRun
from . import normalizes
from ._common import LLM, opt, seconds_between
from ._frame import Frame

NANOSECONDS = 1e9


def _total(usage_value: int | None, steps: list[int | None]) -> int | None:
    """The usage's count when it gives one, else the steps' sum when any step gives one."""
    if usage_value is not None:
        return usage_value
    given = [count for count in steps if count is not None]
    return sum(given) if given else None


def _step_error(step: Any) -> str | None:
    """A failed step's error: its error_type, with the message error_data gives, if any."""
    kind = opt(step.error_type)
    data = opt(step.error_data)
    message = data.additional_properties.get("message") if data is not None else None
    if kind is None:
        return str(message) if message else None
    return f"{kind}: {message}" if message else str(kind)


@normalizes(LettaRun, Run)
def normalize_run(complete: LettaRun | Run, frame: Frame) -> AgentRun:
    if isinstance(complete, Run):  # the run alone, as retrieve_run returns it: no steps, no usage
        complete = LettaRun(complete, [], UsageStatistics())
    run, usage = complete.run, complete.usage
    status = frame.status
    details = opt(usage.prompt_tokens_details)
    completion = opt(usage.completion_tokens_details)
    cache_read = None
    if details is not None:
        cache_read = opt(details.cache_read_tokens)
        cache_read = cache_read if cache_read is not None else opt(details.cached_tokens)
    steps = [
        Step(  # by position: see _common.STEP_FIELDS
            seq,  # seq
            step.id,  # id
            LLM,  # kind: a Letta step is one model call (with the tools it called)
            opt(step.model_handle) or opt(step.model) or "step",  # name
            opt(step.model_handle) or opt(step.model),  # model
            None,  # tool_call_id
            None,  # raw_kind
            str(step.status) if opt(step.status) is not None else None,  # status
            _step_error(step),  # error
            None,  # started_at
            None,  # ended_at
            opt(step.prompt_tokens),  # input_tokens
            opt(step.completion_tokens),  # output_tokens
            None,  # cost_usd_micros
            None,  # input
            None,  # output
        )
        for seq, step in enumerate(complete.steps)
    ]
    created_at = opt(run.created_at)
    ended_at = opt(run.completed_at)
    total_ns = opt(run.total_duration_ns)
    stop_reason = opt(run.stop_reason)
    return frame.run(
        agent_id=opt(run.agent_id),
        conversation_id=opt(run.conversation_id),
        model=None,  # a model per step, none for the run
        created_at=created_at,
        ended_at=ended_at,
        duration=total_ns / NANOSECONDS if total_ns is not None else seconds_between(created_at, ended_at),
        input_tokens=_total(opt(usage.prompt_tokens), [s.input_tokens for s in steps]),
        output_tokens=_total(opt(usage.completion_tokens), [s.output_tokens for s in steps]),
        cache_read_tokens=cache_read,
        cache_write_tokens=_total(
            opt(details.cache_creation_tokens) if details is not None else None,
            [opt(step.cache_write_tokens) for step in complete.steps],
        ),
        reasoning_tokens=_total(
            opt(completion.reasoning_tokens) if completion is not None else None,
            [opt(step.reasoning_tokens) for step in complete.steps],
        ),
        failure=Failure(category=str(stop_reason) if stop_reason else "failed", message=None, exit_code=None)
        if status is RunStatus.FAILED
        else None,
        steps=steps,
    )
