"""Middesk: `GET /v1/runs/{id}?include=steps` — a run with its execution steps, in one call.

Steps are opt-in at Middesk (`include=steps`); `get_run` asks for them by default so one call
returns the complete run. `include=()` gives the light fetch without steps."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from agentruns_middesk.api.runs import retrieve_agent_run
from agentruns_middesk.models import MiddeskRun

from .._plan import Plan, body, request, send

DEFAULT_INCLUDE = ("steps",)


def plan_get_run(run_id: str | UUID, *, include: Iterable[str] = DEFAULT_INCLUDE) -> Plan[MiddeskRun]:
    """The run `run_id`, with its steps unless `include=()`."""
    return (yield from send(request(retrieve_agent_run, body(MiddeskRun), id=run_id, include=include)))
