"""The docs pages drawn from the code, for mkdocs-gen-files (`mkdocs.yml` runs this file at every
build): one page per provider from the registry, the CLI reference from the commands themselves,
the status table of the guide, and the navigation. tests/test_examples.py imports `pages()` to run
the examples these pages hold, as it runs the hand-written ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentruns.testing.schemas import walker

DOCS = Path(__file__).resolve().parent.parent / "docs"
STATUS_TABLE_MARK = "<!-- status table: drawn from every spec's declared statuses -->"

# The hand-written pages, in reading order; the generated ones are placed among them.
NAV = [
    ("Home", "index.md"),
    ("Install", "install.md"),
    ("Guide", None),
    ("The clients", "guide/clients.md"),
    ("One view of every run", "guide/runs.md"),
    ("The command", "guide/cli.md"),
    ("The emulator and the pytest fixture", "guide/emulator.md"),
    ("Runs as traces", "guide/traces.md"),
    ("Errors, retries, timeouts", "guide/errors.md"),
    ("Reliability", "guide/reliability.md"),
    ("Performance", "guide/performance.md"),
    ("Specs and generated clients", "guide/specs.md"),
    ("Adding a provider", "guide/adding-a-provider.md"),
    ("Architecture and glossary", "architecture.md"),
]


def provider_page(name: str) -> str:
    from agentruns import registry
    from agentruns.normalizers import status_table
    from agentruns.testing.data import sample_ids

    info = registry.get(name)
    sync, asynchronous = info.sync_client, info.async_client
    ref = f"{name}:{'/'.join(sample_ids(name, 42))}"
    lines = [
        f"# {info.title}",
        "",
        f"| | |\n|---|---|\n| ref | `{info.ref_format}` |\n| clients | `{sync.__name__}`, `{asynchronous.__name__}` |",
        f"| API key | `{info.api_key_variable}`"
        + (f" (keys start with `{info.key_prefix}`)" if info.key_prefix else "")
        + " |",
        f"| base URL | `{info.base_url_variable}`, else `{info.default_base_url}` |"
        if info.default_base_url
        else f"| base URL | `{info.base_url_variable}` (required: self-hosted; its spec's servers: "
        + ", ".join(f"`{server}`" for server in info.servers)
        + ") |",
        f"| spec | `specs/{name}.yaml`, generated client `generated/{name}/` (`{info.package}`) |",
        "",
        "## Operations",
        "",
        "| operation | request |",
        "|---|---|",
        *(
            f"| `{op.operation_id}`{' (the run)' if op is info.run_operation else ''} | `{op.method} {op.path}` |"
            for op in info.operations.values()
        ),
        "",
        "## Statuses",
        "",
        "How its statuses read in the normalized view"
        + (" (its spec closes the set):" if walker(info).statuses else " (its spec leaves the set open):"),
        "",
        "| provider | normalized |",
        "|---|---|",
        *(f"| `{raw}` | `{status}` |" for raw, status in status_table(name).items()),
        "",
        "## Fetch a run",
        "",
        f"With `{info.api_key_variable}` and `{info.base_url_variable}` set (for the emulator, `agentruns emulate` prints them):",
        "",
        "```python",
        "import agentruns",
        f"from agentruns import {sync.__name__}",
        "",
        f'run = agentruns.fetch("{ref}")  # the normalized view',
        "print(run.status, run.created_at, len(run.steps))",
        "",
        f"with {sync.__name__}() as client:  # the provider's own typed model",
        f"    native = client.get_run({', '.join(repr(i) for i in sample_ids(name, 42))})",
        "print(type(native).__name__, agentruns.request_id_of(native))",
        "```",
        "",
        "## Clients",
        "",
        f"::: agentruns.clients.{name}",
        "    options:",
        "      force_inspection: true",
        f"      members: [{sync.__name__}, {asynchronous.__name__}]",
        "      inherited_members: [get_run, get_run_response, close, aclose, with_options]",
        "",
    ]
    return "\n".join(lines)


def cli_page() -> str:
    import typer.main

    from agentruns import cli

    group = typer.main.get_command(cli.app)
    lines = [
        "# The command: reference",
        "",
        "Drawn from the commands themselves: what `agentruns <command> --help` prints.",
        "",
        "```text",
        _help(group, ["agentruns"]),
        "```",
        "",
    ]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        lines += [f"## agentruns {name}", "", "```text", _help(command, ["agentruns", name]), "```", ""]
    return "\n".join(lines)


def _help(command: Any, path: list[str]) -> str:
    # The help as a terminal of 100 columns shows it, whatever the terminal building the docs.
    context = command.context_class(
        command,
        info_name=" ".join(path),
        terminal_width=100,
        max_content_width=100,
        help_option_names=["-h", "--help"],
    )
    with context as ctx:
        return str(ctx.get_help())


def status_table() -> str:
    from agentruns_model import RunStatus

    from agentruns import registry
    from agentruns.normalizers import status_table as table_of

    names = registry.names()
    header = "| normalized | " + " | ".join(registry.get(n).title for n in names) + " |"
    rows = [header, "|---|" + "---|" * len(names)]
    for status in RunStatus:
        if status is RunStatus.UNKNOWN:
            continue
        cells = [", ".join(f"`{raw}`" for raw, mapped in table_of(n).items() if mapped is status) for n in names]
        rows.append(f"| `{status}` | " + " | ".join(cells) + " |")
    rows.append("| `unknown` | " + " | ".join("anything else (`raw_status` keeps it)" for _ in names) + " |")
    return "\n".join(rows)


def summary() -> str:
    from agentruns import registry

    lines = []
    for title, path in NAV:
        if path is None:
            lines.append(f"* {title}")
        else:
            lines.append(f"{'    ' if path.startswith('guide/') else ''}* [{title}]({path})")
    lines.append("* Providers")
    lines += [f"    * [{registry.get(n).title}](providers/{n}.md)" for n in registry.names()]
    lines += [
        "* Reference",
        "    * [Python API](reference/python.md)",
        "    * [The emulator's API](reference/testing.md)",
        "    * [The command](reference/cli.md)",
    ]
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """Every generated page by its path under docs/ (the guide's is the hand-written page with
    its table filled in)."""
    from agentruns import registry

    generated = {f"providers/{name}.md": provider_page(name) for name in registry.names()}
    generated["reference/cli.md"] = cli_page()
    runs = (DOCS / "guide" / "runs.md").read_text()
    generated["guide/runs.md"] = runs.replace(STATUS_TABLE_MARK, status_table())
    generated["SUMMARY.md"] = summary()
    return generated


def _write() -> None:
    import mkdocs_gen_files

    for path, text in pages().items():
        with mkdocs_gen_files.open(path, "w") as page:
            page.write(text)


if __name__ in ("__main__", "<run_path>"):  # mkdocs-gen-files runs this file; tests import it
    _write()
