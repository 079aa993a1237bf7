"""One module per provider, named after its spec (`specs/<name>.yaml`): its fetch, declared once,
and its two clients. Nothing else lists the providers: `names()` reads this folder."""

from __future__ import annotations

import functools
import os


@functools.cache
def names() -> tuple[str, ...]:
    """Every provider's name, sorted (read without importing any provider)."""
    # A folder listing, not pkgutil: pkgutil imports inspect, which would double `import agentruns`.
    files = (name for folder in __path__ for name in os.listdir(folder))
    return tuple(sorted({name[:-3] for name in files if name.endswith(".py") and not name.startswith("_")}))
