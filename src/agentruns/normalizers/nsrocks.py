"""ns.rocks AgentRun → AgentRun. A deployment run has a process, not a step journal: no steps."""

from __future__ import annotations

from typing import TypeVar

from agentruns_model import AgentRun, Failure, Provider, RunStatus
from agentruns_nsrocks.models import AgentRun as NsrocksRun
from agentruns_nsrocks.types import Unset

from ._common import TERMINAL, map_status, seconds_between

T = TypeVar("T")


def _opt(value: T | Unset) -> T | None:
    """None for a field the provider left out."""
    return None if isinstance(value, Unset) else value


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


def normalize_nsrocks(run: NsrocksRun, ref: str | None = None) -> AgentRun:
    status, raw_status = map_status(run.status, STATUS_TABLE)
    started_at = _opt(run.started_at)
    ended_at = _opt(run.completed_at)
    reason = _opt(run.failure_reason)
    exit_code = _opt(run.exit_code)
    failed = status in (RunStatus.FAILED, RunStatus.TIMED_OUT)
    manifest = _opt(run.output_manifest)
    return AgentRun(
        provider=Provider.NSROCKS,
        id=run.id,
        ref=ref or f"nsrocks:{run.deployment_id}/{run.id}",
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
        failure=Failure(category=str(status), message=reason, exit_code=exit_code) if failed or reason else None,
        output=manifest.to_dict() if manifest else None,
        steps=[],
        native=run,
    )
