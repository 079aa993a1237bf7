"""Turn an AgentRun into text for people (rich) and into CSV rows (JSON lives in serialize.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from agentruns_model import AgentRun, RunStatus
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
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
    "reasoning_tokens",
    "failure_category",
    "failure_message",
    "exit_code",
    "steps",
    "request_id",
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
        "reasoning_tokens": run.reasoning_tokens,
        "failure_category": failure.category if failure else None,
        "failure_message": failure.message if failure else None,
        "exit_code": failure.exit_code if failure else None,
        "steps": len(run.steps),
        "request_id": run.request_id,
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
    if run.reasoning_tokens is not None:
        tokens += f" · reasoning {_count(run.reasoning_tokens)}"
    facts.add_row("tokens", tokens)
    if run.request_id:
        facts.add_row("request id", Text(run.request_id))
    if run.failure:
        parts = [run.failure.category, run.failure.message]
        if run.failure.exit_code is not None:
            parts.append(f"exit code {run.failure.exit_code}")
        facts.add_row("failure", Text(" — ".join(p for p in parts if p), style="red"))
    if not run.steps:
        return Group(facts, Text("no steps", style="dim"))
    return Group(
        facts, Text(f"{len(run.steps)} steps", style="bold"), Fitted(_steps_table(run), STEPS_OPTIONAL), _more(run)
    )


# The columns a narrow terminal drops first, so that the others keep their values whole.
STEPS_OPTIONAL = ("started", "cost", "kind")
TIMELINE_OPTIONAL = ("tokens in/out", "cost")
TIMELINE_WIDTH = 40  # at most, characters of the time axis
TIMELINE_MIN_WIDTH = 10


def _steps_table(run: AgentRun) -> Callable[[frozenset[str], int], Table]:
    rows: list[dict[str, Any]] = []
    for step in run.steps[:MAX_STEP_ROWS]:
        step_duration = (step.ended_at - step.started_at).total_seconds() if step.started_at and step.ended_at else None
        # Every cell from the server is a Text, so that rich prints it as sent, never as markup.
        rows.append(
            {
                "#": str(step.seq),
                "kind": Text(str(step.kind)),
                "name": Text(step.name),
                "status": Text(step.status or "—"),
                "started": step.started_at.strftime("%H:%M:%S") if step.started_at else "—",
                "duration": _duration(step_duration),
                "tokens in/out": _tokens(step.input_tokens, step.output_tokens),
                "cost": _money(step.cost_usd_micros),
            }
        )

    def build(dropped: frozenset[str], _axis: int) -> Table:
        return _table(list(rows[0]) if rows else [], rows, dropped, wraps=("name", "status"))

    return build


def _table(
    columns: Sequence[str], rows: Sequence[dict[str, Any]], dropped: frozenset[str], wraps: Sequence[str]
) -> Table:
    # No outer edge: four more characters for the cells at 80 columns.
    table = Table(header_style="bold", show_edge=False)
    shown = [column for column in columns if column not in dropped]
    for column in shown:
        table.add_column(column, no_wrap=column not in wraps, overflow="fold")
    for row in rows:
        table.add_row(*(row[column] for column in shown))
    return table


class Fitted:
    """A table that fits the console it is printed on: it drops its optional columns, least
    needed first, until every cell fits unwrapped (rich would otherwise fold every column to
    make room), then gives the room left to its axis, if it has one (between `axis`'s bounds)."""

    def __init__(
        self, build: Callable[[frozenset[str], int], Table], optional: Sequence[str], axis: tuple[int, int] = (0, 0)
    ) -> None:
        self.build: Callable[[frozenset[str], int], Table] = build
        self.optional: Sequence[str] = optional
        self.axis: tuple[int, int] = axis

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        low, high = self.axis
        dropped: frozenset[str] = frozenset()
        for next_to_drop in [*self.optional, None]:
            table = self.build(dropped, low)
            spare = options.max_width - _unwrapped_width(console, options, table)
            if spare >= 0 or next_to_drop is None:
                yield self.build(dropped, min(high, low + max(0, spare))) if high > low else table
                return
            dropped |= {next_to_drop}


UNBOUNDED = 100_000


def _unwrapped_width(console: Console, options: ConsoleOptions, table: Table) -> int:
    # Measured against unbounded room: rich clamps a measurement to the width it is given.
    return Measurement.get(console, options.update_width(UNBOUNDED), table).maximum


def _more(run: AgentRun) -> Text:
    hidden = len(run.steps) - MAX_STEP_ROWS
    return Text(f"… {hidden} more steps (use --json for all)", style="dim") if hidden > 0 else Text("")


def _tokens(tokens_in: int | None, tokens_out: int | None) -> str:
    return "—" if tokens_in is None and tokens_out is None else f"{_count(tokens_in)}/{_count(tokens_out)}"


def timeline(run: AgentRun, width: int | None = None) -> Group:
    """The steps as a waterfall on one time axis, as tracing tools draw spans: each step's bar
    starts at its start and is as long as its duration; a step with a start and no end is a
    tick. Steps without times (Letta's) are listed without a bar. The axis is `width`
    characters, or what the terminal leaves (10 to 40)."""
    starts: list[datetime] = [step.started_at for step in run.steps if step.started_at]
    ends: list[datetime] = [moment for step in run.steps if (moment := step.ended_at or step.started_at)]
    origin = min([*starts, *([run.started_at] if run.started_at else [])], default=None)
    finish = max([*ends, *([run.ended_at] if run.ended_at else [])], default=None)
    span = (finish - origin).total_seconds() if origin and finish else 0.0
    axis = f"0 … {_duration(span)}"
    rows: list[dict[str, Any]] = []
    times: list[tuple[float | None, float | None]] = []
    for step in run.steps[:MAX_STEP_ROWS]:
        offset = (step.started_at - origin).total_seconds() if step.started_at and origin else None
        length = (step.ended_at - step.started_at).total_seconds() if step.ended_at and step.started_at else None
        rows.append(
            {
                "#": str(step.seq),
                "step": Text(step.name),
                "start": "—" if offset is None else f"+{_duration(offset)}",
                "duration": _duration(length),
                "tokens in/out": _tokens(step.input_tokens, step.output_tokens),
                "cost": _money(step.cost_usd_micros),
            }
        )
        times.append((offset, length))
    columns = ["#", "step", "start", "duration", "tokens in/out", "cost", axis]

    def build(dropped: frozenset[str], axis_width: int) -> Table:
        drawn = [
            {**row, axis: _bar(offset, length, span, axis_width)}
            for row, (offset, length) in zip(rows, times, strict=True)
        ]
        table = _table(columns, drawn, dropped, wraps=("step",))
        table.columns[-1].min_width = table.columns[-1].max_width = max(axis_width, len(axis))
        return table

    title = Text(f"{run.ref}: {len(run.steps)} steps over {_duration(span)}", style="bold")
    bounds = (width, width) if width else (TIMELINE_MIN_WIDTH, TIMELINE_WIDTH)
    return Group(title, Fitted(build, TIMELINE_OPTIONAL, bounds), _more(run))


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
        # runs, then cost micros, input and output tokens: None until a run reports one, so a
        # provider that reports none shows unknown (—), never a cost or a count of 0
        self.by_provider: dict[str, list[int | None]] = {}

    def add(self, run: AgentRun) -> None:
        self.by_status[str(run.status)] = self.by_status.get(str(run.status), 0) + 1
        totals = self.by_provider.setdefault(str(run.provider), [0, None, None, None])
        totals[0] = (totals[0] or 0) + 1
        for index, value in ((1, run.cost_usd_micros), (2, run.input_tokens), (3, run.output_tokens)):
            if value is not None:
                totals[index] = (totals[index] or 0) + value

    def table(self) -> Group:
        statuses = Text(" · ".join(f"{status} {count}" for status, count in sorted(self.by_status.items())))
        table = Table(header_style="bold")
        for column in ("provider", "runs", "cost", "tokens in", "tokens out"):
            table.add_column(column, justify="left" if column == "provider" else "right")
        for provider, (runs, cost, tokens_in, tokens_out) in sorted(self.by_provider.items()):
            table.add_row(Text(provider), f"{runs or 0:,}", _money(cost), _count(tokens_in), _count(tokens_out))
        return Group(Text.assemble(("by status: ", "dim"), statuses), table)


class WideOrNarrow:
    """`wide` where every cell of it fits the console unwrapped, else `narrow`."""

    def __init__(self, wide: Table, narrow: RenderableType) -> None:
        self.wide: Table = wide
        self.narrow: RenderableType = narrow

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        fits = _unwrapped_width(console, options, self.wide) <= options.max_width
        yield self.wide if fits else self.narrow


def providers(rows: Sequence[dict[str, str]]) -> WideOrNarrow:
    """The providers as one table, or, where it would not fit, as one block of lines each (an
    URL or a ref folded over two lines can be neither read nor copied)."""
    table = Table(header_style="bold")
    for column in rows[0] if rows else ():
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*row.values())
    blocks = Table.grid(padding=(0, 2))
    blocks.add_column(style="dim", no_wrap=True)
    blocks.add_column(overflow="fold")
    for number, row in enumerate(rows):
        if number:
            blocks.add_row("", "")
        title, *facts = row.items()
        blocks.add_row(Text(title[1], style="bold"), "")
        for label, value in facts:
            blocks.add_row(label, value)
    return WideOrNarrow(table, blocks)
