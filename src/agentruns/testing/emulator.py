"""Run the emulator app on a real socket: in a background thread (`Emulator`) or in the foreground
(`serve`, behind `agentruns emulate`)."""

# ruff: noqa: E402 (the extra is checked first, so a missing one is named with it)

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Mapping
from typing import Any, Self, Unpack

from .._extras import require

require("testing", "agentruns.testing (the emulator)")  # the extra named, where it is missing

import uvicorn

from .. import registry
from .app import EmulatorApp, EmulatorConfig, LoggedRequest, token_for
from .options import EmulatorOptions, checked_override, config_from, environ_for, run_key


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

        with Emulator() as emu:
            client = CasedevClient(api_key=emu.token_for("casedev"), base_url=emu.url)
            emu.set_run("casedev:run_42", status="failed")

    Every argument is optional; see `EmulatorOptions` for each. Runs are realistic by default:
    the ids asked for echoed, every field the provider sends present, times and usage coherent.
    `emu.requests` is the request log (Authorization left out): the newest `request_log_size`
    requests (1,000 unless set), emptied by `emu.clear_requests()`."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, **options: Unpack[EmulatorOptions]) -> None:
        self.config: EmulatorConfig = config_from(options)
        self.app: EmulatorApp = EmulatorApp(self.config)
        self._host, self._port = host, port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url: str = ""

    @property
    def token(self) -> str:
        """The secret of every provider's key: a provider's key is its key prefix, if it has one,
        then this (see `token_for`)."""
        return self.config.token

    def token_for(self, provider: str) -> str:
        """The key the emulator accepts for `provider`: `sk_case_emulator` for case.dev,
        `sk-emulator` for OpenAI, `emulator` for a provider whose keys have no prefix."""
        return token_for(registry.get(provider), self.config.token)

    def headers_for(self, provider: str) -> dict[str, str]:
        """The header that carries `provider`'s key, as its spec says it is sent, for a request
        made by hand (`{"Authorization": "Bearer sk_case_emulator"}`, `{"X-N8N-API-KEY": "emulator"}`)."""
        auth = registry.get(provider).auth
        return {auth.header: auth.value(self.token_for(provider))}

    @property
    def requests(self) -> list[LoggedRequest]:
        """The newest `request_log_size` requests, oldest first."""
        return self.app.requests

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.app.clear_requests()

    def set_run(
        self,
        ref: str,
        *,
        status: str | None = None,
        body: Mapping[str, Any] | None = None,
        bodies: Mapping[str, Any] | None = None,
        error: int | None = None,
        steps: int | None = None,
    ) -> None:
        """Serve the run `ref` ("casedev:run_42") as chosen from now on: in the `status` given (the
        provider's own value, or a normalized one such as "succeeded", which becomes the provider's
        value for it), as exactly `body`, with `steps` steps, or as an HTTP `error` (404, 500, …)
        for every request about it; `bodies` gives the body of another of its operations by
        operationId (a list operation's whole list, served page by page). With `lifecycle`, a
        chosen status is where the run ends."""
        self.config.runs[run_key(ref)] = checked_override(
            ref, status=status, body=body, bodies=bodies, error=error, steps=steps
        )

    def reset(self, **options: Unpack[EmulatorOptions]) -> None:
        """Start afresh with `options` (the defaults for those not given): chosen runs, the request
        log, lifecycle polls and the fault sequence all begin again. The server and its URL stay."""
        self.config = config_from(options)
        self.app.reset(self.config)

    def environ(self) -> dict[str, str]:
        """`<PROVIDER>_API_KEY` and `<PROVIDER>_BASE_URL` for every provider, pointing here: what
        a shell `export` or `monkeypatch.setenv` needs for code that reads the environment."""
        return environ_for(self.url, self.token)

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


def serve(
    config: EmulatorConfig,
    host: str,
    port: int,
    on_ready: Callable[[str], None] | None = None,
    on_request: Callable[[LoggedRequest], None] | None = None,
) -> None:
    """Serve in the foreground until interrupted (Ctrl-C stops uvicorn cleanly)."""
    sock = _bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    if on_ready is not None:
        on_ready(f"http://{bound_host}:{bound_port}")
    _server(EmulatorApp(config, on_request)).run(sockets=[sock])
