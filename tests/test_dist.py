"""Publishable packages: `scripts/dist.py` (make dist) builds a wheel and an sdist of every
package with the shared metadata, passes `twine check --strict`, and its wheelhouse installs
into a fresh venv with no package index, where the core alone runs the README's examples
against the emulator over HTTP."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from agentruns import registry
from agentruns.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import regen  # noqa: E402
from dist import metadata  # noqa: E402

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PACKAGES = [path.parent for path in sorted((ROOT / "generated").glob("*/pyproject.toml"))] + [ROOT]


def _project(package: Path) -> dict[str, object]:
    return tomllib.loads((package / "pyproject.toml").read_text())["project"]  # type: ignore[no-any-return]


def _wheel(dist: Path, package: Path) -> Path:
    project = _project(package)
    stem = f"{str(project['name']).replace('-', '_')}-{project['version']}"
    return dist / f"{stem}-py3-none-any.whl"


def _license_files(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return [archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "dist.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "twine check --strict passed" in result.stdout
    return out


def test_every_package_has_a_wheel_and_an_sdist_with_the_shared_metadata(dist: Path) -> None:
    license_text = (ROOT / "LICENSE").read_text()
    for package in PACKAGES:
        project = _project(package)
        wheel = _wheel(dist, package)
        assert wheel.is_file(), f"no wheel for {package.name}: {sorted(p.name for p in dist.iterdir())}"
        assert wheel.with_name(f"{wheel.name.split('-py3')[0]}.tar.gz").is_file()
        fields = metadata(wheel)
        assert fields["License-Expression"] == [PROJECT["license"]], package.name
        assert fields["Classifier"] == PROJECT["classifiers"], package.name
        assert fields["Author"] == [PROJECT["authors"][0]["name"]], package.name
        assert _license_files(wheel) == [license_text], package.name
        assert fields["Description-Content-Type"] == ["text/markdown"]
        assert fields["Description"][0].startswith(f"# {project['name']}"), fields["Description"][0][:80]


def test_each_provider_package_links_its_api_reference_from_the_spec(dist: Path) -> None:
    for name in registry.names():
        spec = json.loads((ROOT / "generated" / name / f"agentruns_{name}" / "openapi.json").read_text())
        fields = metadata(_wheel(dist, ROOT / "generated" / name))
        docs = regen.docs_url(spec)  # x-docs-url, else the document's externalDocs; a spec may say none
        assert fields.get("Project-URL") == ([f"Provider API reference, {docs}"] if docs else None), name


def test_the_wheel_built_from_the_sdist_pins_every_generated_package(dist: Path) -> None:
    fields = metadata(_wheel(dist, ROOT))
    pins = {Requirement(line).name: Requirement(line).specifier for line in fields["Requires-Dist"]}
    for package in PACKAGES[:-1]:
        project = _project(package)
        major = int(str(project["version"]).split(".")[0])
        assert pins[str(project["name"])] == SpecifierSet(f">={project['version']},<{major + 1}"), package.name


def _client_guide_examples() -> list[str]:
    """The Python examples of the clients guide: the core's own use, provider by provider."""
    guide = (ROOT / "docs" / "guide" / "clients.md").read_text()
    return re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)


def _offline_install(home: Path, dist: Path, requirement: str) -> None:
    command = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index"]
    command += ["--find-links", str(dist / "wheelhouse"), requirement]
    installed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr


@pytest.fixture(scope="module")
def core_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("core-venv")
    venv.EnvBuilder(with_pip=True).create(home)
    _offline_install(home, dist, "agentruns")
    return home


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


def test_the_core_installs_offline_without_the_extras(core_venv: Path) -> None:
    listed = subprocess.run(
        [str(core_venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {entry["name"].lower() for entry in json.loads(listed.stdout)}
    assert {"agentruns", *(f"agentruns-{name}" for name in registry.names()), "agentruns-model"} <= names
    assert not names & {"typer", "rich", "starlette", "uvicorn", "uvloop"}, names


def test_the_client_guide_runs_in_the_core_only_venv(core_venv: Path, emu: Emulator) -> None:
    blocks = _client_guide_examples()
    assert blocks, "the clients guide has examples"
    env = {key: value for key, value in os.environ.items() if not key.endswith(("_API_KEY", "_BASE_URL"))}
    env.update(emu.environ())
    for block in blocks:
        before = len(emu.requests)
        result = subprocess.run(
            [str(core_venv / "bin" / "python"), "-c", block], capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 0, f"{block}\n{result.stderr}"
        assert result.stdout.strip() and "no such run" not in result.stdout, result.stdout
        assert len(emu.requests) > before, f"the example made no request:\n{block}"


def test_the_cli_extra_installs_offline_with_the_hint_and_runs(dist: Path, core_venv: Path) -> None:
    """Without the extra, the command prints what installs it; that command, run as printed
    (pip pointed at the wheelhouse, as a machine with no index has it), installs it."""
    missing = subprocess.run([str(core_venv / "bin" / "agentruns"), "--version"], capture_output=True, text=True)
    assert missing.returncode == 1
    hint = missing.stderr.strip().rsplit("): ", 1)[1]
    assert hint == f"{core_venv / 'bin' / 'python'} -m pip install 'agentruns[cli]'"
    offline = {**os.environ, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(dist / "wheelhouse")}
    installed = subprocess.run(["bash", "-c", hint], capture_output=True, text=True, env=offline, timeout=300)
    assert installed.returncode == 0, installed.stderr
    version = subprocess.run([str(core_venv / "bin" / "agentruns"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0, version.stderr
    assert PROJECT["version"] in version.stdout
