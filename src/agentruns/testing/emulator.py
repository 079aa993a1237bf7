"""Run the emulator app on a real socket: in a background thread (`Emulator`) or in the foreground
(`serve`, behind `agentruns emulate`)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterable
from typing import Self

try:
    import uvicorn
except ImportError as error:  # the testing extra: name it
    from .._extras import missing_extra

    raise missing_extra("testing", "agentruns.testing (the emulator)", error) from None

from .app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorApp, EmulatorConfig, LoggedRequest


def _server(app: EmulatorApp) -> uvicorn.Server:
    # log_config=None leaves logging to the host process; access logs would drown test output.
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", timeout_graceful_shutdown=1)
    return uvicorn.Server(config)


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


class Emulator:
    """Every provider's API on 127.0.0.1, in a background thread, for tests and demos.

        with Emulator(steps=20) as emu:
            client = CasedevClient(api_key=emu.token, base_url=emu.url)

    Every argument is optional. `emu.requests` is the request log (Authorization left out): the newest
    `request_log_size` requests (1,000 unless set), emptied by `emu.clear_requests()`."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        seed: int = 0,
        fault_rate: float = 0.0,
        steps: int = 8,
        faults: Iterable[str] = FAULT_KINDS,
        slow_seconds: float = 2.0,
        lifecycle: bool = False,
        missing: Iterable[str] = (),
        complete: bool = False,
        request_log_size: int = 1000,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        unknown = set(faults) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}")
        if request_log_size < 0:
            raise ValueError(f"request_log_size must be >= 0, got {request_log_size}")
        self.config = EmulatorConfig(
            token=token,
            seed=seed,
            steps=steps,
            fault_rate=fault_rate,
            faults=tuple(faults),
            slow_seconds=slow_seconds,
            lifecycle=lifecycle,
            missing=frozenset(missing),
            complete=complete,
            request_log_size=request_log_size,
        )
        self.app = EmulatorApp(self.config)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def token(self) -> str:
        return self.config.token

    @property
    def requests(self) -> list[LoggedRequest]:
        """The newest `request_log_size` requests, oldest first."""
        return self.app.requests

    def clear_requests(self) -> None:
        self.app.clear_requests()

    def start(self) -> Self:
        sock = _bind(self._host, self._port)
        host, port = sock.getsockname()[:2]
        self._server = _server(self.app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        started = threading.Event()
        while not self._server.started and self._thread.is_alive():
            started.wait(0.01)
        if not self._server.started:
            raise RuntimeError("the emulator did not start")
        self.url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve(config: EmulatorConfig, host: str, port: int, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve in the foreground until interrupted (Ctrl-C stops uvicorn cleanly)."""
    sock = _bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    if on_ready is not None:
        on_ready(f"http://{bound_host}:{bound_port}")
    _server(EmulatorApp(config)).run(sockets=[sock])
