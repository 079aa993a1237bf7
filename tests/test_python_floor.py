"""The lowest Python the project admits is one every pin installs on: a fresh Debian 12 machine's
python3.11 is 3.11.2, and a pin whose wheel asks for 3.11.5 stops the README's first command
before anything runs."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _floor() -> Version:
    """The lowest version `requires-python` admits (">=3.11" -> 3.11.0)."""
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    (lower,) = [s for s in SpecifierSet(spec) if s.operator == ">="]
    return Version(lower.version)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements-dev.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[name] = version
    return pins


def test_every_pin_installs_on_the_lowest_python_the_project_admits() -> None:
    floor = _floor()
    refused = {}
    for name, version in _pins().items():
        distribution = importlib.metadata.distribution(name)
        assert distribution.version == version, f"{name}: {distribution.version} installed, {version} pinned"
        needs = distribution.metadata.get("Requires-Python")
        if needs and not SpecifierSet(needs).contains(floor, prereleases=True):
            refused[f"{name}=={version}"] = needs
    assert refused == {}, f"these pins do not install on Python {floor}: {refused}"


def test_every_package_states_the_same_floor() -> None:
    ours = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    for pyproject in sorted(ROOT.glob("generated/*/pyproject.toml")):
        assert tomllib.loads(pyproject.read_text())["project"]["requires-python"] == ours, pyproject


def test_the_classifiers_name_exactly_the_pythons_the_matrix_tests() -> None:
    import re

    noxfile = (ROOT / "noxfile.py").read_text()
    (default,) = re.findall(r'^DEFAULT = "([^"]+)"', noxfile, flags=re.MULTILINE)
    tested = {re.search(r"python(3\.\d+)$", interpreter).group(1) for interpreter in default.split()}  # type: ignore[union-attr]
    classifiers = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    named = {
        c.rsplit(" :: ", 1)[1] for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert named == tested == {"3.11", "3.12", "3.13"}
    assert str(_floor()).startswith("3.11")  # the matrix's first Python is the floor's minor version
