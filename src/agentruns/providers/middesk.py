"""Middesk: `GET /v1/runs/{id}?include=steps` — a run with its execution steps, in one call.

Steps are opt-in at Middesk (`include=steps`); `get_run` asks for them by default so one call
returns the complete run. `include=()` gives the light fetch without steps."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from agentruns_middesk.api.runs import retrieve_agent_run
from agentruns_middesk.errors import DecodeError
from agentruns_middesk.models import AgentRun, RunInclude

from .._client import AsyncClient, SyncClient
from .._http import Provider, RequestPlan, RunResponse
from .._params import uuid_segment
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes
from ..errors import InvalidRequestError

PROVIDER = Provider(
    name="middesk",
    title="Middesk",
    env_prefix="MIDDESK",
    default_base_url="https://api.middesk.com",
    decode_error=DecodeError,
)
OPERATION = "retrieveAgentRun"
DEFAULT_INCLUDE = ("steps",)
INCLUDES = tuple(member.value for member in RunInclude)


def _includes(include: Iterable[str]) -> list[RunInclude]:
    if isinstance(include, str):  # "steps" would otherwise be read as five one-letter names
        include = [include]
    chosen: list[RunInclude] = []
    for name in include:
        if name not in INCLUDES:
            raise InvalidRequestError(
                f"unknown include {name!r}; known: {', '.join(INCLUDES)}",
                provider=PROVIDER.name,
                operation=OPERATION,
                field="include",
            )
        if RunInclude(name) not in chosen:
            chosen.append(RunInclude(name))
    return chosen


def plan_get_run(run_id: str | UUID, include: Iterable[str]) -> RequestPlan[AgentRun]:
    includes = _includes(include)
    request = retrieve_agent_run._get_kwargs(
        uuid_segment(run_id, provider=PROVIDER.name, operation=OPERATION, field="id"), include=includes
    )
    # The spec's `include` is a comma-separated list (style: form, explode: false); the generated
    # builder would repeat the parameter instead, so the layer joins it.
    params = {"include": ",".join(i.value for i in includes)} if includes else {}
    return RequestPlan(operation=OPERATION, path=request["url"], parse=AgentRun.from_dict, params=params)


class MiddeskClient(SyncClient):
    """Fetch Middesk agent runs. The key comes from `api_key` or MIDDESK_API_KEY."""

    provider = PROVIDER

    def get_run(
        self,
        run_id: str | UUID,
        *,
        include: Iterable[str] = DEFAULT_INCLUDE,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id`, with its steps unless `include=()`."""
        return self.get_run_response(run_id, include=include, timeout=timeout, max_retries=max_retries).parsed

    def get_run_response(
        self,
        run_id: str | UUID,
        *,
        include: Iterable[str] = DEFAULT_INCLUDE,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return self._send(plan_get_run(run_id, include), timeout, max_retries)


class AsyncMiddeskClient(AsyncClient):
    """Fetch Middesk agent runs with asyncio. The key comes from `api_key` or MIDDESK_API_KEY."""

    provider = PROVIDER

    async def get_run(
        self,
        run_id: str | UUID,
        *,
        include: Iterable[str] = DEFAULT_INCLUDE,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AgentRun:
        """The run `run_id`, with its steps unless `include=()`."""
        response = await self.get_run_response(run_id, include=include, timeout=timeout, max_retries=max_retries)
        return response.parsed

    async def get_run_response(
        self,
        run_id: str | UUID,
        *,
        include: Iterable[str] = DEFAULT_INCLUDE,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[AgentRun]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return await self._send(plan_get_run(run_id, include), timeout, max_retries)
