"""Backside: `GET /api/v1/agents/{kind}/runs/{id}` — a run and its journal steps, in one call."""

from __future__ import annotations

from typing import Final, Unpack
from uuid import UUID

from agentruns_backside.api.runs import get_agent_run
from agentruns_backside.models import BacksideRun

from .._client import AsyncProviderClient, SyncProviderClient, fetch_operation, response_operation
from .._plan import CallOverrides, Plan, body, request, send


def plan_get_run(kind: str, run_id: str | UUID, **options: Unpack[CallOverrides]) -> Plan[BacksideRun]:
    """The run `run_id` of agent kind `kind` (e.g. "contact_deduper"), with every journal step."""
    return (yield from send(request(get_agent_run, body(BacksideRun), kind=kind, id=run_id)))


class _Backside:
    provider = "backside"
    get_run: Final = fetch_operation(plan_get_run)
    get_run_response: Final = response_operation(plan_get_run)


class BacksideClient(_Backside, SyncProviderClient):
    """Fetch Backside agent runs. The key comes from `api_key` or BACKSIDE_API_KEY."""


class AsyncBacksideClient(_Backside, AsyncProviderClient):
    """Fetch Backside agent runs with asyncio. The key comes from `api_key` or BACKSIDE_API_KEY."""
