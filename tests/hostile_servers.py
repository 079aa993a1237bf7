"""Small misbehaving HTTP servers on 127.0.0.1, each in a thread, for the hostile-server tests."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Handler = Callable[[socket.socket, bytes], None]


@contextmanager
def serve(
    handler: Handler, *, max_seconds: float = 30.0, tls: ssl.SSLContext | None = None
) -> Iterator[tuple[str, list[bytes]]]:
    """Accepts connections on 127.0.0.1 and hands each (socket, request head) to `handler`.
    Yields the base URL and the list of request heads received. Stops by itself after
    `max_seconds`, so a test that goes wrong cannot leave it running. With `tls`, speaks HTTPS
    (the URL then names "localhost", for the certificate)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    heads: list[bytes] = []
    stop = threading.Event()
    deadline = time.monotonic() + max_seconds

    def handle(conn: socket.socket) -> None:
        conn.settimeout(5)
        if tls is not None:
            try:
                conn = tls.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                conn.close()
                return  # a client that does not trust the certificate hangs up here
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    head += chunk
                heads.append(head)
                handler(conn, head)
            except OSError:
                pass  # the client went away: that is what several of these tests provoke

    def accept() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()
        listener.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        yield (f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"), heads
    finally:
        stop.set()
        thread.join(timeout=5)


def never_answers(conn: socket.socket, head: bytes) -> None:
    time.sleep(3)


def endless_body(conn: socket.socket, head: bytes) -> None:
    """200 with a chunked JSON body that never ends (bounded by the server's own clock)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"[" + b"1," * 32767
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    end = time.monotonic() + 10
    while time.monotonic() < end:
        conn.sendall(frame)


def huge_declared_body(conn: socket.socket, head: bytes) -> None:
    """Declares 4 GB, then streams until the client hangs up."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4294967296\r\n\r\n")
    block = b" " * 65536
    end = time.monotonic() + 10
    while time.monotonic() < end:
        conn.sendall(block)


def html_page(conn: socket.socket, head: bytes) -> None:
    body = b"<html><body>Service temporarily unavailable</body></html>"
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


def redirect_to(location: str) -> Handler:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())

    return handler


def json_ok(body: bytes) -> Handler:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )

    return handler


def trickle(head: bytes, body: bytes = b"", *, every: float = 0.2) -> Handler:
    """Sends `head` then `body` one byte every `every` seconds: no single read ever waits long,
    so only a deadline on the whole call ends it."""

    def handler(conn: socket.socket, request_head: bytes) -> None:
        end = time.monotonic() + 20
        for byte in head + body:
            if time.monotonic() > end:
                return
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return handler


def gzip_bomb(gibibytes: int = 4) -> bytes:
    """About 1 KB of gzip per MiB of zeros: `gibibytes` GiB in ~4 MB. Built from one sync-flushed
    block repeated (identical once the window is all zeros); the trailer is left off, as the
    reader must stop long before it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return first + block * (gibibytes * 1024 - 1)


def gzip_body(payload: bytes) -> Handler:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: "
            + str(len(payload)).encode()
            + b"\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            conn.sendall(payload)

    return handler


def rate_limited(retry_after: str) -> Handler:
    def handler(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            f"HTTP/1.1 429 Too Many Requests\r\nRetry-After: {retry_after}\r\nContent-Length: 0\r\n\r\n".encode()
        )

    return handler


def slow_then(seconds: float, inner: Handler) -> Handler:
    def handler(conn: socket.socket, head: bytes) -> None:
        time.sleep(seconds)
        inner(conn, head)

    return handler
