"""The emulator's options, one set for every way in: `Emulator(...)`, `emu.reset(...)`, the pytest
marker `@pytest.mark.agentruns_emulator(...)` and `agentruns emulate`. Each is checked here, so a
misspelled or out-of-range option is one clear error wherever it was given."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from agentruns_model import RunStatus

from .. import registry
from ..normalizers import status_table
from ..refs import RunRef
from .app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorConfig, RunOverride, token_for
from .data import statuses
from .schemas import walker


class RunChoice(TypedDict, total=False):
    """What to serve for one chosen run (see `Emulator.set_run`)."""

    status: str
    body: Mapping[str, Any]
    bodies: Mapping[str, Any]  # the body of each of the run's other operations, by operationId
    error: int
    steps: int


class EmulatorOptions(TypedDict, total=False):
    """Every option of the emulator; each is optional."""

    token: str  # the secret of every provider's key: its key prefix, then this ("emulator")
    seed: int  # run data and the fault sequence follow from it (0)
    steps: int  # steps per run (8)
    fault_rate: float  # share of requests answered with a fault, 0 to 1 (0)
    faults: Iterable[str]  # which faults: rate_limit, server_error, slow, drop, truncate (all)
    slow_seconds: float  # how long a `slow` fault holds the answer (2.0)
    latency: float  # seconds added before every answer (0)
    lifecycle: bool  # each poll of a run moves it one state on, to a terminal one (False)
    missing: Iterable[str]  # runs answered with 404: refs ("casedev:run_9") or bare ids
    coverage: bool  # vary absent and null fields over the id space, for contract tests (False)
    request_log_size: int  # requests the log keeps, newest first (1,000)
    runs: Mapping[str, RunChoice]  # chosen runs by ref: {"casedev:run_42": {"status": "failed"}}


OPTION_NAMES = frozenset(EmulatorOptions.__annotations__)


class EmulatorOptionError(ValueError):
    """An emulator option that is unknown or out of range; the message names it."""


def _refuse(name: str, why: str) -> EmulatorOptionError:
    return EmulatorOptionError(f"emulator option {name}: {why}")


def config_from(options: Mapping[str, Any]) -> EmulatorConfig:
    """The configuration `options` describe, each checked."""
    for name in options:
        if name not in OPTION_NAMES:
            close = difflib.get_close_matches(name, OPTION_NAMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(OPTION_NAMES))}"
            raise EmulatorOptionError(f"unknown emulator option {name!r}{hint}")
    faults = tuple(options.get("faults", FAULT_KINDS))
    if unknown := set(faults) - set(FAULT_KINDS):
        raise _refuse("faults", f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}")
    fault_rate = float(options.get("fault_rate", 0.0))
    if not 0.0 <= fault_rate <= 1.0:
        raise _refuse("fault_rate", f"must be between 0 and 1, got {fault_rate}")
    for name in ("latency", "slow_seconds"):
        if float(options.get(name, 0.0)) < 0:
            raise _refuse(name, f"must be >= 0 seconds, got {options[name]}")
    for name in ("steps", "request_log_size"):
        value = options.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _refuse(name, f"must be an int >= 0, got {value!r}")
    runs: dict[tuple[str, tuple[str, ...]], RunOverride] = {}
    missing: set[str] = set()
    for entry in options.get("missing", ()):
        if ":" in entry and entry.partition(":")[0] in registry.names():
            runs[run_key(entry)] = RunOverride(error=404)
        else:
            missing.add(entry)
    for ref, choice in options.get("runs", {}).items():
        unknown_keys = set(choice) - set(RunChoice.__annotations__)
        if unknown_keys:
            raise _refuse(
                f"runs[{ref!r}]", f"unknown keys {sorted(unknown_keys)}; known: status, body, bodies, error, steps"
            )
        runs[run_key(ref)] = checked_override(ref, **choice)
    return EmulatorConfig(
        token=options.get("token", DEFAULT_TOKEN),
        seed=options.get("seed", 0),
        steps=options.get("steps", 8),
        fault_rate=fault_rate,
        faults=faults,
        slow_seconds=options.get("slow_seconds", 2.0),
        latency=float(options.get("latency", 0.0)),
        lifecycle=bool(options.get("lifecycle", False)),
        missing=frozenset(missing),
        coverage=bool(options.get("coverage", False)),
        request_log_size=options.get("request_log_size", 1000),
        runs=runs,
    )


def run_key(ref: str) -> tuple[str, tuple[str, ...]]:
    """(provider, path ids) of a ref; EmulatorOptionError (naming the ref) when it does not parse."""
    try:
        parsed = RunRef.parse(ref)
    except ValueError as error:
        raise EmulatorOptionError(f"not a run reference: {error}") from None
    return parsed.provider, parsed.ids


def provider_status(provider: str, status: str) -> str:
    """The provider's own status for `status`: one of its values as it is, or a normalized one
    ("succeeded") as the first of the provider's values that maps to it."""
    known = statuses(provider)
    if status in known:
        return status
    if status in {member.value for member in RunStatus}:
        table = status_table(provider)
        for raw in (*known, *table):
            if table.get(raw) == status:
                return raw
    if walker(registry.get(provider)).statuses is None:  # an open set takes any value
        return status
    normalized = sorted({str(value) for value in status_table(provider).values()})
    raise _refuse(
        "status",
        f"{status!r} is not a {provider} status; known: {', '.join(known)} (or normalized: {', '.join(normalized)})",
    )


def checked_override(
    ref: str,
    status: str | None = None,
    body: Mapping[str, Any] | None = None,
    bodies: Mapping[str, Any] | None = None,
    error: int | None = None,
    steps: int | None = None,
) -> RunOverride:
    provider, _ = run_key(ref)
    if body is not None and not isinstance(body, Mapping):
        raise _refuse("body", f"must be a JSON object (a mapping), got {type(body).__name__}")
    operations = registry.get(provider).operations
    for operation in bodies or {}:
        if operation not in operations:
            raise _refuse("bodies", f"{operation!r} is no operation of {provider}; known: {', '.join(operations)}")
    if error is not None and (isinstance(error, bool) or not isinstance(error, int) or not 400 <= error <= 599):
        raise _refuse("error", f"must be an HTTP error status (400-599), got {error!r}")
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps < 0):
        raise _refuse("steps", f"must be an int >= 0, got {steps!r}")
    return RunOverride(
        status=provider_status(provider, status) if status is not None else None,
        body=dict(body) if body is not None else None,
        bodies=dict(bodies) if bodies is not None else {},
        error=error,
        steps=steps,
    )


def environ_for(url: str, token: str) -> dict[str, str]:
    """Every provider's key and base URL variables, pointing at the emulator at `url` (each under
    its own `/<provider>` prefix, so no two providers' paths can be confused); `token` is the
    secret of the keys (see token_for)."""
    variables: dict[str, str] = {}
    for info in registry.all_providers():
        variables[info.api_key_variable] = token_for(info, token)
        variables[info.base_url_variable] = f"{url}/{info.name}"
    return variables
