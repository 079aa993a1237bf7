"""The emulator's ASGI app: every provider's GET operations at their real paths, read from the specs.

Routing is done on the raw request path, segment by segment, so a percent-encoded `/` inside an
id stays inside that id (Starlette's router matches on the decoded path and would split it).
Each provider is also served under `/<provider>` (for example `/letta/v1/runs/...`); without the
prefix, providers that share a path (Middesk's and Letta's `/v1/runs/{id}`) are told apart by
the ids each one's spec accepts (a UUID at Middesk, `run-...` at Letta)."""

# ruff: noqa: E402 (the extra is checked first, so a missing one is named with it)

from __future__ import annotations

import asyncio
import functools
import logging
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

import orjson

from .._extras import require

require("testing", "agentruns.testing (the emulator)")  # the extra named, where it is missing

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .. import registry
from .data import draft, lifecycle, respond, terminal_status_for
from .overlays import attribute
from .pages import next_link, page_of
from .schemas import walker

# The secret of every provider's key: a provider's key is its key prefix, if its spec names one,
# then this (case.dev's sk_case_emulator, OpenAI's sk-emulator, emulator for the others).
DEFAULT_TOKEN = "emulator"
FAULT_KINDS = ("rate_limit", "server_error", "slow", "drop", "truncate")


class EmulatedFault(ConnectionAbortedError):
    """Raised mid-response to make uvicorn drop the connection: ASGI has no other way to do it."""


def _not_an_emulated_fault(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], EmulatedFault))


# uvicorn logs every exception an app raises with its traceback; the faults are on purpose.
logging.getLogger("uvicorn.error").addFilter(_not_an_emulated_fault)


@dataclass(frozen=True)
class RunOverride:
    """What the emulator serves for one chosen run instead of its draw (see Emulator.set_run)."""

    status: str | None = None  # the provider's own status value
    body: Any = None  # the run operation's body, exactly
    bodies: dict[str, Any] = field(default_factory=dict)  # another operation's body (a list: all its items)
    error: int | None = None  # answer every request about the run with this status
    steps: int | None = None  # steps of this run


def token_for(info: registry.ProviderInfo, secret: str) -> str:
    """The key the emulator accepts for a provider: its key prefix, then `secret` (a secret that
    already starts with the prefix is the key itself)."""
    prefix = info.key_prefix or ""
    return secret if secret.startswith(prefix) else prefix + secret


@dataclass
class EmulatorConfig:
    token: str = DEFAULT_TOKEN  # the secret of every provider's key (see token_for)
    seed: int = 0
    steps: int = 8
    fault_rate: float = 0.0
    faults: tuple[str, ...] = FAULT_KINDS
    slow_seconds: float = 2.0
    retry_after: str = "0"
    latency: float = 0.0  # seconds added before every answer, as a network far away would
    lifecycle: bool = False  # each poll of a run moves it one state on: queued → running → terminal
    missing: frozenset[str] = frozenset()  # ids answered with 404
    # The coverage draw: optional fields absent and nullable ones null in some runs (contract and
    # fuzz tests); by default every field a provider sends is there, as a real run has it.
    coverage: bool = False
    # The request log keeps the newest this many requests (0: none), so a long-running emulator
    # stays small.
    request_log_size: int = 1000
    # Chosen runs: (provider, path ids) -> what to serve for that run.
    runs: dict[tuple[str, tuple[str, ...]], RunOverride] = field(default_factory=dict)


@dataclass
class LoggedRequest:
    method: str
    raw_path: str  # path and query exactly as sent, percent-encoding included
    headers: dict[str, str]  # without the key's header (Authorization, or the provider's own)
    status: int = 0
    fault: str | None = None
    request_id: str = ""  # the X-Request-Id the answer carried
    seconds: float = 0.0  # from the request's arrival to its answer's head


@dataclass(frozen=True)
class Route:
    provider: str
    operation: str  # operationId
    pattern: tuple[str | None, ...]  # literal segments, None for a parameter
    names: tuple[str, ...]  # the parameters, in path order


@functools.cache
def routes() -> tuple[Route, ...]:
    """Every provider's GET operations, from the paths of its spec."""
    found = []
    for info in registry.all_providers():
        for operation in info.operations.values():
            if operation.method != "GET":
                continue
            segments = operation.path.split("/")[1:]
            pattern = tuple(None if s.startswith("{") else s for s in segments)
            names = tuple(s[1:-1] for s in segments if s.startswith("{"))
            found.append(Route(info.name, operation.operation_id, pattern, names))
    return tuple(found)


def _id_problem(route: Route, ids: dict[str, str]) -> str | None:
    """Why these path ids are not this provider's: the spec's parameter checks, the schema of the
    body field that echoes each id, and the overlay's own check."""
    info = registry.get(route.provider)
    for parameter in info.operations[route.operation].path_parameters:
        if problem := parameter.problem(ids[parameter.name]):
            return problem
    for probe in walker(info).echo_probes:  # made once per provider, not per request
        if probe.name in ids and (problem := probe.problem(ids[probe.name])):
            return problem
    check = attribute(route.provider, "check_ids", None)
    return check(ids) if check is not None else None


def _run_ids(
    info: registry.ProviderInfo, path_ids: Mapping[str, str], runs: Mapping[tuple[str, tuple[str, ...]], Any]
) -> tuple[str, ...]:
    """The ids of the run a request is about. An operation scoped by a parent (a thread's
    history, asked for by `thread_id` alone) is served from the newest chosen run under that
    parent, else from the parent's own draw (the ids it leaves out empty)."""
    names = [parameter.name for parameter in info.ref_parameters]
    if all(name in path_ids for name in names):
        return tuple(path_ids[name] for name in names)
    under = [
        ids
        for provider, ids in runs
        if provider == info.name and all(ids[i] == path_ids[name] for i, name in enumerate(names) if name in path_ids)
    ]
    return under[-1] if under else tuple(path_ids.get(name, "") for name in names)


def match(raw_path: str) -> tuple[Route, dict[str, str]] | str | None:
    """The route and ids a raw path addresses; a reason when it has a route's shape but ids no
    provider accepts; None when nothing has its shape."""
    segments = raw_path.split("/")[1:]
    prefixed = segments[0] if segments and segments[0] in registry.names() else None
    if prefixed:
        segments = segments[1:]
    reason = None
    for route in routes():
        if (prefixed and route.provider != prefixed) or len(segments) != len(route.pattern):
            continue
        values: list[str] = []
        for literal, segment in zip(route.pattern, segments, strict=True):
            if literal is None:
                values.append(unquote(segment))
            elif literal != segment:
                break
        else:
            ids = dict(zip(route.names, values, strict=True))
            problem = _id_problem(route, ids)
            if problem is None:
                return route, ids
            reason = reason or problem
    return reason


@functools.lru_cache(maxsize=64)
def encoded_body(
    route: Route,
    ids: tuple[str, ...],
    seed: int,
    steps: int,
    status: str | None,
    query: str,
    coverage: bool,
    url: str = "",
) -> bytes:
    """A response body, encoded (`url`: the request's, without its query, which a next URL
    repeats). Cached: benchmarks ask for the same runs many times, and a 1 MB run takes far
    longer to draw than to send."""
    run = draft(route.provider, ids, seed=seed, steps=steps, status=status, coverage=coverage)
    return orjson.dumps(respond(run, route.operation, parse_qs(query, keep_blank_values=True), url))


def request_id() -> str:
    """An id in the shape providers give theirs, sent on every answer (errors included)."""
    return f"req_{uuid.uuid4().hex[:16]}"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


ERROR_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}


@functools.cache
def error_schema(provider: str) -> Any:
    """The schema of the provider's error bodies: the first error response its run operation
    declares (404, 429, ...), or None."""
    info = registry.get(provider)
    operation = info.run_operation
    for status, response in info.spec["paths"][operation.path][operation.method.lower()]["responses"].items():
        if str(status)[0] in "45" or status == "default":
            content = walker(info).resolve_response(response).get("content", {}).get("application/json")
            if content is not None:
                return walker(info).resolve(content["schema"])
    return None


def error_body(status: int, message: str, provider: str | None = None) -> Any:
    """An error body of the provider's own shape: case.dev's `{error, message}`, OpenAI's
    `{error: {message, type, param, code}}` (the shape its spec's error responses have)."""
    code = ERROR_CODES.get(status, "server_error" if status >= 500 else "error")
    if provider is None or (schema := error_schema(provider)) is None:
        return {"error": code, "message": message}
    own = attribute(provider, "ERROR_FIELDS", {}).get(500 if status >= 500 else status, {})
    return _error_value(registry.get(provider), schema, status, code, message, own)


def _error_value(
    info: registry.ProviderInfo, schema: Any, status: int, code: str, message: str, own: Mapping[str, Any]
) -> Any:
    """An error body of any JSON type its schema says: an object filled as `_filled` fills it,
    a string the message (a JSON string, as LangGraph's servers answer), a number the status,
    an array of one such value; a schema that names no type, the emulator's own object."""
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else [k for k in kind or () if k != "null"]
    if "properties" in schema or "object" in kinds:
        return _filled(info, schema, code, message, own)
    if "string" in kinds:
        return message
    if "integer" in kinds or "number" in kinds:
        return status
    if "array" in kinds:
        return [_error_value(info, walker(info).resolve(schema.get("items", {})), status, code, message, own)]
    return {"error": code, "message": message}


def _filled(
    info: registry.ProviderInfo, schema: Any, code: str, message: str, own: Mapping[str, Any]
) -> dict[str, Any]:
    """An error object of `schema`: its message field says `message`, its error, type and code
    fields say what the provider's overlay gives for the status (`own`), else `code`, its nested
    objects likewise, and its other required fields are null."""
    body: dict[str, Any] = {}
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        target = walker(info).resolve(prop)
        options = [
            walker(info).resolve(o) for o in target.get("anyOf", ()) if walker(info).resolve(o).get("type") != "null"
        ]
        target = options[0] if options else target
        if name == "message":
            body[name] = message
        elif target.get("type") == "object" or "properties" in target:
            body[name] = _filled(info, target, code, message, own)
        elif name in ("error", "type", "code"):
            body[name] = own.get(name, code)
        elif name in required:
            body[name] = None
    return body


@functools.cache
def _key_headers() -> frozenset[str]:
    """Every header a provider's key travels in (left out of the request log)."""
    return frozenset({"authorization", *(info.auth.header.lower() for info in registry.all_providers())})


def _key_of(request: Request, info: registry.ProviderInfo) -> str | None:
    """The key a request carries the way `info`'s spec says it is sent, or None when it has none."""
    raw = request.headers.get(info.auth.header)
    if raw is None or not raw.startswith(info.auth.prefix):
        return None
    return raw[len(info.auth.prefix) :]


class EmulatorApp:
    """One ASGI app serving every provider. Thread-safe: tests read `requests` from another thread."""

    def __init__(
        self, config: EmulatorConfig | None = None, on_request: Callable[[LoggedRequest], None] | None = None
    ) -> None:
        self._lock = threading.Lock()
        self.on_request = on_request  # called with each request once answered (`agentruns emulate` prints it)
        self.reset(config or EmulatorConfig())

    def reset(self, config: EmulatorConfig) -> None:
        """Serve `config` from now on, with a fresh state: no requests logged, no polls counted,
        the fault sequence from its seed. A server shared by many tests is reset between them."""
        with self._lock:
            self.config: EmulatorConfig = config
            self._requests: deque[LoggedRequest] = deque(maxlen=config.request_log_size)
            self._polls: dict[tuple[str, tuple[str, ...]], int] = {}
            self._fault_rng = random.Random(config.seed)

    @property
    def requests(self) -> list[LoggedRequest]:
        """The newest requests, oldest first (a copy: the log goes on filling)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _next_fault(self) -> str | None:
        with self._lock:
            if self.config.fault_rate <= 0 or self._fault_rng.random() >= self.config.fault_rate:
                return None
            return self._fault_rng.choice(self.config.faults)

    def _poll(self, key: tuple[str, tuple[str, ...]], advance: bool) -> int:
        with self._lock:
            count = self._polls.get(key, 0)
            if advance:
                self._polls[key] = count + 1
                return count
            return max(count - 1, 0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        arrived = time.monotonic()
        request = Request(scope, receive)
        raw_path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        query = scope.get("query_string", b"").decode("latin-1")
        entry = LoggedRequest(
            method=request.method,
            raw_path=raw_path + (f"?{query}" if query else ""),
            headers={k: v for k, v in request.headers.items() if k.lower() not in _key_headers()},
            request_id=request_id(),
        )
        with self._lock:
            self._requests.append(entry)
        if self.config.latency > 0:
            await asyncio.sleep(self.config.latency)
        response, body_fault = await self._respond(request, raw_path, query, entry)
        response.headers["X-Request-Id"] = entry.request_id  # on every answer, as the providers send it
        entry.status = response.status_code
        entry.seconds = time.monotonic() - arrived
        if self.on_request is not None:
            self.on_request(entry)
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
            return _json(404, error_body(404, f"no route for {request.method} {raw_path}")), None
        if isinstance(found, str):  # no provider takes these ids: any provider's key may ask
            if not any(_key_of(request, info) == token_for(info, config.token) for info in registry.all_providers()):
                return _json(401, error_body(401, "missing or invalid bearer token")), None
            return _json(404, error_body(404, found)), None
        route, path_ids = found
        info = registry.get(route.provider)
        provider = route.provider
        given = _key_of(request, info)
        if given != token_for(info, config.token) and not (given is None and info.auth.optional):
            why = f"missing or invalid {'bearer token' if info.auth.prefix else info.auth.header}"
            if info.key_prefix and given and not given.startswith(info.key_prefix):
                why = f"{info.title} API keys start with {info.key_prefix}"
            return _json(401, error_body(401, why, provider)), None
        ids = _run_ids(info, path_ids, config.runs)
        chosen = config.runs.get((route.provider, ids), RunOverride())
        if any(i in config.missing for i in ids) or chosen.error == 404:
            return _json(404, error_body(404, "no such run", provider)), None
        if chosen.error is not None:
            return _json(chosen.error, error_body(chosen.error, f"emulated HTTP {chosen.error}", provider)), None
        fault = self._next_fault()
        entry.fault = fault
        if fault == "rate_limit":
            headers = {"Retry-After": config.retry_after}
            return _json(429, error_body(429, "slow down", provider), headers), None
        if fault == "server_error":
            with self._lock:
                code = self._fault_rng.choice((500, 502, 503))
            return _json(code, error_body(code, "emulated failure", provider)), None
        if fault == "slow":
            await asyncio.sleep(config.slow_seconds)
        run_status = chosen.status
        if config.lifecycle:
            states = lifecycle(route.provider)
            # A run fetched in several requests moves on when its run operation is asked again.
            poll = self._poll((route.provider, ids), advance=route.operation == info.run_operation.operation_id)
            if poll < len(states):
                run_status = states[poll]
            elif run_status is None:
                run_status = terminal_status_for(route.provider, ids, config.seed)
        link: dict[str, str] = {}
        steps = config.steps if chosen.steps is None else chosen.steps
        style = info.page_style(route.operation)
        # What a next URL repeats; only a page style that names one needs it (and the cache key).
        url = (
            f"{request.url.scheme}://{request.url.netloc}{raw_path}" if style is not None and style.whole_query else ""
        )
        answer: Any = None  # the whole list, where a Link header must be worked out from it
        if chosen.body is not None and route.operation == info.run_operation.operation_id:
            body = orjson.dumps(chosen.body)
        elif route.operation in chosen.bodies:  # a chosen list is paged as its provider pages it
            answer = chosen.bodies[route.operation]
            body = orjson.dumps(page_of(info, route.operation, answer, parse_qs(query, keep_blank_values=True), url))
        else:
            body = encoded_body(route, ids, config.seed, steps, run_status, query, config.coverage, url)
        if style is not None and style.with_headers:  # the next page in a Link header
            if answer is None:
                run = draft(provider, ids, seed=config.seed, steps=steps, status=run_status, coverage=config.coverage)
                answer = respond(run, route.operation, None)
            if following := next_link(info, route.operation, answer, url, query):
                link["Link"] = following
        response = Response(body, media_type="application/json", headers=link)
        return response, fault if fault in ("drop", "truncate") else None
