"""Backside: `GET /api/v1/agents/{kind}/runs/{id}` — a run and its journal steps, in one call."""

from __future__ import annotations

from uuid import UUID

from agentruns_backside.api.runs import get_agent_run
from agentruns_backside.errors import DecodeError
from agentruns_backside.models import AgentRun

from .._client import AsyncClient, SyncClient
from .._http import Provider, RequestPlan, RunResponse
from .._params import path_segment, uuid_segment
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes

PROVIDER = Provider(
    name="backside",
    title="Backside",
    env_prefix="BACKSIDE",
    default_base_url="https://api.backside.app",
    decode_error=DecodeError,
)
OPERATION = "getAgentRun"


def plan_get_run(kind: str, run_id: str | UUID) -> RequestPlan[AgentRun]:
    where = {"provider": PROVIDER.name, "operation": OPERATION}
    request = get_agent_run._get_kwargs(
        path_segment(kind, field="kind", **where), uuid_segment(run_id, field="id", **where)
    )
    return RequestPlan(operation=OPERATION, path=request["url"], parse=AgentRun.from_dict)


class BacksideClient(SyncClient):
    """Fetch Backside agent runs. The key comes from `api_key` or BACKSIDE_API_KEY."""

    provider = PROVIDER

    def get_run(
        self,
        kind: str,
        run_id: str | UUID,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id` of agent kind `kind` (e.g. "contact_deduper"), with every journal step."""
        return self.get_run_response(kind, run_id, timeout=timeout, max_retries=max_retries).parsed

    def get_run_response(
        self,
        kind: str,
        run_id: str | UUID,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return self._send(plan_get_run(kind, run_id), timeout, max_retries)


class AsyncBacksideClient(AsyncClient):
    """Fetch Backside agent runs with asyncio. The key comes from `api_key` or BACKSIDE_API_KEY."""

    provider = PROVIDER

    async def get_run(
        self,
        kind: str,
        run_id: str | UUID,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id` of agent kind `kind` (e.g. "contact_deduper"), with every journal step."""
        return (await self.get_run_response(kind, run_id, timeout=timeout, max_retries=max_retries)).parsed

    async def get_run_response(
        self,
        kind: str,
        run_id: str | UUID,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return await self._send(plan_get_run(kind, run_id), timeout, max_retries)
