"""Every body the emulator serves is valid against its provider's spec (openapi-core)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
import yaml
from emulator_cases import ids_for
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from agentruns.testing import Emulator
from spec_tools import PROVIDERS, ROOT, RUN_SCHEMAS, is_nullable, load_spec, schema

RUNS_PER_PROVIDER = 60
PATHS = {
    "backside": "/api/v1/agents/{}/runs/{}",
    "middesk": "/v1/runs/{}",
    "casedev": "/agent/v1/run/{}/details",
    "nsrocks": "/v1/agent-deployments/{}/runs/{}",
}


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=11, steps=4) as emulator:
        yield emulator


def openapi(provider: str) -> OpenAPI:
    return OpenAPI.from_dict(yaml.safe_load((ROOT / "specs" / f"{provider}.yaml").read_text()))


def validate(spec: OpenAPI, provider: str, path: str, query: str, status: int, body: bytes) -> None:
    server = load_spec(provider)["servers"][0]["url"]
    args = dict(httpx.QueryParams(query)) if query else None
    request = MockRequest(server, "get", path, args=args)
    spec.validate_response(request, MockResponse(body, status_code=status, content_type="application/json"))


def fetch(emu: Emulator, provider: str, n: int, query: str = "") -> tuple[str, httpx.Response]:
    path = PATHS[provider].format(*ids_for(provider, n))
    response = httpx.get(f"{emu.url}{path}?{query}", headers={"Authorization": f"Bearer {emu.token}"})
    return path, response


@pytest.mark.parametrize("provider", PROVIDERS)
def test_emulator_bodies_match_the_spec(emu: Emulator, provider: str) -> None:
    spec = openapi(provider)
    bodies: list[dict[str, Any]] = []
    queries = ["include=steps", ""] if provider == "middesk" else [""]
    for n in range(RUNS_PER_PROVIDER):
        for query in queries:
            path, response = fetch(emu, provider, n, query)
            assert response.status_code == 200
            validate(spec, provider, path, query, 200, response.content)
            bodies.append(response.json())
    # The id space covers the spec: every nullable top-level field is null somewhere and set elsewhere.
    run_schema = schema(provider, RUN_SCHEMAS[provider])
    for name, prop in run_schema["properties"].items():
        if is_nullable(prop):
            values = [b.get(name, "absent") for b in bodies]
            assert None in values, f"{provider}.{name} is never null"
            assert any(v not in (None, "absent") for v in values), f"{provider}.{name} is never set"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_bodies_match_the_spec(provider: str) -> None:
    spec = openapi(provider)
    with Emulator(missing={ids_for(provider, 0)[-1]}) as emu:
        path, response = fetch(emu, provider, 0)
        assert response.status_code == 404
        validate(spec, provider, path, "", 404, response.content)
        unauthorised = httpx.get(f"{emu.url}{path}")
        assert unauthorised.status_code == 401
        validate(spec, provider, path, "", 401, unauthorised.content)


def test_the_contract_check_catches_a_disagreement(emu: Emulator) -> None:
    spec = openapi("nsrocks")
    path, response = fetch(emu, "nsrocks", 1)
    body = response.json()
    body["process_id"] = -1  # the spec says uint32
    with pytest.raises(Exception, match="less than the minimum"):
        validate(spec, "nsrocks", path, "", 200, orjson.dumps(body))
