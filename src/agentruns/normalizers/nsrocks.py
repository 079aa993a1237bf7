"""ns.rocks AgentRun → AgentRun. A deployment run has a process, not a step journal: no steps."""

from __future__ import annotations

from agentruns_model import AgentRun, Failure, RunStatus
from agentruns_nsrocks.models import NsrocksRun

from ._common import TERMINAL, map_status, opt, seconds_between

STATUS_TABLE: dict[str, RunStatus] = {
    "queued": RunStatus.QUEUED,
    "starting": RunStatus.STARTING,
    "installing": RunStatus.STARTING,  # still setting up the sandbox
    "running": RunStatus.RUNNING,
    "succeeded": RunStatus.SUCCEEDED,
    "failed": RunStatus.FAILED,
    "cancelled": RunStatus.CANCELLED,
    "timed_out": RunStatus.TIMED_OUT,
}


def normalize_run(run: NsrocksRun, ref: str | None = None) -> AgentRun:
    status, raw_status = map_status(run.status, STATUS_TABLE)
    started_at = opt(run.started_at)
    ended_at = opt(run.completed_at)
    reason = opt(run.failure_reason)
    exit_code = opt(run.exit_code)
    failed = status in (RunStatus.FAILED, RunStatus.TIMED_OUT)
    manifest = opt(run.output_manifest)
    return AgentRun(
        provider="nsrocks",
        id=run.id,
        ref=ref or f"nsrocks:{run.deployment_id}/{run.id}",
        agent_id=run.deployment_id,  # the run of an agent deployment (/v1/agent-deployments/{deployment_id}/runs)
        agent_name=None,
        conversation_id=None,
        model=None,
        status=status,
        raw_status=raw_status,
        is_terminal=status in TERMINAL,
        created_at=run.created_at,
        started_at=started_at,
        ended_at=ended_at,
        duration=seconds_between(started_at, ended_at),
        cost_usd_micros=None,
        input_tokens=None,
        output_tokens=None,
        cache_read_tokens=None,
        cache_write_tokens=None,
        reasoning_tokens=None,
        failure=Failure(category=str(status), message=reason, exit_code=exit_code) if failed or reason else None,
        output=manifest.to_dict() if manifest else None,
        steps=[],
        native=run,
        request_id=run._request_id,
    )
