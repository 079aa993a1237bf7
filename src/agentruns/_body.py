"""Reading a response body within a byte limit, on every road alike.

Every road hands over the body as it came off the wire (still compressed) and decompression
happens here, a bounded slice at a time: a decoder asked to inflate a whole network chunk at
once turns 64 KB of gzip bomb into 64 MB before anyone can count it. Here the output never
grows past the limit plus one slice, so memory stays near `max_response_bytes` whatever the
ratio."""

from __future__ import annotations

import zlib

import httpx

# What every road asks for: the encodings decoded below, and nothing it could not bound.
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = ("", "identity")
# Output bytes inflated per step: small enough that one step never matters to memory.
_INFLATE_SLICE = 256 * 1024


class BodyTooLarge(Exception):
    """The body passed the limit; the caller turns this into ResponseTooLargeError."""


class BodyReader:
    """Collects raw chunks into the decoded body, raising BodyTooLarge past `limit` bytes and
    httpx.DecodingError for a body that cannot be decoded (a transport fault, like a cut-off
    body: it may be retried)."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        encoding = (content_encoding or "").strip().lower()
        self._encoding = encoding
        self._inflate: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj()
        elif encoding not in _IDENTITY:
            raise httpx.DecodingError(
                f"unsupported content-encoding {content_encoding!r} (asked for {ACCEPT_ENCODING})"
            )

    def _keep(self, data: bytes) -> None:
        if data:
            self._size += len(data)
            if self._size > self._limit:
                raise BodyTooLarge
            self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._inflate is None:
            return self._keep(chunk)
        data = chunk
        while data:
            try:
                out = self._inflate.decompress(data, min(_INFLATE_SLICE, self._limit + 1 - self._size))
            except zlib.error as error:
                if self._encoding == "deflate" and not self._parts and self._size == 0:
                    # "deflate" is sent both zlib-wrapped (per the RFC) and raw (by some servers).
                    self._inflate, self._encoding = zlib.decompressobj(-zlib.MAX_WBITS), "raw deflate"
                    continue
                raise httpx.DecodingError(f"{self._encoding} body could not be decoded: {error}") from None
            self._keep(out)
            data = self._inflate.unconsumed_tail

    def body(self) -> bytes:
        if self._inflate is not None:
            # Input is consumed only as output room allows, so what is left in the decoder once
            # all input is in is at most a window's worth.
            self._keep(self._inflate.flush())
        return self._parts[0] if len(self._parts) == 1 else b"".join(self._parts)
