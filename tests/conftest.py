"""Shared fixtures. Helpers (spec_tools, emulator_cases) live beside the tests."""

import sys
from pathlib import Path

import pytest

from agentruns import _request_loop

pytest_plugins = ["pytester"]

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the retry loop asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(_request_loop, "sleep", asked.append)

    async def record(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(_request_loop, "async_sleep", record)
    return asked
