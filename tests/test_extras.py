"""A core-only install: the clients, fetch*, normalize and serialization work without the `cli`
and `testing` extras, and each optional part names the extra it needs. The extras' modules are
made unimportable in a subprocess, as in an environment that never installed them."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentruns._extras import install_command
from agentruns.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent

TOKEN = "sk_case_core_only"
BLOCK = textwrap.dedent(
    """
    import importlib.abc, sys
    BLOCKED = {"typer", "rich", "starlette", "uvicorn", "uvloop"}
    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, NotInstalled())
    """
)


def core_only(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN) as emulator:
        yield emulator


def test_the_readme_examples_run_on_the_core_alone(emu: Emulator) -> None:
    result = core_only(
        f"""
        import agentruns
        from agentruns import CasedevClient
        options = dict(api_key={TOKEN!r}, base_url={emu.url!r})
        with CasedevClient(**options) as client:
            details = client.get_run("run_1")
        run = agentruns.fetch("casedev:run_1", **options)
        assert run.id == details.id == "run_1", run
        assert agentruns.normalize(details).status == run.status
        results = list(agentruns.fetch_many(["casedev:run_2", "nsrocks:adpl_1/adrun_1"], **options))
        assert not [r for r in results if isinstance(r, agentruns.AgentRunsError)], results
        assert agentruns.from_json(agentruns.to_json(run)).steps == run.steps
        loaded = sorted(m for m in ("typer", "rich", "starlette", "uvicorn") if m in sys.modules)
        print("ok", loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok []"


def test_the_emulator_names_the_testing_extra() -> None:
    result = core_only(
        """
        import agentruns.testing.pytest_plugin  # pytest loads it in every environment: it must import
        from agentruns.testing import make_run  # pure data: no extra needed
        assert make_run("casedev", ("run_1",))["id"] == "run_1"
        try:
            from agentruns.testing import Emulator
        except ImportError as error:
            print(type(error).__name__, error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("MissingExtraError agentruns.testing (the emulator) needs the 'testing' extra")
    assert f"{sys.executable} -m pip install '{ROOT}[testing]'" in result.stdout  # from the clone it came from


def test_the_command_names_the_cli_extra() -> None:
    result = core_only(
        "import runpy, sys; sys.argv = ['agentruns', '--help']; runpy.run_module('agentruns', run_name='__main__')"
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"agentruns: the agentruns command needs the 'cli' extra (typer is not installed): {install_command('cli')}"
    ]


@pytest.mark.parametrize("extra", ["cli", "testing"])
def test_the_install_hint_works_from_where_the_user_stands(extra: str) -> None:
    """The hint names this interpreter and the clone agentruns came from; pip resolves it as
    given (here without touching the environment, and without an index: all is installed)."""
    hint = install_command(extra)
    assert hint == f"{sys.executable} -m pip install '{ROOT}[{extra}]'"
    checked = subprocess.run(
        [*shlex.split(hint), "--dry-run", "--no-index", "--no-build-isolation", "--quiet"],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr


def test_make_install_installs_into_another_venv_from_the_clone() -> None:
    """`make install INTO=<venv>`: the generated clients and agentruns, from their folders."""
    checked = subprocess.run(
        [
            "make",
            "-s",
            "install",
            f"INTO={Path(sys.executable).parent.parent}",
            "EXTRAS=cli,testing",
            "PIP_ARGS=--dry-run --no-index --no-build-isolation --quiet",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        # uv_build (the generated packages' backend) runs its binary from PATH, as an isolated build has it
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    usage = subprocess.run(["make", "-s", "install"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert usage.returncode != 0 and "make install INTO=" in usage.stdout + usage.stderr
