"""How the clients read to a type checker: `make typecheck` runs mypy --strict on this file, and
test_typed_usage.py runs it against the emulator."""

from __future__ import annotations

import datetime

from agentruns_backside.models import BacksideRun
from agentruns_casedev.models import RunDetails, RunStatus
from agentruns_middesk.models import MiddeskRun
from agentruns_middesk.types import Unset as MiddeskUnset
from agentruns_nsrocks.models import NsrocksRun
from agentruns_nsrocks.types import Unset as NsrocksUnset

from agentruns import (
    AsyncCasedevClient,
    BacksideClient,
    CasedevClient,
    MiddeskClient,
    NotFoundError,
    NsrocksClient,
    RunResponse,
)


def backside_cost_cents(url: str, token: str, kind: str, run_id: str) -> int:
    with BacksideClient(api_key=token, base_url=url) as client:
        run: BacksideRun = client.get_run(kind, run_id)
    return run.cost_usd_cents + sum(
        step.cost_usd_cents or 0 for step in run.steps if isinstance(step.cost_usd_cents, int)
    )


def middesk_step_names(url: str, token: str, run_id: str) -> list[str]:
    with MiddeskClient(api_key=token, base_url=url) as client:
        run: MiddeskRun = client.get_run(run_id)
    return [] if isinstance(run.steps, MiddeskUnset) else [step.name for step in run.steps]


def casedev_is_done(url: str, token: str, run_id: str) -> bool:
    with CasedevClient(api_key=token, base_url=url, timeout=5.0, max_retries=1) as client:
        response: RunResponse[RunDetails] = client.get_run_response(run_id, timeout=2.0)
    return response.parsed.status in (RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED)


async def casedev_statuses(url: str, token: str, run_ids: list[str]) -> list[str]:
    async with AsyncCasedevClient(api_key=token, base_url=url) as client:
        return [str((await client.get_run(run_id)).status) for run_id in run_ids]


def nsrocks_started(url: str, token: str, deployment_id: str, run_id: str) -> datetime.datetime | None:
    with NsrocksClient(api_key=token, base_url=url) as client:
        try:
            run: NsrocksRun = client.get_run(deployment_id, run_id)
        except NotFoundError as error:
            assert error.status_code == 404
            return None
    return None if isinstance(run.started_at, NsrocksUnset) else run.started_at
