"""A local emulator of every provider's run endpoints, for tests, demos and users' own suites.

    from agentruns.testing import Emulator
    with Emulator() as emu: ...

With agentruns installed, pytest also gets the `agentruns_emulator` fixture. The emulator needs
the `testing` extra (starlette, uvicorn); the names below load on first use, so that the pytest
plugin, which lives here, imports in any environment."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    **dict.fromkeys(("DEFAULT_TOKEN", "FAULT_KINDS", "EmulatorApp", "EmulatorConfig", "LoggedRequest"), ".app"),
    **dict.fromkeys(("EmulatorOptions", "EmulatorOptionError", "RunChoice"), ".options"),
    "Emulator": ".emulator",
    **dict.fromkeys(("make_run", "sample_ids"), ".data"),
}


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorApp, EmulatorConfig, LoggedRequest
    from .data import make_run, sample_ids
    from .emulator import Emulator
    from .options import EmulatorOptionError, EmulatorOptions, RunChoice

__all__ = [
    "DEFAULT_TOKEN",
    "FAULT_KINDS",
    "Emulator",
    "EmulatorApp",
    "EmulatorConfig",
    "EmulatorOptionError",
    "EmulatorOptions",
    "LoggedRequest",
    "RunChoice",
    "make_run",
    "sample_ids",
]
