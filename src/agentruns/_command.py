"""The `agentruns` entry point: the command, or one line naming the extra it needs."""

from __future__ import annotations

import sys


def main() -> None:
    from ._extras import require
    from .errors import MissingExtraError

    try:
        require("cli", "the agentruns command")
    except MissingExtraError as error:
        print(f"agentruns: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    from .cli import main as run

    run()
