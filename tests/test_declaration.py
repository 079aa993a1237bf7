"""A provider is its declaration: the `x-agentruns` block, checked against its schema and against
the spec, and what the registry reads from the spec's own fields (how the key is sent, which
server is the default), for the forms real specs write them in."""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from agentruns import registry
from spec_tools import PROVIDERS, ROOT, load_spec

sys.path.insert(0, str(ROOT / "scripts"))
import check_extensions

SCHEMA = ROOT / "specs" / "x-agentruns.schema.json"


def spec_with(provider: str = "nsrocks", **changes: Any) -> dict[str, Any]:
    spec = copy.deepcopy(load_spec(provider))
    spec["x-agentruns"] = {**spec["x-agentruns"], **changes}
    return {key: value for key, value in spec.items() if value is not None}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_spec_s_block_is_what_the_schema_and_the_spec_allow(provider: str) -> None:
    assert check_extensions.problems(provider, load_spec(provider)) == []


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"env_prefix": None}, "x-agentruns: 'env_prefix' is a required property"),
        ({"env_prefix": "ns-rocks"}, "x-agentruns.env_prefix: 'ns-rocks' does not match"),
        ({"colour": "blue"}, "x-agentruns: Additional properties are not allowed ('colour' was unexpected)"),
        ({"self_hosted": "yes"}, "x-agentruns.self_hosted: 'yes' is not of type 'boolean'"),
        ({"run_operation": "deleteAgentRun"}, "x-agentruns.run_operation: 'deleteAgentRun' is not a GET of the spec"),
        ({"run_query": {"expand": "all"}}, "x-agentruns.run_query.expand: not a query parameter of getAgentRun"),
    ],
)
def test_a_wrong_block_is_refused_naming_the_field(change: dict[str, Any], said: str) -> None:
    spec = spec_with()
    block = {key: value for key, value in {**spec["x-agentruns"], **change}.items() if value is not None}
    spec["x-agentruns"] = block
    found = check_extensions.problems("nsrocks", spec)
    assert len(found) == 1 and found[0].startswith("specs/nsrocks.yaml: ") and said in found[0], found


def test_an_operation_without_an_operation_id_is_named_by_the_checks_and_the_registry() -> None:
    from agentruns.errors import ConfigurationError

    spec = spec_with()
    path, item = next(iter(spec["paths"].items()))
    del item["get"]["operationId"]
    found = check_extensions.problems("nsrocks", spec)
    assert found == [
        f"specs/nsrocks.yaml: paths.{path}.get: no operationId (agentruns names operations by it: "
        "give it one, a departure cited in the spec's header)"
    ]
    with pytest.raises(ConfigurationError, match=f"GET {re.escape(path)} has no operationId") as caught:
        registry.from_spec("nsrocks", spec)
    assert caught.value.provider == "nsrocks" and caught.value.field == "operationId"


@pytest.mark.parametrize(
    ("name", "suggested"), [("agent-protocol", "agent_protocol"), ("Acme", "acme"), ("9x", "p_9x")]
)
def test_a_spec_file_name_that_cannot_name_a_provider_is_refused_with_one_that_can(name: str, suggested: str) -> None:
    found = check_extensions.problems(name, spec_with())
    assert len(found) == 1 and found[0].startswith(f"specs/{name}.yaml: {name!r} cannot be a provider's name")
    assert found[0].endswith(f"(specs/{suggested}.yaml)")
    assert check_extensions.problems(suggested, spec_with()) == []


def test_regen_refuses_a_wrong_block_before_generating(tmp_path: Path) -> None:
    import subprocess

    import yaml

    scripts = ROOT / "scripts"
    sys.path.insert(0, str(scripts))
    import regen

    project = regen.copy_inputs(tmp_path)
    spec = yaml.safe_load((project / "specs" / "nsrocks.yaml").read_text())
    del spec["x-agentruns"]["title"]
    (project / "specs" / "nsrocks.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    done = subprocess.run(
        [sys.executable, str(project / "scripts" / "regen.py"), "nsrocks"], capture_output=True, text=True, cwd=project
    )
    assert done.returncode != 0
    assert "specs/nsrocks.yaml: x-agentruns: 'title' is a required property" in done.stderr


def _auth_of(security: list[dict[str, list[str]]], schemes: dict[str, Any]) -> registry.Auth:
    spec = spec_with()
    spec["security"] = security
    spec["components"]["securitySchemes"] = schemes
    for item in spec["paths"].values():
        for operation in item.values():
            operation.pop("security", None)
    return registry.from_spec("nsrocks", spec).auth


def test_the_key_is_sent_as_the_spec_s_own_security_scheme_says() -> None:
    bearer = _auth_of([{"token": []}], {"token": {"type": "http", "scheme": "Bearer"}})
    assert (bearer.header, bearer.value("k"), bearer.optional) == ("Authorization", "Bearer k", False)
    header = _auth_of([{"key": []}], {"key": {"type": "apiKey", "in": "header", "name": "x-api-key"}})
    assert (header.header, header.value("k"), header.optional) == ("x-api-key", "k", False)
    # The first scheme agentruns can send is taken: a cookie or basic scheme before it is passed over.
    chosen = _auth_of(
        [{"cookie": []}, {"key": []}],
        {
            "cookie": {"type": "apiKey", "in": "cookie", "name": "s"},
            "key": {"type": "apiKey", "in": "header", "name": "K"},
        },
    )
    assert chosen.header == "K"
    # An empty requirement: a server that may take no key at all.
    optional = _auth_of([{"key": []}, {}], {"key": {"type": "apiKey", "in": "header", "name": "K"}})
    assert optional.optional and optional.header == "K"
    # An OAuth 2 or OpenID Connect access token, obtained elsewhere, travels as a bearer token.
    for kind in (
        {"type": "oauth2", "flows": {}},
        {"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"},
    ):
        token = _auth_of([{"oauth": []}], {"oauth": kind})
        assert (token.header, token.value("t"), token.optional) == ("Authorization", "Bearer t", False)
    with pytest.raises(
        ValueError, match=r"specs/nsrocks.yaml: its security names no scheme agentruns can send"
    ) as caught:
        _auth_of(
            [{"basic": []}, {"q": []}],
            {"basic": {"type": "http", "scheme": "basic"}, "q": {"type": "apiKey", "in": "query", "name": "k"}},
        )
    assert "(basic: http basic, q: apiKey in query)" in str(caught.value)


RUN_PATH = "/v1/agent-deployments/{deployment_id}/runs/{run_id}"


def _with_run_answer(change: Any) -> list[str]:
    spec = spec_with()
    operation = spec["paths"][RUN_PATH]["get"]
    change(operation["responses"], spec)
    return check_extensions.problems("nsrocks", spec)


def _json_body(responses: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    response = responses["200"]
    if "$ref" in response:
        response = responses["200"] = copy.deepcopy(spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]])
    return response["content"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda r, s: r.pop("200"), "no 200 response"),
        (
            lambda r, s: _json_body(r, s).update(
                {"application/json; charset=utf-8": _json_body(r, s).pop("application/json")}
            ),
            "its 200 response has no application/json body (it has application/json; charset=utf-8)",
        ),
        (
            lambda r, s: _json_body(r, s)["application/json"].update(schema={"type": "object", "properties": {}}),
            "its 200 body is an inline schema: move it to components/schemas and $ref it",
        ),
    ],
)
def test_a_get_whose_answer_agentruns_cannot_name_is_refused_by_the_checks(change: Any, said: str) -> None:
    found = _with_run_answer(change)
    assert len(found) == 1 and found[0].startswith(f"specs/nsrocks.yaml: paths.{RUN_PATH}.get: "), found
    assert said in found[0]


@pytest.mark.parametrize(
    ("servers", "default"),
    [
        ([{"url": "https://api.example.com/v1"}], "https://api.example.com/v1"),
        (
            [
                {
                    "url": "https://{region}.api.example.com:{port}/v1",
                    "variables": {"region": {"default": "eu"}, "port": {"default": "8443"}},
                }
            ],
            "https://eu.api.example.com:8443/v1",
        ),
        ([{"url": "/api/v1"}, {"url": "http://localhost:5678/api/v1"}], "http://localhost:5678/api/v1"),
        ([{"url": "/api/v1"}], None),
        ([], None),
    ],
)
def test_the_default_server_is_the_first_whole_url(servers: list[dict[str, Any]], default: str | None) -> None:
    spec = spec_with()
    spec["servers"] = servers
    info = registry.from_spec("nsrocks", spec)
    assert info.default_base_url == default
    assert info.servers == tuple(server["url"] for server in servers)


def test_a_self_hosted_provider_has_no_default_server_whatever_its_spec_lists() -> None:
    info = registry.from_spec("nsrocks", spec_with(self_hosted=True))
    assert info.default_base_url is None and info.servers == ("https://api.13-215-85-171.sslip.io",)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_view_arguments_are_parameters_of_the_providers_get_run(provider: str) -> None:
    import inspect

    info = registry.get(provider)
    for client in info.clients():
        parameters = inspect.signature(client.get_run).parameters
        assert set(info.view_arguments) <= set(parameters), (client, info.view_arguments)


def test_path_ids_named_otherwise_than_python_names_them_reach_the_generated_builder() -> None:
    """The generator names `{runId}` and `{run-id}` `run_id`: the spec's names are matched to its
    builder's arguments by their place in the path, and its module to the operation by shape."""
    import types

    def _get_kwargs(deployment_id: str, run_id: str, *, view: str | None = None) -> dict[str, str]:
        return {"url": f"/d/{deployment_id}/runs/{run_id}"}  # a generated endpoint's builder, as written

    endpoint = types.ModuleType("agentruns_acme.api.runs.get_run")
    endpoint._get_kwargs = _get_kwargs  # type: ignore[attr-defined]
    spec_path = "/d/{deploymentId}/runs/{run-id}"
    assert registry.builder_names(endpoint, spec_path) == {"deploymentId": "deployment_id", "run-id": "run_id"}
    assert registry.builder_names(endpoint, "/d/{deployment_id}/runs/{run_id}") is None  # nothing to rename
    assert registry.path_shape(spec_path) == registry.path_shape("/d/{deployment_id}/runs/{run_id}") == "/d/{}/runs/{}"
    assert registry.path_shape("/d/{id}/runs") != registry.path_shape("/d/{id}/runs/{run}")
