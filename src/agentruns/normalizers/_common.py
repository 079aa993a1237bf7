"""What every provider's mapping shares: the lifecycle's terminal set and time arithmetic."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from agentruns_backside.types import Unset as _BacksideUnset
from agentruns_casedev.types import Unset as _CasedevUnset
from agentruns_middesk.types import Unset as _MiddeskUnset
from agentruns_model import RunStatus
from agentruns_nsrocks.types import Unset as _NsrocksUnset

T = TypeVar("T")
# Each generated package has its own Unset class: a field the provider left out.
AnyUnset = _BacksideUnset | _MiddeskUnset | _CasedevUnset | _NsrocksUnset
_UNSET_TYPES = (_BacksideUnset, _MiddeskUnset, _CasedevUnset, _NsrocksUnset)

TERMINAL = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT})


def map_status(raw: Any, table: dict[str, RunStatus]) -> tuple[RunStatus, str | None]:
    """The normalized status and the raw value; an unlisted value maps to UNKNOWN and is kept."""
    if raw is None or type(raw).__name__ == "Unset":
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


def opt(value: T | AnyUnset) -> T | None:
    """None for a field the provider left out, else the value."""
    return None if isinstance(value, _UNSET_TYPES) else value
