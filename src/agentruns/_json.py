"""JSON off the fast path: a body msgspec's checked decode refuses, an error's body, a tool
call's arguments. orjson is imported on first use, so a cold start that decodes only on the
fast path never loads it (about 2 ms, with the json and dataclasses modules it imports)."""

from __future__ import annotations

from typing import Any


class NotJSON(ValueError):
    """Text that is not JSON at all; the message is orjson's, naming where it stopped."""


def loads(content: bytes | str) -> Any:
    """The JSON values `content` holds; raises NotJSON."""
    import orjson

    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise NotJSON(str(error)) from None


__all__ = ["NotJSON", "loads"]
