"""ns.rocks: `GET /v1/agent-deployments/{deployment_id}/runs/{run_id}` — one run of a deployment."""

from __future__ import annotations

from agentruns_nsrocks.api.runs import get_agent_run
from agentruns_nsrocks.errors import DecodeError
from agentruns_nsrocks.models import AgentRun

from .._client import AsyncClient, SyncClient
from .._http import Provider, RequestPlan, RunResponse
from .._params import path_segment
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes

PROVIDER = Provider(
    name="nsrocks",
    title="ns.rocks",
    env_prefix="NSROCKS",
    default_base_url="https://api.13-215-85-171.sslip.io",
    decode_error=DecodeError,
)
OPERATION = "getAgentRun"


def plan_get_run(deployment_id: str, run_id: str) -> RequestPlan[AgentRun]:
    where = {"provider": PROVIDER.name, "operation": OPERATION}
    request = get_agent_run._get_kwargs(
        path_segment(deployment_id, field="deployment_id", **where), path_segment(run_id, field="run_id", **where)
    )
    return RequestPlan(operation=OPERATION, path=request["url"], parse=AgentRun.from_dict)


class NsrocksClient(SyncClient):
    """Fetch ns.rocks agent runs. The key comes from `api_key` or NSROCKS_API_KEY."""

    provider = PROVIDER

    def get_run(
        self,
        deployment_id: str,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id` (adrun_...) of deployment `deployment_id` (adpl_...)."""
        return self.get_run_response(deployment_id, run_id, timeout=timeout, max_retries=max_retries).parsed

    def get_run_response(
        self,
        deployment_id: str,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return self._send(plan_get_run(deployment_id, run_id), timeout, max_retries)


class AsyncNsrocksClient(AsyncClient):
    """Fetch ns.rocks agent runs with asyncio. The key comes from `api_key` or NSROCKS_API_KEY."""

    provider = PROVIDER

    async def get_run(
        self,
        deployment_id: str,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id` (adrun_...) of deployment `deployment_id` (adpl_...)."""
        response = await self.get_run_response(deployment_id, run_id, timeout=timeout, max_retries=max_retries)
        return response.parsed

    async def get_run_response(
        self,
        deployment_id: str,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return await self._send(plan_get_run(deployment_id, run_id), timeout, max_retries)
