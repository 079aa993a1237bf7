"""case.dev runs made coherent: the id echoes the path; steps follow each other in time and a
terminal run ends after its last step; usage.summary adds up usage.entries."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import RunDraft, set_present, timestamp

ECHO = {"id": "id"}


def cohere(run: RunDraft) -> None:
    body = run.body
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
