"""case.dev: `GET /agent/v1/run/{id}/details` — output, steps and usage of a run, in one call."""

from __future__ import annotations

from agentruns_casedev.api.runs import get_run_details
from agentruns_casedev.errors import DecodeError
from agentruns_casedev.models import RunDetails

from .._client import AsyncClient, SyncClient
from .._http import Provider, RequestPlan, RunResponse
from .._params import path_segment
from .._types import NOT_GIVEN, NotGiven, TimeoutTypes

PROVIDER = Provider(
    name="casedev",
    title="case.dev",
    env_prefix="CASEDEV",
    default_base_url="https://api.case.dev",
    decode_error=DecodeError,
    key_prefix="sk_case_",
)
OPERATION = "getRunDetails"


def plan_get_run(run_id: str) -> RequestPlan[RunDetails]:
    request = get_run_details._get_kwargs(path_segment(run_id, provider=PROVIDER.name, operation=OPERATION, field="id"))
    return RequestPlan(operation=OPERATION, path=request["url"], parse=RunDetails.from_dict)


class CasedevClient(SyncClient):
    """Fetch case.dev agent runs. The key (`sk_case_...`) comes from `api_key` or CASEDEV_API_KEY."""

    provider = PROVIDER

    def get_run(
        self,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunDetails:
        """The full details of run `run_id`: output, steps and usage."""
        return self.get_run_response(run_id, timeout=timeout, max_retries=max_retries).parsed

    def get_run_response(
        self,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[RunDetails]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return self._send(plan_get_run(run_id), timeout, max_retries)


class AsyncCasedevClient(AsyncClient):
    """Fetch case.dev agent runs with asyncio. The key comes from `api_key` or CASEDEV_API_KEY."""

    provider = PROVIDER

    async def get_run(
        self,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunDetails:
        """The full details of run `run_id`: output, steps and usage."""
        return (await self.get_run_response(run_id, timeout=timeout, max_retries=max_retries)).parsed

    async def get_run_response(
        self,
        run_id: str,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> RunResponse[RunDetails]:
        """Like `get_run`, with the raw response (status, headers, bytes, request id) beside the model."""
        return await self._send(plan_get_run(run_id), timeout, max_retries)
