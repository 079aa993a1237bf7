"""Build hook: the agentruns package depends on every generated package under generated/, each
pinned to its major version.

The list is read at build time, so a new provider (a new spec, regenerated) needs no edit here
or in pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface


class GeneratedPackagesHook(MetadataHookInterface):
    PLUGIN_NAME = "custom"

    def update(self, metadata: dict[str, Any]) -> None:
        generated = Path(self.root) / "generated"
        pins = []
        for pyproject in sorted(generated.glob("*/pyproject.toml")):
            project = tomllib.loads(pyproject.read_text())["project"]
            # The version regen gave the package, up to its next major: a breaking spec change
            # (a major bump) needs this layer to be released against it.
            major = int(project["version"].split(".")[0])
            pins.append(f"{project['name']}>={project['version']},<{major + 1}")
        metadata["dependencies"] = [*self.config["dependencies"], *pins]
