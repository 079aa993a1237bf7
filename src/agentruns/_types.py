"""Small shared types: the per-call "not given" marker, the timeouts of a call, the accepted
timeout forms. No HTTP library is imported here: a caller's `httpx.Timeout` is read as it is."""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import msgspec

if TYPE_CHECKING:
    import httpx


class _NotGiven(enum.Enum):
    """Marks a per-call option the caller left out (None is a real value: "no timeout")."""

    NOT_GIVEN = enum.auto()

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = _NotGiven.NOT_GIVEN
NotGiven: TypeAlias = Literal[_NotGiven.NOT_GIVEN]


class Timeout(msgspec.Struct, frozen=True):
    """Seconds allowed to each phase of a request (None: no limit): connecting, each read, each
    write, and waiting for a connection of the pool."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None

    @classmethod
    def all(cls, seconds: float | None) -> Timeout:
        return cls(seconds, seconds, seconds, seconds)

    def as_dict(self) -> dict[str, float | None]:
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}

    def as_httpx(self) -> httpx.Timeout:
        import httpx

        return httpx.Timeout(**self.as_dict())


TimeoutTypes: TypeAlias = "float | Timeout | httpx.Timeout | None"


def is_httpx_timeout(value: Any) -> bool:
    """Whether `value` is an `httpx.Timeout` (without importing httpx: if it is not imported yet,
    nobody can have made one)."""
    httpx = sys.modules.get("httpx")
    return httpx is not None and isinstance(value, httpx.Timeout)
