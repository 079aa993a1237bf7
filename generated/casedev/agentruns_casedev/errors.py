"""Errors raised by this client: undocumented statuses and response bodies that break the schema."""

from typing import Any


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


class DecodeError(ValueError):
    """A decoded response body does not match the schema.

    `path` locates the offending value from the root of the body, as keys and list indexes
    (``("steps", 3, "started_at")``); `path_str` renders it as ``steps[3].started_at``.
    It subclasses ValueError, which is what the stock generated parsers raise for bad values.
    """

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def at(self, key: str | int) -> "DecodeError":
        """Prefix the path with the key or index of the enclosing value (parsers unwind inside-out)."""
        self.path = (key, *self.path)
        return self

    @property
    def path_str(self) -> str:
        rendered = ""
        for key in self.path:
            rendered += f"[{key}]" if isinstance(key, int) else (f".{key}" if rendered else key)
        return rendered

    def __str__(self) -> str:
        return f"{self.path_str}: {self.message}" if self.path else self.message

    @classmethod
    def wrong_type(cls, value: Any, expected: str) -> "DecodeError":
        found = _JSON_TYPE_NAMES.get(type(value), type(value).__name__)
        return cls(f"expected {expected}, got {found} {value!r:.80}")

    @classmethod
    def invalid(cls, error: Exception) -> "DecodeError":
        return cls(f"invalid value: {error}")


__all__ = ["DecodeError", "UnexpectedStatus"]
