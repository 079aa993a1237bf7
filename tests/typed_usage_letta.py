"""How the Letta clients read to a type checker (`make typecheck` runs mypy --strict on it)."""

from __future__ import annotations

from agentruns_letta.models import Step

from agentruns import AsyncLettaClient, LettaClient, RunResponse
from agentruns.providers.letta import LettaRun


def letta_step_ids(url: str, token: str, run_id: str) -> list[str]:
    with LettaClient(api_key=token, base_url=url, max_retries=1) as client:
        run: LettaRun = client.get_run(run_id, page_size=50, timeout=5.0)
    steps: list[Step] = run.steps
    return [step.id for step in steps]


async def letta_request_count(url: str, token: str, run_id: str) -> int:
    async with AsyncLettaClient(api_key=token, base_url=url) as client:
        response: RunResponse[LettaRun] = await client.get_run_response(run_id, total_timeout=30.0)
    return len(response.responses)
