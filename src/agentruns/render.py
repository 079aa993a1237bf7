"""Turn an AgentRun into text for people (rich) and into CSV rows (JSON lives in serialize.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentruns_model import AgentRun, RunStatus
from rich.console import Group
from rich.table import Table
from rich.text import Text

STATUS_STYLES = {
    RunStatus.SUCCEEDED: "bold green",
    RunStatus.FAILED: "bold red",
    RunStatus.TIMED_OUT: "bold red",
    RunStatus.CANCELLED: "yellow",
    RunStatus.WAITING: "magenta",
    RunStatus.UNKNOWN: "bold magenta",
}
MAX_STEP_ROWS = 40
CSV_COLUMNS = (
    "ref",
    "provider",
    "id",
    "status",
    "raw_status",
    "is_terminal",
    "created_at",
    "started_at",
    "ended_at",
    "duration",
    "cost_usd_micros",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "failure_category",
    "failure_message",
    "exit_code",
    "steps",
)


def to_row(run: AgentRun) -> dict[str, Any]:
    failure = run.failure
    return {
        "ref": run.ref,
        "provider": str(run.provider),
        "id": run.id,
        "status": str(run.status),
        "raw_status": run.raw_status,
        "is_terminal": run.is_terminal,
        "created_at": _iso(run.created_at),
        "started_at": _iso(run.started_at),
        "ended_at": _iso(run.ended_at),
        "duration": run.duration,
        "cost_usd_micros": run.cost_usd_micros,
        "input_tokens": run.input_tokens,
        "output_tokens": run.output_tokens,
        "cache_read_tokens": run.cache_read_tokens,
        "cache_write_tokens": run.cache_write_tokens,
        "failure_category": failure.category if failure else None,
        "failure_message": failure.message if failure else None,
        "exit_code": failure.exit_code if failure else None,
        "steps": len(run.steps),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _money(micros: int | None) -> str:
    return "—" if micros is None else f"${micros / 1_000_000:,.4f}"


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m{rest:04.1f}s" if minutes else f"{rest:.1f}s"


def status_text(run: AgentRun) -> Text:
    label = str(run.status)
    if run.raw_status and run.raw_status != label:
        label += f" ({run.raw_status})"
    return Text(label, style=STATUS_STYLES.get(run.status, "bold"))


def summary(run: AgentRun) -> Group:
    """A readable summary: status, timings, cost, tokens, failure and a step table."""
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    facts.add_row("run", Text(run.ref, style="bold"))
    facts.add_row("status", status_text(run))
    facts.add_row("created", _iso(run.created_at) or "—")
    facts.add_row("started", _iso(run.started_at) or "—")
    facts.add_row("ended", _iso(run.ended_at) or "—")
    facts.add_row("duration", _duration(run.duration))
    facts.add_row("cost", _money(run.cost_usd_micros))
    tokens = f"in {_count(run.input_tokens)} · out {_count(run.output_tokens)}"
    if run.cache_read_tokens is not None or run.cache_write_tokens is not None:
        tokens += f" · cache read {_count(run.cache_read_tokens)} · cache write {_count(run.cache_write_tokens)}"
    facts.add_row("tokens", tokens)
    if run.failure:
        parts = [run.failure.category, run.failure.message]
        if run.failure.exit_code is not None:
            parts.append(f"exit code {run.failure.exit_code}")
        facts.add_row("failure", Text(" — ".join(p for p in parts if p), style="red"))
    if not run.steps:
        return Group(facts, Text("no steps", style="dim"))
    steps = Table(title=f"{len(run.steps)} steps", title_justify="left", header_style="bold")
    for column in ("#", "kind", "name", "status", "started", "duration", "tokens in/out", "cost"):
        steps.add_column(column, overflow="fold")
    for step in run.steps[:MAX_STEP_ROWS]:
        tokens_cell = "—"
        if step.input_tokens is not None or step.output_tokens is not None:
            tokens_cell = f"{_count(step.input_tokens)}/{_count(step.output_tokens)}"
        step_duration = (step.ended_at - step.started_at).total_seconds() if step.started_at and step.ended_at else None
        # Every cell from the server is a Text, so that rich prints it as sent, never as markup.
        steps.add_row(
            str(step.seq),
            Text(str(step.kind)),
            Text(step.name),
            Text(step.status or "—"),
            step.started_at.strftime("%H:%M:%S") if step.started_at else "—",
            _duration(step_duration),
            tokens_cell,
            _money(step.cost_usd_micros),
        )
    hidden = len(run.steps) - MAX_STEP_ROWS
    footer = Text(f"… {hidden} more steps (use --json for all)", style="dim") if hidden > 0 else Text("")
    return Group(facts, steps, footer)


TIMELINE_WIDTH = 40  # characters of the time axis


def timeline(run: AgentRun, width: int = TIMELINE_WIDTH) -> Group:
    """The steps as a waterfall on one time axis, as tracing tools draw spans: each step's bar
    starts at its start and is as long as its duration; a step with a start and no end is a
    tick. Steps without times (Letta's) are listed without a bar."""
    starts: list[datetime] = [step.started_at for step in run.steps if step.started_at]
    ends: list[datetime] = [moment for step in run.steps if (moment := step.ended_at or step.started_at)]
    origin = min([*starts, *([run.started_at] if run.started_at else [])], default=None)
    finish = max([*ends, *([run.ended_at] if run.ended_at else [])], default=None)
    span = (finish - origin).total_seconds() if origin and finish else 0.0
    table = Table(title=f"{run.ref}: {len(run.steps)} steps over {_duration(span)}", title_justify="left")
    for column in ("#", "step", "start", "duration", "tokens in/out", "cost"):
        table.add_column(column, overflow="fold", no_wrap=column != "step", min_width=12 if column == "step" else None)
    table.add_column(Text(f"0 … {_duration(span)}"), no_wrap=True)
    for step in run.steps[:MAX_STEP_ROWS]:
        offset = (step.started_at - origin).total_seconds() if step.started_at and origin else None
        length = (step.ended_at - step.started_at).total_seconds() if step.ended_at and step.started_at else None
        table.add_row(
            str(step.seq),
            Text(step.name),
            "—" if offset is None else f"+{_duration(offset)}",
            _duration(length),
            "—"
            if step.input_tokens is None and step.output_tokens is None
            else f"{_count(step.input_tokens)}/{_count(step.output_tokens)}",
            _money(step.cost_usd_micros),
            _bar(offset, length, span, width),
        )
    hidden = len(run.steps) - MAX_STEP_ROWS
    footer = Text(f"… {hidden} more steps (use --json for all)", style="dim") if hidden > 0 else Text("")
    return Group(table, footer)


def _bar(offset: float | None, length: float | None, span: float, width: int) -> Text:
    if offset is None:
        return Text("")
    scale = width / span if span > 0 else 0.0
    start = min(width - 1, int(offset * scale))
    if length is None:
        return Text(" " * start + "▏", style="dim")
    cells = max(1, min(width - start, round(length * scale)))
    return Text(" " * start + "█" * cells, style="cyan")


class ExportTally:
    """What an export wrote, for the table it ends with: runs by status, and per provider the
    runs, their cost and their tokens (a sum skips the runs that report none)."""

    def __init__(self) -> None:
        self.by_status: dict[str, int] = {}
        self.by_provider: dict[str, list[int]] = {}  # runs, cost micros, input and output tokens

    def add(self, run: AgentRun) -> None:
        self.by_status[str(run.status)] = self.by_status.get(str(run.status), 0) + 1
        totals = self.by_provider.setdefault(str(run.provider), [0, 0, 0, 0])
        totals[0] += 1
        totals[1] += run.cost_usd_micros or 0
        totals[2] += run.input_tokens or 0
        totals[3] += run.output_tokens or 0

    def table(self) -> Group:
        statuses = Text(" · ".join(f"{status} {count}" for status, count in sorted(self.by_status.items())))
        table = Table(header_style="bold")
        for column in ("provider", "runs", "cost", "tokens in", "tokens out"):
            table.add_column(column, justify="left" if column == "provider" else "right")
        for provider, (runs, cost, tokens_in, tokens_out) in sorted(self.by_provider.items()):
            table.add_row(Text(provider), f"{runs:,}", _money(cost), _count(tokens_in), _count(tokens_out))
        return Group(Text.assemble(("by status: ", "dim"), statuses), table)
