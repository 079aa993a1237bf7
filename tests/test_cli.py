"""The `agentruns` command through its installed entry point, against the emulator."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from emulator_cases import run_with_status

import agentruns
from agentruns import registry
from agentruns.cli import ExitCode
from agentruns.testing import Emulator, make_run
from agentruns.testing.app import token_for
from spec_tools import ROOT, run_model

CLI = str(Path(sys.executable).parent / "agentruns")
TOKEN = "sk_case_cli_secret_value"
CASEDEV_REF = "casedev:run_1"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, steps=5, missing={"run_gone"}) as emulator:
        yield emulator


def run_cli(
    emu: Emulator | None, *args: str, token: str = TOKEN, columns: int = 140
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env["COLUMNS"] = str(columns)
    if emu is not None:
        for info in registry.all_providers():
            env[info.api_key_variable] = token_for(info, token)
            env[info.base_url_variable] = emu.url
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=60)


def test_get_prints_a_summary(emu: Emulator) -> None:
    result = run_cli(emu, "get", CASEDEV_REF)
    assert result.returncode == 0, result.stderr
    body = make_run("casedev", (CASEDEV_REF[8:],), steps=5)
    assert CASEDEV_REF in result.stdout
    status = "succeeded" if body["status"] == "completed" else body["status"]
    assert re.search(rf"^status +{status}\b", result.stdout, flags=re.MULTILINE), result.stdout
    assert re.search(r"^request id +req_[0-9a-f]{16}\b", result.stdout, flags=re.MULTILINE), result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_get_json_uses_the_schema_field_names(emu: Emulator) -> None:
    result = run_cli(emu, "get", "nsrocks:adpl_1/adrun_3", "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    schema = json.loads((ROOT / "specs" / "agentrun.schema.json").read_text())
    assert set(run) == set(schema["properties"])
    assert run["ref"] == "nsrocks:adpl_1/adrun_3"
    model = run_model("nsrocks")  # native is the provider body as its model writes it back
    assert model.from_dict(run["native"]) == model.from_dict(make_run("nsrocks", ("adpl_1", "adrun_3"), steps=5))


def test_get_raw_prints_the_provider_body(emu: Emulator) -> None:
    result = run_cli(emu, "get", CASEDEV_REF, "--raw")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == make_run("casedev", (CASEDEV_REF[8:],), steps=5)
    assert TOKEN not in result.stdout


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("get", "casedev:run_gone"), "HTTP 404: no such run", ExitCode.NOT_FOUND),
        (("get", "casedev:run_1", "--base-url", "http://127.0.0.1:9"), "(127.0.0.1:9)", ExitCode.NETWORK),
        (("get", "casedev:run_1", "--timeout", "0"), "timeout: must be finite and above 0", ExitCode.USAGE),
    ],
)
def test_errors_are_one_line_with_their_own_exit_code(
    emu: Emulator, args: tuple[str, ...], message: str, code: int
) -> None:
    result = run_cli(emu, *args, "--max-retries", "0")
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert message in result.stderr
    if code != ExitCode.USAGE:
        assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_api_error_shows_the_provider_message_and_the_request_id(emu: Emulator) -> None:
    emu.clear_requests()
    result = run_cli(emu, "get", "casedev:run_gone")
    (entry,) = emu.requests
    assert result.stderr.strip() == (
        f"error: [casedev.getRunDetails] HTTP 404: no such run (request id {entry.request_id})"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("get", "casedev"), "no provider prefix"),
        (("get", "backside:k/not-a-uuid"), "is not a UUID"),
        (("get", CASEDEV_REF, "--json", "--raw"), "--json and --raw cannot be used together"),
        (("get", CASEDEV_REF, "--raw", "--timeline"), "--raw and --timeline cannot be used together"),
        (("watch", "casedev:run_1", "--interval", "-1"), "--interval must be"),
        (("get", CASEDEV_REF, "--bogus"), "No such option: --bogus"),
        (("emulate", "--faults", "meteor"), "unknown fault kinds ['meteor']"),
    ],
)
def test_usage_errors_exit_2_with_the_usage_line(emu: Emulator, args: tuple[str, ...], message: str) -> None:
    result = run_cli(emu, *args)
    assert result.returncode == ExitCode.USAGE == 2, result.stderr
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("Usage: agentruns ") and "-h' for help" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_key_never_printed_and_names_the_variable(emu: Emulator) -> None:
    result = run_cli(emu, "get", CASEDEV_REF, "--raw", token="sk_case_wrong_secret")
    assert result.returncode == ExitCode.AUTH
    assert "HTTP 401: missing or invalid bearer token (request id req_" in result.stderr
    assert "set CASEDEV_API_KEY to a valid case.dev API key (keys start with sk_case_)" in result.stderr
    assert "sk_case_wrong_secret" not in result.stdout + result.stderr


def test_missing_key_names_the_variable(emu: Emulator) -> None:
    result = run_cli(None, "get", CASEDEV_REF)
    assert result.returncode == ExitCode.AUTH
    assert "CASEDEV_API_KEY" in result.stderr


def test_exit_codes_are_distinct_and_documented() -> None:
    """Every code is its own, and `agentruns --help` lists each of them."""
    codes = [code.value for code in ExitCode]
    assert len(codes) == len(set(codes))
    shown = run_cli(None, "--help").stdout
    for code in ExitCode:
        assert re.search(rf"^\s*{code.value}\s+\S", shown, flags=re.MULTILINE), (code, shown)


def test_shell_completion_is_offered() -> None:
    # Typer finds the shell among the command's parents, as when a user types it in bash (the
    # second command keeps bash from replacing itself with the first).
    script = f'"{CLI}" --show-completion; exit $?'
    shown = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "_AGENTRUNS_COMPLETE" in shown.stdout
    assert "--install-completion" in run_cli(None, "--help").stdout


def test_watch_exit_code_reflects_the_outcome() -> None:
    with Emulator(token=TOKEN, lifecycle=True) as emu:
        outcomes = {}
        for n in range(12):
            ref = f"casedev:run_w{n}"
            result = run_cli(emu, "watch", ref, "--interval", "0.01")
            outcomes[ref] = (result.returncode, result.stdout)
    for ref, (code, stdout) in outcomes.items():
        final = "succeeded" if "succeeded" in stdout else None
        assert code == (0 if final else ExitCode.RUN_FAILED), (ref, stdout)
        assert ref in stdout
    assert {code for code, _ in outcomes.values()} == {0, ExitCode.RUN_FAILED}


def test_watch_that_times_out_exits_7() -> None:
    with Emulator(token=TOKEN, lifecycle=True) as emu:
        result = run_cli(emu, "watch", "nsrocks:adpl_1/adrun_slow", "--interval", "0.3", "--timeout", "0.5")
    assert result.returncode == ExitCode.WAIT_TIMEOUT == 7, result.stderr
    assert "nsrocks:adpl_1/adrun_slow still" in result.stderr


def test_export_jsonl_and_csv(emu: Emulator, tmp_path: Path) -> None:
    refs_file = tmp_path / "refs.txt"
    good = [f"casedev:run_{n}" for n in range(6)] + ["nsrocks:adpl_1/adrun_1"]
    refs_file.write_text("# runs to export\n" + "\n".join([*good, "casedev:run_gone", ""]) + "\n")
    jsonl = run_cli(emu, "export", str(refs_file), "--format", "jsonl")
    assert jsonl.returncode == ExitCode.NOT_FOUND  # one ref failed, with a 404
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert sorted(row["ref"] for row in rows) == sorted(good)
    assert all(row["native"] is None for row in rows)
    assert "7 of 8 runs exported" in jsonl.stderr
    assert "failed: casedev:run_gone" in jsonl.stderr

    out = tmp_path / "runs.csv"
    result = run_cli(emu, "export", str(refs_file), "--format", "csv", "--out", str(out))
    assert result.returncode == ExitCode.NOT_FOUND
    table = list(csv.DictReader(io.StringIO(out.read_text())))
    assert sorted(row["ref"] for row in table) == sorted(good)
    assert {row["provider"] for row in table} == {"casedev", "nsrocks"}


def test_unknown_cost_and_tokens_stay_unknown_in_every_format(emu: Emulator, tmp_path: Path) -> None:
    """ns.rocks and n8n report no cost and no tokens: the export's table says unknown (—) for
    them, never $0.0000 or 0, the CSV leaves the cells empty and JSON says null; case.dev, which
    reports both, sums them."""
    refs = tmp_path / "refs.txt"
    refs.write_text("nsrocks:adpl_1/adrun_1\nn8n:1000\ncasedev:run_1\n")
    out = tmp_path / "runs.csv"
    result = run_cli(emu, "export", str(refs), "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = {row["provider"]: row for row in csv.DictReader(io.StringIO(out.read_text()))}
    for provider in ("nsrocks", "n8n"):
        assert (rows[provider]["cost_usd_micros"], rows[provider]["input_tokens"]) == ("", "")
        line = next(line for line in result.stderr.splitlines() if line.strip("│ ").startswith(provider))
        assert "$0.0000" not in line and " 0 " not in line and line.count("—") == 3, line
    casedev = next(line for line in result.stderr.splitlines() if line.strip("│ ").startswith("casedev"))
    assert "—" not in casedev and "$" in casedev
    jsonl = run_cli(emu, "export", str(refs), "--format", "jsonl")
    by_provider = {row["provider"]: row for row in map(json.loads, jsonl.stdout.splitlines())}
    assert by_provider["n8n"]["cost_usd_micros"] is None and by_provider["nsrocks"]["input_tokens"] is None


def test_providers_lists_env_vars_and_urls() -> None:
    result = run_cli(None, "providers")
    assert result.returncode == 0
    for info in registry.all_providers():
        assert info.api_key_variable in result.stdout
        assert info.ref_format in result.stdout
    assert "https://api.case.dev" in result.stdout


def test_untrusted_text_is_printed_literally(emu: Emulator) -> None:
    """Refs and server bodies are untrusted: rich markup in them is shown, never interpreted."""
    shown = run_cli(emu, "get", "casedev:run_[/x][link=https://evil.example]x[/link]")
    assert shown.returncode == 0, shown.stderr
    assert "casedev:run_[/x][link=https://evil.example]x[/link]" in shown.stdout
    for ref, part in (("nope[/x]:run_1", "nope[/x]"), ("casedev:run_gone", "[casedev.getRunDetails]")):
        result = run_cli(emu, "get", ref)
        assert result.returncode in (ExitCode.USAGE, ExitCode.NOT_FOUND)
        assert "MarkupError" not in result.stderr and "Traceback" not in result.stderr
        assert part in result.stderr  # the [provider.operation] prefix, which rich used to swallow
    assert "\x1b]8;" not in shown.stdout  # no live hyperlink


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "{refs}", "--out", "/proc/no/such/dir/out.jsonl"), "No such file or directory"),
        (("export", "{bad_utf8}"), "not UTF-8"),
        (("export", "{missing}"), "No such file or directory"),
        (("emulate", "--port", "70000"), "cannot listen on 127.0.0.1:70000"),
    ],
)
def test_system_errors_are_one_line_and_exit_1(
    emu: Emulator, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    refs, bad = tmp_path / "refs.txt", tmp_path / "bad.txt"
    refs.write_text("casedev:run_1\n")
    bad.write_bytes(b"casedev:run_\xff\xfe\n")
    paths = {"refs": str(refs), "bad_utf8": str(bad), "missing": str(tmp_path / "nope.txt")}
    result = run_cli(emu, *(arg.format(**paths) for arg in args))
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_one_line(emu: Emulator) -> None:
    port = emu.url.rsplit(":", 1)[1]
    result = run_cli(None, "emulate", "--port", port)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_reads_stdin_skips_comments_and_fetches_each_ref_once(emu: Emulator) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env |= {"CASEDEV_API_KEY": TOKEN, "CASEDEV_BASE_URL": emu.url}
    text = "casedev:run_1   # the first\n\n  casedev:run_2\n# only a comment\ncasedev:run_1\n"
    emu.clear_requests()
    result = subprocess.run([CLI, "export", "-"], input=text, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(line)["ref"] for line in result.stdout.splitlines()) == ["casedev:run_1", "casedev:run_2"]
    assert len(emu.requests) == 2
    assert "2 of 2 runs exported" in result.stderr


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_export_reads_a_refs_list_that_starts_with_a_byte_order_mark(
    emu: Emulator, tmp_path: Path, source: str
) -> None:
    """Notepad and PowerShell's `Out-File -Encoding utf8` write UTF-8 with a BOM: it is the text's
    encoding mark, not part of the first ref."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env |= {"CASEDEV_API_KEY": TOKEN, "CASEDEV_BASE_URL": emu.url}
    data = "\ufeffcasedev:run_1\r\ncasedev:run_2\r\n".encode()
    refs = tmp_path / "refs.txt"
    refs.write_bytes(data)
    args, given = ([CLI, "export", str(refs)], None) if source == "file" else ([CLI, "export", "-"], data)
    result = subprocess.run(args, input=given, capture_output=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(line)["ref"] for line in result.stdout.splitlines()) == ["casedev:run_1", "casedev:run_2"]


def test_emulate_prints_the_token_an_export_line_and_each_request() -> None:
    process = subprocess.Popen(
        [CLI, "emulate", "--port", "0", "--token", TOKEN, "--missing", "casedev:run_9", "--latency", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        url = process.stdout.readline().split()[-1]
        assert TOKEN in process.stdout.readline()
        export = process.stdout.readline().strip()
        started = time.monotonic()
        found = httpx.get(f"{url}/agent/v1/run/run_1/details", headers={"Authorization": f"Bearer {TOKEN}"})
        gone = httpx.get(f"{url}/agent/v1/run/run_9/details", headers={"Authorization": f"Bearer {TOKEN}"})
        assert time.monotonic() - started >= 0.1  # --latency
        logged = [process.stderr.readline().split() for _ in range(2)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert (found.status_code, gone.status_code) == (200, 404)
    assert [line[:4] for line in logged] == [
        ["GET", "/agent/v1/run/run_1/details", "200", found.headers["x-request-id"]],
        ["GET", "/agent/v1/run/run_9/details", "404", gone.headers["x-request-id"]],
    ]
    assert export.startswith("export ")
    settings = dict(item.split("=", 1) for item in export.split()[1:])
    for info in registry.all_providers():
        assert settings[info.api_key_variable] == token_for(info, TOKEN)
        assert settings[info.base_url_variable] == f"{url}/{info.name}"


def test_emulate_quiet_logs_nothing(tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [CLI, "emulate", "--port", "0", "-q"], stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            assert process.stdout is not None
            url = process.stdout.readline().split()[-1]
            assert httpx.get(f"{url}/agent/v1/run/run_1/details").status_code == 401
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert "/agent/v1/run/run_1/details" not in log.read_text()


def test_version_and_short_help() -> None:
    version = run_cli(None, "--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"agentruns {agentruns.__version__}"
    short = run_cli(None, "get", "-h")
    assert short.returncode == 0 and "--timeout" in short.stdout and "--max-retries" in short.stdout


def test_timeout_and_max_retries_reach_the_client(emu: Emulator) -> None:
    bad = run_cli(emu, "get", CASEDEV_REF, "--timeout", "0")
    assert bad.returncode == ExitCode.USAGE and "timeout" in bad.stderr
    emu.clear_requests()
    gone = run_cli(emu, "get", "casedev:run_gone", "--max-retries", "0", "--timeout", "5")
    assert gone.returncode == ExitCode.NOT_FOUND and "HTTP 404" in gone.stderr
    assert len(emu.requests) == 1


def test_export_against_a_dead_server_stops_early(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refs = tmp_path / "refs.txt"
    refs.write_text("".join(f"casedev:run_{n}\n" for n in range(40)))
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env |= {"CASEDEV_API_KEY": TOKEN, "CASEDEV_BASE_URL": f"http://127.0.0.1:{port}"}
    start = time.monotonic()
    result = subprocess.run(
        [CLI, "export", str(refs), "--max-retries", "0"], capture_output=True, text=True, env=env, timeout=60
    )
    elapsed = time.monotonic() - start
    assert result.returncode == ExitCode.NETWORK
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: stopped after 5 of 40 refs: no server answered")
    assert f"(127.0.0.1:{port})" in lines[0]
    assert elapsed < 20


def test_watch_prints_progress_when_not_on_a_terminal() -> None:
    with Emulator(token=TOKEN, lifecycle=True) as emu:
        result = run_cli(emu, "watch", "casedev:run_progress", "--interval", "0.01")
    assert result.returncode in (0, ExitCode.RUN_FAILED)
    progress = [line for line in result.stderr.splitlines() if line.startswith("casedev:run_progress: ")]
    assert progress, result.stderr
    statuses = [line.split(": ", 1)[1].split(" (")[0] for line in progress]
    assert len(statuses) == len(set(statuses))  # one line per new status, not one per poll


def test_get_timeline_draws_each_step_on_one_axis() -> None:
    with Emulator(token=TOKEN, steps=6) as emu:
        result = run_cli(emu, "get", CASEDEV_REF, "--timeline")
        run = agentruns.fetch(CASEDEV_REF, api_key=TOKEN, base_url=emu.url)
    assert result.returncode == 0, result.stderr
    assert f"{CASEDEV_REF}: {len(run.steps)} steps over" in result.stdout
    rows = [line for line in result.stdout.splitlines() if re.match(r"\s*\d+ │", line)]
    assert len(rows) == len(run.steps)
    timed = [step for step in run.steps if step.started_at and step.ended_at]
    assert sum("█" in row for row in rows) == len(timed) > 0
    first = min(step.started_at for step in timed if step.started_at)
    earliest = next(row for row, step in zip(rows, run.steps, strict=True) if step.started_at == first)
    assert "+0.0s" in earliest


def test_export_ends_with_a_summary_by_status_and_provider(emu: Emulator, tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text("casedev:run_1\ncasedev:run_2\nnsrocks:adpl_1/adrun_1\n")
    result = run_cli(emu, "export", str(refs), "--out", str(tmp_path / "out.jsonl"))
    assert result.returncode == 0, result.stderr
    runs = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    statuses = {status: sum(r["status"] == status for r in runs) for status in {r["status"] for r in runs}}
    assert "by status: " + " · ".join(f"{s} {n}" for s, n in sorted(statuses.items())) in result.stderr
    casedev_row = next(line for line in result.stderr.splitlines() if "│ casedev" in line)
    assert casedev_row.split("│")[2].strip() == "2"
    assert any("│ nsrocks" in line for line in result.stderr.splitlines())


@pytest.mark.parametrize("provider", registry.names())
def test_get_and_its_timeline_keep_every_value_whole_at_80_columns(emu: Emulator, provider: str) -> None:
    ref = f"{provider}:{'/'.join(run_with_status(provider))}"
    run = agentruns.fetch(ref, api_key=emu.token_for(provider), base_url=emu.url)
    for view in ([], ["--timeline"]):
        result = run_cli(emu, "get", ref, *view, columns=80)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert max(map(len, lines)) <= 80, result.stdout
        for step in run.steps:  # a name is on one line, not folded over two
            assert any(step.name in line for line in lines), f"{step.name!r} folded:\n{result.stdout}"
            if step.status and not view:
                assert any(step.status in line for line in lines), f"{step.status!r} folded:\n{result.stdout}"
        if view and run.steps:
            assert re.search(r"0 … \S+s", result.stdout), result.stdout  # the axis header, whole


def test_providers_keeps_every_value_whole_at_80_columns() -> None:
    narrow, wide = run_cli(None, "providers", columns=80), run_cli(None, "providers", columns=200)
    assert narrow.returncode == wide.returncode == 0, narrow.stderr + wide.stderr
    assert max(map(len, narrow.stdout.splitlines())) <= 80, narrow.stdout
    for info in registry.all_providers():
        for value in (info.title, info.ref_format, info.api_key_variable, info.default_base_url or "self-hosted"):
            for output in (narrow.stdout, wide.stdout):
                assert any(value in line for line in output.splitlines()), f"{value!r} not whole:\n{output}"
    assert "┃ provider" in wide.stdout and "┃" not in narrow.stdout  # one table where it fits, else blocks


def test_a_full_disk_is_one_line_and_exit_1(emu: Emulator, tmp_path: Path) -> None:
    """`--out /dev/full`: every write fails with ENOSPC. One line says where and why, with how
    many runs were written whole before it; no traceback."""
    refs = tmp_path / "refs.txt"
    refs.write_text("".join(f"casedev:run_{n}\n" for n in range(5)))
    for fmt in ("jsonl", "csv"):
        result = run_cli(emu, "export", str(refs), "--format", fmt, "--out", "/dev/full")
        assert result.returncode == ExitCode.ERROR, result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert errors == ["error: cannot write to /dev/full: No space left on device (0 of 5 runs written whole)"]
        assert "Traceback" not in result.stderr


def test_an_output_it_may_not_write_is_one_line_and_exit_1(emu: Emulator, tmp_path: Path) -> None:
    """`--out` a file it may not open for writing (EACCES): one line with the path and the OS's
    reason, exit 1. A read-only file refuses an ordinary user; root, whom file modes do not
    stop, is refused by a read-only sysfs file."""
    refs = tmp_path / "refs.txt"
    refs.write_text("".join(f"casedev:run_{n}\n" for n in range(3)))
    if os.geteuid() == 0:
        target = Path("/sys/kernel/notes")
        if not target.exists():
            pytest.skip("no file refuses root here")
    else:
        target = tmp_path / "read-only.jsonl"
        target.write_text("")
        target.chmod(0o444)
    result = run_cli(emu, "export", str(refs), "--out", str(target))
    assert result.returncode == ExitCode.ERROR, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: cannot write to {target}: Permission denied (0 of 3 runs written whole)"], result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_goes_away_is_one_line_and_exit_1(emu: Emulator, tmp_path: Path) -> None:
    """`agentruns export refs.txt | head -1`: once the pipe is closed a write fails with EPIPE;
    the rows before it were written whole, and Python's own flush at exit stays quiet."""
    refs = tmp_path / "refs.txt"
    refs.write_text("".join(f"casedev:run_{n}\n" for n in range(40)))
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env |= {"CASEDEV_API_KEY": TOKEN, "CASEDEV_BASE_URL": emu.url}
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: the first write meets a closed pipe
    with os.fdopen(writer, "wb") as stdout:
        done = subprocess.run([CLI, "export", str(refs)], stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60)
    stderr = done.stderr.decode()
    assert done.returncode == ExitCode.ERROR, stderr
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr and "Exception ignored" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("error:")] == [
        "error: cannot write to standard output: Broken pipe (0 of 40 runs written whole)"
    ]


def test_watch_keeps_its_timeout_against_a_server_that_never_answers() -> None:
    """Each poll's requests end with the watch's deadline: a server that accepts and says nothing
    cannot hold `watch --timeout 2` past its 2 s (it used to wait out the 60 s read timeout)."""
    import time

    from hostile_servers import serve

    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))} | {
        "CASEDEV_API_KEY": TOKEN
    }
    with serve(lambda conn, head: time.sleep(15), max_seconds=20) as (url, _):
        started = time.monotonic()
        command = [CLI, "watch", "casedev:run_1", "--base-url", url, "--timeout", "2"]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        took = time.monotonic() - started
    assert result.returncode == ExitCode.WAIT_TIMEOUT, result.stderr
    assert took < 8, took
    assert "casedev:run_1 still not fetched after 2 s" in result.stderr
