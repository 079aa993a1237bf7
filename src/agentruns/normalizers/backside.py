"""Backside AgentRun → AgentRun. Money is integer cents (times 10,000 for micros); steps are the journal."""

from __future__ import annotations

from agentruns_backside.models import AgentRunStep, BacksideRun
from agentruns_backside.types import Unset
from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind

from . import normalizes
from ._common import OTHER, TERMINAL, items, opt, seconds_between
from ._frame import Frame

# Backside's status is an open string: queued, running and waiting are documented; the terminal
STEP_KINDS = {"llm": StepKind.LLM, "tool": StepKind.TOOL}
MICROS_PER_CENT = 10_000


def _micros(cents: int | None) -> int | None:
    return None if cents is None else cents * MICROS_PER_CENT


@normalizes(BacksideRun)
def normalize_run(run: BacksideRun, frame: Frame) -> AgentRun:
    status = frame.status
    terminal = status in TERMINAL
    steps = []
    # One pass, with the per-field checks written out: this loop runs once per journal entry.
    tokens_in = tokens_out = cache_read = cache_write = 0
    seen_in = seen_out = seen_read = seen_write = False
    journal = items(run, "steps", AgentRunStep)  # the decoded entries, read as their models (none built)
    for step in journal:
        completed_at = step.completed_at
        input_tokens = None if isinstance(step.input_tokens, Unset) else step.input_tokens
        output_tokens = None if isinstance(step.output_tokens, Unset) else step.output_tokens
        cents = None if isinstance(step.cost_usd_cents, Unset) else step.cost_usd_cents
        if input_tokens is not None:
            tokens_in += input_tokens
            seen_in = True
        if output_tokens is not None:
            tokens_out += output_tokens
            seen_out = True
        if not isinstance(step.cache_read_tokens, Unset) and step.cache_read_tokens is not None:
            cache_read += step.cache_read_tokens
            seen_read = True
        if not isinstance(step.cache_write_tokens, Unset) and step.cache_write_tokens is not None:
            cache_write += step.cache_write_tokens
            seen_write = True
        steps.append(
            Step(  # by position: see _common.STEP_FIELDS
                step.seq,  # seq
                None,  # id: journal entries are addressed by seq alone
                STEP_KINDS.get(step.kind, OTHER),  # kind
                step.name,  # name
                opt(step.model),  # model
                None,  # tool_call_id
                step.kind,  # raw_kind
                None if isinstance(completed_at, Unset) else ("completed" if completed_at else "running"),  # status
                None,  # error
                step.started_at,  # started_at
                completed_at or None,  # ended_at
                input_tokens,  # input_tokens
                output_tokens,  # output_tokens
                None if cents is None else cents * MICROS_PER_CENT,  # cost_usd_micros
                step.input_,  # input
                None if isinstance(step.output, Unset) else step.output,  # output
            )
        )
    started_at = journal[0].started_at if journal else (None if status is RunStatus.QUEUED else run.run_at)
    ended_at = run.updated_at if terminal else None
    category = opt(run.failure_category)
    detail = opt(run.failure_detail)
    return frame.run(
        agent_name=run.agent_kind,  # the seed: the agent kind, such as contact_deduper
        model=None,  # a model per journal entry, none for the run
        created_at=run.created_at,
        started_at=started_at,
        ended_at=ended_at,
        duration=seconds_between(started_at, ended_at or (run.updated_at if started_at else None)),
        cost_usd_micros=_micros(run.cost_usd_cents),
        input_tokens=tokens_in if seen_in else None,
        output_tokens=tokens_out if seen_out else None,
        cache_read_tokens=cache_read if seen_read else None,
        cache_write_tokens=cache_write if seen_write else None,
        failure=Failure(category=category, message=detail, exit_code=None) if category or detail else None,
        output=None if isinstance(run.output, Unset) else run.output,
        steps=steps,
    )
