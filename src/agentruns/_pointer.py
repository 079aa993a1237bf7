"""JSON pointers (RFC 6901) into a parsed body: how a declaration names a field it reads (a page's
cursor `/checkpoint/checkpoint_id`, a run's status `/status`), whether the body is still JSON
(the emulator's dicts and lists) or the generated models made from it. A model is read by the
provider's own field names (`json_field`, which every generated model has), never by its Python
attribute names, so `nextCursor` reads the same on both sides."""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=1024)  # declarations name few pointers, read once per run
def tokens(pointer: str) -> tuple[str, ...]:
    """The reference tokens of `pointer` ("" is the whole document); ValueError for a pointer
    that does not start with "/"."""
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON pointer (it starts with '/', or is '')")
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


def read(document: Any, pointer: str) -> Any:
    """The value at `pointer`, or None where any part of the way is absent, null or of a kind
    that has no such member (a pointer is read from a body that may leave any field out)."""
    value = document
    for token in tokens(pointer):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list | tuple):
            value = value[int(token)] if token.isdigit() and int(token) < len(value) else None
        elif hasattr(value, "json_field"):
            value = value.json_field(token)
        elif hasattr(value, "to_dict"):  # an UnknownMember: the object as it came
            value = value.to_dict().get(token)
        else:
            return None
    return value


def write(document: Any, pointer: str, value: Any) -> Any:
    """A copy of `document` (JSON: dicts and lists) with `value` at `pointer`: the objects on the
    way are copied (the rest is shared, so a page cut from a large drawn list costs only its
    path) and made where they are missing; the pointer "" gives `value` itself."""
    path = tokens(pointer)
    if not path:
        return value
    head, rest = path[0], "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in path[1:])
    if isinstance(document, list):
        copied: Any = list(document)
        copied[int(head)] = write(copied[int(head)], rest, value)
        return copied
    copied = dict(document) if isinstance(document, dict) else {}
    copied[head] = write(copied.get(head), rest, value) if rest else value
    return copied


__all__ = ["read", "tokens", "write"]
