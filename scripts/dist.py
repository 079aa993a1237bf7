"""Build every package for publishing, and a wheelhouse to install them without a package index.

    python scripts/dist.py [--out dist] [--no-wheelhouse]

    dist/*.whl, dist/*.tar.gz   a wheel and an sdist of agentruns and of every generated/<target>,
                                checked with `twine check --strict` (what an upload would send)
    dist/wheelhouse/            those wheels and every third-party wheel they need, extras
                                included, for this platform and Python:
                                pip install --no-index --find-links dist/wheelhouse agentruns

The packages are built without build isolation, with the backends pinned in
requirements-dev.txt (hatchling, uv_build), so the same pins give the same files. Only
third-party names are asked of the package index: ours are not published, and a stranger's
package of the same name must never fill in for one of them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def package_dirs() -> list[Path]:
    """agentruns last: its wheel's pins name the generated packages' versions."""
    return [path.parent for path in sorted((ROOT / "generated").glob("*/pyproject.toml"))] + [ROOT]


def _run(command: list[str]) -> None:
    # uv_build finds its binary on PATH, which need not include this venv's bin/.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout}{result.stderr}")


def build(out: Path) -> list[Path]:
    """One sdist and one wheel (built from that sdist, as an installer would) per package."""
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.whl"), *out.glob("*.tar.gz")]:
        old.unlink()
    for package in package_dirs():
        _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(package)])
    built = sorted([*out.glob("*.whl"), *out.glob("*.tar.gz")])
    _run([str(BIN / "twine"), "check", "--strict", *map(str, built)])
    return built


def metadata(wheel: Path) -> dict[str, list[str]]:
    """A wheel's METADATA, each field a list of its values; the readme under "Description"."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(name).decode())
    fields: dict[str, list[str]] = {"Description": [str(message.get_payload())]}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return fields


def third_party_requirements(wheels: list[Path]) -> list[str]:
    """What our wheels require, every extra included, minus our own packages."""
    ours = {canonicalize_name(metadata(wheel)["Name"][0]) for wheel in wheels}
    needed: set[str] = set()
    for wheel in wheels:
        fields = metadata(wheel)
        extras = ["", *fields.get("Provides-Extra", [])]
        for line in fields.get("Requires-Dist", []):
            requirement = Requirement(line)
            if canonicalize_name(requirement.name) in ours:
                continue
            marker, requirement.marker = requirement.marker, None
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras):
                needed.add(str(requirement))
    return sorted(needed)


def wheelhouse(wheels: list[Path], into: Path) -> None:
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    requirements = third_party_requirements(wheels)
    # The versions `make test` checked: the dev pins constrain every third-party wheel.
    constraints = ["--constraint", str(ROOT / "requirements-dev.txt")]
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--only-binary",
            ":all:",
            *constraints,
            "--dest",
            str(into),
            *requirements,
        ]
    )
    for wheel in wheels:
        shutil.copyfile(wheel, into / wheel.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to write (default: dist/)")
    parser.add_argument("--no-wheelhouse", action="store_true", help="build and check only")
    args = parser.parse_args()
    built = build(args.out)
    wheels = [path for path in built if path.suffix == ".whl"]
    print(f"{args.out}: {len(wheels)} wheels and {len(built) - len(wheels)} sdists, twine check --strict passed")
    if not args.no_wheelhouse:
        wheelhouse(wheels, args.out / "wheelhouse")
        count = len(list((args.out / "wheelhouse").glob("*.whl")))
        print(f"{args.out / 'wheelhouse'}: {count} wheels; install with")
        print(f"  pip install --no-index --find-links {args.out / 'wheelhouse'} 'agentruns[cli]'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
