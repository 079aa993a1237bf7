"""Ids and client factories shared by the tests that talk to the emulator over HTTP."""

from __future__ import annotations

from typing import Any

from agentruns import registry
from agentruns.testing.data import draft, make_run, sample_ids


def ids_for(provider: str, n: int) -> tuple[str, ...]:
    """The n-th run of a provider, as the path ids its endpoint takes (in a shape it accepts)."""
    return sample_ids(provider, n)


def run_with(provider: str, *paths: str, status: str | None = None, steps: int = 8, seed: int = 0) -> tuple[str, ...]:
    """The ids of the first sample run whose body has every dotted path in `paths` set (not absent,
    not null): the spec makes most parts optional, and a test about a part needs a run that has it."""
    for n in range(2000):
        ids = sample_ids(provider, n)
        body = make_run(provider, ids, status=status, steps=steps, seed=seed)
        if all(_get(body, path) is not None for path in paths):
            return ids
    raise LookupError(f"no {provider} run in the first 2000 has {paths}")


def run_with_status(provider: str, steps: int = 8) -> tuple[str, ...]:
    """The ids of the first sample run that says a status: in its body's status field (the
    draw leaves it out of some), or in its parts where the body has none."""
    for n in range(2000):
        ids = sample_ids(provider, n)
        if draft(provider, ids, steps=steps).status is not None:
            return ids
    raise LookupError(f"no {provider} run in the first 2000 says a status")


def _get(body: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(body, list):
            body = body[int(key)] if len(body) > int(key) else None
        elif isinstance(body, dict):
            body = body.get(key)
        else:
            return None
    return body


SYNC_CLIENTS: dict[str, Any] = {info.name: info.sync_client for info in registry.all_providers()}
ASYNC_CLIENTS: dict[str, Any] = {info.name: info.async_client for info in registry.all_providers()}
