"""The emulator: deterministic runs, documented behaviour, faults, lifecycle, request log, CLI."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter

import httpx
import orjson
import pytest
from emulator_cases import SYNC_CLIENTS, ids_for, run_with

import agentruns
from agentruns import normalize
from agentruns.testing import Emulator, make_run
from agentruns.testing.data import lifecycle, statuses, terminal
from spec_tools import PROVIDERS


def test_runs_are_deterministic_and_seeded() -> None:
    ids = ids_for("backside", 3)
    assert make_run("backside", ids, seed=1) == make_run("backside", ids, seed=1)
    assert make_run("backside", ids, seed=1) != make_run("backside", ids, seed=2)
    assert len(make_run("backside", ids, seed=1, steps=40, status="succeeded")["steps"]) == 40
    changed = make_run("backside", ids, seed=1)
    changed["status"] = "mutated"  # a caller's copy: the emulator's own run is untouched
    assert make_run("backside", ids, seed=1)["status"] != "mutated"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_status_occurs_over_the_id_space(provider: str) -> None:
    seen = Counter(make_run(provider, ids_for(provider, n)).get("status") for n in range(200))
    assert set(seen) - {None} == set(statuses(provider))


def test_step_count_is_settable_for_big_runs() -> None:
    (run_id,) = run_with("casedev", "steps", steps=1)
    body = make_run("casedev", (run_id,), steps=2000, status="completed")
    assert len(body["steps"]) == 2000
    small = len(orjson.dumps(make_run("casedev", (run_id,), steps=20)))
    with Emulator(steps=2000) as emu, httpx.Client() as http:
        raw = http.get(
            f"{emu.url}/agent/v1/run/{run_id}/details", headers={"Authorization": f"Bearer {emu.token}"}
        ).content
    assert len(raw) > 50 * small  # the body grows with the steps asked for


def test_middesk_include_steps_exactly_as_documented() -> None:
    (run_id,) = ids_for("middesk", 2)
    with Emulator() as emu, httpx.Client(base_url=emu.url, headers={"Authorization": f"Bearer {emu.token}"}) as http:
        without = http.get(f"/v1/runs/{run_id}").json()
        with_steps = http.get(f"/v1/runs/{run_id}", params={"include": "steps"}).json()
        bad_id = http.get("/v1/runs/not-a-uuid")
    assert "steps" not in without
    assert len(with_steps["steps"]) == 8
    assert bad_id.status_code == 404


def test_auth_and_id_shapes() -> None:
    with Emulator(token="sk_case_t") as emu, httpx.Client(base_url=emu.url) as http:
        path = "/v1/agent-deployments/adpl_1/runs/adrun_1"
        assert http.get(path).status_code == 401
        assert http.get(path, headers={"Authorization": "Bearer other"}).status_code == 401
        assert http.get(path, headers={"Authorization": "Bearer sk_case_t"}).status_code == 200
        bad = http.get("/v1/agent-deployments/dep_1/runs/adrun_1", headers={"Authorization": "Bearer sk_case_t"})
        assert bad.status_code == 404
        assert bad.json()["error"] == "not_found"
    with (
        Emulator(token="plain") as emu,
        httpx.Client(base_url=emu.url, headers={"Authorization": "Bearer plain"}) as http,
    ):
        assert http.get("/agent/v1/run/r1/details").status_code == 401  # case.dev keys start with sk_case_
        assert http.get("/v1/agent-deployments/adpl_1/runs/adrun_1").status_code == 200


def test_faults_are_seeded_and_reproducible() -> None:
    def statuses(seed: int) -> list[int]:
        with Emulator(seed=seed, fault_rate=0.5, faults=("rate_limit", "server_error")) as emu, httpx.Client() as http:
            for n in range(30):
                http.get(f"{emu.url}/agent/v1/run/r{n}/details", headers={"Authorization": f"Bearer {emu.token}"})
            return [r.status for r in emu.requests]

    first = statuses(7)
    assert first == statuses(7)
    assert {200, 429} <= set(first)
    assert any(code >= 500 for code in first)


def test_rate_limit_fault_sends_retry_after() -> None:
    with Emulator(fault_rate=1.0, faults=("rate_limit",)) as emu, httpx.Client() as http:
        response = http.get(f"{emu.url}/agent/v1/run/r/details", headers={"Authorization": f"Bearer {emu.token}"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0"


def test_slow_fault_delays_the_answer() -> None:
    with Emulator(fault_rate=1.0, faults=("slow",), slow_seconds=0.3) as emu, httpx.Client() as http:
        started = time.monotonic()
        response = http.get(f"{emu.url}/agent/v1/run/r/details", headers={"Authorization": f"Bearer {emu.token}"})
        assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


@pytest.mark.parametrize("provider", PROVIDERS)
def test_lifecycle_mode_advances_on_each_poll(provider: str) -> None:
    ids = ids_for(provider, 9)
    with Emulator(lifecycle=True) as emu, SYNC_CLIENTS[provider](api_key=emu.token, base_url=emu.url) as client:
        seen = [normalize(client.get_run(*ids)).raw_status for _ in range(len(lifecycle(provider)) + 2)]
    assert seen[: len(lifecycle(provider))] == list(lifecycle(provider))
    assert seen[-1] == seen[-2]
    assert seen[-1] in terminal(provider)


def test_request_log_keeps_raw_path_and_drops_the_token() -> None:
    with Emulator() as emu, httpx.Client() as http:
        http.get(f"{emu.url}/v1/runs/x%2Fy?include=steps", headers={"Authorization": f"Bearer {emu.token}"})
    (entry,) = emu.requests
    assert entry.raw_path == "/v1/runs/x%2Fy?include=steps"
    assert entry.method == "GET"
    assert "authorization" not in {k.lower() for k in entry.headers}
    assert emu.token not in repr(emu.requests)


def test_request_log_keeps_only_the_newest_requests_and_can_be_cleared() -> None:
    with Emulator(request_log_size=5) as emu, httpx.Client() as http:
        for n in range(12):
            http.get(f"{emu.url}/agent/v1/run/run_{n}/details", headers={"Authorization": f"Bearer {emu.token}"})
        kept = [entry.raw_path for entry in emu.requests]
        emu.clear_requests()
        cleared = len(emu.requests)
        http.get(f"{emu.url}/agent/v1/run/run_99/details", headers={"Authorization": f"Bearer {emu.token}"})
        after = [entry.raw_path for entry in emu.requests]
    assert kept == [f"/agent/v1/run/run_{n}/details" for n in range(7, 12)]  # oldest first
    assert cleared == 0
    assert after == ["/agent/v1/run/run_99/details"]


def test_request_log_size_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="request_log_size"):
        Emulator(request_log_size=-1)


def test_pytest_plugin_fixture(agentruns_emulator: Emulator) -> None:
    with SYNC_CLIENTS["nsrocks"](api_key=agentruns_emulator.token, base_url=agentruns_emulator.url) as client:
        run = client.get_run("adpl_1", "adrun_1")
    assert run.id == "adrun_1"
    assert agentruns_emulator.requests[0].status == 200


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kinds"):
        Emulator(faults=("meteor",))


def test_cli_emulate_serves_until_interrupted(tmp_path: object) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "agentruns", "emulate", "--port", "0", "--token", "sk_case_cli"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split()[-1]
        assert url.startswith("http://127.0.0.1:")
        response = httpx.get(f"{url}/agent/v1/run/r1/details", headers={"Authorization": "Bearer sk_case_cli"})
        assert response.status_code == 200
        assert response.json().get("id", "r1") == "r1"  # the id echoes the path (the spec lets it be absent)
    finally:
        process.send_signal(signal.SIGINT)  # as Ctrl-C
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_complete_runs_set_every_field_of_the_run(provider: str) -> None:
    """`complete` (for benchmarks) draws every optional property of the run (null only where the
    run's own coherence says so: no failure on a run that did not fail)."""
    body = make_run(provider, ids_for(provider, 1), complete=True)
    properties = agentruns.registry.get(provider).run_schema["properties"]
    assert set(body) == set(properties)
    with Emulator(complete=True) as emu, SYNC_CLIENTS[provider](api_key=emu.token, base_url=emu.url) as client:
        response = client.get_run_response(*ids_for(provider, 1))
    assert orjson.loads(response.content) == body
