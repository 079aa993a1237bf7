"""Ids and client factories shared by the tests that talk to the emulator over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

from agentruns import registry


def ids_for(provider: str, n: int) -> tuple[str, ...]:
    """The n-th run of a provider, as the path ids its endpoint takes."""
    run_uuid = str(uuid.UUID(int=n * 7919 + 1, version=4))
    return {
        "backside": ("contact_deduper", run_uuid),
        "middesk": (run_uuid,),
        "casedev": (f"run_{n}",),
        "nsrocks": (f"adpl_{n % 5}", f"adrun_{n}"),
    }[provider]


SYNC_CLIENTS: dict[str, Any] = {info.name: info.sync_client for info in registry.all_providers()}
ASYNC_CLIENTS: dict[str, Any] = {info.name: info.async_client for info in registry.all_providers()}
