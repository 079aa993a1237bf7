"""`make e2e-otel`: runs of every provider exported to a real Arize Phoenix, checked as Phoenix
shows them. Opt-in (left out of `make test`): Phoenix is an ~850 MB install, into a venv of its
own (`.venv-phoenix`, kept between runs). Everything stays on 127.0.0.1.

It starts `phoenix serve` (no telemetry, no internet), waits for /healthz, exports one finished
emulator run per provider (and a failed one) over OTLP/HTTP, then reads each trace back through
Phoenix's REST API and checks the span kinds, parents, names, times, statuses and token counts."""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

import agentruns
from agentruns import otel, registry
from agentruns.testing import Emulator
from agentruns.testing.data import sample_ids, terminal

ROOT = Path(__file__).resolve().parent.parent
PHOENIX = "arize-phoenix==20.26.1"
HOME = ROOT / ".venv-phoenix"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def phoenix_venv() -> Path:
    python = HOME / "bin" / "python"
    if not (HOME / "bin" / "phoenix").exists():
        print(f"installing {PHOENIX} into {HOME} (about 850 MB, a few minutes)", flush=True)
        venv.EnvBuilder(with_pip=True).create(HOME)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PHOENIX], check=True)
    return HOME / "bin" / "phoenix"


def runs() -> list[agentruns.AgentRun]:
    """A finished run of every provider, and a failed one, as a client reads them."""
    chosen = {}
    for name in registry.names():
        ids = "/".join(sample_ids(name, 7))
        succeeded = next(s for s in terminal(name) if "fail" not in s and "cancel" not in s and "time" not in s)
        chosen[f"{name}:{ids}"] = {"status": succeeded}
    failed = f"nsrocks:{'/'.join(sample_ids('nsrocks', 8))}"
    chosen[failed] = {"status": "failed"}
    with Emulator(runs=chosen) as emu:
        keys = {name: emu.token_for(name) for name in registry.names()}
        return [agentruns.fetch(ref, api_key=keys[ref.partition(":")[0]], base_url=emu.url) for ref in chosen]


def spans_of(url: str, trace_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"trace_id": f"{trace_id:032x}", "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = httpx.get(f"{url}/v1/projects/default/spans", params=params, timeout=10).json()
        found += page.get("data", [])
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def instant(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def check(run: agentruns.AgentRun, shown: list[dict[str, Any]], expected: list[Any]) -> list[str]:
    """What Phoenix shows of one trace, against the spans we sent; the problems found."""
    problems = []
    if len(shown) != len(expected):
        return [f"{run.ref}: Phoenix shows {len(shown)} spans, {len(expected)} were sent"]
    by_id = {span["context"]["span_id"]: span for span in shown}
    for sent in expected:
        span = by_id.get(f"{sent.context.span_id:016x}")
        if span is None:
            problems.append(f"{run.ref}: span {sent.name!r} missing")
            continue
        parent = f"{sent.parent.span_id:016x}" if sent.parent else None
        if span.get("parent_id") != parent:
            problems.append(f"{run.ref}: {sent.name!r} has parent {span.get('parent_id')}, sent {parent}")
        if span["name"] != sent.name:
            problems.append(f"{run.ref}: name {span['name']!r}, sent {sent.name!r}")
        for key, sent_ns in (("start_time", sent.start_time), ("end_time", sent.end_time)):
            if abs(instant(span[key]) - sent_ns / 1e9) > 0.001:
                problems.append(f"{run.ref}: {sent.name!r} {key} {span[key]}, sent {sent_ns}")
        kind = sent.attributes.get("openinference.span.kind")
        if kind and span.get("span_kind") != kind:
            problems.append(f"{run.ref}: {sent.name!r} kind {span.get('span_kind')}, sent {kind}")
        status = "ERROR" if sent.status.status_code.name == "ERROR" else None
        if status and span.get("status_code") != status:
            problems.append(f"{run.ref}: {sent.name!r} status {span.get('status_code')}, sent ERROR")
        tokens = sent.attributes.get("llm.token_count.prompt")
        attributes = span.get("attributes", {})
        shown_tokens = attributes.get(
            "llm.token_count.prompt", (attributes.get("llm") or {}).get("token_count", {}).get("prompt")
        )
        if tokens is not None and shown_tokens != tokens:
            problems.append(f"{run.ref}: {sent.name!r} prompt tokens {shown_tokens}, sent {tokens}")
    return problems


@contextlib.contextmanager
def phoenix_server(work: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A Phoenix on 127.0.0.1 (no telemetry, no internet), its data in `work`: (its URL, the
    process), once /healthz answers; stopped on leaving unless the caller took the process."""
    phoenix = phoenix_venv()
    port, grpc = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    with open(Path(work) / "phoenix.log", "w") as log:
        env = {
            **os.environ,
            "PHOENIX_WORKING_DIR": work,
            "PHOENIX_TELEMETRY_ENABLED": "false",
            "PHOENIX_ALLOW_EXTERNAL_RESOURCES": "false",
        }
        command = [
            str(phoenix),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--grpc-port",
            str(grpc),
            "--no-internet",
        ]
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(1)
            else:
                raise SystemExit("Phoenix did not start; its log:\n" + (Path(work) / "phoenix.log").read_text()[-3000:])
            yield url, server
        finally:
            if server.returncode is None and not getattr(server, "kept", False):
                server.terminate()
                server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="leave Phoenix running (its URL is printed)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="agentruns-phoenix-")  # kept with --keep, for the UI
    with phoenix_server(work) as (url, server):
        chosen = runs()
        summary = otel.export(chosen, endpoint=f"{url}/v1/traces", openinference=True)
        print(f"sent {summary.runs_sent} runs, {summary.spans_sent} spans to {url}; failed: {summary.failed}")
        time.sleep(2)  # Phoenix makes spans readable shortly after it takes them
        problems = []
        for run in chosen:
            expected = otel.to_spans(run, openinference=True)
            shown = spans_of(url, otel.trace_id_of(run.ref))
            found = check(run, shown, expected)
            print(f"{run.ref}: {len(shown)} spans in Phoenix, {'ok' if not found else f'{len(found)} problems'}")
            problems += found
        for problem in problems:
            print("  " + problem)
        if args.keep:
            print(f"Phoenix left running at {url} (pid {server.pid})")
            server.kept = True  # type: ignore[attr-defined]
        return 1 if problems or summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
