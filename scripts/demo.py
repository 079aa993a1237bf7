"""`make demo`: start the emulator, fetch one run per provider through the CLI, print the
normalized summaries, stop the emulator. Everything stays on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from agentruns import registry
from agentruns.testing import Emulator

REFS = (
    "backside:contact_deduper/3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "middesk:6f1c2a7e-3b9d-4f5e-8a21-0c4d5e6f7a8b",
    "casedev:run_demo",
    "nsrocks:adpl_demo/adrun_demo",
)
CLI = str(Path(sys.executable).parent / "agentruns")


def main() -> int:
    with Emulator(seed=2, steps=6) as emulator:
        env = dict(os.environ, COLUMNS="110")
        for info in registry.all_providers():
            env[info.api_key_variable] = emulator.token
            env[info.base_url_variable] = emulator.url
        print(f"emulator listening on {emulator.url}\n")
        commands = [[CLI, "providers"], *([CLI, "get", ref] for ref in REFS)]
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
