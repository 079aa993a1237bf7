"""The async clients' own sender: a pool of HTTP/1.1 connections on asyncio's transports, each
response read by http11.ResponseReader, the same reader and rules as the socket pool's.

A connection hears everything its server sends, also while it is idle: a response that arrives
on an idle connection (nobody asked for it) marks the connection so that it is never given a
request, and a connection is reused only when its response ended cleanly with nothing after it.

A pool belongs to the event loop it first sends in (a client used in another loop refuses with
ClientStateError). When that loop ends (asyncio.run shuts down its async generators before
closing it), the pool closes its connections there, so a client never closed, or closed from
another loop, leaves nothing open behind."""

from __future__ import annotations

import asyncio
import select
import ssl
import time
import weakref
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any

from .. import _constants
from ..errors import ClientStateError
from . import environment
from .base import Params, Received, TransportFailure
from .body import BodyTooLarge, body_reader
from .deadline import PASSED, current_deadline
from .http11 import ResponseReader, encode_headers, request_head
from .target import Origin, target

if TYPE_CHECKING:
    from .._types import Timeout


class _Connection(asyncio.BufferedProtocol):
    """One connection: asyncio calls the protocol methods; `request` sends one and waits.

    Buffered: the loop reads into its pool's buffer (`recv_into`). A plain Protocol is handed
    a new bytes object per read, which asyncio allocates at 256 KiB; where the allocator maps
    that afresh, its pages are faulted in and unmapped again on every read (on a socket pair,
    29 µs to read 12 KB so, against 7 µs into a buffer). httptools copies each piece of a body
    out of the buffer, and a read is handled to its end before the loop reads again, so one
    buffer serves every connection of the pool."""

    def __init__(self, loop: asyncio.AbstractEventLoop, buffer: memoryview) -> None:
        self.loop = loop
        self._buffer = buffer
        self._poll: select.poll | None = None
        self.transport: asyncio.Transport | None = None
        self.reader: ResponseReader | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.lost = False  # closed by the server, or broken
        self.unsolicited = False  # bytes arrived that no request of ours asked for
        self.requests = 0
        self.idle_since = 0.0
        self.received = 0  # bytes of the answer in progress
        self.last_data = 0.0
        # The read timeout's timer outlives a request: armed once, it fires when the request in
        # flight may have been quiet too long, and re-arms itself while requests keep coming, so
        # back-to-back requests arm no timer each (one cost ~5 µs a request, heap and all).
        self.read_timeout: float | None = None
        self.deadline: float | None = None  # the call's, in the loop's time
        self._timer: asyncio.TimerHandle | None = None
        self._due = 0.0  # when the armed timer fires

    # -- asyncio's side -------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None and hasattr(select, "poll"):  # Windows has no poll: select() there
            self._poll = select.poll()  # registered once: a probe (`waiting`) is one poll(0), 0.5 µs
            self._poll.register(sock.fileno(), select.POLLIN)

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._buffer

    def buffer_updated(self, nbytes: int) -> None:
        reader = self.reader
        if reader is None or self.waiter is None or self.waiter.done():
            self.unsolicited = True
            return
        data = self._buffer[:nbytes]
        self.received += nbytes
        self.last_data = self.loop.time()
        try:
            reader.feed(data)
        except TransportFailure as failure:
            self._finish(failure)
            return
        if reader.complete or reader.failure is not None:
            self._finish(None)

    def eof_received(self) -> bool | None:
        reader = self.reader
        if reader is not None and self.waiter is not None and not self.waiter.done():
            try:
                reader.eof()
            except TransportFailure as failure:
                self._finish(failure)
            else:
                self._finish(None)
        self.lost = True
        return False  # let asyncio close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self._poll = None  # its descriptor is closed, and may be another socket's soon
        self._disarm()
        if self.waiter is not None and not self.waiter.done():
            detail = f": {exc}" if exc else ""
            self._finish(
                TransportFailure("read", f"the connection was closed before the response was complete{detail}")
            )

    def _finish(self, failure: TransportFailure | None) -> None:
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if failure is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(failure)

    # -- the pool's side ------------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        return not self.lost and not self.unsolicited and self.transport is not None and not self.transport.is_closing()

    def waiting(self) -> bool:
        """Bytes (or the server's close) wait in the kernel for this idle connection, not yet
        delivered by the loop: the window between a server writing and the loop's next poll."""
        if self._poll is not None:
            return bool(self._poll.poll(0))
        sock = self.transport.get_extra_info("socket") if self.transport is not None else None
        if sock is None:
            return False
        readable, _, _ = select.select([sock.fileno()], [], [], 0)
        return bool(readable)

    async def request(self, head: bytes, reader: ResponseReader, read_timeout: float | None) -> None:
        """Send one request and wait until `reader` has its answer."""
        assert self.transport is not None
        self.requests += 1
        self.reader = reader
        self.received = 0
        self.last_data = self.loop.time()
        self.waiter = self.loop.create_future()
        self.read_timeout = read_timeout
        at = current_deadline()
        self.deadline = None if at is None else self.last_data + (at - time.monotonic())
        due = self._next_due()
        if due is not None and (self._timer is None or self._due > due):  # none armed, or for later
            self._arm(due)
        try:
            self.transport.write(head)
            await self.waiter
        finally:
            # Neither is wanted once the request is over, and a failed waiter's error holds this
            # frame (and so this connection and the reader) in a cycle only the collector frees.
            self.reader = self.waiter = None

    def _arm(self, due: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._due = due
        self._timer = self.loop.call_at(due, self._check_quiet)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _next_due(self) -> float | None:
        """When the request in flight times out if nothing more arrives: the read timeout after
        its last byte, or the call's deadline, whichever is first."""
        due = None if self.read_timeout is None else self.last_data + self.read_timeout
        if self.deadline is not None and (due is None or self.deadline < due):
            due = self.deadline
        return due

    def _check_quiet(self) -> None:
        """The read timeout (no byte for `read_timeout` seconds) and the call's deadline (a server
        trickling bytes resets no read timeout): either fails the request in flight. An idle
        connection lets the timer go (its next request arms it again)."""
        self._timer = None
        if self.waiter is None or self.waiter.done():
            return
        now = self.loop.time()
        if self.deadline is not None and now >= self.deadline - 0.001:
            self._finish(TransportFailure("read_timeout", PASSED))
        elif self.read_timeout is not None and now - self.last_data >= self.read_timeout:
            self._finish(TransportFailure("read_timeout", "timed out (read)"))
        elif (due := self._next_due()) is not None:
            self._arm(due)

    def close(self) -> None:
        self._disarm()  # the timer would hold the connection until it fired
        if self.transport is not None:
            self.transport.abort()


async def _on_loop_end(sender_ref: weakref.ref[AsyncioPool]) -> AsyncGenerator[None, None]:
    """Suspended for the life of the pool's loop; `asyncio.run` closes it (with every async
    generator) before it closes the loop, and the pool's connections are closed then."""
    try:
        yield
    finally:
        sender = sender_ref()
        if sender is not None:
            sender.close_connections()


class AsyncioPool:
    """One connection pool for one base URL (the `send` of every async client without an
    http_client of its own, and without a proxy)."""

    closed: bool
    # It keeps the call's deadline itself (deadline.py's context variable, read per request): the
    # request loop then needs no asyncio.timeout scope around each call (a timer and two loop
    # lookups a call).
    keeps_deadline = True

    def __init__(self, base_url: str, headers: Mapping[str, str], provider: str) -> None:
        self.origin = Origin.of(base_url)
        self._head_headers = encode_headers(dict(headers))
        self._ssl: ssl.SSLContext | None = environment.ssl_context() if self.origin.tls else None
        self._provider = provider
        self._buffer = memoryview(bytearray(_constants.READ_CHUNK_BYTES))  # every connection reads into it
        self._idle: list[_Connection] = []
        self._active: set[_Connection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._watch_loop: AsyncGenerator[None, None] | None = None
        self.closed = False

    async def _bind(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        """Bind the pool to `loop` (the running one) at its first request; refuse another loop."""
        if self._loop is None:
            self._loop = loop
            self._slots = asyncio.Semaphore(_constants.MAX_CONNECTIONS)
            self._watch_loop = _on_loop_end(weakref.ref(self))
            await self._watch_loop.asend(None)
        elif self._loop is not loop:
            raise ClientStateError(
                "this async client belongs to the event loop it first sent in; make one client per "
                "event loop (per asyncio.run)",
                provider=self._provider,
            )
        assert self._slots is not None
        return self._slots

    async def _connect(self, timeout: Any) -> _Connection:
        loop = asyncio.get_running_loop()
        origin = self.origin
        try:
            async with asyncio.timeout(timeout.connect):
                _, connection = await loop.create_connection(
                    lambda: _Connection(loop, self._buffer),
                    origin.host,
                    origin.port,
                    ssl=self._ssl,
                    server_hostname=origin.host if self._ssl is not None else None,
                    happy_eyeballs_delay=0.25,
                )
        except TimeoutError:
            raise TransportFailure("connect_timeout", "timed out (connect)") from None
        except ssl.SSLError as error:
            raise TransportFailure("connect", f"TLS: {error}") from None
        except OSError as error:
            raise TransportFailure("connect", f"{error.strerror or error}") from None
        return connection

    async def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received:
        """GET `path` (percent-encoded) with `params` and read the answer within `limit` body
        bytes. Raises TransportFailure, BodyTooLarge, or ClientStateError in another event loop."""
        loop = asyncio.get_running_loop()
        # Bound to this loop already (every request but the first): no coroutine to make and await.
        slots = self._slots if loop is self._loop and self._slots is not None else await self._bind(loop)
        head = request_head(b"GET", target(self.origin, path, params), self.origin.host_header, self._head_headers)
        if slots.locked():
            try:
                async with asyncio.timeout(timeout.pool):
                    await slots.acquire()
            except TimeoutError:
                raise TransportFailure("pool_timeout", "timed out (waiting for a connection)") from None
        else:
            await slots.acquire()  # a free slot is taken at once: no timer to arm (it cost ~8 µs a request)
        try:
            for attempt in range(2):  # a second go, on a new connection, after an idle one turned out closed
                connection = self._checkout() if attempt == 0 else None
                if connection is None:
                    connection = await self._connect(timeout)
                self._active.add(connection)
                reusable = False
                reader = ResponseReader(lambda headers: body_reader(headers, limit))
                try:
                    try:
                        await connection.request(head, reader, timeout.read)
                    except TransportFailure:
                        if connection.requests > 1 and connection.received == 0 and not self.closed:
                            continue  # a kept-alive connection the server had closed: once more
                        raise
                    if isinstance(reader.failure, BodyTooLarge):
                        raise reader.failure
                    reusable = reader.reusable and connection.usable
                    return reader.result()
                finally:
                    reader.release()
                    self._checkin(connection, reusable)
            raise TransportFailure("read", "the server closed the connection without answering")
        finally:
            slots.release()

    def _checkout(self) -> _Connection | None:
        assert self._loop is not None
        now = self._loop.time()
        while self._idle:
            connection = self._idle.pop()
            fresh = now - connection.idle_since < _constants.KEEPALIVE_EXPIRY
            if fresh and connection.usable and not connection.waiting():
                return connection
            connection.close()
        return None

    def _checkin(self, connection: _Connection, reusable: bool) -> None:
        self._active.discard(connection)
        if reusable and not self.closed and len(self._idle) < _constants.MAX_KEEPALIVE_CONNECTIONS:
            assert self._loop is not None
            connection.idle_since = self._loop.time()
            self._idle.append(connection)
        else:
            connection.close()

    def close_connections(self) -> None:
        """Close every connection now, idle or in use (a request in flight fails at once)."""
        idle, self._idle = self._idle, []
        active, self._active = list(self._active), set()
        for connection in (*idle, *active):
            connection.close()

    async def aclose(self) -> None:
        """Close the pool. From another loop than its own, only what that loop has not closed
        already (its end closes every connection) is left, and nothing is touched there."""
        self.closed = True
        loop = self._loop
        if loop is not None and loop is asyncio.get_running_loop():
            self.close_connections()
            if self._watch_loop is not None:
                await self._watch_loop.aclose()
                self._watch_loop = None
        elif loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.close_connections)

    def open_connections(self) -> int:
        return len(self._idle) + len(self._active)


__all__ = ["AsyncioPool"]
