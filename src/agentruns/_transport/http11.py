"""What both of our own roads share, with no IO: the bytes of a request, the reading of a response
off a connection's bytes (httptools, llhttp's parser), the limits a response must keep, the rule
that decides whether a connection may carry another request, and the failures a road raises.

The rule, for every road alike: a connection goes back to its pool only when its response was
read to a clean end (its length or its last chunk) and nothing more came after it; anything else
(a body cut short, bytes after the end, a response nobody asked for, `Connection: close`, a body
that could not be decoded) closes it. So a response always belongs to the request it answers."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

import httptools

from .. import _constants
from .base import Headers, Received, TransportFailure
from .body import BodyReader, BodyTooLarge, BodyUndecodable


def request_head(method: bytes, target: bytes, host: bytes, headers: bytes) -> bytes:
    """The request line and headers; `headers` is the client's block, already encoded."""
    return b"%s %s HTTP/1.1\r\nHost: %s\r\n%s\r\n" % (method, target, host, headers)


def encode_headers(headers: dict[str, str]) -> bytes:
    return b"".join(b"%s: %s\r\n" % (name.encode("ascii"), value.encode("ascii")) for name, value in headers.items())


class ResponseReader:
    """One response, read off the bytes a connection receives (`feed`, then `eof` if the server
    closed). `complete` once the final response has ended; `reusable` says whether the
    connection may carry another request. httptools calls the on_* methods."""

    __slots__ = (
        "_body_for",
        "_parser",
        "body",
        "closes",
        "complete",
        "failure",
        "framed",
        "head_bytes",
        "head_size",
        "headers",
        "headers_done",
        "interim",
        "leftover",
        "status",
        "version",
    )

    def __init__(self, body_for: Callable[[Headers], BodyReader]) -> None:
        self._body_for = body_for
        self._parser = httptools.HttpResponseParser(self)
        self.status = 0
        self.headers: Headers = []
        self.headers_done = False
        self.interim = False  # inside a 1xx response, which precedes the answer
        self.complete = False
        self.leftover = False  # bytes came after the end of the response
        self.head_bytes = 0  # bytes received before the head ended (an endless head stops here)
        self.head_size = 0  # the head's own size, header by header
        self.body: BodyReader | None = None
        self.failure: Exception | None = None  # from the body reader: too large, undecodable
        self.version = ""
        self.framed = False  # a Content-Length or a Transfer-Encoding ends the body, not the close
        self.closes = False  # Connection: close

    # -- httptools' callbacks ------------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.complete:
            self.leftover = True

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.complete or self.headers_done:
            return  # a trailer, or what follows the end: neither is this response's head
        self.headers.append((name, value))
        self.head_size += len(name) + len(value) + 4
        if len(self.headers) > _constants.MAX_RESPONSE_HEADERS:
            raise TransportFailure("protocol", f"more than {_constants.MAX_RESPONSE_HEADERS} response headers")
        if self.head_size > _constants.MAX_RESPONSE_HEAD_BYTES:
            raise TransportFailure("protocol", f"response head over {_constants.MAX_RESPONSE_HEAD_BYTES} bytes")

    def on_headers_complete(self) -> None:
        if self.complete:
            return
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # 100 Continue, 103 Early Hints: the answer is still to come
            self.interim = True
            self.headers = []
            return
        self.status = status
        self.version = self._parser.get_http_version()
        self.headers_done = True
        for name, value in self.headers:  # what `reusable` and `eof` ask, read once
            name = name.lower()
            if name == b"content-length" or name == b"transfer-encoding":
                self.framed = True
            elif name == b"connection" and b"close" in value.lower():
                self.closes = True
        try:
            self.body = self._body_for(self.headers)
        except BodyUndecodable as error:
            self.failure = error

    def on_body(self, data: bytes) -> None:
        if self.complete or self.failure is not None or self.body is None:
            return
        try:
            self.body.feed(data)
        except (BodyTooLarge, BodyUndecodable) as error:
            self.failure = error

    def on_message_complete(self) -> None:
        if self.interim:
            self.interim = False
        elif not self.complete:
            self.complete = True

    # -- the road's side ----------------------------------------------------------------------

    def feed(self, data: bytes | memoryview) -> None:
        """Bytes received on the connection. Raises TransportFailure for bytes that are not HTTP;
        bytes after the end of the response are noted (the connection will not be reused)."""
        if self.complete:
            self.leftover = True
            return
        if not self.headers_done:
            self.head_bytes += len(data)
            if self.head_bytes > _constants.MAX_RESPONSE_HEAD_BYTES + _constants.READ_CHUNK_BYTES:
                raise TransportFailure("protocol", f"response head over {_constants.MAX_RESPONSE_HEAD_BYTES} bytes")
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:  # one of ours, raised in a callback
            if isinstance(error.__context__, TransportFailure):
                raise error.__context__ from None
            raise
        except httptools.HttpParserUpgrade:
            # A switch to another protocol that no request of ours asks for (we send no Upgrade):
            # what follows is not HTTP, on either pool.
            raise TransportFailure("protocol", "the server switched protocols (HTTP 101) unasked") from None
        except httptools.HttpParserError as error:
            if self.complete:  # garbage after a complete response: its own problem, not this one's
                self.leftover = True
                return
            raise TransportFailure("protocol", f"not a valid HTTP response: {error}") from None

    def eof(self) -> None:
        """The server closed the connection. A body framed by the close (no length, not chunked)
        ends here; anything else cut short is a failure."""
        if self.complete:
            return
        if self.headers_done and not self.framed:  # a body that ends with the connection
            self.complete = True
            return
        if not self.headers_done and self.head_bytes == 0:
            raise TransportFailure("read", "the server closed the connection without answering")
        raise TransportFailure("read", "the server closed the connection before the response was complete")

    @property
    def reusable(self) -> bool:
        """Read to a clean end, nothing after it, and the server keeps the connection open."""
        if not self.complete or self.leftover or self.failure is not None or not self.framed:
            return False
        return not self.closes and self.version == "1.1"

    def release(self) -> None:
        """Let go of the parser. httptools' parser calls back into this reader, so the two hold
        each other: left alone, a reader and the body it read (parts and all) would outlive the
        request until the cyclic collector's next pass, which pauses while large bodies decode;
        under bulk fetching that kept dozens of finished 1 MB bodies alive at once. Every road
        calls this when it is done with the reader, whatever the outcome."""
        with suppress(AttributeError):  # released already
            del self._parser

    def result(self) -> Received:
        """The response read; raises BodyTooLarge where the body passed its limit."""
        if isinstance(self.failure, BodyTooLarge):
            raise self.failure
        if isinstance(self.failure, BodyUndecodable):
            return Received(self.status, self.headers, b"", str(self.failure))
        assert self.body is not None
        try:
            return Received(self.status, self.headers, self.body.body())
        except BodyUndecodable as error:
            return Received(self.status, self.headers, b"", str(error))


__all__ = ["ResponseReader", "encode_headers", "request_head"]
