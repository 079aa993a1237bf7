"""What every provider's mapping shares: the lifecycle's terminal set and time arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar

from agentruns_model import RunStatus, Step, StepKind

from .._wire import read_as_models

T = TypeVar("T")

# The normalizers make Steps by position, in this order: msgspec matches keyword arguments to fields
# in time that grows with the square of their number (a Step's 16: 0.74 µs by keyword, 0.19 µs by
# position), and a mapping makes one Step per step of the run. The order is checked against the
# generated model here, so a schema that reorders them fails at import instead of mislabelling.
STEP_FIELDS = (
    "seq",
    "id",
    "kind",
    "name",
    "model",
    "tool_call_id",
    "raw_kind",
    "status",
    "error",
    "started_at",
    "ended_at",
    "input_tokens",
    "output_tokens",
    "cost_usd_micros",
    "input",
    "output",
)
if Step.__struct_fields__ != STEP_FIELDS:
    raise ImportError(f"agentruns_model.Step's fields are {Step.__struct_fields__}, the normalizers pass {STEP_FIELDS}")

# An enum member read through its class (`StepKind.OTHER`) is a descriptor call, 20-75 ns on
# Python 3.11 and 3.12: a mapping's per-step loop reads module-level names bound to the members.
OTHER, LLM, TOOL, TOOL_RESULT, THINKING, OUTPUT, ACTIVITY = (
    StepKind.OTHER,
    StepKind.LLM,
    StepKind.TOOL,
    StepKind.TOOL_RESULT,
    StepKind.THINKING,
    StepKind.OUTPUT,
    StepKind.ACTIVITY,
)

TERMINAL = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT})


class UnsetLike(Protocol):
    """Each generated package's `Unset` (a field the provider left out): falsy, and named so."""

    def __bool__(self) -> Literal[False]: ...


def is_unset(value: object) -> bool:
    return type(value).__name__ == "Unset"


def map_status(raw: Any, table: dict[str, RunStatus]) -> tuple[RunStatus, str | None]:
    """The normalized status and the raw value; an unlisted value maps to UNKNOWN and is kept."""
    if raw is None or is_unset(raw):
        return RunStatus.UNKNOWN, None
    text = str(raw)
    return table.get(text, RunStatus.UNKNOWN), text


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    try:
        return max(0.0, (end - start).total_seconds())
    except TypeError:  # one naive, one aware: no honest answer
        return None


def opt(value: T | UnsetLike | None) -> T | None:
    """None for a field the provider left out, else the value."""
    # is_unset inlined: a mapping calls this for every optional field of every step.
    return None if type(value).__name__ == "Unset" else value  # type: ignore[return-value]


def items(model: object, name: str, of: type[T]) -> Sequence[T]:
    """The items of `model`'s list field `name` (of `of` models), for a mapping to read their
    fields: () for a list left out or null. Where the list is still deferred (see DeferredLists in
    the generated types) and its items' decoded Structs read as their models do, those Structs:
    the same fields holding the same values, and no model is built, so a fetch that normalizes a
    run builds none of its steps (`run.native.steps` builds them on its first read, as ever).
    Read fields only: a Struct is not an instance of `of`."""
    decoded = read_as_models(model, name)
    if decoded is not None:
        return decoded
    value = getattr(model, name)
    return value if isinstance(value, list) else ()
