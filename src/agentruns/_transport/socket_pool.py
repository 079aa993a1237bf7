"""The sync clients' own sender: a pool of HTTP/1.1 connections on plain sockets (TLS where the
base URL says https), each response read by http11.ResponseReader.

Why our own pool: whether a connection may carry another request is the decision that keeps a
response with its request, and httpcore's pool makes it where we cannot see (bytes that came
after a response stay in its parser's buffer and become the next request's answer). Here a
connection goes back to the pool only when its response ended cleanly and nothing followed it,
and an idle connection with bytes waiting is dropped at checkout; every other exit (an error, an
interrupt, a close) closes it.

Every socket operation is given at most what is left of the call's deadline (deadline.py), so a
server that trickles one byte a second still ends the call on time."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Mapping
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from .. import _constants
from . import environment
from .base import Params, Received, TransportFailure
from .body import BodyTooLarge, body_reader
from .deadline import PASSED, bounded, current_deadline, timed_out
from .http11 import ResponseReader, encode_headers, request_head
from .target import Origin, target

if TYPE_CHECKING:
    from .._types import Timeout


class _Connection:
    __slots__ = ("idle_since", "requests", "sock")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.requests = 0
        self.idle_since = 0.0

    def waiting(self) -> bool:
        """Bytes (or the server's close) wait on this idle connection: it answers no request of
        ours, so it must not be given one."""
        pending = getattr(self.sock, "pending", None)  # an SSLSocket's decrypted bytes not yet read
        if pending is not None and pending():
            return True
        readable, _, _ = select.select([self.sock], [], [], 0)
        return bool(readable)

    def close(self) -> None:
        with suppress(OSError):
            self.sock.close()


class SocketPool:
    """One connection pool for one base URL (the `send` of every sync client without an
    http_client of its own, and without a proxy)."""

    closed: bool

    def __init__(self, base_url: str, headers: Mapping[str, str]) -> None:
        self.origin = Origin.of(base_url)
        self._head_headers = encode_headers(dict(headers))
        self._ssl = environment.ssl_context() if self.origin.tls else None
        self._idle: list[_Connection] = []
        self._active: set[_Connection] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(_constants.MAX_CONNECTIONS)
        self.closed = False

    # -- connections ----------------------------------------------------------------------------

    def _connect(self, timeout: Any) -> _Connection:
        origin = self.origin
        at = current_deadline()
        connect = timeout.connect
        if at is not None:
            left = at - time.monotonic()
            if left <= 0:
                raise TransportFailure("connect_timeout", PASSED)
            connect = left if connect is None else min(connect, left)
        try:
            # An ASCII host as bytes: getaddrinfo would otherwise encode it with the idna codec,
            # whose import (with stringprep's tables) is a millisecond of every cold start.
            # (typeshed types the host as str; getaddrinfo, which gets it, takes bytes too.)
            host = origin.host.encode("ascii") if origin.host.isascii() else origin.host
            sock = socket.create_connection((host, origin.port), timeout=connect)  # type: ignore[arg-type]
        except TimeoutError:
            raise timed_out("connect_timeout") from None
        except OSError as error:
            raise TransportFailure("connect", f"{error.strerror or error}") from None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._ssl is not None:
                bounded(sock, timeout.connect, "connect_timeout")
                sock = self._ssl.wrap_socket(sock, server_hostname=origin.host)
        except TimeoutError:
            sock.close()
            raise timed_out("connect_timeout") from None
        except OSError as error:  # ssl.SSLError is an OSError
            sock.close()
            raise TransportFailure("connect", f"TLS: {error}") from None
        return _Connection(sock)

    def _checkout(self, timeout: Any, fresh: bool = False) -> _Connection:
        wait = timeout.pool
        at = current_deadline()
        if at is not None:
            left = max(at - time.monotonic(), 0.0)
            wait = left if wait is None else min(wait, left)
        if not self._slots.acquire(timeout=wait):
            raise timed_out("pool_timeout")
        try:
            with self._lock:
                now = time.monotonic()
                while self._idle and not fresh:
                    connection = self._idle.pop()
                    fresh = now - connection.idle_since < _constants.KEEPALIVE_EXPIRY
                    if fresh and not connection.waiting():
                        self._active.add(connection)
                        return connection
                    connection.close()
            connection = self._connect(timeout)
            with self._lock:
                self._active.add(connection)
            return connection
        except BaseException:
            self._slots.release()
            raise

    def _checkin(self, connection: _Connection, reusable: bool) -> None:
        with self._lock:
            self._active.discard(connection)
            keep = reusable and not self.closed and len(self._idle) < _constants.MAX_KEEPALIVE_CONNECTIONS
            if keep:
                connection.idle_since = time.monotonic()
                self._idle.append(connection)
        if not keep:
            connection.close()
        self._slots.release()

    # -- one request ----------------------------------------------------------------------------

    def send(self, path: str, params: Params, timeout: Timeout, limit: int) -> Received:
        """GET `path` (percent-encoded) with `params` and read the answer within `limit` body
        bytes. Raises TransportFailure, or BodyTooLarge."""
        head = request_head(b"GET", target(self.origin, path, params), self.origin.host_header, self._head_headers)
        for attempt in range(2):  # a second go, on a new connection, after an idle one turned out closed
            connection = self._checkout(timeout, fresh=attempt > 0)
            reusable = False
            reader = ResponseReader(lambda headers: body_reader(headers, limit))
            try:
                stale = self._exchange(connection, head, reader, timeout)
                if stale:
                    continue
                reusable = reader.reusable
                return reader.result()
            finally:
                reader.release()
                self._checkin(connection, reusable)
        raise TransportFailure("read", "the server closed the connection without answering")

    def _exchange(self, connection: _Connection, head: bytes, reader: ResponseReader, timeout: Any) -> bool:
        """Send the request and read its answer into `reader`. True when a reused connection
        turned out closed before any byte of an answer (try again on a fresh one)."""
        sock = connection.sock
        reused = connection.requests > 0
        connection.requests += 1
        try:
            bounded(sock, timeout.write, "write_timeout")
            sock.sendall(head)
        except TimeoutError:
            raise timed_out("write_timeout") from None
        except OSError as error:
            if reused:
                return True
            raise TransportFailure("write", f"{error.strerror or error}") from None
        received = 0
        while not reader.complete and reader.failure is None:
            try:
                bounded(sock, timeout.read, "read_timeout")
                data = sock.recv(_constants.READ_CHUNK_BYTES)
            except TimeoutError:
                raise timed_out("read_timeout") from None
            except OSError as error:
                if reused and received == 0:
                    return True
                raise TransportFailure("read", f"{error.strerror or error}") from None
            if not data:
                if reused and received == 0:
                    return True
                reader.eof()
                break
            received += len(data)
            reader.feed(data)
        if isinstance(reader.failure, BodyTooLarge):
            raise reader.failure
        return False

    def close(self) -> None:
        """Close every connection, idle or in use: a request in flight in another thread fails
        at once (and, as the client is closed, is not retried)."""
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
            active = list(self._active)
        for connection in idle:
            connection.close()
        for connection in active:  # wakes a thread blocked in recv on it; that thread closes it
            with suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    def open_connections(self) -> int:
        """How many connections the pool holds, idle or in use (for tests and diagnostics)."""
        with self._lock:
            return len(self._idle) + len(self._active)


__all__ = ["SocketPool"]
