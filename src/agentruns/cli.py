"""The `agentruns` command. Thin: parses arguments, calls the library, renders.

Errors print one line on stderr (never a traceback, never a key) and exit with a code that says
what went wrong (`ExitCode`); a usage error is click's, with exit code 2."""

from __future__ import annotations

import contextlib
import csv
import os
import sys
from collections.abc import Iterator
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from .errors import AgentRunsError


class ExitCode(IntEnum):
    """What the exit status of `agentruns` says, so a script can tell failures apart."""

    OK = 0
    ERROR = 1
    USAGE = 2
    RUN_FAILED = 3
    AUTH = 4
    NOT_FOUND = 5
    NETWORK = 6
    WAIT_TIMEOUT = 7
    INTERRUPTED = 130


EXIT_CODE_MEANINGS = {
    ExitCode.OK: "success",
    ExitCode.ERROR: "any other failure: a server error, an off-spec body, a file that cannot be read or written",
    ExitCode.USAGE: "bad usage: an unknown option, a malformed ref, conflicting flags, a bad value",
    ExitCode.RUN_FAILED: "watch: the run ended, and not in success",
    ExitCode.AUTH: "no API key, or the provider refused it (401, 403): set <PROVIDER>_API_KEY",
    ExitCode.NOT_FOUND: "the provider has no such run (404)",
    ExitCode.NETWORK: "no answer: connection refused or reset, host unreachable, timed out",
    ExitCode.WAIT_TIMEOUT: "watch: --timeout passed before the run ended",
    ExitCode.INTERRUPTED: "interrupted by Ctrl-C (128 + SIGINT, as shells count it)",
}

# click keeps a paragraph that starts with \b as it is written (no rewrapping).
_EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code.value:<4}{meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())

app: typer.Typer = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # click's plain help and usage errors: one format for every error, and no rich at start-up.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Typed access to agent runs on every provider agentruns knows (`agentruns providers` lists them).",
    epilog=_EPILOG,
)
out: Console = Console()
err: Console = Console(stderr=True)


BaseUrl = Annotated[
    str | None, typer.Option(help="Send requests here instead of <PROVIDER>_BASE_URL or the provider's server.")
]


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    otlp = "otlp"


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
        from . import __version__

        typer.echo(f"agentruns {__version__}")
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


def _usage_error(ctx: typer.Context, message: str) -> NoReturn:
    """A usage error as click reports its own (usage line, hint, message; exit code 2)."""
    ctx.fail(message)


def exit_code_of(error: AgentRunsError) -> ExitCode:
    """The exit code an error of the library ends the command with."""
    from .errors import (
        APIConnectionError,
        AuthenticationError,
        ConfigurationError,
        InvalidRequestError,
        NotFoundError,
        PermissionDeniedError,
        WaitTimeoutError,
    )

    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return ExitCode.AUTH
    if isinstance(error, ConfigurationError):
        return ExitCode.AUTH if error.field == "api_key" else ExitCode.USAGE
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(error, APIConnectionError):
        return ExitCode.NETWORK
    if isinstance(error, WaitTimeoutError):
        return ExitCode.WAIT_TIMEOUT
    if isinstance(error, InvalidRequestError):
        return ExitCode.USAGE
    return ExitCode.ERROR


def describe(error: AgentRunsError) -> str:
    """The error's line: its message, the request id the server gave, and what to do next where
    that is known (the variable to set for a refused key)."""
    from . import registry
    from .errors import AuthenticationError, PermissionDeniedError

    line = str(error)
    request_id = getattr(error, "request_id", None)
    if request_id:
        line += f" (request id {request_id})"
    if isinstance(error, AuthenticationError | PermissionDeniedError) and error.provider in registry.names():
        info = registry.get(error.provider)
        wanted = "a valid" if isinstance(error, AuthenticationError) else "a"
        prefix = f" (keys start with {info.key_prefix})" if info.key_prefix else ""
        scope = "" if isinstance(error, AuthenticationError) else " that may read this run"
        line += f"; set {info.api_key_variable} to {wanted} {info.title} API key{scope}{prefix}"
    return line


@contextlib.contextmanager
def _errors(ctx: typer.Context) -> Iterator[None]:
    """Turn the library's errors, and the system's (a file that cannot be read or written, a port
    taken), into one line and the exit code that says what failed."""
    try:
        yield
    except AgentRunsError as error:
        code = exit_code_of(error)
        if code is ExitCode.USAGE:
            _usage_error(ctx, describe(error))
        _fail_line("error:", describe(error))
        raise typer.Exit(code) from None
    except UnicodeDecodeError as error:
        _fail_line("error:", f"not UTF-8 text: {error}")
        raise typer.Exit(ExitCode.ERROR) from None
    except (OSError, OverflowError) as error:
        _fail_line("error:", _os_message(error))
        raise typer.Exit(ExitCode.ERROR) from None


def _os_message(error: OSError | OverflowError) -> str:
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror or error}: {error.filename}"
    return str(error.strerror if isinstance(error, OSError) and error.strerror else error)


@app.command()
def get(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF", help="A run reference, <provider>:<ids>; `agentruns providers` shows each provider's form."
        ),
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
    chosen = [flag for flag, given in (("--json", json_), ("--raw", raw), ("--timeline", timeline)) if given]
    if len(chosen) > 1:
        _usage_error(ctx, f"{' and '.join(chosen)} cannot be used together: each prints the run its own way")
    from .fetching import sync_client
    from .normalizers import normalize
    from .refs import RunRef
    from .render import summary, timeline as render_timeline
    from .serialize import to_json

    with _errors(ctx):
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
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="The run to follow.")],
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds, all polls included.")] = 600.0,
    interval: Annotated[float, typer.Option(help="First poll interval in seconds (grows to 30 s).")] = 2.0,
    base_url: BaseUrl = None,
    max_retries: MaxRetries = None,
) -> None:
    """Follow a run until it ends; the exit code is 0 only if it succeeded."""
    from agentruns_model import RunStatus

    from .fetching import watch as follow
    from .refs import RunRef
    from .render import status_text

    for name, value in (("--timeout", timeout), ("--interval", interval)):
        if not value > 0:
            _usage_error(ctx, f"{name} must be a number of seconds above 0, got {value}")
    with _errors(ctx):
        run_ref = RunRef.parse(ref)
        # On a terminal a spinner shows the latest status; elsewhere (a CI log, a pipe) each new
        # status is one line, so the progress is not lost.
        spinner = err.status(f"waiting for {run_ref}…") if err.is_terminal else contextlib.nullcontext()
        with spinner as live:
            seen = None
            options = _options(base_url, max_retries=max_retries)
            for run in follow(run_ref, timeout=timeout, poll_interval=interval, **options):
                if run.is_terminal:
                    break
                message = f"{run_ref}: {run.status}"
                if live is not None:
                    live.update(Text(message))
                elif run.status is not seen:
                    err.print(Text(message), highlight=False, soft_wrap=True)
                seen = run.status
    out.print(status_text(run), Text(run.ref, style="dim"))
    if run.status is not RunStatus.SUCCEEDED:
        raise typer.Exit(ExitCode.RUN_FAILED)


def _read_refs(source: str) -> list[str]:
    """The refs of a file (or stdin, for `-`): one per line, `#` starts a comment, blank lines are
    skipped and a ref listed twice is fetched once."""
    if source == "-":
        stdin = getattr(sys.stdin, "buffer", None)  # the bytes, so a BOM is read as the mark it is
        data = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
    else:
        data = Path(source).read_bytes()
    text = data.decode("utf-8-sig")  # UTF-8, with or without the byte order mark Windows tools write
    refs = (line.partition("#")[0].strip() for line in text.splitlines())
    return list(dict.fromkeys(ref for ref in refs if ref))


@app.command()
def export(
    ctx: typer.Context,
    refs_file: Annotated[
        str,
        typer.Argument(
            metavar="REFS",
            help="A file of run references, one per line, or - for stdin. Text after # is a comment;"
            " blank lines are skipped; a ref listed twice is fetched once.",
        ),
    ],
    format_: Annotated[
        Format,
        typer.Option(
            "--format",
            help="jsonl: one run per line; csv: one row per run; otlp: one trace per run, sent over OTLP/HTTP"
            " to --endpoint (else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, localhost:4318).",
        ),
    ] = Format.jsonl,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight at once.")] = 8,
    endpoint: Annotated[
        str | None, typer.Option(help="otlp: the receiver's traces URL (for example http://127.0.0.1:6006/v1/traces).")
    ] = None,
    include_running: Annotated[
        bool, typer.Option("--include-running", help="otlp: send runs that are not terminal too.")
    ] = False,
    content: Annotated[
        bool, typer.Option("--content", help="otlp: include tool arguments and results, steps' input and output.")
    ] = False,
    content_limit: Annotated[int, typer.Option(min=1, help="otlp: bytes of each content attribute at most.")] = 8192,
    openinference: Annotated[
        bool, typer.Option("--openinference", help="otlp: OpenInference's attribute names as well (Phoenix, Arize).")
    ] = False,
    base_url: BaseUrl = None,
    timeout: Timeout = None,
    max_retries: MaxRetries = None,
) -> None:
    """Fetch many runs and write them normalized, or send them as traces; failures are listed at the end."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .fetching import fetch_many
    from .render import CSV_COLUMNS, ExportTally, to_row
    from .serialize import to_json

    traces = None
    if format_ is Format.otlp:
        if out_file is not None:
            _usage_error(ctx, "--out does not go with --format otlp: the traces go to the receiver")
        traces = _trace_exporter(endpoint, include_running, content, content_limit, openinference)
    elif endpoint or include_running or content or openinference:
        _usage_error(ctx, "--endpoint, --include-running, --content and --openinference go with --format otlp")
    with _errors(ctx):
        refs = _read_refs(refs_file)
    try:
        sink = out_file.open("w", newline="") if out_file else sys.stdout
    except OSError as error:  # EACCES, a missing folder, a directory: the same one line as a failed write
        _write_failed(error, out_file, 0, len(refs))
    failures: list[AgentRunsError] = []
    writer = csv.DictWriter(sink, fieldnames=CSV_COLUMNS) if format_ is Format.csv else None
    if writer:
        writer.writeheader()
    progress = Progress(
        TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )
    written = flushed = 0
    write_error: OSError | None = None
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
                try:
                    if traces is not None:
                        traces.add(result)
                    elif writer:
                        writer.writerow(to_row(result))
                    else:
                        sink.write(to_json(result, native=False).decode() + "\n")
                    written += 1
                    if traces is None:
                        sink.flush()  # each row on disk once written: safe to tail, and kept on Ctrl-C
                        flushed = written
                except OSError as error:  # a full disk, a closed pipe: the rows before it stay whole
                    write_error = error
                    break
                tally.add(result)
        if traces is not None:
            traces.close()  # what is left of the last batch
    except KeyboardInterrupt:
        interrupted = True  # fetch_many has cancelled what was in flight; the rows written stay
    finally:
        try:
            if out_file:
                sink.close()
            else:
                sink.flush()
        except OSError as error:  # what the last flush could not write
            write_error = write_error or error
    if write_error is not None:
        _write_failed(write_error, out_file, flushed, len(refs))
    if interrupted:
        err.print(f"interrupted: {written} of {len(refs)} runs exported", highlight=False)
        raise typer.Exit(ExitCode.INTERRUPTED)
    if unreachable is not None:
        _fail_line(
            "error:", f"stopped after {len(failures)} of {len(refs)} refs: no server answered ({describe(unreachable)})"
        )
        raise typer.Exit(ExitCode.NETWORK)
    if traces is not None:
        _trace_summary(traces.summary, len(refs))
    else:
        err.print(f"{len(refs) - len(failures)} of {len(refs)} runs exported", highlight=False)
    if written:
        err.print(tally.table())
    if traces is not None and traces.summary.failed:
        sent = traces.summary.runs_sent
        where = traces.summary.endpoint or "the exporter"
        _fail_line(
            "error:",
            f"{where} took {sent} of {sent + len(traces.summary.failed)} traces: {traces.summary.failed[0][1]}",
        )
        raise typer.Exit(ExitCode.NETWORK if traces.summary.unanswered and not sent else ExitCode.ERROR)
    for failure in failures:
        _fail_line("failed:", f"{failure.ref}: {describe(failure)}", style="red")
    if failures:
        # The failures' own code when they share one (every ref 404: NOT_FOUND), else ERROR.
        codes = {exit_code_of(failure) for failure in failures}
        raise typer.Exit(codes.pop() if len(codes) == 1 else ExitCode.ERROR)


def _write_failed(error: OSError, out_file: Path | None, written: int, total: int) -> NoReturn:
    """One line for an output that cannot take more (ENOSPC, EPIPE, EACCES), and exit 1."""
    import errno

    where = str(out_file) if out_file else "standard output"
    if error.errno == errno.EPIPE and out_file is None:
        # The reader went away (`| head`): stdout is pointed at /dev/null, so that Python's own
        # flush at exit does not fail a second time with a traceback.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    _fail_line(
        "error:", f"cannot write to {where}: {error.strerror or error} ({written} of {total} runs written whole)"
    )
    raise typer.Exit(ExitCode.ERROR)


def _trace_exporter(
    endpoint: str | None, include_running: bool, content: bool, content_limit: int, openinference: bool
) -> Any:
    from .errors import MissingExtraError

    try:
        from .otel import TraceExporter
    except MissingExtraError as error:
        _fail_line("error:", str(error))
        raise typer.Exit(ExitCode.ERROR) from None
    return TraceExporter(
        endpoint=endpoint,
        include_running=include_running,
        include_content=content,
        content_limit=content_limit,
        openinference=openinference,
    )


def _trace_summary(summary: Any, total: int) -> None:
    """runs and spans sent, runs skipped (and why), runs the receiver did not take."""
    line = f"{summary.runs_sent} of {total} runs sent as traces ({summary.spans_sent} spans)"
    if summary.endpoint:
        line += f" to {summary.endpoint}"
    if summary.skipped:
        line += f"; {len(summary.skipped)} skipped (not terminal; --include-running sends them)"
    if summary.failed:
        line += f"; {len(summary.failed)} not taken"
    err.print(Text(line), highlight=False, soft_wrap=True)


UNREACHABLE_AFTER = 5  # connection failures, before any success, that end an export


def _unreachable(failures: list[AgentRunsError], written: int) -> bool:
    """Nothing answered yet and the last few refs could not even connect: the server is down or
    the base URL wrong, and the rest would fail alike, each after its retries."""
    from .errors import APIConnectionError

    recent = failures[-UNREACHABLE_AFTER:]
    return written == 0 and len(recent) == UNREACHABLE_AFTER and all(type(f) is APIConnectionError for f in recent)


_SELF_HOSTED = "none: self-hosted, give one"


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
            "base URL (default)": info.default_base_url or _SELF_HOSTED,
            "base URL in use": os.environ.get(info.base_url_variable) or info.default_base_url or "(none given)",
        }
        for info in registry.all_providers()
    ]
    out.print(render_providers(rows))


@app.command()
def emulate(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8787,
    seed: Annotated[int, typer.Option(help="Seed for run data and faults.")] = 0,
    token: Annotated[
        str | None, typer.Option(help="Secret of the keys the emulator accepts: a provider's key prefix, then this.")
    ] = None,
    fault_rate: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of requests that fail.")] = 0.0,
    faults: Annotated[
        str | None,
        typer.Option(help="Which faults, comma-separated: rate_limit, server_error, slow, drop, truncate (all)."),
    ] = None,
    latency: Annotated[float, typer.Option(min=0.0, help="Seconds added before every answer.")] = 0.0,
    missing: Annotated[
        list[str] | None, typer.Option(help="A run answered with 404: a ref or a bare id (repeatable).")
    ] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps per run.")] = 8,
    lifecycle: Annotated[bool, typer.Option(help="Advance each run one state per poll.")] = False,
    coverage: Annotated[
        bool, typer.Option(help="Vary absent and null fields over the id space (for contract tests).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log each request.")] = False,
) -> None:
    """Serve every provider's run endpoints locally until Ctrl-C, logging one line per request."""
    from .errors import MissingExtraError

    try:
        from .testing.emulator import serve
        from .testing.options import EmulatorOptionError, config_from
    except MissingExtraError as error:
        _fail_line("error:", str(error))
        raise typer.Exit(ExitCode.ERROR) from None

    options: dict[str, Any] = {
        "seed": seed,
        "steps": steps,
        "fault_rate": fault_rate,
        "latency": latency,
        "lifecycle": lifecycle,
        "coverage": coverage,
        "missing": missing or (),
    }
    if token:
        options["token"] = token
    if faults is not None:
        options["faults"] = [kind.strip() for kind in faults.split(",") if kind.strip()]
    try:
        config = config_from(options)
    except EmulatorOptionError as error:
        _usage_error(ctx, str(error).removeprefix("emulator option "))
    # uvicorn shuts down gracefully on Ctrl-C, then re-raises it: that is a clean exit here.
    with contextlib.suppress(KeyboardInterrupt):
        try:
            serve(
                config,
                host,
                port,
                on_ready=lambda url: _announce(url, config.token),
                on_request=None if quiet else _log_request,
            )
        except (OSError, OverflowError) as error:
            _fail_line("error:", f"cannot listen on {host}:{port}: {_os_message(error)}")
            raise typer.Exit(ExitCode.ERROR) from None


def _log_request(entry: Any) -> None:
    """One line per request on stderr, as a web server's access log: method, path, status, the
    request id sent, time to answer, and the fault played, if any."""
    fault = f" fault={entry.fault}" if entry.fault else ""
    line = f"{entry.method} {entry.raw_path} {entry.status} {entry.request_id} {entry.seconds * 1000:.1f}ms{fault}"
    err.print(Text(line), highlight=False, soft_wrap=True)


def _announce(url: str, token: str) -> None:
    """The URL first (scripts read it off the first line), then how to point clients at it."""
    from . import registry
    from .testing.app import token_for
    from .testing.options import environ_for

    prefixed = [f"{token_for(info, token)} for {info.title}" for info in registry.all_providers() if info.key_prefix]
    typer.echo(f"agentruns emulator listening on {url}")
    typer.echo(f"its keys: {token}" + (f" ({', '.join(prefixed)})" if prefixed else "") + "; to use them from a shell:")
    typer.echo("  export " + " ".join(f"{name}={value}" for name, value in environ_for(url, token).items()))


def main() -> None:
    app()
