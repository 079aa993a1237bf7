"""A run as OpenTelemetry spans (the SDK's ReadableSpan), with the run's own times.

The rules, each forced by what real receivers do (see the docs' page on traces):

- One trace per run, its ids derived from the ref (and each step's from its id, or its seq), so
  a second export of a run writes the same spans: idempotent where a receiver keeps the first
  write of a span id, and never a duplicate trace.
- Tokens and cost sit on the span where they were spent, never twice in a trace (receivers add
  usage up over a trace): on the steps when any step reports some, else on the root.
- A step without times gets times inferred from its run (flagged `agentruns.step.timing`), a step
  with a start and no end ends where the next begins: never a zero-length span.
- A run that says no time at all (some protocols keep none) is placed at the moment it is
  exported, flagged `agentruns.run.timing = "exported"`: a trace needs times, and the moment it
  was looked at is the one time known of it.
- Content (tool arguments and results, a step's input and output) only when asked, capped."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from agentruns_model import AgentRun, RunStatus, Step, StepKind
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.util.instrumentation import InstrumentationScope
from opentelemetry.trace import SpanContext, SpanKind, Status, StatusCode, TraceFlags

from . import _names as n

DEFAULT_CONTENT_LIMIT = 8 * 1024  # bytes of one content attribute, when content is included
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_FAILED = (RunStatus.FAILED, RunStatus.TIMED_OUT)
_CHAT_KINDS = (StepKind.LLM, StepKind.THINKING)


class NoTimeError(ValueError):
    """A run with no time at all (no creation, start or end, no timed step) and no `timeless_at`
    to place it at cannot be a trace."""


def trace_id_of(ref: str) -> int:
    return _id(f"agentruns trace {ref}", 16)


def span_id_of(ref: str, part: str) -> int:
    return _id(f"agentruns span {ref} {part}", 8)


def _id(text: str, size: int) -> int:
    value = int.from_bytes(hashlib.sha256(text.encode()).digest()[:size], "big")
    return value or 1  # an all-zero id is invalid


def _ns(moment: datetime) -> int:
    """Nanoseconds since the epoch, in integers (a float would round them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # a provider's naive time is read as UTC
    return ((moment - _EPOCH) // _MICROSECOND) * 1000


def _content(value: Any, limit: int) -> tuple[str, bool]:
    text = value if isinstance(value, str) else orjson.dumps(value, default=str).decode()
    encoded = text.encode()
    if len(encoded) <= limit:
        return text, False
    return encoded[:limit].decode("utf-8", "ignore"), True


class _Window:
    """The run's interval in ns, and where each step falls in it."""

    def __init__(self, run: AgentRun, timeless_at: datetime | None) -> None:
        starts = [s.started_at for s in run.steps if s.started_at]
        ends = [s.ended_at for s in run.steps if s.ended_at]
        # Only an end: the run is placed where it ended.
        start = run.started_at or run.created_at or (min(starts) if starts else None) or run.ended_at
        self.placed = start is None
        if start is None:
            if timeless_at is None:
                raise NoTimeError(f"{run.ref} has no time to place it at")
            start = timeless_at
        end = run.ended_at
        if end is None and run.duration:
            end = start + timedelta(seconds=run.duration)
        if end is None and (ends or starts):
            end = max([*ends, *starts])
        self.start = _ns(start)
        self.end = max(_ns(end), self.start + 1_000_000) if end is not None else self.start + 1_000_000_000
        self.inferred_end = run.ended_at is None

    def step_times(self, steps: Sequence[Step]) -> list[tuple[int, int, str]]:
        """(start, end, how) per step: as reported, with an inferred end, or inferred whole."""
        slot = (self.end - self.start) // max(len(steps), 1)
        times = []
        for index, step in enumerate(steps):
            if step.started_at is not None:
                start = _ns(step.started_at)
                if step.ended_at is not None:
                    times.append((start, max(_ns(step.ended_at), start + 1000), "reported"))
                    continue
                following = next((_ns(s.started_at) for s in steps[index + 1 :] if s.started_at), self.end)
                times.append((start, max(following, start + 1000), "end_inferred"))
            else:
                start = self.start + index * slot
                times.append((start, start + max(slot, 1000), "inferred"))
        return times


def resource_for() -> Resource:
    from .._version_info import version

    return Resource.create({"service.name": "agentruns", "service.version": version()})


def to_spans(
    run: AgentRun,
    *,
    include_content: bool = False,
    content_limit: int = DEFAULT_CONTENT_LIMIT,
    openinference: bool = False,
    resource: Resource | None = None,
    timeless_at: datetime | None = None,
) -> list[ReadableSpan]:
    """The run as spans, the root first: `invoke_agent {agent}` (kind CLIENT: a run on a remote
    agent service) and one child per step, `chat {model}` for a model call, `execute_tool
    {tool}` for a tool call, `tool_result {tool}` for what a tool gave back, a span named after
    the step for the rest. `include_content` adds
    tool arguments and results and steps' input and output (each at most `content_limit`
    bytes; the GenAI conventions make content opt-in, as it may be sensitive);
    `openinference` adds OpenInference's names beside the GenAI ones. A run with no time at all
    is placed at `timeless_at` (flagged `agentruns.run.timing = "exported"`; `export` passes the
    moment it began), or raises NoTimeError where that is None. Runs that are not terminal are
    spans too here: `export` skips them unless told otherwise."""
    from .._version_info import version

    resource = resource or resource_for()
    scope = InstrumentationScope("agentruns", version(), schema_url=n.SCHEMA_URL)
    window = _Window(run, timeless_at)
    trace_id = trace_id_of(run.ref)
    root = SpanContext(
        trace_id, span_id_of(run.ref, "run"), is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    spent_on_steps = any(s.input_tokens is not None or s.output_tokens is not None for s in run.steps)
    cost_on_steps = any(s.cost_usd_micros is not None for s in run.steps)

    attributes: dict[str, Any] = {
        n.OPERATION_NAME: n.INVOKE_AGENT,
        n.PROVIDER_NAME: run.provider,
        n.REF: run.ref,
        n.RUN_ID: run.id,
        n.RUN_STATUS: str(run.status),
    }
    _put(attributes, n.RUN_RAW_STATUS, run.raw_status)
    _put(attributes, n.AGENT_ID, run.agent_id)
    _put(attributes, n.AGENT_NAME, run.agent_name)
    _put(attributes, n.CONVERSATION_ID, run.conversation_id)
    _put(attributes, n.REQUEST_MODEL, run.model)
    _put(attributes, n.REQUEST_ID, run.request_id)
    if window.placed:
        attributes[n.RUN_TIMING] = "exported"
    if not spent_on_steps:
        _usage(attributes, run.input_tokens, run.output_tokens, run.cache_read_tokens, run.cache_write_tokens)
    if not cost_on_steps and run.cost_usd_micros is not None:
        attributes[n.COST_USD] = run.cost_usd_micros / 1e6
    status = Status(StatusCode.UNSET)
    if run.status in _FAILED:
        error_type = (run.failure.category if run.failure else None) or str(run.status)
        attributes[n.ERROR_TYPE] = error_type
        status = Status(StatusCode.ERROR, (run.failure.message if run.failure else None) or error_type)
    if openinference:
        _openinference_root(attributes, run, spent_on_steps, cost_on_steps)
    agent = run.agent_name or run.agent_id
    spans = [
        ReadableSpan(
            name=_encodable(f"{n.INVOKE_AGENT} {agent}" if agent else n.INVOKE_AGENT),
            context=root,
            parent=None,
            resource=resource,
            attributes=_encodable_attributes(attributes),
            kind=SpanKind.CLIENT,
            status=_encodable_status(status),
            start_time=window.start,
            end_time=window.end,
            instrumentation_scope=scope,
        )
    ]
    for step, (start, end, timing) in zip(run.steps, window.step_times(run.steps), strict=True):
        spans.append(
            _step_span(
                run, step, start, end, timing, root, resource, scope, include_content, content_limit, openinference
            )
        )
    return spans


def _step_span(
    run: AgentRun,
    step: Step,
    start: int,
    end: int,
    timing: str,
    root: SpanContext,
    resource: Resource,
    scope: InstrumentationScope,
    include_content: bool,
    content_limit: int,
    openinference: bool,
) -> ReadableSpan:
    # Its position and, where it has one, its id: a provider that gives two steps one id (or none)
    # still gets a span each.
    part = f"step {step.seq} {step.id or ''}"
    context = SpanContext(root.trace_id, span_id_of(run.ref, part), is_remote=False, trace_flags=root.trace_flags)
    attributes: dict[str, Any] = {n.STEP_SEQ: step.seq, n.STEP_KIND: str(step.kind), n.STEP_TIMING: timing}
    _put(attributes, n.STEP_RAW_KIND, step.raw_kind)
    _put(attributes, n.STEP_STATUS, step.status)
    model = step.model or run.model
    if step.kind in _CHAT_KINDS:
        name = f"{n.CHAT} {model}" if model else n.CHAT
        attributes[n.OPERATION_NAME] = n.CHAT
        attributes[n.PROVIDER_NAME] = run.provider
        _put(attributes, n.REQUEST_MODEL, model)
    elif step.kind is StepKind.TOOL:
        name = f"{n.EXECUTE_TOOL} {step.name}"
        attributes[n.OPERATION_NAME] = n.EXECUTE_TOOL
        attributes[n.TOOL_NAME] = step.name
        _put(attributes, n.TOOL_CALL_ID, step.tool_call_id)
    elif step.kind is StepKind.TOOL_RESULT:
        name = f"tool_result {step.name}"  # beside its execute_tool span, what came back
    else:
        name = step.name
    _usage(attributes, step.input_tokens, step.output_tokens, None, None)
    if step.cost_usd_micros is not None:
        attributes[n.COST_USD] = step.cost_usd_micros / 1e6
    if include_content:
        truncated = False
        for key, value in _content_keys(step).items():
            if value is not None:
                attributes[key], cut = _content(value, content_limit)
                truncated = truncated or cut
        if truncated:
            attributes[n.CONTENT_TRUNCATED] = True
    status = Status(StatusCode.UNSET)
    if step.error or (step.status or "").lower() in ("failed", "error"):
        attributes[n.ERROR_TYPE] = (step.error or step.status or "error").split(":", 1)[0]
        status = Status(StatusCode.ERROR, step.error or step.status)
    if openinference:
        _openinference_step(attributes, step, model, include_content, content_limit)
    return ReadableSpan(
        name=_encodable(name),
        context=context,
        parent=root,
        resource=resource,
        attributes=_encodable_attributes(attributes),
        kind=SpanKind.INTERNAL,
        status=_encodable_status(status),
        start_time=start,
        end_time=end,
        instrumentation_scope=scope,
    )


def _content_keys(step: Step) -> Mapping[str, Any]:
    if step.kind is StepKind.TOOL:
        return {n.TOOL_CALL_ARGUMENTS: step.input, n.TOOL_CALL_RESULT: step.output}
    return {n.STEP_INPUT: step.input, n.STEP_OUTPUT: step.output}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """`text` as UTF-8 can carry it: a lone surrogate (a body's `"\\ud800"` read as JSON gives
    one) becomes U+FFFD, where it would fail the encoding of its whole export request."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _encodable_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    for key, value in attributes.items():
        if isinstance(value, str):
            attributes[key] = _encodable(value)
        elif isinstance(value, tuple | list):
            attributes[key] = [_encodable(item) if isinstance(item, str) else item for item in value]
    return attributes


def _encodable_status(status: Status) -> Status:
    description = status.description
    return status if description is None else Status(status.status_code, _encodable(description))


def _put(attributes: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        attributes[key] = value


def _usage(
    attributes: dict[str, Any], tokens_in: int | None, tokens_out: int | None, read: int | None, write: int | None
) -> None:
    _put(attributes, n.USAGE_INPUT_TOKENS, tokens_in)
    _put(attributes, n.USAGE_OUTPUT_TOKENS, tokens_out)
    _put(attributes, n.USAGE_CACHE_READ_INPUT_TOKENS, read)
    _put(attributes, n.USAGE_CACHE_CREATION_INPUT_TOKENS, write)


def _openinference_root(attributes: dict[str, Any], run: AgentRun, spent_on_steps: bool, cost_on_steps: bool) -> None:
    from openinference.semconv.trace import OpenInferenceSpanKindValues, SpanAttributes

    attributes[SpanAttributes.OPENINFERENCE_SPAN_KIND] = OpenInferenceSpanKindValues.AGENT.value
    _put(attributes, SpanAttributes.AGENT_NAME, run.agent_name or run.agent_id)
    _put(attributes, SpanAttributes.SESSION_ID, run.conversation_id)
    if not spent_on_steps:
        _openinference_tokens(attributes, run.input_tokens, run.output_tokens)
    if not cost_on_steps and run.cost_usd_micros is not None:
        attributes[SpanAttributes.LLM_COST_TOTAL] = run.cost_usd_micros / 1e6


def _openinference_step(
    attributes: dict[str, Any], step: Step, model: str | None, include_content: bool, content_limit: int
) -> None:
    from openinference.semconv.trace import OpenInferenceSpanKindValues, SpanAttributes

    kinds = OpenInferenceSpanKindValues
    kind = kinds.LLM if step.kind in _CHAT_KINDS else kinds.TOOL if step.kind is StepKind.TOOL else kinds.CHAIN
    attributes[SpanAttributes.OPENINFERENCE_SPAN_KIND] = kind.value
    if kind is kinds.LLM:
        _put(attributes, SpanAttributes.LLM_MODEL_NAME, model)
    if kind is kinds.TOOL:
        attributes[SpanAttributes.TOOL_NAME] = step.name
    _openinference_tokens(attributes, step.input_tokens, step.output_tokens)
    if step.cost_usd_micros is not None:
        attributes[SpanAttributes.LLM_COST_TOTAL] = step.cost_usd_micros / 1e6
    if include_content:
        for key, value in ((SpanAttributes.INPUT_VALUE, step.input), (SpanAttributes.OUTPUT_VALUE, step.output)):
            if value is not None:
                attributes[key] = _content(value, content_limit)[0]


def _openinference_tokens(attributes: dict[str, Any], tokens_in: int | None, tokens_out: int | None) -> None:
    from openinference.semconv.trace import SpanAttributes

    _put(attributes, SpanAttributes.LLM_TOKEN_COUNT_PROMPT, tokens_in)
    _put(attributes, SpanAttributes.LLM_TOKEN_COUNT_COMPLETION, tokens_out)
    if tokens_in is not None or tokens_out is not None:
        attributes[SpanAttributes.LLM_TOKEN_COUNT_TOTAL] = (tokens_in or 0) + (tokens_out or 0)
