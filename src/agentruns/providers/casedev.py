"""case.dev: `GET /agent/v1/run/{id}/details` — output, steps and usage of a run, in one call."""

from __future__ import annotations

from typing import Final, Unpack

from agentruns_casedev.api.runs import get_run_details
from agentruns_casedev.models import RunDetails

from .._client import AsyncProviderClient, SyncProviderClient, fetch_operation, response_operation
from .._plan import CallOverrides, Plan, body, request, send


def plan_get_run(run_id: str, **options: Unpack[CallOverrides]) -> Plan[RunDetails]:
    """The full details of run `run_id`: output, steps and usage."""
    return (yield from send(request(get_run_details, body(RunDetails), id=run_id)))


class _Casedev:
    provider = "casedev"
    get_run: Final = fetch_operation(plan_get_run)
    get_run_response: Final = response_operation(plan_get_run)


class CasedevClient(_Casedev, SyncProviderClient):
    """Fetch case.dev agent runs. The key (`sk_case_...`) comes from `api_key` or CASEDEV_API_KEY."""


class AsyncCasedevClient(_Casedev, AsyncProviderClient):
    """Fetch case.dev agent runs with asyncio. The key comes from `api_key` or CASEDEV_API_KEY."""
