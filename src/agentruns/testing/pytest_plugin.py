"""pytest plugin (registered through the `pytest11` entry point): the emulator as fixtures.

    import pytest
    from agentruns import CasedevClient

    @pytest.mark.agentruns_emulator(runs={"casedev:run_42": {"status": "failed"}})
    def test_my_code(agentruns_emulator, agentruns_env):
        with CasedevClient() as client:          # key and base URL from the environment
            assert client.get_run("run_42").status == "failed"

- `agentruns_emulator`: the emulator for one test, configured by the test's
  `@pytest.mark.agentruns_emulator(**options)` marker (any `Emulator` option: fault_rate, faults,
  latency, lifecycle, missing, runs, steps, seed, coverage, token, …). It is the session's one
  server, reset to those options before the test and to the defaults after it, so a suite pays
  for one start (about 50 ms) however many tests use it.
- `agentruns_emulator_session`: that server itself, shared by the whole session; not reset.
- `agentruns_env`: every provider's `<PROVIDER>_API_KEY` and `<PROVIDER>_BASE_URL` pointed at
  `agentruns_emulator` for the test, so code that reads the environment talks to it.

The fixtures need the `testing` extra; without it, pytest still runs (this plugin imports
nothing of it until a fixture is used)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .emulator import Emulator

MARKER = "agentruns_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options of the agentruns_emulator fixture for this test (Emulator's keyword arguments)",
    )


@pytest.fixture(scope="session")
def agentruns_emulator_session() -> Iterator[Emulator]:
    """One emulator on 127.0.0.1 for the whole session, with the default options."""
    from . import Emulator

    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def agentruns_emulator(request: pytest.FixtureRequest, agentruns_emulator_session: Emulator) -> Iterator[Emulator]:
    """The emulator for one test: the session's server, reset to the options of the test's
    `@pytest.mark.agentruns_emulator(...)` marker (none: the defaults)."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.args:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword options only, got {marker.args!r}")
    emulator = agentruns_emulator_session
    emulator.reset(**(marker.kwargs if marker is not None else {}))
    try:
        yield emulator
    finally:
        emulator.reset()


@pytest.fixture
def agentruns_env(agentruns_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    """Every provider's key and base URL variables pointed at `agentruns_emulator` for this test."""
    for name, value in agentruns_emulator.environ().items():
        monkeypatch.setenv(name, value)
    return agentruns_emulator
