"""A local emulator of every provider's run endpoints, for tests, demos and users' own suites.

    from agentruns.testing import Emulator
    with Emulator() as emu: ...

With agentruns installed, pytest also gets the `agentruns_emulator` fixture."""

from .app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorApp, EmulatorConfig, LoggedRequest
from .data import make_run
from .emulator import Emulator

__all__ = ["DEFAULT_TOKEN", "FAULT_KINDS", "Emulator", "EmulatorApp", "EmulatorConfig", "LoggedRequest", "make_run"]
