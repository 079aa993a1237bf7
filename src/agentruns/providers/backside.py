"""Backside: `GET /api/v1/agents/{kind}/runs/{id}` — a run and its journal steps, in one call."""

from __future__ import annotations

from uuid import UUID

from agentruns_backside.api.runs import get_agent_run
from agentruns_backside.models import BacksideRun

from .._plan import Plan, body, request, send


def plan_get_run(kind: str, run_id: str | UUID) -> Plan[BacksideRun]:
    """The run `run_id` of agent kind `kind` (e.g. "contact_deduper"), with every journal step."""
    return (yield from send(request(get_agent_run, body(BacksideRun), kind=kind, id=run_id)))
