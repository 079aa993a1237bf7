"""A spec change is reported, classified, versioned and written to the changelog by `make regen`
(scripts/regen.py), one test per kind of change, each on a copy of the project."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_pipeline import copy_project, run_regen

from spec_tools import ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import specdiff

Spec = dict[str, Any]


def schemas(spec: Spec) -> dict[str, Any]:
    return spec["components"]["schemas"]


def rename_path_parameter(spec: Spec) -> None:
    paths = spec["paths"]
    ((path, item),) = paths.items()
    del paths[path]
    paths[path.replace("{kind}", "{agent_kind}")] = item
    for parameter in item["get"]["parameters"]:
        if parameter["name"] == "kind":
            parameter["name"] = "agent_kind"
    echo = spec["x-agentruns"]["echo"]  # the declaration names the ref's ids as the path does
    echo["agent_kind"] = echo.pop("kind")


# (provider, edit, the report's line for it, which part of the version it bumps)
CHANGES: dict[str, tuple[str, Callable[[Spec], None], str, str]] = {
    "add-field": (
        "backside",
        lambda s: schemas(s)["AgentRun"]["properties"].update(priority={"type": ["integer", "null"]}),
        "addition: getAgentRun priority: added (optional, nullable integer)",
        "minor",
    ),
    "remove-required-field": (
        "backside",
        lambda s: (
            schemas(s)["AgentRun"]["properties"].pop("platform_fee_cents"),
            schemas(s)["AgentRun"]["required"].remove("platform_fee_cents"),
        ),
        "BREAKING: getAgentRun platform_fee_cents: removed",
        "major",
    ),
    "retype-field": (
        "casedev",
        lambda s: schemas(s)["UsageSummary"]["properties"]["costMicros"].update(type="string"),
        "BREAKING: getRunDetails usage.summary.costMicros: type changed: integer → string",
        "major",
    ),
    "make-nullable": (
        "casedev",
        lambda s: schemas(s)["RunDetails"]["properties"]["prompt"].update(type=["string", "null"]),
        "BREAKING: getRunDetails prompt: became nullable",
        "major",
    ),
    "add-enum-value": (
        "casedev",
        lambda s: schemas(s)["RunStatus"]["enum"].append("paused"),
        "addition: getRunDetails status: enum value added: 'paused'",
        "minor",
    ),
    "remove-enum-value": (
        "casedev",
        lambda s: schemas(s)["StepType"]["enum"].remove("thinking"),
        "BREAKING: getRunDetails steps[].type: enum value removed: 'thinking'",
        "major",
    ),
    "rename-path-parameter": (
        "backside",
        rename_path_parameter,
        "BREAKING: getAgentRun path parameter kind: renamed to agent_kind",
        "major",
    ),
}


def package_version(project: Path, provider: str) -> str:
    return str(tomllib.loads((project / "generated" / provider / "pyproject.toml").read_text())["project"]["version"])


def next_version(version: str, part: str) -> str:
    major, minor, patch = (int(n) for n in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        part
    ]


def edited_copy(tmp_path: Path, provider: str, edit: Callable[[Spec], None]) -> Path:
    project = copy_project(tmp_path)
    spec_path = project / "specs" / f"{provider}.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    edit(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return project


@pytest.mark.parametrize("kind", CHANGES)
def test_regen_reports_versions_and_logs_each_kind_of_change(tmp_path: Path, kind: str) -> None:
    provider, edit, line, part = CHANGES[kind]
    before = package_version(ROOT, provider)  # the copy's, before its spec is edited
    after = next_version(before, part)
    project = edited_copy(tmp_path, provider, edit)

    result = run_regen(project, provider)
    assert result.returncode == 0, result.stderr
    head, *report = result.stdout.splitlines()
    assert head.startswith(f"regenerated generated/{provider} (") and head.endswith(f"): {before} → {after}")
    assert f"  {line}" in report
    breaking = [entry for entry in report if entry.startswith("  BREAKING")]
    assert report[: len(breaking)] == breaking  # breaking lines first
    assert bool(breaking) == (part == "major")

    package = project / "generated" / provider
    assert package_version(project, provider) == after
    assert json.loads((package / "generation-stamp.json").read_text())["package_version"] == after
    changelog = (package / "CHANGELOG.md").read_text()
    newest = changelog.split("\n## ")[1]  # the entry on top is this version's, with the report's lines
    assert newest.startswith(f"{after}\n") and f"- {line}" in newest
    # The next regen has nothing to do, and the drift check passes on the copy.
    assert run_regen(project, provider).stdout.strip() == "generated/ is up to date"
    check = run_regen(project, "--check", provider)
    assert check.returncode == 0, check.stdout


def test_a_renamed_path_parameter_is_a_python_api_break_too(tmp_path: Path) -> None:
    project = edited_copy(tmp_path, "backside", rename_path_parameter)
    report = run_regen(project, "backside").stdout
    assert "BREAKING: Python API: " in report and "kind" in report.split("Python API: ", 1)[1]


def test_a_deprecated_field_says_so_in_its_docstring(tmp_path: Path) -> None:
    def deprecate(spec: Spec) -> None:
        schemas(spec)["AgentRun"]["properties"]["agent_kind"]["deprecated"] = True

    before = package_version(ROOT, "backside")
    project = edited_copy(tmp_path, "backside", deprecate)
    result = run_regen(project, "backside")
    assert "  docs: getAgentRun agent_kind: deprecated" in result.stdout.splitlines()
    assert result.stdout.splitlines()[0].endswith(f"{before} → {next_version(before, 'patch')}")  # docs only
    model = (project / "generated/backside/agentruns_backside/models/backside_run.py").read_text()
    assert "agent_kind (str): Deprecated." in model


def test_the_diff_works_against_a_git_ref_without_regenerating() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/specdiff.py", "--ref", "HEAD", "casedev"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("casedev:")


def test_the_differ_walks_nested_unions_and_cycles() -> None:
    node = {
        "type": "object",
        "properties": {
            "child": {"$ref": "#/components/schemas/Node"},
            "tag": {"anyOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]},
        },
    }
    old = {
        "paths": {
            "/n/{id}": {
                "get": {
                    "operationId": "getNode",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}
                    },
                }
            }
        },
        "components": {"schemas": {"Node": node, "Tag": {"type": "string", "enum": ["a", "b"]}}},
    }
    new = json.loads(json.dumps(old))
    new["components"]["schemas"]["Tag"]["enum"] = ["a"]
    new["paths"]["/n/{id}"]["get"]["parameters"].append(
        {"name": "depth", "in": "query", "required": True, "schema": {"type": "integer"}}
    )
    found = [change.line() for change in specdiff.changes(old, new)]
    assert found == [
        "BREAKING: getNode query parameter depth: added (required)",
        "BREAKING: getNode tag: enum value removed: 'b'",
    ]
    assert specdiff.bump("1.4.2", specdiff.changes(old, new)) == "2.0.0"
    assert specdiff.bump("1.4.2", []) == "1.4.3"


def test_a_template_change_that_writes_the_same_code_keeps_the_version(tmp_path: Path) -> None:
    # What writes the code moved (a template), so regen guesses a patch; the code it writes is the
    # same, so only the stamp moves and the version stays (tests/test_pipeline.py's shared metadata
    # test has a template input that does change the code: a patch).
    project = copy_project(tmp_path)
    before = package_version(project, "nsrocks")
    readme = project / "templates" / "openapi-python-client" / "README.md.jinja"
    readme.write_text("{# a note for whoever edits this template #}\n" + readme.read_text())
    same = run_regen(project, "nsrocks")
    assert same.stdout.splitlines() == ["regenerated generated/nsrocks (1 files changed)"], same.stdout + same.stderr
    assert package_version(project, "nsrocks") == before
    assert json.loads((project / "generated/nsrocks/generation-stamp.json").read_text())["package_version"] == before
