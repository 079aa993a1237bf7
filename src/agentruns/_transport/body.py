"""Reading a response body within a byte limit, on every road alike.

Every road hands over the body as it came off the wire (still compressed) and decompression
happens here, a bounded slice at a time: a decoder asked to inflate a whole network chunk at
once turns 64 KB of gzip bomb into 64 MB before anyone can count it. Here the output never
grows past the limit plus one slice, so memory stays near `max_response_bytes` whatever the
ratio."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zlib

# What every road asks for: the encodings decoded below, and nothing it could not bound.
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = ("", "identity")
# Output bytes inflated per step: small enough that one step never matters to memory.
_INFLATE_SLICE = 256 * 1024


class BodyTooLarge(Exception):
    """The body passed the limit; the caller turns this into ResponseTooLargeError."""


class BodyUndecodable(Exception):
    """The body is in an encoding we did not ask for, or its compressed bytes are broken. Only
    the body is lost: the status still decides the error (see _judge.Judge.verdict)."""


class BodyReader:
    """Collects raw chunks into the decoded body, raising BodyTooLarge past `limit` bytes and
    BodyUndecodable for a body that cannot be decoded."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        encoding = (content_encoding or "").strip().lower()
        self._encoding = encoding
        self._inflate: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            import zlib  # for a compressed body only: most bodies come plain, and a cold start skips it

            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16) if encoding != "deflate" else zlib.decompressobj()
        elif encoding not in _IDENTITY:
            raise BodyUndecodable(f"unsupported content-encoding {content_encoding!r} (asked for {ACCEPT_ENCODING})")

    def _keep(self, data: bytes) -> None:
        if data:
            self._size += len(data)
            if self._size > self._limit:
                raise BodyTooLarge
            self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            return self._keep(chunk)
        import zlib

        data = chunk
        while data:
            try:
                out = self._inflate.decompress(data, min(_INFLATE_SLICE, self._limit + 1 - self._size))
            except zlib.error as error:
                if self._encoding == "deflate" and not self._parts and self._size == 0:
                    # "deflate" is sent both zlib-wrapped (per the RFC) and raw (by some servers).
                    self._inflate, self._encoding = zlib.decompressobj(-zlib.MAX_WBITS), "raw deflate"
                    continue
                raise BodyUndecodable(f"{self._encoding} body could not be decoded: {error}") from None
            self._keep(out)
            data = self._inflate.unconsumed_tail

    def body(self) -> bytes:
        if self._inflate is not None:
            import zlib

            # Input is consumed only as output room allows, so what is left in the decoder once
            # all input is in is at most a window's worth.
            try:
                self._keep(self._inflate.flush())
            except zlib.error as error:
                raise BodyUndecodable(f"{self._encoding} body could not be decoded: {error}") from None
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)


def body_reader(headers: list[tuple[bytes, bytes]], limit: int) -> BodyReader:
    """The reader of a body whose response has `headers`, within `limit` decoded bytes."""
    encoding = None
    for name, value in headers:
        if name.lower() == b"content-encoding":
            encoding = value.decode("latin-1")
            break
    return BodyReader(encoding, limit)
