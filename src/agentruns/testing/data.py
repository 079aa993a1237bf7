"""Deterministic run bodies for the emulator: the same (provider, ids, seed) gives the same run.

Every body is valid against the provider's spec, and over the id space every status, every
nullable field set to null and every optional field left out all occur."""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

# Status sets by provider: the documented ones (Backside's are open; its terminal names are ours).
STATUSES: dict[str, tuple[str, ...]] = {
    "backside": ("queued", "running", "waiting", "succeeded", "failed", "cancelled"),
    "middesk": ("running", "completed", "error", "interrupted"),
    "casedev": ("queued", "running", "completed", "failed", "cancelled"),
    "nsrocks": ("queued", "starting", "installing", "running", "succeeded", "failed", "cancelled", "timed_out"),
}
# The non-terminal states a run passes through, in order, when the emulator plays a lifecycle.
LIFECYCLE: dict[str, tuple[str, ...]] = {
    "backside": ("queued", "running"),
    "middesk": ("running",),
    "casedev": ("queued", "running"),
    "nsrocks": ("queued", "starting", "installing", "running"),
}
TERMINAL: dict[str, tuple[str, ...]] = {
    provider: tuple(s for s in statuses if s not in LIFECYCLE[provider] + ("waiting", "interrupted"))
    for provider, statuses in STATUSES.items()
}

EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
MODELS = ("claude-sonnet-4-5", "gpt-5.1", "gemini-2.5-pro")
TOOLS = ("search_web", "read_file", "run_sql", "http_get", "write_report")


def rng_for(provider: str, ids: tuple[str, ...], seed: int) -> random.Random:
    digest = hashlib.sha256("\x1f".join((provider, str(seed), *ids)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def terminal_status_for(provider: str, ids: tuple[str, ...], seed: int) -> str:
    """Where a run ends when the emulator plays its lifecycle."""
    return rng_for(provider, (*ids, "terminal"), seed).choice(TERMINAL[provider])


def _ts(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _maybe(rng: random.Random, value: Any, null_rate: float = 0.25) -> Any:
    return None if rng.random() < null_rate else value


def _tokens(rng: random.Random) -> tuple[int, int]:
    return rng.randint(200, 6000), rng.randint(20, 1500)


def backside_run(rng: random.Random, ids: tuple[str, ...], status: str, steps: int) -> dict[str, Any]:
    kind, run_id = ids
    created = EPOCH + timedelta(seconds=rng.randint(0, 86_400 * 30))
    started = created + timedelta(seconds=rng.randint(1, 30))
    terminal = status in TERMINAL["backside"]
    journal = []
    clock = started
    n_steps = 0 if status == "queued" else steps
    for seq in range(n_steps):
        is_llm = seq % 2 == 0
        duration = timedelta(milliseconds=rng.randint(50, 9000))
        done = terminal or seq < n_steps - 1
        step: dict[str, Any] = {
            "input": {"prompt": f"turn {seq} of {kind}"} if is_llm else {"tool": rng.choice(TOOLS), "args": {"q": seq}},
            "kind": "llm" if is_llm else "tool",
            "name": rng.choice(MODELS) if is_llm else rng.choice(TOOLS),
            "seq": seq,
            "started_at": _ts(clock),
            "completed_at": _ts(clock + duration) if done else None,
        }
        if is_llm:
            prompt, completion = _tokens(rng)
            step |= {
                "model": step["name"],
                "input_tokens": prompt,
                "output_tokens": completion,
                "cache_read_tokens": _maybe(rng, rng.randint(0, prompt)),
                "cache_write_tokens": _maybe(rng, rng.randint(0, 500)),
                "cost_usd_cents": rng.randint(0, 40),
                "output": {"text": f"answer {seq}"} if done else None,
            }
        else:
            step |= {"output": {"rows": rng.randint(0, 50)} if done else None, "cost_usd_cents": None}
        journal.append(step)
        clock += duration
    body: dict[str, Any] = {
        "agent_kind": kind,
        "consecutive_failures": rng.randint(1, 3) if status == "failed" else 0,
        "cost_usd_cents": sum(s.get("cost_usd_cents") or 0 for s in journal),
        "created_at": _ts(created),
        "id": run_id,
        "input": {"contacts": rng.randint(1, 500), "dry_run": rng.random() < 0.5},
        "platform_fee_cents": rng.randint(0, 25),
        "run_at": _ts(started),
        "status": status,
        "tenant_id": _uuid(rng),
        "updated_at": _ts(clock),
        "steps": journal,
        "budget_usd_cents": _maybe(rng, rng.randint(100, 10_000)),
        "deadline_at": _maybe(rng, _ts(created + timedelta(hours=1))),
        "failure_category": rng.choice(("auth_failed", "budget_exceeded", "tool_error"))
        if status == "failed"
        else None,
        "failure_detail": "the tenant's key was revoked" if status == "failed" else None,
    }
    if status == "succeeded":
        body["output"] = {"merged": rng.randint(0, 40), "summary": f"{kind} finished"}
    elif rng.random() < 0.5:
        body["output"] = None
    return body


def _artifact(rng: random.Random, n: int) -> dict[str, Any]:
    artifact: dict[str, Any] = {"title": f"Finding {n}", "type": rng.choice(("report", "document", "check"))}
    if rng.random() < 0.7:
        artifact["confidence"] = rng.choice(("high", "medium", "low"))
        artifact["summary"] = f"Summary of finding {n}."
        artifact["sources"] = [
            {
                "url": f"https://registry.example.gov/filings/{rng.randint(1000, 9999)}",
                "source_name": "Secretary of State",
                "source_tier": rng.choice(("primary", "secondary")),
                "source_type": "government",
            }
        ]
    return artifact


def middesk_run(
    rng: random.Random, ids: tuple[str, ...], status: str, steps: int, include_steps: bool
) -> dict[str, Any]:
    (run_id,) = ids
    created = EPOCH + timedelta(seconds=rng.randint(0, 86_400 * 30))
    # A run that is still starting up has no start time yet.
    started = None if status == "running" and rng.random() < 0.3 else created + timedelta(seconds=rng.randint(0, 5))
    ended = started + timedelta(seconds=rng.randint(10, 900)) if started and status in ("completed", "error") else None
    body: dict[str, Any] = {
        "object": "run",
        "id": run_id,
        "created_at": _ts(created),
        "updated_at": _ts(ended or started or created),
        "status": status,
        "thread_id": _uuid(rng),
        "agent": "cip_orchestrator",
        "requester": _maybe(rng, {"id": f"acct_{rng.randint(100, 999)}", "name": "Example Co"}),
        "started_at": _ts(started) if started else None,
        "ended_at": _ts(ended) if ended else None,
        "output": {"artifacts": [_artifact(rng, n) for n in range(rng.randint(1, 3))]}
        if status == "completed"
        else None,
        "interrupts": [
            {
                "id": f"int_{rng.randint(1000, 9999)}",
                "value": {"question": "Approve the filing lookup?"},
                "agent": "cip",
            }
        ]
        if status == "interrupted"
        else [],
    }
    if body["requester"] is not None and rng.random() < 0.5:
        body["requester"]["email"] = "ops@example.com"
    if include_steps:
        clock = started or created
        body["steps"] = []
        for n in range(steps):
            duration = timedelta(seconds=rng.randint(1, 60))
            done = status != "running" or n < steps - 1
            step: dict[str, Any] = {
                "id": _uuid(rng),
                "run_id": run_id,
                "type": "activity",
                "name": rng.choice(("lookup_registration", "verify_address", "screen_watchlists")),
                "label": f"Step {n + 1}",
                "status": "completed" if done else "running",
                "started_at": _ts(clock),
                "completed_at": _ts(clock + duration) if done else None,
                "agent": "cip_orchestrator",
                "parent_step_id": None,
            }
            if done and rng.random() < 0.5:
                step["artifacts"] = [_artifact(rng, n)]
            body["steps"].append(step)
            clock += duration
    return body


def casedev_run(rng: random.Random, ids: tuple[str, ...], status: str, steps: int) -> dict[str, Any]:
    (run_id,) = ids
    created = EPOCH + timedelta(seconds=rng.randint(0, 86_400 * 30))
    started = created + timedelta(seconds=rng.randint(1, 20)) if status != "queued" else None
    model = rng.choice(MODELS)
    trace: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    clock = started or created
    kinds = ("thinking", "tool_call", "tool_result", "output")
    tool = TOOLS[0]
    for n in range(0 if started is None else steps):
        kind = kinds[n % 4] if n < steps - 1 or status == "running" else "output"
        duration = rng.randint(20, 4000)
        if kind == "tool_call":  # its tool_result, next, names the same tool
            tool = rng.choice(TOOLS)
        trace.append(
            {
                "id": f"step_{n}",
                "type": kind,
                "content": f"{kind} {n}" if kind in ("thinking", "output") else None,
                "toolName": tool if kind in ("tool_call", "tool_result") else None,
                "toolInput": {"query": f"q{n}"} if kind == "tool_call" else None,
                "toolOutput": {"hits": rng.randint(0, 9)} if kind == "tool_result" else None,
                "durationMs": duration,
                "timestamp": _ts(clock),
            }
        )
        if kind in ("thinking", "output"):
            prompt, completion = _tokens(rng)
            entries.append(
                {
                    "id": f"use_{n}",
                    "kind": "llm",
                    "costMicros": rng.randint(100, 90_000),
                    "promptTokens": prompt,
                    "completionTokens": completion,
                    "totalTokens": prompt + completion,
                    "model": model,
                    "timestamp": _ts(clock),
                    "metadata": None,
                    "service": None,
                    "endpoint": None,
                    "method": None,
                    "statusCode": None,
                }
            )
        elif kind == "tool_call":
            entries.append(
                {
                    "id": f"use_{n}",
                    "kind": "api",
                    "service": "vault",
                    "endpoint": "/search",
                    "method": "POST",
                    "statusCode": 200,
                    "costMicros": rng.randint(0, 5000),
                    "timestamp": _ts(clock),
                    "metadata": {"tool": tool},
                }
            )
        clock += timedelta(milliseconds=duration)
    done = status in ("completed", "failed", "cancelled")
    llm = [e for e in entries if e["kind"] == "llm"]
    body: dict[str, Any] = {
        "id": run_id,
        "agentId": f"agent_{rng.randint(100, 999)}",
        "status": status,
        "prompt": "Summarise the deposition transcripts.",
        "guidance": _maybe(rng, "Cite page numbers."),
        "model": _maybe(rng, model, 0.1),
        "workflowId": f"wf_{rng.randint(10_000, 99_999)}" if started else None,
        "modalSandboxId": _maybe(rng, f"sb-{rng.randint(10_000, 99_999)}") if started else None,
        "createdAt": _ts(created),
        "startedAt": _ts(started) if started else None,
        "completedAt": _ts(clock) if done else None,
        "steps": trace,
        "usage": {
            "model": model,
            "inputTokens": sum(e["promptTokens"] for e in llm),
            "outputTokens": sum(e["completionTokens"] for e in llm),
            "toolCalls": sum(1 for e in entries if e["kind"] == "api"),
            "durationMs": int(((clock - started).total_seconds() if started else 0) * 1000),
            "summary": {
                "costMicros": sum(e["costMicros"] for e in entries),
                "totalInputTokens": sum(e["promptTokens"] for e in llm),
                "totalOutputTokens": sum(e["completionTokens"] for e in llm),
                "totalTokens": sum(e["totalTokens"] for e in llm),
            },
            "entries": entries,
        },
    }
    if status == "completed":
        body["result"] = {
            "output": "Three transcripts summarised.",
            "outputObjectIds": [f"obj_{n}" for n in range(rng.randint(0, 3))],
            "finalResponse": {"summary": "Done.", "createdObjectIds": [], "issues": []},
            "logs": {"opencode": "ok", "runner": "ok"},
        }
    if rng.random() < 0.3:
        body["runtimeId"] = f"rt_{rng.randint(1000, 9999)}"  # a later field of the page: must still parse
    return body


def nsrocks_run(rng: random.Random, ids: tuple[str, ...], status: str, steps: int) -> dict[str, Any]:
    deployment_id, run_id = ids
    created = EPOCH + timedelta(seconds=rng.randint(0, 86_400 * 30))
    started = created + timedelta(seconds=rng.randint(1, 60)) if status not in ("queued",) else None
    terminal = status in TERMINAL["nsrocks"]
    completed = started + timedelta(seconds=rng.randint(5, 3600)) if started and terminal else None
    outputs = [{"path": f"out/{n}.json", "bytes": rng.randint(10, 10_000)} for n in range(steps)]
    body: dict[str, Any] = {
        "id": run_id,
        "deployment_id": deployment_id,
        "version_id": f"adver_{rng.randint(1000, 9999)}",
        "mode": rng.choice(("job", "service")),
        "status": status,
        "input": {"task": "index the repository", "depth": rng.randint(1, 5)},
        "created_at": _ts(created),
        "updated_at": _ts(completed or started or created),
        "retain_on_failure": _maybe(rng, rng.random() < 0.5, 0.5),
        "retention_seconds": _maybe(rng, rng.choice((1, 600, 3600)), 0.5),
        "sandbox_id": f"sbx_{rng.randint(1000, 9999)}" if started else None,
        "process_id": rng.randint(1, 4_294_967_295) if started else None,
        "exit_code": (0 if status == "succeeded" else rng.choice((1, 2, 137))) if terminal and started else None,
        "failure_reason": {
            "failed": "process exited with a non-zero code",
            "timed_out": "run exceeded its timeout",
        }.get(status),
        "started_at": _ts(started) if started else None,
        "completed_at": _ts(completed) if completed else None,
        "idempotency_key": _maybe(rng, f"idem-{rng.randint(1000, 9999)}", 0.5),
    }
    if status == "succeeded":
        body["output_manifest"] = {"outputs": outputs}
    return body


def make_run(
    provider: str,
    ids: tuple[str, ...],
    *,
    seed: int = 0,
    steps: int = 8,
    status: str | None = None,
    include_steps: bool = True,
) -> dict[str, Any]:
    """The run `ids` of `provider` as the provider's API would return it."""
    rng = rng_for(provider, ids, seed)
    drawn = rng.choice(STATUSES[provider])  # drawn even when `status` is given, so the rest is the same run
    status = status or drawn
    if provider == "backside":
        return backside_run(rng, ids, status, steps)
    if provider == "middesk":
        return middesk_run(rng, ids, status, steps, include_steps)
    if provider == "casedev":
        return casedev_run(rng, ids, status, steps)
    if provider == "nsrocks":
        return nsrocks_run(rng, ids, status, steps)
    raise ValueError(f"unknown provider {provider!r}")
