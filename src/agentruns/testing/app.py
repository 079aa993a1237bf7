"""The emulator's ASGI app: the four providers' run endpoints at their real paths.

Routing is done on the raw request path, segment by segment, so a percent-encoded `/` inside an
id stays inside that id (Starlette's router matches on the decoded path and would split it)."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .data import LIFECYCLE, make_run, terminal_status_for

DEFAULT_TOKEN = "sk_case_emulator"  # one token for all four providers; case.dev wants the sk_case_ prefix
FAULT_KINDS = ("rate_limit", "server_error", "slow", "drop", "truncate")


class EmulatedFault(ConnectionAbortedError):
    """Raised mid-response to make uvicorn drop the connection: ASGI has no other way to do it."""


def _not_an_emulated_fault(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], EmulatedFault))


# uvicorn logs every exception an app raises with its traceback; the faults are on purpose.
logging.getLogger("uvicorn.error").addFilter(_not_an_emulated_fault)


@dataclass
class EmulatorConfig:
    token: str = DEFAULT_TOKEN
    seed: int = 0
    steps: int = 8
    fault_rate: float = 0.0
    faults: tuple[str, ...] = FAULT_KINDS
    slow_seconds: float = 2.0
    retry_after: str = "0"
    lifecycle: bool = False  # each poll of a run moves it one state on: queued → running → terminal
    missing: frozenset[str] = frozenset()  # ids answered with 404


@dataclass
class LoggedRequest:
    method: str
    raw_path: str  # path and query exactly as sent, percent-encoding included
    headers: dict[str, str]  # without Authorization
    status: int = 0
    fault: str | None = None


@dataclass
class Route:
    provider: str
    pattern: tuple[str | None, ...]  # literal segments, None for a parameter
    check: Callable[[tuple[str, ...]], str | None]  # returns why the ids are invalid, or None


def _uuid_error(ids: tuple[str, ...]) -> str | None:
    try:
        uuid.UUID(ids[-1])
    except ValueError:
        return f"run id {ids[-1]!r} is not a UUID"
    return None


def _nsrocks_error(ids: tuple[str, ...]) -> str | None:
    deployment_id, run_id = ids
    if not deployment_id.startswith("adpl_") or not run_id.startswith("adrun_"):
        return "ids look like adpl_... (deployment) and adrun_... (run)"
    return None


ROUTES = (
    Route("backside", ("api", "v1", "agents", None, "runs", None), _uuid_error),
    Route("middesk", ("v1", "runs", None), _uuid_error),
    Route("casedev", ("agent", "v1", "run", None, "details"), lambda ids: None),
    Route("nsrocks", ("v1", "agent-deployments", None, "runs", None), _nsrocks_error),
)


def match(raw_path: str) -> tuple[Route, tuple[str, ...]] | None:
    segments = raw_path.split("/")[1:]
    for route in ROUTES:
        if len(segments) != len(route.pattern):
            continue
        ids: list[str] = []
        for literal, segment in zip(route.pattern, segments, strict=True):
            if literal is None:
                ids.append(unquote(segment))
            elif literal != segment:
                break
        else:
            return route, tuple(ids)
    return None


@functools.lru_cache(maxsize=64)
def encoded_run(
    provider: str, ids: tuple[str, ...], seed: int, steps: int, status: str | None, include_steps: bool
) -> bytes:
    """A run body, encoded. Cached: benchmarks ask for the same runs many times, and a 1 MB run
    takes far longer to build than to send."""
    return orjson.dumps(make_run(provider, ids, seed=seed, steps=steps, status=status, include_steps=include_steps))


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


class EmulatorApp:
    """One ASGI app serving all four providers. Thread-safe: tests read `requests` from another thread."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.requests: list[LoggedRequest] = []
        self._polls: dict[tuple[str, tuple[str, ...]], int] = {}
        self._lock = threading.Lock()
        self._fault_rng = random.Random(self.config.seed)

    def _next_fault(self) -> str | None:
        with self._lock:
            if self.config.fault_rate <= 0 or self._fault_rng.random() >= self.config.fault_rate:
                return None
            return self._fault_rng.choice(self.config.faults)

    def _poll(self, key: tuple[str, tuple[str, ...]]) -> int:
        with self._lock:
            count = self._polls.get(key, 0)
            self._polls[key] = count + 1
            return count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw_path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        entry = LoggedRequest(
            method=request.method,
            raw_path=raw_path + (f"?{query}" if query else ""),
            headers={k: v for k, v in request.headers.items() if k.lower() != "authorization"},
        )
        with self._lock:
            self.requests.append(entry)
        response, body_fault = await self._respond(request, raw_path, query, entry)
        entry.status = response.status_code
        if body_fault is None:
            await response(scope, receive, send)
            return
        # Faults that break the connection: send the head, then part (or none) of the body and fail,
        # which makes uvicorn close the connection mid-response.
        await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
        if body_fault == "truncate":
            await send(
                {
                    "type": "http.response.body",
                    "body": bytes(response.body)[: len(response.body) // 2],
                    "more_body": True,
                }
            )
        raise EmulatedFault(body_fault)

    async def _respond(
        self, request: Request, raw_path: str, query: str, entry: LoggedRequest
    ) -> tuple[Response, str | None]:
        config = self.config
        found = match(raw_path)
        if request.method != "GET" or found is None:
            return _json(404, {"error": "not_found", "message": f"no route for {request.method} {raw_path}"}), None
        route, ids = found
        token = request.headers.get("authorization", "")
        if token != f"Bearer {config.token}":
            return _json(401, {"error": "unauthorized", "message": "missing or invalid bearer token"}), None
        if route.provider == "casedev" and not config.token.startswith("sk_case_"):
            return _json(401, {"error": "unauthorized", "message": "API keys start with sk_case_"}), None
        if why := route.check(ids):
            return _json(404, {"error": "not_found", "message": why}), None
        if any(i in config.missing for i in ids):
            return _json(404, {"error": "not_found", "message": "no such run"}), None
        fault = self._next_fault()
        entry.fault = fault
        if fault == "rate_limit":
            headers = {"Retry-After": config.retry_after}
            return _json(429, {"error": "rate_limited", "message": "slow down"}, headers), None
        if fault == "server_error":
            with self._lock:
                code = self._fault_rng.choice((500, 502, 503))
            return _json(code, {"error": "server_error", "message": "emulated failure"}), None
        if fault == "slow":
            await asyncio.sleep(config.slow_seconds)
        run_status: str | None = None
        if config.lifecycle:
            states = LIFECYCLE[route.provider]
            poll = self._poll((route.provider, ids))
            run_status = states[poll] if poll < len(states) else terminal_status_for(route.provider, ids, config.seed)
        include = {part for value in parse_qs(query).get("include", []) for part in value.split(",")}
        body = encoded_run(route.provider, ids, config.seed, config.steps, run_status, "steps" in include)
        response = Response(
            body, media_type="application/json", headers={"X-Request-Id": f"req_{uuid.uuid4().hex[:16]}"}
        )
        return response, fault if fault in ("drop", "truncate") else None
