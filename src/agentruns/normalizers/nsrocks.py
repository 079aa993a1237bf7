"""ns.rocks AgentRun → AgentRun. A deployment run has a process, not a step journal: no steps."""

from __future__ import annotations

from agentruns_model import AgentRun, Failure, RunStatus
from agentruns_nsrocks.models import NsrocksRun

from . import normalizes
from ._common import opt
from ._frame import Frame


@normalizes(NsrocksRun)
def normalize_run(run: NsrocksRun, frame: Frame) -> AgentRun:
    status = frame.status
    started_at = opt(run.started_at)
    ended_at = opt(run.completed_at)
    reason = opt(run.failure_reason)
    exit_code = opt(run.exit_code)
    failed = status in (RunStatus.FAILED, RunStatus.TIMED_OUT)
    manifest = opt(run.output_manifest)
    return frame.run(
        agent_id=run.deployment_id,  # the run of an agent deployment (/v1/agent-deployments/{deployment_id}/runs)
        created_at=run.created_at,
        started_at=started_at,
        ended_at=ended_at,
        failure=Failure(category=str(status), message=reason, exit_code=exit_code) if failed or reason else None,
        output=manifest.to_dict() if manifest else None,
        steps=[],
    )
