"""OpenAI OpenaiRun → AgentRun. The response's output items are the steps, in order: messages
(output), reasoning (thinking), and tool calls, each with its result: inline for the tools OpenAI
runs itself (a web search, a file search, code), or the output item that answers its `call_id`
(a function's, a shell command's), which then makes no step of its own. Tokens are the
response's usage, cached and reasoning tokens included; OpenAI reports no money and no times
per item. `incomplete` (a response cut short by its token limit or a content filter) is a failure
whose category is the reason."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any, NamedTuple

from agentruns_model import AgentRun, Failure, RunStatus, Step
from agentruns_openai.models import Response
from agentruns_openai.types import UNSET, UnknownMember

from .._json import NotJSON, loads
from ..providers.openai import OpenaiRun
from . import normalizes
from ._common import OTHER, OUTPUT, THINKING, TOOL, TOOL_RESULT, opt, seconds_between
from ._frame import Frame


class ToolCall(NamedTuple):
    """How an output item that calls a tool reads: the tool's name (a field of the item, or the
    name of a tool OpenAI runs itself), the field holding its input and the one holding its result."""

    name_field: str | None
    tool: str | None
    input: str | None
    result: str | None


TOOL_CALLS: dict[str, ToolCall] = {
    "function_call": ToolCall("name", None, "arguments", None),
    "custom_tool_call": ToolCall("name", None, "input", None),
    "mcp_call": ToolCall("name", None, "arguments", "output"),
    "mcp_approval_request": ToolCall("name", None, "arguments", None),
    "web_search_call": ToolCall(None, "web_search", "action", None),
    "file_search_call": ToolCall(None, "file_search", "queries", "results"),
    "code_interpreter_call": ToolCall(None, "code_interpreter", "code", "outputs"),
    "image_generation_call": ToolCall(None, "image_generation", None, "result"),
    "computer_call": ToolCall(None, "computer", "action", None),
    "local_shell_call": ToolCall(None, "local_shell", "action", None),
    "shell_call": ToolCall(None, "shell", "action", None),
    "apply_patch_call": ToolCall(None, "apply_patch", "operation", None),
    "tool_search_call": ToolCall(None, "tool_search", "arguments", None),
    "program": ToolCall(None, "program", "code", None),
    "mcp_list_tools": ToolCall(None, "mcp_list_tools", None, "tools"),
}
# Output items that answer a call: the field holding the result (paired with the call by call_id).
TOOL_RESULTS: dict[str, str] = {
    "function_call_output": "output",
    "custom_tool_call_output": "output",
    "computer_call_output": "output",
    "local_shell_call_output": "output",
    "shell_call_output": "output",
    "apply_patch_call_output": "output",
    "tool_search_output": "tools",
    "program_output": "result",
    "mcp_approval_response": "approve",
}


def _moment(seconds: float | None) -> datetime | None:
    """Epoch seconds as a time; a schema-valid but absurd number (past year 9999, or past the
    platform's time_t) is no time, as the other mappings read theirs."""
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _json(value: Any) -> Any:
    """Arguments as OpenAI sends them (a JSON string) read as JSON; any other value as it is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return loads(value)
        except NotJSON:
            return value
    return value


def _text(item: _Fields, field: str) -> str | None:
    """The text of a message's content parts (or of a reasoning item's summary parts), read off
    each part's fields (writing the parts out first took a third of the mapping's time)."""
    parts = item.get_raw(field)
    if type(parts) is not list:
        return None
    texts = []
    for part in parts:
        if isinstance(part, dict):
            text = part.get("text") or part.get("refusal")
        elif isinstance(part, UnknownMember):
            text = part.data.get("text") or part.data.get("refusal")
        elif hasattr(part, "json_field"):  # a generated model
            text = _field(part, "text") or _field(part, "refusal")
        else:
            continue
        if isinstance(text, str):
            texts.append(text)
    return "\n\n".join(texts) if texts else None


def _error(item: _Fields) -> str | None:
    if item.status in ("failed", "incomplete"):
        return f"{item.kind} {item.status}"
    error = item.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error.get("type") or error)
    return str(error) if error else None


def _held(model: Any, names: dict[str, str], key: str) -> Any:
    """A model's field by its JSON name (`names`: its attributes), as the model holds it (nested
    models as they are), None where absent; a key it does not declare, from its unknown keys."""
    attribute = names.get(key)
    if attribute is None:
        return model.json_field(key)  # a key the spec does not declare
    value = getattr(model, attribute)
    return None if value is UNSET else value


def _field(model: Any, key: str) -> Any:
    """A model's field by its JSON name as JSON holds it, None where absent."""
    return _plain(_held(model, _shape(type(model)).names, key))


class _Shape(NamedTuple):
    """How the items of one model class read, worked out once per class from its public
    `json_attributes()`: each JSON key's attribute, and the attributes of what every step reads (None where the class has no such field)."""

    names: dict[str, str]
    common: Callable[[Any], tuple[Any, ...]]  # (type, id, call_id, status) as the model holds them


def _common_reader(attributes: dict[str, str | None]) -> Callable[[Any], tuple[Any, ...]]:
    """One call that reads the fields every step reads; a field the class does not declare is
    looked for among the item's unknown keys, as `_Fields.get` does."""
    if all(attributes.values()):
        return operator.attrgetter(*attributes.values())  # type: ignore[arg-type]
    kind, id_, call_id, status = (
        operator.attrgetter(attribute) if attribute else _extra_reader(key) for key, attribute in attributes.items()
    )
    return lambda model: (kind(model), id_(model), call_id(model), status(model))


def _extra_reader(key: str) -> Callable[[Any], Any]:
    return lambda model: model.json_field(key)


_SHAPES: dict[type, _Shape] = {}


def _shape(model: type) -> _Shape:
    shape = _SHAPES.get(model)
    if shape is None:
        attributes = getattr(model, "json_attributes", None)  # every generated model's
        names = dict(attributes()) if attributes is not None else {}
        common = _common_reader({key: names.get(key) for key in ("type", "id", "call_id", "status")})
        shape = _SHAPES[model] = _Shape(names, common)
    return shape


class _Fields:
    """An output item's fields by their JSON names, read off the model's attributes as JSON values
    when asked for: writing whole items out (to_dict) was most of the mapping's time."""

    __slots__ = ("call_id", "id", "item", "kind", "names", "status")

    def __init__(self, item: Any) -> None:
        self.item = item
        shape = _SHAPES.get(type(item)) or _shape(type(item))
        self.names = shape.names
        # What every step reads, read once, in one call.
        kind, id_, call_id, status = shape.common(item)
        self.kind = kind if type(kind) is str else str(_scalar(kind))
        call_id = call_id if type(call_id) is str else _scalar(call_id)
        self.call_id = str(call_id) if call_id else None
        self.status = status if type(status) is str else _scalar(status)
        self.id = id_ if type(id_) is str else _scalar(id_)

    def get_raw(self, key: str) -> Any:
        """The field as the model holds it, None where absent."""
        return _held(self.item, self.names, key)

    def get(self, key: str) -> Any:
        """The field as JSON holds it, None where absent: `_held` written out, as the mapping's
        most frequent call (through `_held` it took 4-6 % more)."""
        attribute = self.names.get(key)
        if attribute is None:
            return self.item.json_field(key)  # a key the spec does not declare
        value = getattr(self.item, attribute)
        return None if value is UNSET else _plain(value)

    def whole(self) -> dict[str, Any]:
        written: dict[str, Any] = self.item.to_dict()
        return written


class _UnknownFields(_Fields):
    """An item of a kind the spec does not list yet: its fields are the JSON object it came as."""

    __slots__ = ()

    def __init__(self, item: UnknownMember) -> None:
        self.item = item
        self.names = {}
        data = item.data
        self.kind = str(data.get("type"))
        call_id = data.get("call_id")
        self.call_id = str(call_id) if call_id else None
        self.status = data.get("status")
        self.id = data.get("id")

    def get(self, key: str) -> Any:
        return self.item.data.get(key)

    get_raw = get


def _fields(item: Any) -> _Fields:
    return _UnknownFields(item) if isinstance(item, UnknownMember) else _Fields(item)


def _scalar(value: Any) -> Any:
    """A common field's value as JSON holds it, None where absent (an enum, most often: first)."""
    if isinstance(value, Enum):
        return value._value_
    return None if value is UNSET else _plain(value)


def _plain(value: Any) -> Any:
    """A model's value as JSON holds it: an enum's value, a nested model written out."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, Enum):
        return value._value_  # what `.value` returns, without its descriptor (a third of this call)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if to_dict is not None else value


def steps_of(response: Response, model: str | None) -> list[Step]:
    items = [_fields(item) for item in response.output]
    results: dict[str, _Fields] = {}
    called: set[str] = set()
    for item in items:
        if item.call_id is not None:
            if item.kind in TOOL_RESULTS:
                results.setdefault(item.call_id, item)
            elif item.kind in TOOL_CALLS:
                called.add(item.call_id)
    steps: list[Step] = []
    for item in items:
        kind_name, call_id = item.kind, item.call_id
        if kind_name in TOOL_RESULTS and call_id in called:
            continue  # its call's step carries it
        kind, name, error = OTHER, kind_name, _error(item)
        tool_input: Any = None
        output: Any = None
        if kind_name == "message":
            kind, name, output = OUTPUT, "message", _text(item, "content")
        elif kind_name == "reasoning":
            kind, name, output = THINKING, "reasoning", _text(item, "summary")
        elif (shape := TOOL_CALLS.get(kind_name)) is not None:
            kind = TOOL
            name = str(item.get(shape.name_field) or kind_name) if shape.name_field else str(shape.tool)
            tool_input = _json(item.get(shape.input)) if shape.input else None
            answer = results.get(call_id) if call_id else None
            if answer is not None:
                output = _json(answer.get(TOOL_RESULTS[answer.kind]))
                error = error or _error(answer)
            elif shape.result:
                output = item.get(shape.result)
        elif kind_name in TOOL_RESULTS:
            kind, output = TOOL_RESULT, _json(item.get(TOOL_RESULTS[kind_name]))
        else:  # compaction, additional tools, a kind the spec does not list yet: kept whole
            output = item.whole()
        steps.append(
            Step(  # by position: see _common.STEP_FIELDS
                len(steps),  # seq
                item.id,  # id
                kind,  # kind
                name,  # name
                model if kind is OUTPUT or kind is THINKING else None,  # model
                call_id,  # tool_call_id
                kind_name,  # raw_kind
                str(item.status) if item.status is not None else None,  # status
                error,  # error
                None,  # started_at
                None,  # ended_at
                None,  # input_tokens
                None,  # output_tokens
                None,  # cost_usd_micros
                tool_input,  # input
                output,  # output
            )
        )
    return steps


@normalizes(OpenaiRun, Response)
def normalize_run(complete: OpenaiRun | Response, frame: Frame) -> AgentRun:
    if isinstance(complete, Response):  # the response alone, as getResponse returns it
        complete = OpenaiRun(complete, [])
    response = complete.response
    status = frame.status
    model = str(response.model) if response.model is not None else None
    steps = steps_of(response, model)
    usage = opt(response.usage)
    input_details = opt(usage.input_tokens_details) if usage is not None else None
    created_at, ended_at = _moment(response.created_at), _moment(opt(response.completed_at))
    failure = None
    if frame.raw_status == "incomplete":
        details = response.incomplete_details
        reason = str(opt(details.reason)) if details is not None and opt(details.reason) is not None else "incomplete"
        failure = Failure(category=reason, message="the response stopped before it was complete", exit_code=None)
    elif status is RunStatus.FAILED:
        error = response.error
        failure = Failure(
            category=str(error.code) if error is not None else "failed",
            message=error.message if error is not None else None,
            exit_code=None,
        )
    conversation = opt(response.conversation)
    output_text = opt(response.output_text)
    if output_text is None:  # as the official SDK reads it: the output_text parts (a refusal is none)
        texts = [
            part["text"]
            for item in response.output
            if getattr(item, "type_", None) == "message"
            for part in item.to_dict()["content"]
            if part.get("type") == "output_text" and isinstance(part.get("text"), str)
        ]
        output_text = "\n\n".join(texts) if texts else None
    return frame.run(
        agent_id=None,  # a response is one model call of an agent the caller runs, unnamed here
        conversation_id=conversation.id if conversation is not None else None,
        model=model,
        created_at=created_at,
        ended_at=ended_at,
        duration=seconds_between(created_at, ended_at),
        input_tokens=usage.input_tokens if usage is not None else None,
        output_tokens=usage.output_tokens if usage is not None else None,
        cache_read_tokens=input_details.cached_tokens if input_details is not None else None,
        cache_write_tokens=input_details.cache_write_tokens if input_details is not None else None,
        reasoning_tokens=usage.output_tokens_details.reasoning_tokens if usage is not None else None,
        failure=failure,
        output=output_text,
        steps=steps,
    )
