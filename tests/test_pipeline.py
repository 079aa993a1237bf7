"""`make regen`'s script: a spec change reaches that provider's package and no other."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from spec_tools import PROVIDERS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import regen


def copy_project(dest: Path) -> Path:
    return regen.copy_inputs(dest)


def run_regen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "regen.py"), *args],
        capture_output=True,
        text=True,
        cwd=project,
    )


def test_added_field_reaches_one_provider_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    spec_path = project / "specs" / "backside.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["components"]["schemas"]["AgentRun"]["properties"]["priority_score"] = {"type": "integer"}
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))

    before = json.loads((ROOT / "generated/backside/generation-stamp.json").read_text())["package_version"]
    major, minor, _ = before.split(".")
    result = run_regen(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        # model, spec, stamp, version, changelog
        f"regenerated generated/backside (5 files changed): {before} → {major}.{int(minor) + 1}.0",
        "  addition: getAgentRun priority_score: added (optional, integer)",
    ]

    model = (project / "generated/backside/agentruns_backside/models/backside_run.py").read_text()
    assert "priority_score: int | Unset = UNSET" in model
    assert 'priority_score = d.get("priority_score", UNSET)' in model
    for provider in [p for p in PROVIDERS if p != "backside"]:
        comparison = filecmp.dircmp(project / "generated" / provider, ROOT / "generated" / provider)
        assert not comparison.diff_files and not comparison.left_only and not comparison.right_only

    # A second run has nothing to do, and the drift check now passes on the copy (on backside: the
    # other packages are the committed ones, compared above).
    assert run_regen(project).stdout.strip() == "generated/ is up to date"
    check = run_regen(project, "--check", "backside")
    assert check.returncode == 0, check.stdout


def test_check_reports_drift_file_by_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    spec_path = project / "specs" / "nsrocks.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    spec["components"]["schemas"]["AgentRun"]["properties"]["exit_code"]["type"] = ["string", "null"]
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    check = run_regen(project, "--check", "nsrocks")
    assert check.returncode == 1
    assert "differs: nsrocks/agentruns_nsrocks/models/nsrocks_run.py" in check.stdout
    assert "differs: nsrocks/generation-stamp.json" in check.stdout


def test_a_spec_part_the_generator_would_drop_fails_regen_with_its_report_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    stamp = (project / "generated" / "nsrocks" / "generation-stamp.json").read_text()
    spec_path = project / "specs" / "nsrocks.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    operation = next(iter(next(iter(spec["paths"].values())).values()))
    # A response the generator cannot parse: it would leave it out, with a warning.
    operation["responses"]["418"] = {"description": "x", "content": {"application/xml": {"schema": {"type": "object"}}}}
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = run_regen(project, "nsrocks")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("nsrocks: generation failed\n"), result.stderr
    assert "Unsupported content_type application/xml" in result.stderr
    assert (project / "generated" / "nsrocks" / "generation-stamp.json").read_text() == stamp


def test_committed_output_matches_a_fresh_generation() -> None:
    check = run_regen(ROOT, "--check")
    assert check.returncode == 0, check.stdout


def test_shared_metadata_is_stated_once_and_reaches_every_package(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    root = project / "pyproject.toml"
    classifier = '    "Typing :: Typed",\n'
    assert classifier in root.read_text()
    root.write_text(root.read_text().replace(classifier, classifier + '    "Natural Language :: English",\n'))
    (project / "generated" / "casedev" / "LICENSE").unlink()

    check = run_regen(project, "--check")
    assert check.returncode == 1
    assert "missing from generated/: casedev/LICENSE" in check.stdout
    for target in [*PROVIDERS, "agentrun"]:
        assert f"differs: {target}/pyproject.toml" in check.stdout, check.stdout

    versions = {name: project_version(project, name) for name in PROVIDERS}
    regen = run_regen(project)
    assert regen.returncode == 0, regen.stderr
    license_text = (project / "LICENSE").read_text()
    for target in [*PROVIDERS, "agentrun"]:
        package = project / "generated" / target
        classifiers = tomllib.loads((package / "pyproject.toml").read_text())["project"]["classifiers"]
        assert classifiers[-1] == "Natural Language :: English", target
        assert (package / "LICENSE").read_text() == license_text, target
    # New metadata and no API change: each client a patch up, so reported.
    for name, version in versions.items():
        major, minor, patch = version.split(".")
        patched = f"{major}.{minor}.{int(patch) + 1}"
        assert project_version(project, name) == patched, name
        assert (
            f"regenerated generated/{name} (" in regen.stdout
            and f": {version} → {patched}\n  no API change" in regen.stdout
        )
    # What was written is what a generation writes: for the client whose LICENSE was restored and
    # for the model (every package's metadata comes from the one snippet, checked above).
    assert run_regen(project, "--check", "casedev", "agentrun").returncode == 0


def project_version(project: Path, name: str) -> str:
    return str(tomllib.loads((project / "generated" / name / "pyproject.toml").read_text())["project"]["version"])


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=project, check=True)


def test_a_new_provider_stays_at_its_first_version_until_its_package_is_committed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "the project")
    spec = yaml.safe_load((project / "specs" / "nsrocks.yaml").read_text())
    spec["x-agentruns"] |= {"title": "Acme", "env_prefix": "ACME"}
    spec_path = project / "specs" / "acme.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    first = run_regen(project, "acme")
    assert first.stdout.splitlines()[0].endswith(": 1.0.0, first release"), first.stdout + first.stderr

    # Reworked before its first commit: still its first release, the changelog one entry.
    spec["components"]["schemas"]["AgentRun"]["properties"]["region"] = {"type": "string"}
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    again = run_regen(project, "acme")
    assert again.stdout.splitlines()[0].endswith(": 1.0.0, first release"), again.stdout
    package = project / "generated" / "acme"
    assert tomllib.loads((package / "pyproject.toml").read_text())["project"]["version"] == "1.0.0"
    assert (package / "CHANGELOG.md").read_text().count("## ") == 1

    # Committed, it is released: the next change is versioned from it.
    git(project, "add", "-A")
    git(project, "commit", "-qm", "acme")
    spec["components"]["schemas"]["AgentRun"]["properties"]["zone"] = {"type": "string"}
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    released = run_regen(project, "acme")
    assert released.stdout.splitlines()[0].endswith(": 1.0.0 → 1.1.0"), released.stdout


def project_with_clients(tmp_path: Path) -> Path:
    """A copy of the project's inputs with the clients `make regen` wrote, for clients_module.py."""
    project = copy_project(tmp_path)
    module = project / "src" / "agentruns" / "_clients.py"
    module.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "src" / "agentruns" / "_clients.py", module)
    shutil.copytree(ROOT / "src" / "agentruns" / "clients", module.parent / "clients")
    return project


def write_clients(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """scripts/clients_module.py, run in `project`."""
    script = [sys.executable, str(project / "scripts" / "clients_module.py"), *args]
    return subprocess.run(script, capture_output=True, text=True, cwd=project)


def test_a_run_operation_that_needs_a_query_the_declaration_does_not_give_is_refused_by_name(
    tmp_path: Path,
) -> None:
    """Without a provider module the plan sends the ref's ids and run_query alone: a required
    query parameter beyond them would fail every call, so `make regen` says so instead."""
    import yaml

    project = project_with_clients(tmp_path)
    spec = yaml.safe_load((project / "specs" / "nsrocks.yaml").read_text())
    run_operation = spec["x-agentruns"]["run_operation"]
    operation = next(
        op for item in spec["paths"].values() for op in item.values() if op.get("operationId") == run_operation
    )
    operation.setdefault("parameters", []).append(
        {"name": "view", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    (project / "specs" / "acme.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    assert run_regen(project, "acme").returncode == 0
    done = write_clients(project)
    assert done.returncode == 1
    assert (
        f"specs/acme.yaml: {run_operation} requires the query parameter(s) view, which x-agentruns.run_query "
        "does not give: give a value there, or write src/agentruns/providers/acme.py"
    ) in done.stderr


def test_a_spec_whose_path_ids_python_names_otherwise_gets_clients_that_take_them(tmp_path: Path) -> None:
    """`{runId}` in the spec is `run_id` to the generator: the declared plan takes the generator's
    name and hands request() the spec's, and the generated module is matched by its path's shape."""
    project = project_with_clients(tmp_path)
    text = (project / "specs" / "nsrocks.yaml").read_text()
    assert "{run_id}" in text and "name: run_id" in text
    text = (
        text.replace("{run_id}", "{runId}").replace("name: run_id", "name: runId").replace("run_id: /id", "runId: /id")
    )
    (project / "specs" / "acme.yaml").write_text(text)
    assert run_regen(project, "acme").returncode == 0
    done = write_clients(project)
    assert done.returncode == 0, done.stderr
    written = (project / "src" / "agentruns" / "clients" / "acme.py").read_text()
    assert "def plan_get_run(deployment_id: str, run_id: str) -> Plan[AcmeRun]:" in written
    assert "deployment_id=deployment_id, runId=run_id" in written


def test_a_new_spec_gives_type_checkers_its_clients(tmp_path: Path) -> None:
    """`make regen` lists a new provider's clients in agentruns/_clients.py (what type checkers
    read), and `make check-generated` fails while the listing lags behind specs/."""
    project = project_with_clients(tmp_path)
    module = project / "src" / "agentruns" / "_clients.py"
    assert write_clients(project, "--check").returncode == 0
    shutil.copyfile(project / "specs" / "nsrocks.yaml", project / "specs" / "acme.yaml")
    assert run_regen(project, "acme").returncode == 0  # its generated package, whose run operation the clients call
    stale = write_clients(project, "--check")
    assert stale.returncode == 1 and "src/agentruns/_clients.py" in stale.stdout and "make regen" in stale.stdout
    written = write_clients(project)
    assert written.returncode == 0 and "wrote src/agentruns/_clients.py" in written.stdout, written.stderr
    listing = module.read_text()
    assert "from .clients.acme import AcmeClient as AcmeClient, AsyncAcmeClient as AsyncAcmeClient" in listing
    assert listing.count("from .clients.") == len(PROVIDERS) + 1
    written_clients = (project / "src" / "agentruns" / "clients" / "acme.py").read_text()
    assert "class AcmeClient(SyncProviderClient):" in written_clients and "def plan_get_run(" in written_clients
    assert write_clients(project, "--check").returncode == 0
    lint = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", str(module), str(module.parent / "clients")],
        capture_output=True,
        text=True,
        cwd=project,
    )
    assert lint.returncode == 0, lint.stdout
