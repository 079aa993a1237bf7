"""Build hook: the agentruns package depends on every generated package under generated/.

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
        names = sorted(
            tomllib.loads(project.read_text())["project"]["name"] for project in generated.glob("*/pyproject.toml")
        )
        metadata["dependencies"] = [*self.config["dependencies"], *names]
