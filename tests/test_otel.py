"""Runs as OpenTelemetry traces: golden spans per provider through the SDK's in-memory exporter,
the rules receivers force (ids from the ref, tokens once, inferred times, content opt-in), and
the whole path over real HTTP to an OTLP receiver on 127.0.0.1 that decodes the protobuf, from
Python and from `agentruns export --format otlp`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from agentruns_model import StepKind
from emulator_cases import ids_for
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from otlp_receiver import receiver

import agentruns
from agentruns import otel, registry
from agentruns.cli import ExitCode
from agentruns.testing import Emulator
from agentruns.testing.data import terminal

GOLDEN = Path(__file__).resolve().parent / "golden"
CLI = str(Path(sys.executable).parent / "agentruns")


def finished_run(provider: str, n: int = 3, status: str | None = None) -> agentruns.AgentRun:
    """A finished run of `provider` drawn by the emulator, fetched as a client does (complete:
    a Letta run's steps, an OpenAI response's input items)."""
    status = status or next(s for s in terminal(provider) if "fail" not in s and "cancel" not in s)
    ref = f"{provider}:{'/'.join(ids_for(provider, n))}"
    with Emulator(steps=4, runs={ref: {"status": status}}) as emu:
        return agentruns.fetch(ref, api_key=emu.token_for(provider), base_url=emu.url)


def exported(run: agentruns.AgentRun, **options: Any) -> list[Any]:
    memory = InMemorySpanExporter()
    summary = otel.export([run], exporter=memory, **options)
    assert summary.runs_sent == 1 and not summary.failed
    return list(memory.get_finished_spans())


def canonical(spans: list[Any]) -> list[dict[str, Any]]:
    """What a golden file holds of spans: names, kinds, parents, times from the root's start."""
    root = spans[0]
    index = {span.context.span_id: i for i, span in enumerate(spans)}
    skip = {"agentruns.request_id"}  # differs per answer
    return [
        {
            "name": span.name,
            "kind": span.kind.name,
            "parent": index.get(span.parent.span_id) if span.parent else None,
            "start_ns": span.start_time - root.start_time,
            "duration_ns": span.end_time - span.start_time,
            "status": span.status.status_code.name,
            "attributes": {k: v for k, v in sorted(span.attributes.items()) if k not in skip},
        }
        for span in spans
    ]


@pytest.mark.parametrize("provider", registry.names())
def test_golden_spans(provider: str) -> None:
    spans = canonical(exported(finished_run(provider), openinference=True))
    path = GOLDEN / f"otel_{provider}.json"
    if os.environ.get("AGENTRUNS_UPDATE_GOLDEN"):
        path.write_text(json.dumps(spans, indent=1, sort_keys=True, default=str) + "\n")
    if not path.is_file():
        pytest.fail(f"tests/golden/{path.name} is missing: `make golden` writes it (read it, then commit it)")
    assert json.loads(json.dumps(spans, default=str)) == json.loads(path.read_text())


@pytest.mark.parametrize("provider", registry.names())
def test_one_trace_a_root_and_a_child_per_step(provider: str) -> None:
    run = finished_run(provider)
    spans = exported(run)
    root, children = spans[0], spans[1:]
    assert root.name.startswith("invoke_agent") and root.kind is SpanKind.CLIENT and root.parent is None
    assert root.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert root.attributes["gen_ai.provider.name"] == provider
    assert root.attributes["agentruns.ref"] == run.ref and root.attributes["agentruns.run.status"] == str(run.status)
    assert root.instrumentation_scope.schema_url == "https://opentelemetry.io/schemas/1.41.0"
    assert len(children) == len(run.steps)
    assert {span.context.trace_id for span in spans} == {otel.trace_id_of(run.ref)}
    assert all(span.parent.span_id == root.context.span_id for span in children)
    assert all(span.end_time > span.start_time for span in spans)  # never a zero-length span
    for span, step in zip(children, run.steps, strict=True):
        if step.kind in (agentruns.StepKind.LLM, agentruns.StepKind.THINKING):
            assert span.name.startswith("chat") and span.attributes["gen_ai.operation.name"] == "chat"
        elif step.kind is agentruns.StepKind.TOOL:
            assert span.name == f"execute_tool {step.name}" and span.attributes["gen_ai.tool.name"] == step.name
        elif step.kind is agentruns.StepKind.TOOL_RESULT:
            assert span.name == f"tool_result {step.name}" and "gen_ai.operation.name" not in span.attributes
        else:
            assert span.name == step.name and "gen_ai.operation.name" not in span.attributes


@pytest.mark.parametrize("provider", registry.names())
def test_tokens_are_counted_once_where_they_were_spent(provider: str) -> None:
    run = finished_run(provider)
    spans = exported(run)
    on_steps = [s for s in spans[1:] if "gen_ai.usage.input_tokens" in s.attributes]
    on_root = "gen_ai.usage.input_tokens" in spans[0].attributes
    assert not (on_steps and on_root)  # a backend that adds a trace up counts each token once
    total = sum(s.attributes.get("gen_ai.usage.input_tokens", 0) for s in spans)
    if any(step.input_tokens is not None for step in run.steps):
        assert total == sum(step.input_tokens or 0 for step in run.steps)
    else:
        assert total == (run.input_tokens or 0)


def test_times_are_the_runs_own_and_inferred_ones_are_flagged() -> None:
    casedev = finished_run("casedev")
    spans = exported(casedev)
    assert spans[0].start_time == int(casedev.started_at.timestamp()) * 10**9 + casedev.started_at.microsecond * 1000
    reported = [s for s, step in zip(spans[1:], casedev.steps, strict=True) if step.started_at and step.ended_at]
    assert reported and all(s.attributes["agentruns.step.timing"] == "reported" for s in reported)
    letta = exported(finished_run("letta"))  # Letta's steps have no times
    assert {s.attributes["agentruns.step.timing"] for s in letta[1:]} == {"inferred"}
    starts = [s.start_time for s in letta[1:]]
    assert starts == sorted(starts) and letta[1].start_time >= letta[0].start_time
    assert letta[-1].end_time <= letta[0].end_time


def test_a_run_that_says_no_time_is_placed_at_the_moment_of_its_export() -> None:
    from datetime import UTC, datetime

    letta = finished_run("letta")  # its steps have no times: the run's own are all it has
    timeless = msgspec.structs.replace(letta, created_at=None, started_at=None, ended_at=None, duration=None)
    with pytest.raises(otel.NoTimeError, match=f"{letta.ref} has no time to place it at"):
        otel.to_spans(timeless)
    before = datetime.now(UTC)
    spans = exported(timeless)
    after = datetime.now(UTC)
    root = spans[0]
    assert int(before.timestamp() * 1e9) - 1000 <= root.start_time <= int(after.timestamp() * 1e9)
    assert root.end_time - root.start_time == 10**9  # one second: it says no length either
    assert root.attributes["agentruns.run.timing"] == "exported"
    assert all(root.start_time <= s.start_time and s.end_time <= root.end_time for s in spans[1:])
    assert "agentruns.run.timing" not in exported(letta)[0].attributes  # a run with times keeps its own
    placed = otel.to_spans(timeless, timeless_at=datetime(2026, 1, 2, tzinfo=UTC))
    assert placed[0].start_time == int(datetime(2026, 1, 2, tzinfo=UTC).timestamp()) * 10**9


def test_ids_come_from_the_ref_so_a_second_export_is_the_same() -> None:
    run = finished_run("backside")
    first, second = exported(run), exported(run)
    assert [s.context.span_id for s in first] == [s.context.span_id for s in second]
    assert len({s.context.span_id for s in first}) == len(first)
    other = exported(finished_run("backside", n=4))
    assert other[0].context.trace_id != first[0].context.trace_id


def test_failed_runs_are_errors_with_their_type_and_successes_leave_the_status_unset() -> None:
    failed = exported(finished_run("nsrocks", status="failed"))[0]
    assert failed.status.status_code is StatusCode.ERROR and failed.attributes["error.type"]
    timed_out = exported(finished_run("nsrocks", status="timed_out"))[0]
    assert timed_out.status.status_code is StatusCode.ERROR
    ok = exported(finished_run("nsrocks", status="succeeded"))[0]
    assert ok.status.status_code is StatusCode.UNSET and "error.type" not in ok.attributes


def test_runs_that_are_not_terminal_are_skipped_unless_asked() -> None:
    running = finished_run("casedev", status="running")
    memory = InMemorySpanExporter()
    summary = otel.export([running], exporter=memory)
    assert summary.runs_sent == 0 and summary.skipped == [(running.ref, "not terminal (running)")]
    assert otel.export([running], exporter=memory, include_running=True).runs_sent == 1


def test_content_is_opt_in_and_capped() -> None:
    run = finished_run("casedev")
    tool = next(i for i, s in enumerate(run.steps, 1) if s.kind is agentruns.StepKind.TOOL)
    plain = exported(run)[tool]
    assert not any(k.startswith(("gen_ai.tool.call.arguments", "agentruns.step.input")) for k in plain.attributes)
    shown = exported(run, include_content=True, content_limit=10)[tool]
    assert len(shown.attributes["gen_ai.tool.call.arguments"].encode()) <= 10
    assert shown.attributes["agentruns.content.truncated"] is True


def test_openinference_names_are_added_on_request() -> None:
    run = finished_run("backside")
    plain, both = exported(run), exported(run, openinference=True)
    assert "openinference.span.kind" not in plain[0].attributes
    assert both[0].attributes["openinference.span.kind"] == "AGENT"
    kinds = {s.attributes["openinference.span.kind"] for s in both[1:]}
    assert kinds <= {"LLM", "TOOL", "CHAIN"} and "LLM" in kinds


def test_no_global_tracer_provider_is_touched() -> None:
    before = trace.get_tracer_provider()
    exported(finished_run("middesk"))
    assert trace.get_tracer_provider() is before


# -- over HTTP to an OTLP receiver ----------------------------------------------------------------


def test_export_sends_protobuf_to_the_endpoint_and_the_receiver_reads_it_whole() -> None:
    runs = [finished_run(p) for p in registry.names()]
    with receiver() as (url, got):
        summary = otel.export(runs, endpoint=f"{url}/v1/traces", headers={"x-project-name": "runs"})
    assert summary.runs_sent == len(runs) and summary.spans_sent == sum(len(r.steps) + 1 for r in runs)
    assert got.paths == ["/v1/traces"] and got.headers[0]["content-type"] == "application/x-protobuf"
    assert got.headers[0]["x-project-name"] == "runs"
    assert len(got.spans) == summary.spans_sent
    roots = [s for s in got.spans if not s.parent_span_id]
    assert sorted(got.attributes(s)["agentruns.ref"] for s in roots) == sorted(r.ref for r in runs)
    for root in roots:
        ref = got.attributes(root)["agentruns.ref"]
        assert root.trace_id == otel.trace_id_of(ref).to_bytes(16, "big")
        assert root.kind == 3  # SPAN_KIND_CLIENT
    assert all(s.parent_span_id in {r.span_id for r in roots} for s in got.spans if s.parent_span_id)
    assert {pair.key: pair.value.string_value for pair in got.resources[0].attributes}["service.name"] == "agentruns"


def test_the_endpoint_and_headers_come_from_opentelemetrys_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    with receiver() as (url, got):
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", url)
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-team=evals")
        summary = otel.export([finished_run("casedev")])
    assert summary.endpoint == f"{url}/v1/traces" and got.paths == ["/v1/traces"]
    assert got.headers[0]["x-team"] == "evals"


@pytest.fixture(scope="module")
def emu() -> Any:
    finished = {f"casedev:run_{n}": {"status": "completed"} for n in range(6)}
    with Emulator(runs={**finished, "casedev:run_live": {"status": "running"}}) as emulator:
        yield emulator


def run_export(
    emu: Emulator, tmp_path: Path, *args: str, otel: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    refs = tmp_path / "refs.txt"
    refs.write_text("".join(f"casedev:run_{n}\n" for n in range(6)) + "casedev:run_live\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")} | emu.environ() | (otel or {})
    return subprocess.run(
        [CLI, "export", str(refs), "--format", "otlp", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_command_sends_traces_and_says_what_it_sent(emu: Emulator, tmp_path: Path) -> None:
    with receiver() as (url, got):
        result = run_export(emu, tmp_path, "--endpoint", f"{url}/v1/traces")
    assert result.returncode == 0, result.stderr
    spans = len(got.spans)
    assert f"6 of 7 runs sent as traces ({spans} spans) to {url}/v1/traces; 1 skipped" in result.stderr
    assert len({s.trace_id for s in got.spans}) == 6


@pytest.mark.parametrize(("answer", "code"), [(None, ExitCode.NETWORK), (415, ExitCode.ERROR), (500, ExitCode.ERROR)])
def test_a_receiver_down_or_refusing_is_one_line_and_a_non_zero_exit(
    emu: Emulator, tmp_path: Path, answer: int | None, code: int
) -> None:
    if answer is None:  # refused: the exporter retries, with backoff, until its timeout (2 s here, not 10)
        timeout = {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT": "2"}
        result = run_export(emu, tmp_path, "--endpoint", "http://127.0.0.1:9/v1/traces", otel=timeout)
    else:
        with receiver(answer) as (url, _):
            result = run_export(emu, tmp_path, "--endpoint", f"{url}/v1/traces")
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "took 0 of 6 traces" in errors[0], result.stderr
    assert "Traceback" not in result.stderr and "Transient error" not in result.stderr


def test_otlp_options_without_the_otlp_format_are_refused(emu: Emulator, tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("casedev:run_1\n")
    result = subprocess.run([CLI, "export", str(refs), "--content"], capture_output=True, text=True, timeout=60)
    assert result.returncode == ExitCode.USAGE and "go with --format otlp" in result.stderr


def test_steps_that_share_an_id_still_get_a_span_each() -> None:
    """A provider (or a draw) may give two steps one id: each keeps a span id of its own, else a
    receiver that keeps the first write of a span would show one of them."""
    run = finished_run("middesk")
    twins = [msgspec.structs.replace(run.steps[0], seq=seq, id="same") for seq in range(3)]
    spans = exported(msgspec.structs.replace(run, steps=twins))
    assert len({span.context.span_id for span in spans}) == 4


def _copies(run: agentruns.AgentRun, count: int) -> list[agentruns.AgentRun]:
    return [msgspec.structs.replace(run, ref=f"{run.ref}-{n}", id=f"{run.id}-{n}") for n in range(count)]


def test_spans_go_in_requests_of_512_at_most_and_a_big_run_is_sent_whole() -> None:
    run = finished_run("casedev")
    step = run.steps[0]
    big = msgspec.structs.replace(
        run, ref="casedev:big", steps=[msgspec.structs.replace(step, seq=n, id=f"s{n}") for n in range(1300)]
    )
    with receiver() as (url, got):
        summary = otel.export([big, *_copies(run, 3)], endpoint=f"{url}/v1/traces")
    assert (summary.runs_sent, summary.failed, summary.spans_sent) == (4, [], 1301 + 3 * (len(run.steps) + 1))
    assert len(got.spans) == summary.spans_sent
    # The big run's 1301 spans in three requests (512, 512, 277), then the small runs' in one.
    assert len(got.paths) == -(-1301 // otel.DEFAULT_BATCH_SPANS) + 1 == 4


def test_a_string_utf8_cannot_carry_is_replaced_and_sinks_nothing() -> None:
    run = finished_run("casedev")
    broken = msgspec.structs.replace(
        run,
        ref="casedev:broken",
        agent_name="agent \ud800",
        steps=[
            msgspec.structs.replace(
                next(s for s in run.steps if s.kind is StepKind.TOOL), name="tool \udfff", error="bad \ud83d"
            )
        ],
        failure=None,
    )
    with receiver() as (url, got):
        summary = otel.export([broken, *_copies(run, 2)], endpoint=f"{url}/v1/traces")
    assert (summary.runs_sent, summary.failed) == (3, [])
    names = {span.name for span in got.spans}
    assert "invoke_agent agent \ufffd" in names and "execute_tool tool \ufffd" in names


def test_a_receiver_that_hangs_ends_the_export_within_one_timeout_from_otels_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from hostile_servers import never_answers, serve

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "1")
    runs = _copies(finished_run("casedev"), 120)
    with serve(never_answers, max_seconds=15) as (url, heads):
        started = time.monotonic()
        summary = otel.export(runs, endpoint=f"{url}/v1/traces", batch_runs=10)
        took = time.monotonic() - started
    assert summary.runs_sent == 0 and len(summary.failed) == 120
    assert took < 3.5, took  # one timeout (1 s, the variable's), not one per batch of 10
    assert summary.failed[0][1].startswith("no answer") and summary.failed[-1][1].startswith("not sent: no answer")
    assert len(heads) <= 3  # the exporter's own retries of the first request, and nothing after


def test_a_receiver_that_keeps_closing_the_connection_is_a_network_failure() -> None:
    from hostile_servers import serve

    def closes(conn: Any, head: bytes) -> None:
        conn.close()

    with serve(closes, max_seconds=15) as (url, _):
        summary = otel.export(_copies(finished_run("casedev"), 3), endpoint=f"{url}/v1/traces", timeout=2)
    assert summary.runs_sent == 0 and len(summary.failed) == 3
    assert summary.failed[0][1] == "could not connect: the receiver closed the connection without answering"


def test_a_partial_success_is_reported_for_the_runs_of_its_request_and_fails_the_export(
    emu: Emulator, tmp_path: Path
) -> None:
    runs = _copies(finished_run("casedev"), 3)
    with receiver(rejects=2) as (url, got):
        summary = otel.export(runs, endpoint=f"{url}/v1/traces")
    assert summary.runs_sent == 0 and not summary.ok and len(got.spans) == summary.spans_sent > 0
    assert [why for _, why in summary.failed] == [
        "partly rejected: the receiver rejected 2 spans of its request: span name too long"
    ] * 3
    with receiver(rejects=1) as (url, _):
        result = run_export(emu, tmp_path, "--endpoint", f"{url}/v1/traces")
    assert result.returncode == ExitCode.ERROR, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "partly rejected" in errors[0], result.stderr
