"""pytest plugin (registered through the `pytest11` entry point): the `agentruns_emulator` fixture.

def test_my_code(agentruns_emulator):
    client = CasedevClient(api_key=agentruns_emulator.token, base_url=agentruns_emulator.url)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .emulator import Emulator


@pytest.fixture
def agentruns_emulator() -> Iterator[Emulator]:
    """A fresh emulator on 127.0.0.1 for one test: no faults, seed 0, 8 steps per run."""
    with Emulator() as emulator:
        yield emulator
