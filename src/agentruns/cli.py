"""The `agentruns` command. Thin: parses arguments, calls the library, renders."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from .testing.app import DEFAULT_TOKEN, FAULT_KINDS, EmulatorConfig

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Typed access to agent runs on hosted platforms.")


@app.command()
def emulate(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8787,
    seed: Annotated[int, typer.Option(help="Seed for run data and faults.")] = 0,
    token: Annotated[str, typer.Option(help="Bearer token the emulator accepts.")] = DEFAULT_TOKEN,
    fault_rate: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of requests that fail.")] = 0.0,
    steps: Annotated[int, typer.Option(min=0, help="Steps per run.")] = 8,
    lifecycle: Annotated[bool, typer.Option(help="Advance each run one state per poll.")] = False,
) -> None:
    """Serve the four providers' run endpoints locally until Ctrl-C."""
    from .testing.emulator import serve

    config = EmulatorConfig(
        token=token, seed=seed, steps=steps, fault_rate=fault_rate, faults=FAULT_KINDS, lifecycle=lifecycle
    )
    # uvicorn shuts down gracefully on Ctrl-C, then re-raises it: that is a clean exit here.
    with contextlib.suppress(KeyboardInterrupt):
        serve(config, host, port, on_ready=lambda url: typer.echo(f"agentruns emulator listening on {url}"))


@app.callback()
def _root() -> None:
    """Typed access to agent runs on hosted platforms."""


def main() -> None:
    app()
