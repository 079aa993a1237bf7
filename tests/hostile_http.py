"""A loopback server that scripts its answers byte by byte, for the transport tests: each
connection it accepts runs a script (a function of a `Peer`) that reads requests and writes
exactly the bytes it chooses: complete responses, cut ones, two in one write, one nobody asked
for, heads of any size. It counts the connections still open, so a test sees what a client left
behind. 127.0.0.1 only, bounded in time: it stops by itself after `max_seconds`."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson

Script = Callable[["Peer"], None]


def run_body(run_id: str) -> bytes:
    """A case.dev run (every field is optional in its spec) that names the run it answers."""
    return orjson.dumps({"id": run_id, "status": "completed"})


def response(
    body: bytes = b"",
    *,
    status: int = 200,
    reason: str = "OK",
    headers: list[tuple[str, str]] | None = None,
    version: str = "HTTP/1.1",
    length: bool = True,
    chunked: bool = False,
) -> bytes:
    """The bytes of one response; `length=False` leaves the body framed by the close."""
    lines = [f"{version} {status} {reason}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers or []]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        framed = b"".join(
            b"%x\r\n%s\r\n" % (len(part), part) for part in (body[: len(body) // 2], body[len(body) // 2 :]) if part
        )
        body = framed + b"0\r\n\r\n"
    elif length:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def run_response(run_id: str, **options: object) -> bytes:
    return response(run_body(run_id), **options)  # type: ignore[arg-type]


@dataclass
class Peer:
    """The server's end of one connection."""

    sock: socket.socket
    index: int  # which connection of the server this is, from 0
    buffer: bytes = b""
    requests: int = 0
    paths: list[str] = field(default_factory=list)

    def read_request(self, timeout: float = 5.0) -> str | None:
        """The next request's path (its head read whole), or None when the client hung up."""
        self.sock.settimeout(timeout)
        while b"\r\n\r\n" not in self.buffer:
            try:
                chunk = self.sock.recv(65536)
            except (TimeoutError, OSError):
                return None
            if not chunk:
                return None
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        path = head.split(b"\r\n", 1)[0].split(b" ")[1].decode()
        self.requests += 1
        self.paths.append(path)
        return path

    def run_id(self, path: str) -> str:
        """The run id a case.dev path asks for (/agent/v1/run/<id>/details)."""
        return path.split("/")[-2]

    def send(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def hang_up(self) -> None:
        """Close the connection from the server's end, now (what is sent is sent)."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    def wait_closed(self, timeout: float = 5.0) -> bool:
        """Whether the client closed its end within `timeout`."""
        self.sock.settimeout(timeout)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except (TimeoutError, OSError):
            return False


class ScriptedServer:
    """Serves `script` on every connection, in a thread each."""

    def __init__(self, script: Script, max_seconds: float = 60.0) -> None:
        self.script = script
        self.max_seconds = max_seconds
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.accepted = 0
        self.open = 0  # connections whose client has not closed them yet
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                sock, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            with self.lock:
                index = self.accepted
                self.accepted += 1
                self.open += 1
            threading.Thread(target=self._serve, args=(sock, index), daemon=True).start()
        self.listener.close()

    def _serve(self, sock: socket.socket, index: int) -> None:
        peer = Peer(sock, index)
        try:
            self.script(peer)
            # Then keep the connection until the client closes it: what it leaves open is counted.
            peer.wait_closed(timeout=self.max_seconds)
        finally:
            sock.close()
            with self.lock:
                self.open -= 1

    def open_after(self, seconds: float = 2.0) -> int:
        """Connections still open once the client has had `seconds` to close what it closes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.open:
            time.sleep(0.02)
        return self.open


@contextlib.contextmanager
def scripted(script: Script, max_seconds: float = 60.0) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script, max_seconds)
    server.thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.thread.join(timeout=5)


def keep_alive(answer: Callable[[Peer, str], bytes | None], *, requests: int = 10_000) -> Script:
    """A script answering each request on the connection with `answer(peer, path)` (None: hang up)."""

    def script(peer: Peer) -> None:
        for _ in range(requests):
            path = peer.read_request()
            if path is None:
                return
            data = answer(peer, path)
            if data is None:
                peer.hang_up()
                return
            peer.send(data)

    return script
