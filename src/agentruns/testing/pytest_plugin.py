"""pytest plugin (registered through the `pytest11` entry point): the `agentruns_emulator` fixture.

def test_my_code(agentruns_emulator):
    client = CasedevClient(api_key=agentruns_emulator.token, base_url=agentruns_emulator.url)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .emulator import Emulator


@pytest.fixture
def agentruns_emulator() -> Iterator[Emulator]:
    """A fresh emulator on 127.0.0.1 for one test: no faults, seed 0, 8 steps per run. Needs the
    `testing` extra; without it, pytest still runs (this plugin imports nothing until used)."""
    from . import Emulator

    with Emulator() as emulator:
        yield emulator
