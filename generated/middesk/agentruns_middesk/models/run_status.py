from enum import StrEnum
from typing import Any


class RunStatus(StrEnum):
    """Values the spec lists. The set is open: a value it does not list still parses (see `_missing_`)."""

    COMPLETED = "completed"
    ERROR = "error"
    INTERRUPTED = "interrupted"
    RUNNING = "running"

    @classmethod
    def _missing_(cls, value: Any) -> "RunStatus | None":
        # Providers add values before specs catch up; an unlisted string becomes a member that is
        # not one of the listed ones (`is_known` is False), keeps its exact value and round-trips.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether the value is one the spec lists."""
        return self._value_ in type(self)._value2member_map_

    def __str__(self) -> str:
        return str(self.value)
