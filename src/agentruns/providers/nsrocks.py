"""ns.rocks: `GET /v1/agent-deployments/{deployment_id}/runs/{run_id}` — one run of a deployment."""

from __future__ import annotations

from typing import Final, Unpack

from agentruns_nsrocks.api.runs import get_agent_run
from agentruns_nsrocks.models import NsrocksRun

from .._client import AsyncProviderClient, SyncProviderClient, fetch_operation, response_operation
from .._plan import CallOverrides, Plan, body, request, send


def plan_get_run(deployment_id: str, run_id: str, **options: Unpack[CallOverrides]) -> Plan[NsrocksRun]:
    """The run `run_id` (adrun_...) of deployment `deployment_id` (adpl_...)."""
    return (yield from send(request(get_agent_run, body(NsrocksRun), deployment_id=deployment_id, run_id=run_id)))


class _Nsrocks:
    provider = "nsrocks"
    get_run: Final = fetch_operation(plan_get_run)
    get_run_response: Final = response_operation(plan_get_run)


class NsrocksClient(_Nsrocks, SyncProviderClient):
    """Fetch ns.rocks agent runs. The key comes from `api_key` or NSROCKS_API_KEY."""


class AsyncNsrocksClient(_Nsrocks, AsyncProviderClient):
    """Fetch ns.rocks agent runs with asyncio. The key comes from `api_key` or NSROCKS_API_KEY."""
