"""Map any provider's run model onto the one AgentRun shape: `normalize(model)`.

One module per provider, named after it, registers its mapping for the models its runs come as
(`@normalizes(Execution)`); the shared part of every run (provider, ref and ids, status from the
declared table, terminal or not, native model, request id) is filled from the spec's
declaration before it runs (see _frame), so a mapping gives only what is particular to its
provider. A model's provider is its generated package's (or its plan module's)."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from agentruns_model import AgentRun

from .. import registry
from ..errors import AgentRunsError, UnexpectedError
from ._frame import Frame, status_table

Mapping_ = Callable[[Any, Frame], AgentRun]
F = TypeVar("F", bound=Callable[..., AgentRun])

_REGISTERED: dict[type[Any], Mapping_] = {}
_FOUND: dict[type[Any], tuple[Mapping_, registry.ProviderInfo]] = {}


def normalizes(*model_classes: type[Any]) -> Callable[[F], F]:
    """Register the decorated `normalize_run(run, frame) -> AgentRun` as the mapping of runs of
    `model_classes` (what the provider's `get_run` returns)."""

    def register(function: F) -> F:
        for model_class in model_classes:
            _REGISTERED[model_class] = function
        return function

    return register


def _normalizer_of(model_class: type[Any]) -> tuple[Mapping_, registry.ProviderInfo]:
    # Looked up once per model class: bulk work normalizes every run it fetches.
    found = _FOUND.get(model_class)
    if found is None:
        try:
            info = registry.provider_of(model_class.__module__)
        except registry.UnknownProviderError:
            raise TypeError(f"not a provider run model: {model_class.__qualname__}") from None
        try:
            importlib.import_module(f"{__name__}.{info.name}")  # its module registers its mappings
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{info.name}":
                raise  # the module is there, and imports something that is not
            raise TypeError(
                f"{info.name} has no normalizer: write src/agentruns/normalizers/{info.name}.py, a function "
                f"decorated with @normalizes({model_class.__qualname__}) (docs/guide/adding-a-provider.md)"
            ) from None
        mapping = _REGISTERED.get(model_class)
        if mapping is None:
            raise TypeError(
                f"agentruns.normalizers.{info.name} maps no {model_class.__qualname__}: "
                f"decorate its normalize_run with @normalizes({model_class.__qualname__})"
            )
        found = _FOUND[model_class] = (mapping, info)
    return found


def normalize(model: Any, ref: str | None = None) -> AgentRun:
    """The AgentRun view of a provider's run model (as returned by any client's `get_run`).
    A mapping that fails on a model (one built by hand with a wrong type in a field, or a case
    the mapping misses) raises `UnexpectedError` naming the provider and the model, its cause
    chained: never a bare error from inside the mapping. The model itself is left as it was."""
    mapping, info = _normalizer_of(type(model))
    frame = Frame(info, model, ref)
    enabled = gc.isenabled()
    # A big run makes thousands of Step objects; the cyclic GC would walk them over and over while
    # they are built (see agentruns._judge.decode), so it waits until the run is done.
    if enabled:
        gc.disable()
    try:
        return mapping(model, frame)
    except AgentRunsError:
        raise
    except Exception as error:
        raise UnexpectedError(
            f"could not map this {type(model).__qualname__} onto an AgentRun: {type(error).__name__}: {error}. "
            "The model is as it was: read its fields directly, and report this with the body it came from",
            provider=info.name,
            operation="normalize",
        ) from error
    finally:
        if enabled:
            gc.enable()


__all__ = ["Frame", "normalize", "normalizes", "status_table"]
