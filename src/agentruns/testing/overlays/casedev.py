"""case.dev runs made coherent: the id echoes the path; steps follow each other in time and a
terminal run ends after its last step; usage.summary adds up usage.entries. Realistic runs
think, call a tool and read its result, and end with their output; only tool steps name a tool."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from . import MODELS, TOOLS, RunDraft, set_present, timestamp

TOOL_STEPS = ("tool_call", "tool_result")


def _shape_steps(run: RunDraft, steps: list[dict[str, Any]]) -> None:
    """thinking → tool_call → tool_result → … → output, each tool's result naming its call's tool."""
    cycle = ("thinking", "tool_call", "tool_result")
    for index, step in enumerate(steps):
        last = index == len(steps) - 1 and run.terminal
        kind = "output" if last else cycle[index % len(cycle)]
        set_present(step, "type", kind)
        tool = TOOLS[(index // len(cycle)) % len(TOOLS)]
        set_present(step, "toolName", tool)
        if kind not in TOOL_STEPS and "toolName" in step:
            step["toolName"] = None
        for key, wanted in (("toolInput", "tool_call"), ("toolOutput", "tool_result")):
            if key in step:
                step[key] = {"tool": tool, "index": index} if kind == wanted else None


def _bill_model_steps(
    run: RunDraft, usage: dict[str, Any], steps: list[dict[str, Any]], model: Any, created: str
) -> None:
    """One llm usage entry per step that called the model (thinking, output), as a run that
    thought has spent tokens on it."""
    entries = []
    for index, step in enumerate(steps):
        if step.get("type") not in ("thinking", "output"):
            continue
        prompt, completion = run.rng.randint(200, 4000), run.rng.randint(50, 1500)
        entries.append(
            {
                "id": f"use_{index}",
                "kind": "llm",
                "service": None,
                "endpoint": None,
                "method": None,
                "statusCode": None,
                "costMicros": (prompt * 3 + completion * 15) // 10,  # about $3 and $15 a million tokens
                "promptTokens": prompt,
                "completionTokens": completion,
                "totalTokens": prompt + completion,
                "model": model,
                "timestamp": step.get("timestamp") or created,
                "metadata": None,
            }
        )
    if entries and "entries" in usage:
        usage["entries"] = entries
        for key, total in (("inputTokens", "promptTokens"), ("outputTokens", "completionTokens")):
            if key in usage:
                usage[key] = sum(entry[total] for entry in entries)


def cohere(run: RunDraft) -> None:
    body = run.body
    if not run.coverage:
        _shape_steps(run, body.get("steps") or [])
        model = MODELS[run.rng.randrange(len(MODELS))]
        set_present(body, "model", model)
        if isinstance(body.get("usage"), dict):
            set_present(body["usage"], "model", model)
    created = datetime.fromisoformat(body.get("createdAt") or "2026-01-05T09:00:00+00:00")
    clock = created + timedelta(seconds=run.rng.randint(1, 20))
    set_present(body, "startedAt", timestamp(clock))
    for step in body.get("steps") or ():
        set_present(step, "timestamp", timestamp(clock))
        clock += timedelta(milliseconds=step.get("durationMs") or 0)
    if run.status == "queued" and "startedAt" in body:
        body["startedAt"] = None
    if "completedAt" in body:
        body["completedAt"] = timestamp(clock) if run.terminal else None
    usage = body.get("usage")
    if not run.coverage and isinstance(usage, dict):
        _bill_model_steps(run, usage, body.get("steps") or [], body.get("model"), timestamp(created))
    if isinstance(usage, dict) and isinstance(usage.get("summary"), dict):
        entries = usage.get("entries") or []
        summary = usage["summary"]
        for key, source in (
            ("costMicros", "costMicros"),
            ("totalInputTokens", "promptTokens"),
            ("totalOutputTokens", "completionTokens"),
            ("totalTokens", "totalTokens"),
        ):
            if key in summary:
                summary[key] = sum(entry.get(source) or 0 for entry in entries)
