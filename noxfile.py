"""The test matrix: the suite on every Python the project claims, each in its own environment.

`make test-matrix` runs it. The interpreters are the floor that `requires-python` admits (a
fresh Debian 12 machine's python3.11, 3.11.2), 3.12 and 3.13; AGENTRUNS_MATRIX names others
(space-separated paths or names, such as `python3.12`)."""

from __future__ import annotations

import os
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
DEFAULT = "/usr/bin/python3.11 /root/.pyenv/versions/3.12.1/bin/python3.12 /root/.pyenv/versions/3.13.0/bin/python3.13"
PYTHONS = os.environ.get("AGENTRUNS_MATRIX", DEFAULT).split()

nox.options.reuse_existing_virtualenvs = True  # a pin that changed is installed again by pip
nox.options.error_on_missing_interpreters = True  # a Python that is not there is a failure, not a skip


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite as `make test` runs it (pytest on every core), on this session's Python."""
    session.install("-r", "requirements-dev.txt")
    generated = sorted(str(path.parent) for path in ROOT.glob("generated/*/pyproject.toml"))
    session.install("--no-deps", *(arg for path in generated for arg in ("-e", path)), "-e", ".")
    session.run("python", "--version")
    session.run("pytest", "-n", "auto", "-p", "no:cacheprovider", *session.posargs)
