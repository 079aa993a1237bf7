"""Every provider's name, read without importing any provider: one per spec, as `make regen`
writes its clients (agentruns/clients/<name>.py). Nothing else lists the providers."""

from __future__ import annotations

import functools
import os


@functools.cache
def names() -> tuple[str, ...]:
    """Every provider's name, sorted."""
    # A folder listing, not pkgutil: pkgutil imports inspect, which would double `import agentruns`.
    folder = os.path.join(os.path.dirname(__file__), "clients")
    return tuple(sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py") and not name.startswith("_")))


__all__ = ["names"]
