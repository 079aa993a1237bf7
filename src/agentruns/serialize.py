"""AgentRun ↔ JSON and builtins, with the schema's field names (specs/agentrun.schema.json)."""

from __future__ import annotations

from typing import Any

import msgspec
from agentruns_model import AgentRun

_ENCODER = msgspec.json.Encoder()


def _with_native_as_dict(run: AgentRun, native: bool) -> AgentRun:
    body = run.native.to_dict() if native and hasattr(run.native, "to_dict") else run.native if native else None
    return msgspec.structs.replace(run, native=body)


def to_json(run: AgentRun, *, native: bool = True) -> bytes:
    """The run as one JSON object with the schema's field names (specs/agentrun.schema.json).
    `native` is the provider's own body (its model's to_dict(), with the provider's field names),
    or null with `native=False`. `from_json` reads it back."""
    return _ENCODER.encode(_with_native_as_dict(run, native))


def to_dict(run: AgentRun, *, native: bool = True) -> dict[str, Any]:
    """The run as JSON-ready builtins (date-times as RFC 3339 strings, enums as their values):
    what `to_json` writes, before encoding. `from_dict` reads it back."""
    data: dict[str, Any] = msgspec.to_builtins(_with_native_as_dict(run, native))
    return data


def from_dict(data: Any) -> AgentRun:
    """An AgentRun from what `to_dict` gave (or `json.loads` of `to_json`), checked against the
    schema. `native` comes back as the provider's JSON object: parse it with the provider's
    model if you need one. Raises InvalidRequestError naming the field at fault."""
    try:
        return msgspec.convert(data, AgentRun)
    except msgspec.ValidationError as error:
        raise _invalid_run(error, "from_dict") from None


def from_json(content: bytes | str) -> AgentRun:
    """An AgentRun from what `to_json` wrote (see `from_dict`)."""
    try:
        return msgspec.json.decode(content, type=AgentRun)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise _invalid_run(error, "from_json") from None


def _invalid_run(error: Exception, operation: str) -> Exception:
    from .errors import InvalidRequestError

    message, _, where = str(error).partition(" - at `")
    field = where.rstrip("`").removeprefix("$").lstrip(".") or "run"
    return InvalidRequestError(message, provider="agentruns", operation=operation, field=field)


__all__ = ["from_dict", "from_json", "to_dict", "to_json"]
