"""n8n executions made coherent: the id echoes the path; the run data holds `steps` node runs
(n8n's IRunData: node name -> its runs), in order (`executionIndex`), each starting where the last
ended, within the execution's own startedAt and stoppedAt; `finished` only for a success;
startedAt null while `new`, stoppedAt null until the execution stops (a `waiting` one has
stopped its current run, as n8n's document says), waitTill only while waiting; an `error` or
`crashed` one names the node that failed. Realistic runs are a trigger, then an AI agent whose
model and tool sub-nodes run in turn, then a node that puts out the result."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from . import MODELS, TOOLS, RunDraft, set_present, timestamp

# n8n's ExecutionStatus values by what they say of the run (packages/workflow/src/ExecutionStatus.ts).
STOPPED = frozenset({"success", "error", "crashed", "canceled", "waiting"})
FAILED = frozenset({"error", "crashed"})

# A realistic workflow: node name, the connection type its output has.
REALISTIC = (
    ("When chat message received", "main"),
    ("AI Agent", "main"),
    ("OpenAI Chat Model", "ai_languageModel"),
    ("Call Tool", "ai_tool"),
    ("Respond", "main"),
)


def _node_runs(run: RunDraft, started: datetime) -> tuple[dict[str, list[dict[str, Any]]], datetime, str | None]:
    """`steps` node runs in n8n's shape, from `started` on; where the last one ended, and its node."""
    run_data: dict[str, list[dict[str, Any]]] = {}
    clock = started
    last = None
    for index in range(run.steps):
        node, kind = REALISTIC[index % len(REALISTIC)] if not run.coverage else (f"Node {index}", "main")
        if index >= len(REALISTIC) and not run.coverage:
            node = f"{node} {index // len(REALISTIC) + 1}"
        took = run.rng.randint(1, 900)
        final = index == run.steps - 1
        status = run.status if final and run.status in FAILED | {"canceled", "running", "waiting"} else "success"
        item: dict[str, Any] = {"json": {"index": index}}
        if kind == "ai_languageModel":
            item = {"json": {"response": {"generations": [[{"text": f"step {index}"}]]}, "model": MODELS[index % 3]}}
        elif kind == "ai_tool":
            item = {"json": {"tool": TOOLS[index % len(TOOLS)], "response": f"result {index}"}}
        task: dict[str, Any] = {
            "startTime": int(clock.timestamp() * 1000),
            "executionIndex": index,
            "executionTime": took,
            "executionStatus": status,
            "source": [{"previousNode": last}] if last else [],
            "data": {kind: [[item]]},
        }
        if status in FAILED:
            task["error"] = {"message": f"{node} failed", "name": "NodeOperationError", "node": {"name": node}}
        run_data.setdefault(node, []).append(task)
        clock += timedelta(milliseconds=took)
        last = node
    return run_data, clock, last


def cohere(run: RunDraft) -> None:
    body = run.body
    status = run.status or body.get("status")
    created = datetime.fromisoformat(body.get("createdAt") or "2026-01-05T09:00:00+00:00")
    if created.tzinfo is None:
        created = created.replace(hour=9)
    set_present(body, "createdAt", timestamp(created))
    started = created + timedelta(milliseconds=run.rng.randint(5, 2000))
    if "startedAt" in body:
        body["startedAt"] = None if status == "new" else timestamp(started)
    data = body.get("data")
    ended = started
    result = data.get("resultData") if isinstance(data, dict) else None
    # The coverage draw keeps the spec's variety of node runs (keys absent, null, of every kind);
    # a realistic run gets `steps` coherent ones.
    if isinstance(result, dict) and not run.coverage:
        run_data, ended, last = _node_runs(run, started)
        result["runData"] = run_data
        set_present(result, "lastNodeExecuted", last)
        if status in FAILED and last:
            result["error"] = {"message": f"{last} failed", "name": "NodeOperationError", "node": {"name": last}}
        else:
            result.pop("error", None)  # only a failed execution has one
    ended += timedelta(milliseconds=run.rng.randint(1, 50))
    if "stoppedAt" in body:
        body["stoppedAt"] = timestamp(ended) if status in STOPPED else None
    if "waitTill" in body:
        body["waitTill"] = timestamp(ended + timedelta(minutes=5)) if status == "waiting" else None
    if "finished" in body:
        body["finished"] = status == "success"
    if "deletedAt" in body and not run.coverage:
        body["deletedAt"] = None  # n8n's document: "Always null. Soft-deleted executions are not returned."
    if isinstance(body.get("workflowData"), dict) and not run.coverage:
        body["workflowData"]["name"] = "Support agent"
        if body.get("workflowId") is not None:
            body["workflowData"]["id"] = body["workflowId"]
