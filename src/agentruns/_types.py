"""Small shared types: the per-call "not given" marker and the accepted timeout forms."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeAlias

import httpx


class _NotGiven(enum.Enum):
    """Marks a per-call option the caller left out (None is a real value: "no timeout")."""

    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven.NOT_GIVEN
NotGiven: TypeAlias = Literal[_NotGiven.NOT_GIVEN]
TimeoutTypes: TypeAlias = float | httpx.Timeout | None
