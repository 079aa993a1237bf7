"""The optional parts of agentruns and the extra that installs each: the clients, fetch* and
normalize need none; the command needs `cli`, the emulator and its pytest fixture `testing`."""

from __future__ import annotations

from .errors import MissingExtraError

EXTRAS = {
    "cli": ("typer", "rich"),
    "testing": ("starlette", "uvicorn"),
    "otel": ("opentelemetry.sdk", "opentelemetry.exporter.otlp.proto.http", "openinference.semconv"),
}


def source_folder() -> str | None:
    """The folder agentruns was installed from (a clone), when it was installed from a path."""
    import json
    from importlib.metadata import PackageNotFoundError, distribution
    from urllib.parse import unquote, urlparse

    try:
        direct = distribution("agentruns").read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    url = urlparse(json.loads(direct).get("url", "")) if direct else None
    return unquote(url.path) if url is not None and url.scheme == "file" else None


def install_command(extra: str | None = None, generated: str | None = None) -> str:
    """The command that installs agentruns with `extra` (or its generated client `generated`)
    into this interpreter's environment, from where agentruns came: its clone's folder after an
    install from a path (the generated clients are on no package index), else the index."""
    import shlex
    import sys

    folder = source_folder()
    if generated is not None:
        target = f"{folder}/generated/{generated}" if folder else f"agentruns-{generated}"
    else:
        target = folder or "agentruns"
        target = f"{target}[{extra}]" if extra else target
    return f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(target)}"


def missing_extra(extra: str, what: str, error: ImportError) -> MissingExtraError:
    return MissingExtraError(
        f"{what} needs the '{extra}' extra ({error.name} is not installed): {install_command(extra)}",
        name=error.name,
    )


def require(extra: str, what: str) -> None:
    """Import the extra's modules now, so that a missing one is named with its extra."""
    import importlib

    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise missing_extra(extra, what, error) from None
