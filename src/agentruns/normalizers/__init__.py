"""Map any provider's run model onto the one AgentRun shape: `normalize(model)`.

One module per provider, named after it, holds its mapping (`normalize_run`) and its status
table (`STATUS_TABLE`); the provider is found from the model's own module, through the registry."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import Any

from agentruns_model import AgentRun

from .. import registry


def normalizer_for(provider: str) -> Callable[[Any, str | None], AgentRun]:
    """The provider's mapping: `agentruns.normalizers.<provider>.normalize_run`."""
    function: Callable[[Any, str | None], AgentRun] = importlib.import_module(f"{__name__}.{provider}").normalize_run
    return function


def status_table(provider: str) -> dict[str, Any]:
    """The provider's status table: its raw status values → RunStatus."""
    table: dict[str, Any] = importlib.import_module(f"{__name__}.{provider}").STATUS_TABLE
    return table


_NORMALIZERS: dict[type[Any], Callable[[Any, str | None], AgentRun]] = {}


def _normalizer_of(model_class: type[Any]) -> Callable[[Any, str | None], AgentRun]:
    # Looked up once per model class: bulk work normalizes every run it fetches.
    found = _NORMALIZERS.get(model_class)
    if found is None:
        try:
            provider = registry.provider_of(model_class.__module__)
        except registry.UnknownProviderError:
            raise TypeError(f"not a provider run model: {model_class.__qualname__}") from None
        found = _NORMALIZERS[model_class] = normalizer_for(provider.name)
    return found


def normalize(model: Any, ref: str | None = None) -> AgentRun:
    """The AgentRun view of a provider's run model (as returned by any client's `get_run`)."""
    normalizer = _normalizer_of(type(model))
    if not gc.isenabled():
        return normalizer(model, ref)
    # A big run makes thousands of Step objects; the cyclic GC would walk them over and over while
    # they are built (see agentruns._judge.decode), so it waits until the run is done.
    gc.disable()
    try:
        return normalizer(model, ref)
    finally:
        gc.enable()


__all__ = ["normalize", "normalizer_for", "status_table"]
