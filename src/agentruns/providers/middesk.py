"""Middesk: `GET /v1/runs/{id}?include=steps` — a run with its execution steps, in one call.

Steps are opt-in at Middesk (`include=steps`); `get_run` asks for them by default so one call
returns the complete run. `include=()` gives the light fetch without steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Unpack
from uuid import UUID

from agentruns_middesk.api.runs import retrieve_agent_run
from agentruns_middesk.models import MiddeskRun

from .._client import AsyncProviderClient, SyncProviderClient, fetch_operation, response_operation
from .._plan import CallOverrides, Plan, body, request, send

DEFAULT_INCLUDE = ("steps",)


def plan_get_run(
    run_id: str | UUID, *, include: Iterable[str] = DEFAULT_INCLUDE, **options: Unpack[CallOverrides]
) -> Plan[MiddeskRun]:
    """The run `run_id`, with its steps unless `include=()`."""
    return (yield from send(request(retrieve_agent_run, body(MiddeskRun), id=run_id, include=include)))


class _Middesk:
    provider = "middesk"
    get_run: Final = fetch_operation(plan_get_run)
    get_run_response: Final = response_operation(plan_get_run)


class MiddeskClient(_Middesk, SyncProviderClient):
    """Fetch Middesk agent runs. The key comes from `api_key` or MIDDESK_API_KEY."""


class AsyncMiddeskClient(_Middesk, AsyncProviderClient):
    """Fetch Middesk agent runs with asyncio. The key comes from `api_key` or MIDDESK_API_KEY."""
