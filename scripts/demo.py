"""`make demo`: start the emulator, fetch one run of every provider through the CLI, print the
normalized summaries, stop the emulator. Everything stays on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agentruns import registry
from agentruns.testing import Emulator
from agentruns.testing.data import sample_ids


def demo_refs() -> list[str]:
    """One run per provider, in the shape of ids its spec accepts."""
    return [f"{info.name}:{'/'.join(sample_ids(info.name, 1))}" for info in registry.all_providers()]


CLI = str(Path(sys.executable).parent / "agentruns")


def main() -> int:
    with Emulator(seed=2, steps=6) as emulator:
        env = dict(os.environ, COLUMNS="110", **emulator.environ())
        print(f"emulator listening on {emulator.url}\n")
        commands = [[CLI, "providers"], *([CLI, "get", ref] for ref in demo_refs())]
        for command in commands:
            print("$ agentruns " + " ".join(command[1:]), flush=True)
            result = subprocess.run(command, env=env)
            print(flush=True)
            if result.returncode != 0:
                return result.returncode
    print("emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
