"""Checks on path parameters, before any request is built.

The generated request builders percent-encode each path parameter as one segment, so `/`, `?`,
`#` and `%` cannot change the path. Dot segments are the gap: httpx collapses `.` and `..` even
when they stand alone between slashes, so an id of `..` would fetch the parent resource."""

from __future__ import annotations

from uuid import UUID

from .errors import InvalidRequestError


def path_segment(value: object, *, provider: str, operation: str, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(
            f"expected a string, got {type(value).__name__}", provider=provider, operation=operation, field=field
        )
    if value in ("", ".", ".."):
        raise InvalidRequestError(
            f"{value!r} is not a usable id (empty and dot segments are refused)",
            provider=provider,
            operation=operation,
            field=field,
        )
    return value


def uuid_segment(value: object, *, provider: str, operation: str, field: str) -> UUID:
    if isinstance(value, UUID):
        return value
    text = path_segment(value, provider=provider, operation=operation, field=field)
    try:
        return UUID(text)
    except ValueError:
        raise InvalidRequestError(
            f"expected a UUID, got {text[:80]!r}", provider=provider, operation=operation, field=field
        ) from None
