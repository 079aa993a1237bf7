"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, BinaryIO, Generic, Literal, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# Bound once: models parse every date-time through these, and a module global is cheaper to reach
# than `datetime.datetime.fromisoformat` on each call.
_datetime_fromisoformat = datetime.datetime.fromisoformat
_date_fromisoformat = datetime.date.fromisoformat


def _datetime_rfc3339(value: str) -> datetime.datetime:
    """The RFC 3339 date-times fromisoformat refuses: lowercase `t`/`z`, and leap seconds
    (`:60`, read as the last microsecond of that minute, the closest a datetime can hold).
    Raises ValueError for anything else."""
    text = value.upper()
    if len(text) > 19 and text[10] == "T" and text[17:19] == "60":
        end = 19
        if text[19:20] in (".", ","):
            end = 20
            while end < len(text) and text[end].isdigit():
                end += 1
        text = text[:17] + "59.999999" + text[end:]
    return datetime.datetime.fromisoformat(text)


# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


__all__ = ["UNSET", "File", "FileTypes", "RequestFiles", "Response", "Unset"]
