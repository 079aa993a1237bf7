"""Every Python and shell example of the README and the docs runs as written, against the
emulator, each with a timeout (docs/architecture.md, "Examples are tests", says how a page marks
what it needs). A page is one test: its blocks run in order, so a server one block starts serves
the blocks after it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from otlp_receiver import receiver

from agentruns import registry
from agentruns.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
from docs_pages import pages as generated_pages  # noqa: E402

EXAMPLE_SECONDS = 60
RUNNABLE = {"python", "console"}
SCRIPT_LANGUAGES = {"bash", "sh", "shell", "shell-session", "py", "pycon"}  # not used: fail if a page does
SETUP_COMMANDS = ("pip ", "make ", "git ", "cd ", "python -m pip ")
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
DIRECTIVE = re.compile(r"<!--\s*(?P<kind>not run|run|emulator):?\s*(?P<text>.*?)\s*-->\s*$")


@dataclass
class Block:
    page: str
    line: int
    lang: str
    body: str
    directive: tuple[str, str] | None  # (kind, text) of the HTML comment just before the fence

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass
class Page:
    name: str
    blocks: list[Block] = field(default_factory=list)


def _blocks(name: str, text: str) -> list[Block]:
    found = []
    for match in FENCE.finditer(text):
        indent = len(match["indent"])
        body = "\n".join(line[indent:] for line in match["body"].splitlines()) + "\n"
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        directive = DIRECTIVE.match(before)
        line = text.count("\n", 0, match.start()) + 1
        kind = (directive["kind"], directive["text"]) if directive else None
        found.append(Block(name, line, match["lang"], body, kind))
    return found


def all_pages() -> list[Page]:
    sources = {"README.md": (ROOT / "README.md").read_text()}
    for path in sorted((ROOT / "docs").rglob("*.md")):
        sources[str(path.relative_to(ROOT))] = path.read_text()
    for path, text in generated_pages().items():  # a generated page replaces its hand-written source
        sources[f"docs/{path}"] = text
    return [Page(name, _blocks(name, text)) for name, text in sorted(sources.items())]


PAGES = all_pages()


def _environment(emulator: Emulator, traces: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL")) and not k.startswith("OTEL_")
    }
    env.update(emulator.environ())
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = traces  # an OTLP receiver of the test's own, for the trace examples
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "100"
    return env


def _options(text: str) -> dict[str, object]:
    import ast

    call = ast.parse(f"f({text})", mode="eval").body
    assert isinstance(call, ast.Call)
    return {keyword.arg: ast.literal_eval(keyword.value) for keyword in call.keywords if keyword.arg}


def _commands(body: str) -> list[str]:
    """The `$ ` lines of a console block, with `\\` continuations joined."""
    commands: list[str] = []
    pending = ""
    for line in body.splitlines():
        if pending:
            pending += "\n" + line
        elif line.startswith("$ "):
            pending = line[2:]
        else:
            continue
        if not pending.endswith("\\"):
            commands.append(pending)
            pending = ""
    return commands


def _script(commands: list[str]) -> str:
    lines = ["set -uo pipefail"]
    for command in commands:
        wanted = re.search(r"#\s*exit code (\d+)\s*$", command)
        code = int(wanted.group(1)) if wanted else 0
        lines += [
            command,
            f"rc=$?; if [ $rc -ne {code} ]; then echo 'example: exit '$rc' (wanted {code}): '{shlex.quote(command)} >&2; exit 99; fi",
        ]
    return "\n".join(lines) + "\n"


class PageRun:
    """What a page's blocks share: the emulator, a folder, servers started by earlier blocks."""

    def __init__(self, emulator: Emulator, folder: Path, traces: str) -> None:
        self.emulator = emulator
        self.folder = folder
        self.traces = traces
        self.background: list[subprocess.Popen[str]] = []

    def run(self, block: Block) -> None:
        emulator = self.emulator
        if block.directive and block.directive[0] == "emulator":
            with Emulator(**_options(block.directive[1])) as own:  # type: ignore[arg-type]
                return self._run(block, own)
        return self._run(block, emulator)

    def _run(self, block: Block, emulator: Emulator) -> None:
        env = _environment(emulator, self.traces)
        if block.lang == "python":
            source = self.folder / f"example_{block.line}.py"
            source.write_text(block.body)
            command = [sys.executable, str(source)]
            if re.search(r"^def test_", block.body, flags=re.M):
                command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(source)]
            result = subprocess.run(
                command, capture_output=True, text=True, env=env, cwd=self.folder, timeout=EXAMPLE_SECONDS
            )
            assert result.returncode == 0, f"{block.where}\n{block.body}\n{result.stdout}\n{result.stderr}"
            return None
        commands = _commands(block.body)
        assert commands, f"{block.where}: a console block with no `$ ` command"
        if block.directive and block.directive[0] == "run":
            assert len(commands) == 1, f"{block.where}: a background block runs one command"
            self._start(block, commands[0], env)
            return None
        result = subprocess.run(
            ["bash", "-c", _script(commands)],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.folder,
            timeout=EXAMPLE_SECONDS,
        )
        assert result.returncode == 0, f"{block.where}\n{block.body}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, f"{block.where}\n{result.stderr}"
        return None

    def _start(self, block: Block, command: str, env: dict[str, str]) -> None:
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # its request log; nobody reads it here
            text=True,
            env=env,
            cwd=self.folder,
        )
        self.background.append(process)
        assert process.stdout is not None
        deadline = time.monotonic() + EXAMPLE_SECONDS
        first = process.stdout.readline()  # it is ready once it says so
        assert first and time.monotonic() < deadline, f"{block.where}: {command!r} printed nothing and exited"

    def close(self) -> None:
        for process in self.background:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def page_run(agentruns_emulator_session: Emulator, tmp_path: Path) -> Iterator[PageRun]:
    agentruns_emulator_session.reset()
    with receiver() as (traces, _):
        running = PageRun(agentruns_emulator_session, tmp_path, traces)
        try:
            yield running
        finally:
            running.close()


def runs(block: Block) -> bool:
    """Whether the runner runs `block`: a Python or console example not marked `not run`, and not
    a source file shown whole (`--8<--`), which the rest of the suite runs."""
    left_out = block.directive is not None and block.directive[0] == "not run"
    return block.lang in RUNNABLE and not left_out and not block.body.lstrip().startswith("--8<--")


@pytest.mark.parametrize("page", [p for p in PAGES if any(map(runs, p.blocks))], ids=lambda p: p.name)
def test_every_example_of_the_page_runs(page: Page, page_run: PageRun) -> None:
    for block in filter(runs, page.blocks):
        page_run.run(block)


def test_examples_left_out_only_set_up_and_say_why() -> None:
    left_out = [b for p in PAGES for b in p.blocks if b.directive and b.directive[0] == "not run"]
    assert left_out, "the install pages have set-up examples"
    for block in left_out:
        assert len(block.directive[1]) > 20, f"{block.where}: say why it is not run, and what covers it"  # type: ignore[index]
        for command in _commands(block.body):
            assert command.startswith(SETUP_COMMANDS), f"{block.where}: only set-up may be left out: {command!r}"


def test_no_example_hides_in_another_language() -> None:
    """Shell is written as `console` ($ lines), Python as `python`: nothing runnable escapes the
    runner under another name."""
    for page in PAGES:
        for block in page.blocks:
            assert block.lang not in SCRIPT_LANGUAGES, f"{block.where}: write it as console or python"
            assert block.lang, f"{block.where}: a fence without a language (text, if it is output)"


def test_the_pages_cover_every_provider() -> None:
    names = {p.name for p in PAGES}
    assert {f"docs/providers/{name}.md" for name in registry.names()} <= names
    runnable = sum(1 for p in PAGES for b in p.blocks if b.lang in RUNNABLE)
    assert runnable >= 25, runnable
