"""Letta runs made coherent: the run id echoes the path and its steps name it; step ids are
unique (`step-<uuid4>`, as the docs describe them); usage adds up the steps' tokens; only a
finished run has completed_at. The steps list pages as the seed documents (`order`, desc by
default; `after`/`before` a step id; `limit`, 100 by default): the provider module declares it a
bare list with a cursor, and testing/pages.py serves it so."""

from __future__ import annotations

import uuid

from . import MODELS, RunDraft, set_present

STEPS = "list_steps_for_run"
TOKEN_FIELDS = ("completion_tokens", "prompt_tokens", "total_tokens")


def cohere(run: RunDraft) -> None:
    body = run.body
    steps = run.bodies[STEPS]
    model = MODELS[run.rng.randrange(len(MODELS))]
    for index, step in enumerate(steps):
        step["id"] = f"step-{uuid.UUID(int=run.rng.getrandbits(128), version=4)}"
        if step.get("run_id") is not None:
            step["run_id"] = run.ids["run_id"]
        if not run.coverage:  # a step's status follows its run's: done steps succeeded, the last is where it stands
            last = index == len(steps) - 1
            status = {"failed": "failed", "cancelled": "cancelled"}.get(run.status or "", "success")
            set_present(step, "status", status if last and run.terminal else "success" if not last else "pending")
            set_present(step, "model", model)
            failed = last and run.terminal and status == "failed"
            for key in ("error_type", "error_data"):  # only a step that failed says why
                if key in step and not failed:
                    step[key] = None
            set_present(step, "model_handle", f"openai/{model}" if model.startswith("gpt") else model)
    if "completed_at" in body and not run.terminal:
        body["completed_at"] = None
    usage = run.bodies["retrieve_usage_for_run"]
    for field in TOKEN_FIELDS:
        if field in usage:
            usage[field] = sum(step.get(field) or 0 for step in steps)
