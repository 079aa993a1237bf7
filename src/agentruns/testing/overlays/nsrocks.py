"""ns.rocks runs made coherent: the ids echo the path; a terminal run has an exit code and an end,
a failed one its reason; the output manifest lists `steps` outputs (the emulator's size knob)."""

from __future__ import annotations

from . import RunDraft

# provider-facts: "Ids look like adpl_… (deployment) and adrun_… (run)".
ID_PREFIXES = {"deployment_id": "adpl_", "run_id": "adrun_"}


def check_ids(ids: dict[str, str]) -> str | None:
    if not all(ids[name].startswith(prefix) for name, prefix in ID_PREFIXES.items()):
        return "ids look like adpl_... (deployment) and adrun_... (run)"
    return None


def cohere(run: RunDraft) -> None:
    body = run.body
    started = run.status not in ("queued",)
    for key in ("started_at", "sandbox_id", "process_id"):
        if key in body and not started:
            body[key] = None
    for key in ("completed_at", "exit_code"):
        if key in body and not run.terminal:
            body[key] = None
    if "failure_reason" in body and run.status not in ("failed", "timed_out"):
        body["failure_reason"] = None
    if isinstance(body.get("output_manifest"), dict):
        body["output_manifest"] = {
            "outputs": [{"path": f"out/{n}.json", "bytes": run.rng.randint(10, 10_000)} for n in range(run.steps)]
        }
