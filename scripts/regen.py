"""Compile specs/<provider>.yaml into generated/<provider>/ with openapi-python-client.

    python scripts/regen.py            regenerate the providers whose inputs changed
    python scripts/regen.py --force    regenerate every provider
    python scripts/regen.py --check    regenerate into a temp dir and compare with generated/

A provider's inputs are its spec, its config, the shared templates and the generator and ruff
versions. Their hashes go into generated/<provider>/generation-stamp.json, so "changed" is decided
by content, not file times (a fresh clone has arbitrary mtimes).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = ("backside", "middesk", "casedev", "nsrocks")
STAMP = "generation-stamp.json"
TEMPLATES = ROOT / "templates"
GENERATOR = "openapi-python-client"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _templates_sha256() -> str:
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_for(provider: str, spec: Path, config: Path) -> dict[str, str]:
    return {
        "provider": provider,
        "spec": f"specs/{spec.name}",
        "spec_sha256": _sha256(spec),
        "config_sha256": _sha256(config),
        "templates_sha256": _templates_sha256(),
        "generator": GENERATOR,
        "generator_version": version(GENERATOR),
        "formatter": "ruff",
        "formatter_version": version("ruff"),
        "command": "make regen",
    }


def _render_stamp(stamp: dict[str, str]) -> str:
    return json.dumps(stamp, indent=2, sort_keys=True) + "\n"


def generate(provider: str, dest: Path, spec: Path | None = None) -> None:
    """Generate one provider's package into `dest` (which must not exist)."""
    spec = spec or ROOT / "specs" / f"{provider}.yaml"
    config = ROOT / "config" / f"{provider}.yaml"
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [
            str(Path(bin_dir) / GENERATOR),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--meta",
            "uv",
            "--custom-template-path",
            str(TEMPLATES),
            "--output-path",
            str(dest),
            "--fail-on-warning",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not dest.is_dir():
        raise SystemExit(f"{provider}: generation failed\n{result.stdout}{result.stderr}")
    (dest / ".gitignore").unlink(missing_ok=True)  # the repository's own .gitignore governs
    (dest / STAMP).write_text(_render_stamp(stamp_for(provider, spec, config)))


def is_current(provider: str) -> bool:
    stamp_path = ROOT / "generated" / provider / STAMP
    if not stamp_path.is_file():
        return False
    spec = ROOT / "specs" / f"{provider}.yaml"
    config = ROOT / "config" / f"{provider}.yaml"
    return stamp_path.read_text() == _render_stamp(stamp_for(provider, spec, config))


def regen(providers: list[str], force: bool) -> int:
    stale = [p for p in providers if force or not is_current(p)]
    if not stale:
        print("generated/ is up to date")
        return 0
    out_root = ROOT / "generated"
    out_root.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_root, prefix=".regen-") as tmp:

        def build(provider: str) -> str:
            generate(provider, Path(tmp) / provider)
            return provider

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            built = list(pool.map(build, stale))
        for provider in built:
            target = out_root / provider
            if target.exists():
                shutil.rmtree(target)
            (Path(tmp) / provider).rename(target)
            print(f"regenerated generated/{provider}")
    return 0


def _files(root: Path) -> set[str]:
    skip = {"__pycache__", ".mypy_cache", ".ruff_cache"}
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and not skip.intersection(p.relative_to(root).parts)
        and not p.name.endswith(".egg-info")
        and ".egg-info" not in p.as_posix()
    }


def check(providers: list[str]) -> int:
    """Regenerate into a temp dir and compare file by file; print every difference."""
    drift: list[str] = []
    with tempfile.TemporaryDirectory(prefix="agentruns-check-") as tmp:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda p: generate(p, Path(tmp) / p), providers))
        for provider in providers:
            fresh, committed = Path(tmp) / provider, ROOT / "generated" / provider
            fresh_files = _files(fresh)
            committed_files = _files(committed) if committed.is_dir() else set()
            for name in sorted(fresh_files | committed_files):
                if name not in committed_files:
                    drift.append(f"missing from generated/: {provider}/{name}")
                elif name not in fresh_files:
                    drift.append(f"not produced by the generator: {provider}/{name}")
                elif not filecmp.cmp(fresh / name, committed / name, shallow=False):
                    drift.append(f"differs: {provider}/{name}")
    if drift:
        print("generated/ has drifted from specs/, config/ or templates/; run `make regen`:")
        print("\n".join(f"  {line}" for line in drift))
        return 1
    print(f"generated/ matches a fresh generation ({len(providers)} providers)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "providers", nargs="*", metavar="PROVIDER", help=f"any of {', '.join(PROVIDERS)} (default: all)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--force", action="store_true", help="regenerate even when inputs are unchanged")
    mode.add_argument("--check", action="store_true", help="compare a fresh generation with generated/")
    args = parser.parse_args()
    providers = args.providers or list(PROVIDERS)
    unknown = sorted(set(providers) - set(PROVIDERS))
    if unknown:
        parser.error(f"unknown provider(s) {', '.join(unknown)}; known: {', '.join(PROVIDERS)}")
    return check(providers) if args.check else regen(providers, args.force)


if __name__ == "__main__":
    sys.exit(main())
