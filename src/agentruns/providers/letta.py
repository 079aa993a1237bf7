"""Letta: a run spread over three endpoints, fetched complete in one call.

`GET /v1/runs/{run_id}` (the run), `GET /v1/runs/{run_id}/steps` (a bare JSON array, read
oldest-first page after page with `after=<last step id>` until a page comes back short or
empty: ceil((steps + 1) / page_size) requests, as the seed counts them) and
`GET /v1/runs/{run_id}/usage` (its tokens). `get_run` returns all three as one `LettaRun`."""

from __future__ import annotations

from typing import Any

from agentruns_letta.api.runs import list_steps_for_run, retrieve_run, retrieve_usage_for_run
from agentruns_letta.models import Run, SortOrder, Step, UsageStatistics
from attrs import frozen

from .._plan import Plan, body, list_body, paginate, request, send

# Steps asked for per page: the spec's default limit.
STEPS_PAGE_SIZE = 100


@frozen
class LettaRun:
    """A Letta run, complete: the run, every one of its steps oldest first, and its usage."""

    run: Run
    steps: list[Step]
    usage: UsageStatistics

    @property
    def run_body(self) -> Any:
        """The run operation's body, where the normalized run reads its status and ids."""
        return self.run

    @property
    def _request_id(self) -> str | None:
        """The request id of the run's own response, the first of the call's."""
        return self.run._request_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run.to_dict(),
            "steps": [step.to_dict() for step in self.steps],
            "usage": self.usage.to_dict(),
        }


def plan_get_run(run_id: str, *, page_size: int = STEPS_PAGE_SIZE) -> Plan[LettaRun]:
    """The run `run_id` (run-...), with every step and its usage: 2 + ceil((steps + 1) / page_size) requests."""
    run = yield from send(request(retrieve_run, body(Run), run_id=run_id))
    # The steps page as specs/letta.yaml declares (x-agentruns: pages), oldest first.
    first = request(list_steps_for_run, list_body(Step), run_id=run_id, limit=page_size, order=SortOrder.ASC)
    steps = yield from paginate(first, page_size)
    usage = yield from send(request(retrieve_usage_for_run, body(UsageStatistics), run_id=run_id))
    return LettaRun(run, steps, usage)
