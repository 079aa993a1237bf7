"""Deterministic runs for the emulator, drawn from each provider's spec.

The same (provider, ids, seed) gives the same run. Every body is drawn from the schema of its
operation's 200 response (bodies.py), then made coherent by the provider's overlay (overlays/).
Statuses, the lifecycle a run plays and its terminal states all follow from the spec's status
enum and its declared status table (`x-agentruns: statuses`), so a spec change reaches the
emulator with `make regen` alone."""

from __future__ import annotations

import copy
import functools
import hashlib
import random
import uuid
from collections.abc import Mapping
from typing import Any

from agentruns_model import RunStatus

from .. import _pointer, registry
from ..normalizers import status_table
from ..normalizers._common import TERMINAL as TERMINAL_STATUSES
from . import bodies
from .overlays import RunDraft, attribute
from .pages import page_of
from .schemas import walker


def statuses(provider: str) -> tuple[str, ...]:
    """The status values the emulator draws: the spec's enum, or for an open set the first value
    its declared table (`x-agentruns: statuses`) lists for each normalized status (the others
    are other spellings it also reads: Backside's `canceled` beside `cancelled`)."""
    closed = walker(registry.get(provider)).statuses
    if closed is not None:
        return closed
    first: dict[str, str] = {}
    for raw, normalized in registry.get(provider).statuses.items():
        first.setdefault(normalized, raw)
    return tuple(first.values())


def realistic_statuses(provider: str) -> tuple[str, ...]:
    """The status values a realistic run has: those its provider's table places (n8n's own
    `unknown` is for the coverage draw, and for a run asked for by status)."""
    every = statuses(provider)
    return tuple(s for s in every if _normalized(provider, s) is not RunStatus.UNKNOWN) or every


def _normalized(provider: str, status: str) -> RunStatus:
    status_of: RunStatus = status_table(provider).get(status, RunStatus.UNKNOWN)
    return status_of


def lifecycle(provider: str) -> tuple[str, ...]:
    """The states a run passes through before it ends, in the spec's order (paused ones, and ones
    its table cannot place, left out)."""
    left_out = (*TERMINAL_STATUSES, RunStatus.WAITING, RunStatus.UNKNOWN)
    return tuple(s for s in statuses(provider) if _normalized(provider, s) not in left_out)


def terminal(provider: str) -> tuple[str, ...]:
    return tuple(s for s in statuses(provider) if _normalized(provider, s) in TERMINAL_STATUSES)


def rng_for(provider: str, ids: tuple[str, ...], seed: int) -> random.Random:
    digest = hashlib.sha256("\x1f".join((provider, str(seed), *ids)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def variant_of(provider: str, ids: tuple[str, ...], seed: int) -> int:
    # Any block: the low digits give coverage, the block gives siblings their own combinations.
    return rng_for(provider, (*ids, "variant"), seed).randrange(bodies.variants() * 1024)


def terminal_status_for(provider: str, ids: tuple[str, ...], seed: int) -> str:
    """Where a run ends when the emulator plays its lifecycle."""
    return rng_for(provider, (*ids, "terminal"), seed).choice(terminal(provider))


def sample_ids(provider: str, n: int) -> tuple[str, ...]:
    """The n-th run's path ids, in a shape the emulator accepts: a UUID where the spec says
    uuid, else the parameter's example with its tail made unique (adpl_1234abcd -> adpl_0000002a)."""
    ids = []
    for parameter in registry.get(provider).ref_parameters:
        given = (*parameter.schema.get("examples", ()), parameter.schema.get("example"))
        examples = [e for e in given if isinstance(e, str)]
        if parameter.schema.get("format") == "uuid":
            ids.append(str(uuid.UUID(int=n * 7919 + 1, version=4)))
        elif examples:
            head, sep, tail = examples[0].partition("-" if "-" in examples[0] else "_")
            try:
                uuid.UUID(tail)
                unique = uuid.UUID(int=n * 7919 + 1, version=4)
                tail = str(unique) if "-" in tail else unique.hex  # in the example's own spelling
            except ValueError:
                tail = f"{n:0{max(len(tail), 1)}x}"
            ids.append(f"{head}{sep}{tail}")
        else:
            ids.append(f"{parameter.name}_{n}")
    return tuple(ids)


@functools.lru_cache(maxsize=256)
def _draft(
    provider: str, ids: tuple[str, ...], seed: int, steps: int, status: str | None, variant: int | None, coverage: bool
) -> RunDraft:
    info = registry.get(provider)
    rng = rng_for(provider, ids, seed)
    variant = variant_of(provider, ids, seed) if variant is None else variant
    drawn: dict[str, Any] = {}
    path_ids = dict(zip((p.name for p in info.ref_parameters), ids, strict=True))
    for operation in info.operations.values():
        if operation.method != "GET" or not {p.name for p in operation.path_parameters} <= set(path_ids):
            continue
        schema = walker(info).response_schema(operation)
        drawn[operation.operation_id] = bodies.draw(
            info, schema, variant=variant, rng=rng, list_length=steps, coverage=coverage
        )
    run_body = drawn[info.run_operation.operation_id]
    at = info.status_at
    # A body whose schema has no status field says none: the run gets one drawn all the same,
    # which its overlay makes the parts say the provider's way (a task is where its steps are).
    has_field = walker(info).says_status
    if status is None and (not has_field or (isinstance(run_body, dict) and _pointer.read(run_body, at) is not None)):
        status = _pointer.read(run_body, at) if has_field else None
        choices = statuses(provider) if coverage else realistic_statuses(provider)
        if walker(info).statuses is None or status not in choices:  # an open set: the declared table lists what to draw
            status = choices[bodies.Draw(info, variant, rng, steps).choose(variant, 1, "$.status", len(choices))]
    if status is not None and has_field:
        run_body = drawn[info.run_operation.operation_id] = _pointer.write(run_body, at, status)
    for parameter, pointer in info.echo.items():
        if parameter in path_ids and _pointer.read(run_body, pointer) is not None:  # left out (or null) stays so
            run_body = drawn[info.run_operation.operation_id] = _pointer.write(run_body, pointer, path_ids[parameter])
    draft = RunDraft(
        provider=info,
        ids=path_ids,
        status=status,
        terminal=status is not None and _normalized(provider, status) in TERMINAL_STATUSES,
        bodies=drawn,
        rng=rng,
        steps=steps,
        coverage=coverage,
    )
    cohere = attribute(provider, "cohere", None)
    if cohere is not None:
        cohere(draft)
    return draft


def draft(
    provider: str,
    ids: tuple[str, ...],
    *,
    seed: int = 0,
    steps: int = 8,
    status: str | None = None,
    variant: int | None = None,
    coverage: bool = False,
) -> RunDraft:
    """The emulated run `ids` of `provider`: every operation's body, coherent (`coverage`: the
    draw that also varies which optional fields are absent and which nullable ones null)."""
    return _draft(provider, tuple(ids), seed, steps, status, variant, coverage)


def respond(run: RunDraft, operation: str, query: Mapping[str, list[str]] | None, url: str = "") -> Any:
    """What the emulator answers for `operation` of `run` to a query (None: the complete run) sent
    to `url`: the overlay's answer or the drawn body, one page of it for a list operation (see
    pages.py; a next URL repeats `url`)."""
    custom = attribute(run.provider.name, "respond", None)
    answer = custom(run, operation, query) if custom is not None else run.bodies[operation]
    return page_of(run.provider, operation, answer, query, url)


def make_run(
    provider: str,
    ids: tuple[str, ...],
    *,
    seed: int = 0,
    steps: int = 8,
    status: str | None = None,
    variant: int | None = None,
    query: Mapping[str, list[str]] | None = None,
    coverage: bool = False,
) -> Any:
    """The run operation's body for the run `ids`, as the provider's API would return it (for
    the query `query`; None: what the client's `get_run` asks for, the complete run)."""
    run = draft(provider, ids, seed=seed, steps=steps, status=status, variant=variant, coverage=coverage)
    return copy.deepcopy(respond(run, registry.get(provider).run_operation.operation_id, query))
