"""case.dev: `GET /agent/v1/run/{id}/details` — output, steps and usage of a run, in one call."""

from __future__ import annotations

from agentruns_casedev.api.runs import get_run_details
from agentruns_casedev.models import RunDetails

from .._plan import Plan, body, request, send


def plan_get_run(run_id: str) -> Plan[RunDetails]:
    """The full details of run `run_id`: output, steps and usage."""
    return (yield from send(request(get_run_details, body(RunDetails), id=run_id)))
