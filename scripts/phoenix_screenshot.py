"""`make phoenix-screenshot`: docs/images/phoenix-trace.png, remade. A case.dev run from the
emulator is exported to an Arize Phoenix started as `make e2e-otel` starts it (its own venv,
127.0.0.1, no telemetry, no internet), and Debian's Chromium (`apt-get install chromium`),
headless, photographs Phoenix's page of that trace. Remake it when Phoenix's UI or the span
mapping changes.

    python scripts/phoenix_screenshot.py [--out docs/images/phoenix-trace.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from agentruns import otel

sys.path.insert(0, str(Path(__file__).resolve().parent))
import e2e_otel

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "phoenix-trace.png"
WINDOW = "1600,900"
# As Chromium runs headless on a machine with no network: no sandbox as root, no GPU, none of
# its background connections (refused here, many at a time), a profile of its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise SystemExit("no Chromium: install Debian's package (sudo apt-get install chromium), then run this again")
    return found


def screenshot(url: str, out: Path, browser: str) -> None:
    """Chromium's picture of `url`, after the page's scripts have had 15 s of its virtual time."""
    with tempfile.TemporaryDirectory(prefix="agentruns-chromium-") as profile:
        done = subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={WINDOW}",
                "--virtual-time-budget=15000",
                f"--screenshot={out}",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"Chromium made no screenshot (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the PNG goes (default {OUT.relative_to(ROOT)})")
    args = parser.parse_args()
    browser = chromium()
    work = tempfile.mkdtemp(prefix="agentruns-phoenix-")
    with e2e_otel.phoenix_server(work) as (url, _):
        run = next(run for run in e2e_otel.runs() if run.provider == "casedev")
        summary = otel.export([run], endpoint=f"{url}/v1/traces", openinference=True)
        if summary.runs_sent != 1:
            print(f"Phoenix did not take the run: {summary.failed}")
            return 1
        time.sleep(2)  # Phoenix makes spans readable shortly after it takes them
        project = httpx.get(f"{url}/v1/projects", timeout=10).json()["data"][0]["id"]
        page = f"{url}/projects/{project}/traces/{otel.trace_id_of(run.ref):032x}"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        fresh = args.out.with_suffix(".new.png")
        screenshot(page, fresh, browser)
        fresh.replace(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): {run.ref}, {len(run.steps) + 1} spans, from {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
