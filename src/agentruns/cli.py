"""The `agentruns` command. Thin: parses arguments, calls the library, renders.

Errors print one line on stderr (never a traceback, never a key) and exit non-zero."""

from __future__ import annotations

import contextlib
import csv
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from .errors import AgentRunsError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Typed access to agent runs on every provider agentruns knows (`agentruns providers` lists them).",
)
out = Console()
err = Console(stderr=True)

# Exit codes: 0 success; 1 the command failed (an API error, a failed export row, a run that did
# not succeed under `watch`); 2 bad usage (typer's own); 130 interrupted (128 + SIGINT, as shells do).
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130

BaseUrl = Annotated[
    str | None, typer.Option(help="Send requests here instead of <PROVIDER>_BASE_URL or the provider's server.")
]


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


Timeout = Annotated[
    float | None, typer.Option("--timeout", help="Seconds to wait for each read (default 60; connect 10).")
]
MaxRetries = Annotated[int | None, typer.Option("--max-retries", help="Retries of a failed request (default 2).")]


def _options(base_url: str | None, timeout: float | None = None, max_retries: int | None = None) -> dict[str, Any]:
    """Client options from the command line; the library's defaults where none is given (and the
    library checks the values, so a bad one is one line like any error)."""
    options: dict[str, Any] = {"base_url": base_url} if base_url else {}
    if timeout is not None:
        options["timeout"] = timeout
    if max_retries is not None:
        options["max_retries"] = max_retries
    return options


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import version

        typer.echo(f"agentruns {version('agentruns')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Typed access to agent runs on every provider agentruns knows (`agentruns providers` lists them)."""


def _fail_line(label: str, message: str, style: str = "bold red") -> None:
    """One line on stderr. The message is printed as it is: it can hold a ref, a path or a server
    body, and rich would otherwise read `[...]` in it as markup (or fail on it)."""
    err.print(Text.assemble((label, style), " ", message), highlight=False, soft_wrap=True)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn the library's errors, and the system's (a file that cannot be read or written, a port
    taken), into one line and exit code 1."""
    try:
        yield
    except AgentRunsError as error:
        _fail_line("error:", str(error))
        raise typer.Exit(EXIT_FAILED) from None
    except UnicodeDecodeError as error:
        _fail_line("error:", f"not UTF-8 text: {error}")
        raise typer.Exit(EXIT_FAILED) from None
    except (OSError, OverflowError) as error:
        _fail_line("error:", _os_message(error))
        raise typer.Exit(EXIT_FAILED) from None


def _os_message(error: OSError | OverflowError) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror or error}: {error.filename}"
    return str(error.strerror if isinstance(error, OSError) and error.strerror else error)


@app.command()
def get(
    ref: Annotated[
        str,
        typer.Argument(help="A run reference, <provider>:<ids>; `agentruns providers` shows each provider's form."),
    ],
    json_: Annotated[bool, typer.Option("--json", help="Print the normalized run as one JSON object.")] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw", help="Print the provider's own response bodies, one per line (a run fetched in parts has several)."
        ),
    ] = False,
    timeline: Annotated[
        bool, typer.Option("--timeline", help="Draw the steps as a waterfall on a time axis (start, duration, cost).")
    ] = False,
    base_url: BaseUrl = None,
    timeout: Timeout = None,
    max_retries: MaxRetries = None,
) -> None:
    """Fetch one run and show it."""
    from .fetching import sync_client
    from .normalizers import normalize
    from .refs import RunRef
    from .render import summary, timeline as render_timeline
    from .serialize import to_json

    with _errors():
        run_ref = RunRef.parse(ref)
        with sync_client(run_ref, **_options(base_url, timeout, max_retries)) as client:
            response = client.get_run_response(*run_ref.ids)  # type: ignore[attr-defined]
        run = normalize(response.parsed, ref=str(run_ref))
    if raw:
        sys.stdout.buffer.write(b"".join(part.content + b"\n" for part in response.responses))
    elif json_:
        sys.stdout.buffer.write(to_json(run) + b"\n")
    elif timeline:
        out.print(render_timeline(run))  # the axis takes what the other columns leave
    else:
        out.print(summary(run))


@app.command()
def watch(
    ref: Annotated[str, typer.Argument(help="The run to follow.")],
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds, all polls included.")] = 600.0,
    interval: Annotated[float, typer.Option(help="First poll interval in seconds (grows to 30 s).")] = 2.0,
    base_url: BaseUrl = None,
    max_retries: MaxRetries = None,
) -> None:
    """Follow a run until it ends; the exit code is 0 only if it succeeded."""
    from agentruns_model import RunStatus

    from . import _http
    from .fetching import _fetch_with, _Poll, sync_client
    from .refs import RunRef
    from .render import status_text

    for name, value in (("--timeout", timeout), ("--interval", interval)):
        if not value > 0:
            _fail_line("error:", f"{name} must be a number of seconds above 0, got {value}")
            raise typer.Exit(EXIT_FAILED)
    with _errors():
        run_ref = RunRef.parse(ref)
        poll = _Poll(run_ref, timeout, interval)
        # On a terminal a spinner shows the latest status; elsewhere (a CI log, a pipe) each new
        # status is one line, so the progress is not lost.
        spinner = err.status(f"waiting for {run_ref}…") if err.is_terminal else contextlib.nullcontext()
        with sync_client(run_ref, **_options(base_url, max_retries=max_retries)) as client, spinner as live:
            seen = None
            while not (run := _fetch_with(client, run_ref)).is_terminal:
                message = f"{run_ref}: {run.status} (next check in {poll.interval:.1f}s)"
                if live is not None:
                    live.update(Text(message))
                elif run.status is not seen:
                    err.print(Text(message), highlight=False, soft_wrap=True)
                seen = run.status
                _http.sleep(poll.next_delay(run))
    out.print(status_text(run), Text(run.ref, style="dim"))
    if run.status is not RunStatus.SUCCEEDED:
        raise typer.Exit(EXIT_FAILED)


def _read_refs(source: str) -> list[str]:
    """The refs of a file (or stdin, for `-`): one per line, `#` starts a comment, blank lines are
    skipped and a ref listed twice is fetched once."""
    text = sys.stdin.read() if source == "-" else Path(source).read_bytes().decode("utf-8")
    refs = (line.partition("#")[0].strip() for line in text.splitlines())
    return list(dict.fromkeys(ref for ref in refs if ref))


@app.command()
def export(
    refs_file: Annotated[
        str,
        typer.Argument(
            metavar="REFS",
            help="A file of run references, one per line, or - for stdin. Text after # is a comment;"
            " blank lines are skipped; a ref listed twice is fetched once.",
        ),
    ],
    format_: Annotated[
        Format, typer.Option("--format", help="jsonl: one run per line; csv: one row per run.")
    ] = Format.jsonl,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight at once.")] = 8,
    base_url: BaseUrl = None,
    timeout: Timeout = None,
    max_retries: MaxRetries = None,
) -> None:
    """Fetch many runs and write them normalized; failures are listed at the end."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .fetching import fetch_many
    from .render import CSV_COLUMNS, ExportTally, to_row
    from .serialize import to_json

    with _errors():
        refs = _read_refs(refs_file)
        sink = out_file.open("w", newline="") if out_file else sys.stdout
    failures: list[AgentRunsError] = []
    writer = csv.DictWriter(sink, fieldnames=CSV_COLUMNS) if format_ is Format.csv else None
    if writer:
        writer.writeheader()
    progress = Progress(
        TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )
    written = 0
    tally = ExportTally()
    interrupted = False
    unreachable: AgentRunsError | None = None
    try:
        with progress:
            task = progress.add_task("runs", total=len(refs))
            for result in fetch_many(refs, concurrency=concurrency, **_options(base_url, timeout, max_retries)):
                progress.advance(task)
                if isinstance(result, AgentRunsError):
                    failures.append(result)
                    if _unreachable(failures, written):
                        unreachable = result
                        break
                    continue
                # One write per row, so an interrupt lands between rows, never inside one. The row
                # is counted as soon as it is in the buffer (closing flushes it even on Ctrl-C), not
                # after the flush: an interrupt during the flush must not leave it uncounted.
                if writer:
                    writer.writerow(to_row(result))
                else:
                    sink.write(to_json(result, native=False).decode() + "\n")
                written += 1
                sink.flush()  # each row on disk once written: safe to tail, and kept on Ctrl-C
                tally.add(result)
    except KeyboardInterrupt:
        interrupted = True  # fetch_many has cancelled what was in flight; the rows written stay
    finally:
        if out_file:
            sink.close()
        else:
            sink.flush()
    if interrupted:
        err.print(f"interrupted: {written} of {len(refs)} runs exported", highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED)
    if unreachable is not None:
        _fail_line("error:", f"stopped after {len(failures)} of {len(refs)} refs: no server answered ({unreachable})")
        raise typer.Exit(EXIT_FAILED)
    err.print(f"{len(refs) - len(failures)} of {len(refs)} runs exported", highlight=False)
    if written:
        err.print(tally.table())
    for failure in failures:
        _fail_line("failed:", f"{failure.ref}: {failure}", style="red")
    if failures:
        raise typer.Exit(EXIT_FAILED)


UNREACHABLE_AFTER = 5  # connection failures, before any success, that end an export


def _unreachable(failures: list[AgentRunsError], written: int) -> bool:
    """Nothing answered yet and the last few refs could not even connect: the server is down or
    the base URL wrong, and the rest would fail alike, each after its retries."""
    from .errors import APIConnectionError

    recent = failures[-UNREACHABLE_AFTER:]
    return written == 0 and len(recent) == UNREACHABLE_AFTER and all(type(f) is APIConnectionError for f in recent)


@app.command()
def providers() -> None:
    """List the providers, their environment variables and base URLs."""
    from . import registry
    from .render import providers as render_providers

    rows = [
        {
            "provider": info.title,
            "ref": info.ref_format,
            "API key": info.api_key_variable,
            "base URL (default)": info.default_base_url,
            "base URL in use": os.environ.get(info.base_url_variable, info.default_base_url),
        }
        for info in registry.all_providers()
    ]
    out.print(render_providers(rows))


@app.command()
def emulate(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8787,
    seed: Annotated[int, typer.Option(help="Seed for run data and faults.")] = 0,
    token: Annotated[str | None, typer.Option(help="Bearer token the emulator accepts.")] = None,
    fault_rate: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of requests that fail.")] = 0.0,
    steps: Annotated[int, typer.Option(min=0, help="Steps per run.")] = 8,
    lifecycle: Annotated[bool, typer.Option(help="Advance each run one state per poll.")] = False,
    complete: Annotated[bool, typer.Option(help="Set every optional and nullable field (full bodies).")] = False,
) -> None:
    """Serve every provider's run endpoints locally until Ctrl-C."""
    from ._extras import MissingExtraError

    try:
        from .testing.app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorConfig
        from .testing.emulator import serve
    except MissingExtraError as error:
        _fail_line("error:", str(error))
        raise typer.Exit(EXIT_FAILED) from None

    config = EmulatorConfig(
        token=token or DEFAULT_TOKEN,
        seed=seed,
        steps=steps,
        fault_rate=fault_rate,
        faults=FAULT_KINDS,
        lifecycle=lifecycle,
        complete=complete,
    )
    # uvicorn shuts down gracefully on Ctrl-C, then re-raises it: that is a clean exit here.
    with contextlib.suppress(KeyboardInterrupt):
        try:
            serve(config, host, port, on_ready=lambda url: _announce(url, config.token))
        except (OSError, OverflowError) as error:
            _fail_line("error:", f"cannot listen on {host}:{port}: {_os_message(error)}")
            raise typer.Exit(EXIT_FAILED) from None


def _announce(url: str, token: str) -> None:
    """The URL first (scripts read it off the first line), then how to point clients at it."""
    from . import registry

    typer.echo(f"agentruns emulator listening on {url}")
    typer.echo(f"it accepts the token {token}; to use it from a shell:")
    names = [(info.api_key_variable, info.base_url_variable) for info in registry.all_providers()]
    typer.echo("  export " + " ".join(f"{key}={token} {base}={url}" for key, base in names))


def main() -> None:
    app()
