"""Backside runs made coherent: kind and id echo the path; the journal is in seq order and in
time; the run's cost is its steps' cost; a finished run's steps are complete.

Backside documents queued, running and waiting but names no terminal status (provider-facts):
the emulator ends runs in the spellings the normalizer's table reads first."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import MODELS, TOOLS, RunDraft, set_present, timestamp


def cohere(run: RunDraft) -> None:
    body = run.body
    created = datetime.fromisoformat(body["created_at"])
    clock = created + timedelta(seconds=run.rng.randint(1, 30))
    body["run_at"] = timestamp(clock)
    steps = body["steps"] = [] if run.status == "queued" else body["steps"]
    for seq, step in enumerate(steps):
        step["seq"] = seq
        step["kind"] = "llm" if seq % 2 == 0 else "tool"  # provider-facts: an LLM turn or a tool call
        if not run.coverage:  # names and amounts as a real journal has them
            step["name"] = "plan" if step["kind"] == "llm" else TOOLS[(seq // 2) % len(TOOLS)]
            set_present(step, "model", MODELS[seq % len(MODELS)] if step["kind"] == "llm" else None)
            if step["kind"] == "tool" and "model" in step:
                step["model"] = None
            for key in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens"):
                if step["kind"] == "tool" and key in step:
                    step[key] = None  # a tool call spends no tokens
            set_present(step, "cost_usd_cents", run.rng.randint(0, 40) if step["kind"] == "llm" else 0)
        step["started_at"] = timestamp(clock)
        clock += timedelta(milliseconds=run.rng.randint(50, 9000))
        done = run.terminal or seq < len(steps) - 1
        set_present(step, "completed_at", timestamp(clock))
        if not done and "completed_at" in step:
            step["completed_at"] = None
    body["updated_at"] = timestamp(clock)
    body["cost_usd_cents"] = sum(step.get("cost_usd_cents") or 0 for step in steps)
    if run.status != "failed":
        for key in ("failure_category", "failure_detail"):
            if key in body:
                body[key] = None
