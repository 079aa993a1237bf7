"""The version of agentruns, stated once in pyproject.toml. An install writes it into _version.py
(hatchling's version build hook), which is read first; a tree that was never installed falls
back to the metadata."""

from __future__ import annotations

import functools


@functools.cache
def version() -> str:
    try:
        from ._version import __version__
    except ImportError:  # not installed: a source tree on sys.path
        from importlib.metadata import version as installed

        return installed("agentruns")
    return str(__version__)
