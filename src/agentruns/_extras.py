"""The optional parts of agentruns and the extra that installs each: the clients, fetch* and
normalize need none; the command needs `cli`, the emulator and its pytest fixture `testing`."""

from __future__ import annotations

EXTRAS = {
    "cli": ("typer", "rich"),
    "testing": ("starlette", "uvicorn"),
}


class MissingExtraError(ImportError):
    """A part of agentruns was used whose extra is not installed; the message says which."""


def missing_extra(extra: str, what: str, error: ImportError) -> MissingExtraError:
    return MissingExtraError(
        f"{what} needs the '{extra}' extra ({error.name} is not installed): pip install 'agentruns[{extra}]'",
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
