"""Shared fixtures. Helpers (spec_tools, emulator_cases) live beside the tests."""

import sys
from pathlib import Path

import pytest

from agentruns import _http

pytest_plugins = ["pytester"]

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the retry loop asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(_http, "sleep", asked.append)

    async def record(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(_http, "async_sleep", record)
    return asked
