"""The emulator: deterministic runs, documented behaviour, faults, lifecycle, request log, CLI."""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import httpx
import orjson
import pytest
from emulator_cases import SYNC_CLIENTS, ids_for, run_with

import agentruns
from agentruns import normalize
from agentruns.testing import Emulator, make_run
from agentruns.testing.data import draft, lifecycle, realistic_statuses, terminal
from agentruns.testing.schemas import walker
from spec_tools import PROVIDERS, keeps_times


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
    seen = Counter(draft(provider, ids_for(provider, n)).status for n in range(200))
    assert set(seen) - {None} == set(realistic_statuses(provider))


def test_step_count_is_settable_for_big_runs() -> None:
    (run_id,) = run_with("casedev", "steps", steps=1)
    body = make_run("casedev", (run_id,), steps=2000, status="completed")
    assert len(body["steps"]) == 2000
    small = len(orjson.dumps(make_run("casedev", (run_id,), steps=20)))
    with Emulator(steps=2000) as emu, httpx.Client() as http:
        raw = http.get(
            f"{emu.url}/agent/v1/run/{run_id}/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
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
                http.get(
                    f"{emu.url}/agent/v1/run/r{n}/details",
                    headers={"Authorization": f"Bearer {emu.token_for('casedev')}"},
                )
            return [r.status for r in emu.requests]

    first = statuses(7)
    assert first == statuses(7)
    assert {200, 429} <= set(first)
    assert any(code >= 500 for code in first)


def test_rate_limit_fault_sends_retry_after() -> None:
    with Emulator(fault_rate=1.0, faults=("rate_limit",)) as emu, httpx.Client() as http:
        response = http.get(
            f"{emu.url}/agent/v1/run/r/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
        )
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0"


def test_slow_fault_delays_the_answer() -> None:
    with Emulator(fault_rate=1.0, faults=("slow",), slow_seconds=0.3) as emu, httpx.Client() as http:
        started = time.monotonic()
        response = http.get(
            f"{emu.url}/agent/v1/run/r/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
        )
        assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


@pytest.mark.parametrize("provider", PROVIDERS)
def test_lifecycle_mode_advances_on_each_poll(provider: str) -> None:
    ids = ids_for(provider, 9)
    with (
        Emulator(lifecycle=True) as emu,
        SYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client,
    ):
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
            http.get(
                f"{emu.url}/agent/v1/run/run_{n}/details",
                headers={"Authorization": f"Bearer {emu.token_for('casedev')}"},
            )
        kept = [entry.raw_path for entry in emu.requests]
        emu.clear_requests()
        cleared = len(emu.requests)
        http.get(
            f"{emu.url}/agent/v1/run/run_99/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
        )
        after = [entry.raw_path for entry in emu.requests]
    assert kept == [f"/agent/v1/run/run_{n}/details" for n in range(7, 12)]  # oldest first
    assert cleared == 0
    assert after == ["/agent/v1/run/run_99/details"]


def test_request_log_size_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="request_log_size"):
        Emulator(request_log_size=-1)


def test_pytest_plugin_fixture(agentruns_emulator: Emulator) -> None:
    with SYNC_CLIENTS["nsrocks"](
        api_key=agentruns_emulator.token_for("nsrocks"), base_url=agentruns_emulator.url
    ) as client:
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


def arbitrary_ids(provider: str, rng: random.Random) -> tuple[str, ...]:
    """Ids a user would pick: of the shape the provider's spec asks (a UUID, a prefix), but not
    ones the emulator chose."""
    ids = []
    for parameter in agentruns.registry.get(provider).ref_parameters:
        examples = [e for e in parameter.schema.get("examples", ()) if isinstance(e, str)]
        if parameter.schema.get("format") == "uuid":
            ids.append(str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        elif examples and "-" in examples[0]:  # run-<uuid>
            ids.append(f"{examples[0].partition('-')[0]}-{uuid.UUID(int=rng.getrandbits(128), version=4)}")
        elif examples:
            ids.append(f"{examples[0].partition('_')[0]}_{rng.getrandbits(40):x}")
        else:
            ids.append(f"run_{rng.randint(0, 10**6)}")
    return tuple(ids)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_default_runs_are_realistic(agentruns_emulator: Emulator, provider: str) -> None:
    """What a real provider sends: the ids asked for echoed, every field of the run present, a
    status the normalizer knows, a creation time (where the spec keeps any), and times in order."""
    rng = random.Random(f"realistic-{provider}")
    properties = set(walker(agentruns.registry.get(provider)).run_schema["properties"])
    with SYNC_CLIENTS[provider](
        api_key=agentruns_emulator.token_for(provider), base_url=agentruns_emulator.url
    ) as client:
        for _ in range(40):
            ids = arbitrary_ids(provider, rng)
            response = client.get_run_response(*ids)
            run = normalize(response.parsed)
            assert run.id == ids[-1]
            assert run.status is not agentruns.RunStatus.UNKNOWN, (ids, run.raw_status)
            assert run.created_at is not None or not keeps_times(provider)
            assert run.started_at is None or run.ended_at is None or run.started_at <= run.ended_at
            assert run.is_terminal or run.ended_at is None
            assert set(orjson.loads(response.content)) == properties


@pytest.mark.parametrize("provider", PROVIDERS)
def test_coverage_draw_varies_absent_and_null_fields(provider: str) -> None:
    """`coverage=True` (contract and fuzz tests) leaves optional fields out and nulls nullable
    ones in some runs; the default never leaves a field out."""
    properties = set(walker(agentruns.registry.get(provider)).run_schema["properties"])
    realistic = [make_run(provider, ids_for(provider, n)) for n in range(30)]
    covering = [make_run(provider, ids_for(provider, n), coverage=True) for n in range(30)]
    assert all(set(body) == properties for body in realistic)
    if set(walker(agentruns.registry.get(provider)).run_schema.get("required", [])) != properties:
        assert any(set(body) != properties for body in covering)


def test_a_chosen_run_is_served_as_chosen(agentruns_env: Emulator) -> None:
    emu = agentruns_env
    emu.set_run("casedev:run_42", status="failed")  # the provider's own value
    emu.set_run("nsrocks:adpl_1/adrun_2", status="succeeded", steps=3)
    emu.set_run("casedev:run_43", status="succeeded")  # a normalized one: case.dev says "completed"
    emu.set_run("backside:contact_deduper/3c90c3cc-0d44-4b50-8888-8dd25736052a", error=503)
    emu.set_run("middesk:6f1c2a7e-3b9d-4f5e-8a21-0c4d5e6f7a8b", body={"object": "run", "status": "running"})
    assert agentruns.fetch("casedev:run_42").raw_status == "failed"
    assert agentruns.fetch("casedev:run_43").raw_status == "completed"
    assert agentruns.fetch("nsrocks:adpl_1/adrun_2").status is agentruns.RunStatus.SUCCEEDED
    with pytest.raises(agentruns.ServerError) as failed:
        agentruns.fetch("backside:contact_deduper/3c90c3cc-0d44-4b50-8888-8dd25736052a", max_retries=0)
    assert failed.value.status_code == 503
    with agentruns.MiddeskClient() as client:
        response = client.get_run_response("6f1c2a7e-3b9d-4f5e-8a21-0c4d5e6f7a8b")
    assert orjson.loads(response.content) == {"object": "run", "status": "running"}
    with pytest.raises(ValueError, match="not a casedev status"):
        emu.set_run("casedev:run_44", status="exploded")
    with pytest.raises(ValueError, match="not a run reference"):
        emu.set_run("casedev", status="failed")


def test_a_chosen_status_ends_the_lifecycle() -> None:
    with Emulator(lifecycle=True, runs={"casedev:run_7": {"status": "cancelled"}}) as emu:
        with SYNC_CLIENTS["casedev"](api_key=emu.token_for("casedev"), base_url=emu.url) as client:
            seen = [normalize(client.get_run("run_7")).raw_status for _ in range(len(lifecycle("casedev")) + 1)]
    assert seen == [*lifecycle("casedev"), "cancelled"]


def test_every_answer_carries_a_request_id(agentruns_emulator: Emulator) -> None:
    emu = agentruns_emulator
    emu.reset(missing=["casedev:run_gone"], fault_rate=1.0, faults=["rate_limit"])
    with httpx.Client(base_url=emu.url) as http:
        answers = [
            http.get("/agent/v1/run/run_1/details"),  # 401
            http.get("/nowhere", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}),  # 404, no route
            http.get(
                "/agent/v1/run/run_gone/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
            ),  # 404
            http.get(
                "/agent/v1/run/run_1/details", headers={"Authorization": f"Bearer {emu.token_for('casedev')}"}
            ),  # 429
        ]
    assert [answer.status_code for answer in answers] == [401, 404, 404, 429]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert all(re.fullmatch(r"req_[0-9a-f]{16}", i) for i in ids) and len(set(ids)) == 4
    assert [entry.request_id for entry in emu.requests] == ids
    assert all(set(answer.json()) == {"error", "message"} for answer in answers)


def test_latency_delays_every_answer() -> None:
    with Emulator(latency=0.2) as emu, httpx.Client() as http:
        started = time.monotonic()
        answer = http.get(f"{emu.url}/agent/v1/run/r/details")  # even a refusal waits
        assert time.monotonic() - started >= 0.2
    assert answer.status_code == 401
    assert emu.requests[0].seconds >= 0.19  # asyncio's timer may wake a hair early


def test_reset_starts_afresh_with_new_options(agentruns_env: Emulator) -> None:
    emu = agentruns_env
    emu.set_run("casedev:run_1", error=404)
    with pytest.raises(agentruns.NotFoundError):
        agentruns.fetch("casedev:run_1")
    url = emu.url
    emu.reset(token="sk_case_other")
    assert emu.url == url and emu.requests == []
    assert agentruns.fetch("casedev:run_1", api_key="sk_case_other").id == "run_1"
    with pytest.raises(ValueError, match="did you mean 'fault_rate'"):
        emu.reset(fault_rat=0.5)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="fault_rate: must be between 0 and 1"):
        Emulator(fault_rate=2)


def test_environ_points_every_provider_here(agentruns_emulator: Emulator) -> None:
    env = agentruns_emulator.environ()
    for info in agentruns.registry.all_providers():
        assert env[info.api_key_variable] == agentruns_emulator.token_for(info.name)
        assert env[info.base_url_variable] == f"{agentruns_emulator.url}/{info.name}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_default_runs_match_what_the_emulator_serves(provider: str) -> None:
    with Emulator() as emu, SYNC_CLIENTS[provider](api_key=emu.token_for(provider), base_url=emu.url) as client:
        response = client.get_run_response(*ids_for(provider, 1))
    assert orjson.loads(response.content) == make_run(provider, ids_for(provider, 1))


def test_the_fixtures_share_one_server_and_take_a_marker(pytester: pytest.Pytester) -> None:
    """A user's suite: the marker configures the emulator for one test, the next test gets the
    defaults back on the same server, and agentruns_env points the clients at it."""
    pytester.makepyfile(
        """
        import pytest
        import agentruns

        URLS = []

        @pytest.mark.agentruns_emulator(runs={"casedev:run_42": {"status": "failed"}}, missing=["casedev:run_9"])
        def test_configured(agentruns_env):
            URLS.append(agentruns_env.url)
            assert agentruns.fetch("casedev:run_42").raw_status == "failed"
            with pytest.raises(agentruns.NotFoundError):
                agentruns.fetch("casedev:run_9")

        def test_defaults_again(agentruns_env):
            URLS.append(agentruns_env.url)
            assert agentruns.fetch("casedev:run_9").id == "run_9"
            assert [entry.raw_path for entry in agentruns_env.requests] == ["/casedev/agent/v1/run/run_9/details"]

        def test_one_server(agentruns_emulator_session):
            assert URLS == [agentruns_emulator_session.url] * 2

        @pytest.mark.agentruns_emulator(fault_rat=1.0)
        def test_misspelled(agentruns_emulator):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*unknown emulator option 'fault_rat'; did you mean 'fault_rate'?*"])


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "no such run"),  # LangGraph's error body is a JSON string
        ({"type": ["integer", "null"]}, 404),
        ({"type": "array", "items": {"type": "string"}}, ["no such run"]),
        ({"type": "object", "properties": {"message": {"type": "string"}}}, {"message": "no such run"}),
        ({}, {"error": "not_found", "message": "no such run"}),
    ],
)
def test_an_error_body_takes_whatever_json_type_its_schema_says(schema: dict[str, object], expected: object) -> None:
    from agentruns.testing.app import _error_value

    info = agentruns.registry.get("casedev")
    assert _error_value(info, schema, 404, "not_found", "no such run", {}) == expected
