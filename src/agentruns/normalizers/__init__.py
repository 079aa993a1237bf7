"""Map any provider's run model onto the one AgentRun shape: `normalize(model)`.

One module per provider holds its mapping and its status table (STATUS_TABLE)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from agentruns_model import AgentRun

from .backside import normalize_backside
from .casedev import normalize_casedev
from .middesk import normalize_middesk
from .nsrocks import normalize_nsrocks

_BY_PACKAGE: dict[str, Callable[[Any, str | None], AgentRun]] = {
    "agentruns_backside": normalize_backside,
    "agentruns_middesk": normalize_middesk,
    "agentruns_casedev": normalize_casedev,
    "agentruns_nsrocks": normalize_nsrocks,
}


def normalize(model: Any, ref: str | None = None) -> AgentRun:
    """The AgentRun view of a provider's run model (as returned by any client's `get_run`)."""
    normalizer: Callable[[Any, str | None], AgentRun] | None = _BY_PACKAGE.get(type(model).__module__.split(".", 1)[0])
    if normalizer is None:
        raise TypeError(f"not a provider run model: {type(model).__qualname__}")
    if not gc.isenabled():
        return normalizer(model, ref)
    # A big run makes thousands of Step objects; the cyclic GC would walk them over and over while
    # they are built (see agentruns._http.decode), so it waits until the run is done.
    gc.disable()
    try:
        return normalizer(model, ref)
    finally:
        gc.enable()


__all__ = ["normalize"]
