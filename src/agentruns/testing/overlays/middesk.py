"""Middesk runs made coherent: the id echoes the path and every step names its run; output only
when completed, interrupts only when interrupted; `steps` only when `include=steps` asks; the
last step of a run still going is still running."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import RunDraft


def cohere(run: RunDraft) -> None:
    body = run.body
    if not isinstance(body.get("steps"), list):  # `include=steps` populates them, whatever the draw
        run.extra["steps"] = run.draw_property("steps")
    else:
        run.extra["steps"] = body.pop("steps")
    for index, step in enumerate(run.extra["steps"]):
        step["run_id"] = run.ids["id"]
        if not run.coverage and not run.terminal and index == len(run.extra["steps"]) - 1:
            step["status"] = "running"  # the step the run is on
            if "completed_at" in step:
                step["completed_at"] = None
    if "output" in body and run.status != "completed":
        body["output"] = None
    if "interrupts" in body and run.status != "interrupted":
        body["interrupts"] = []
    if "ended_at" in body and not run.terminal:
        body["ended_at"] = None


def respond(run: RunDraft, operation: str, query: Mapping[str, list[str]] | None) -> Any:
    """Steps are opt-in (`include=steps`); None asks for the complete run."""
    body = dict(run.bodies[operation])
    includes = {part for value in (query or {}).get("include", []) for part in value.split(",")}
    if query is None or "steps" in includes:
        body["steps"] = run.extra["steps"]
    return body
