"""Differential: the same bytes read by OpenAI's official SDK (`openai.OpenAI(base_url=...)`,
`responses.retrieve` and every page of `responses.input_items.list`) and by agentruns give the
same fields, on the emulator's runs (realistic ones in every status, and the coverage draw, which
holds every kind of item and tool) and on the API reference's own examples."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import openai
import orjson
import pytest

import agentruns
from agentruns import OpenaiClient
from agentruns.providers.openai import OpenaiRun
from agentruns.testing import Emulator
from agentruns.testing.data import sample_ids
from spec_tools import load_spec

STATUSES = ("queued", "in_progress", "completed", "failed", "cancelled", "incomplete")


@pytest.fixture(scope="module")
def realistic_emu() -> Iterator[Emulator]:
    with Emulator(seed=21, steps=60) as emulator:  # 60 steps: 30 input items, 2 SDK pages
        yield emulator


@pytest.fixture(scope="module")
def coverage_emu() -> Iterator[Emulator]:
    with Emulator(seed=21, steps=60, coverage=True) as emulator:
        yield emulator


@pytest.fixture(params=["realistic", "coverage"])
def emu(request: pytest.FixtureRequest) -> Emulator:
    emulator: Emulator = request.getfixturevalue(f"{request.param}_emu")
    return emulator


def both(emu: Emulator, response_id: str) -> tuple[Any, list[Any], OpenaiRun]:
    """The response and its input items as the SDK reads them, and as agentruns does."""
    sdk = openai.OpenAI(api_key=emu.token_for("openai"), base_url=f"{emu.url}/openai", max_retries=0)
    response = sdk.responses.retrieve(response_id)
    items = list(sdk.responses.input_items.list(response_id, order="asc"))  # the SDK follows every page
    with OpenaiClient(api_key=emu.token_for("openai"), base_url=f"{emu.url}/openai") as ours:
        run = ours.get_run(response_id)
    return response, items, run


def assert_same(response: Any, items: list[Any], run: OpenaiRun) -> None:
    # Field for field: what the SDK kept of the JSON is what agentruns keeps (and writes back).
    # (warnings=False: an item the SDK cannot type it keeps as a dict, and pydantic says so.)
    assert response.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False) == run.response.to_dict()
    assert [item.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False) for item in items] == [
        item.to_dict() for item in run.input_items
    ]
    # The fields a reader looks at first, read through each library's own types.
    ours = run.response
    assert (response.id, response.status, response.created_at) == (
        ours.id,
        ours.to_dict().get("status"),
        ours.created_at,
    )
    assert [getattr(item, "type", None) for item in response.output] == [item.to_dict()["type"] for item in ours.output]
    assert [getattr(item, "id", None) for item in items] == [item.to_dict().get("id") for item in run.input_items]
    normalized = agentruns.normalize(run)
    if response.usage is not None:
        assert (response.usage.input_tokens, response.usage.output_tokens) == (
            normalized.input_tokens,
            normalized.output_tokens,
        )
        assert response.usage.output_tokens_details.reasoning_tokens == normalized.reasoning_tokens
    # The SDK's output_text joins the text of every output_text part; agentruns' output is the
    # body's own output_text, or those parts a paragraph apart.
    parts = [
        part["text"]
        for item in ours.to_dict()["output"]
        if item.get("type") == "message"
        for part in item.get("content", ())
        if part.get("type") == "output_text"
    ]
    assert response.output_text == "".join(parts)
    own = ours.to_dict().get("output_text")
    assert normalized.output == (own if own is not None else "\n\n".join(parts) or None)


@pytest.mark.parametrize("status", STATUSES)
def test_emulator_runs_read_alike_in_every_status(emu: Emulator, status: str) -> None:
    (response_id,) = sample_ids("openai", STATUSES.index(status) + 40)
    emu.set_run(f"openai:{response_id}", status=status)
    response, items, run = both(emu, response_id)
    assert str(response.status) == status
    assert len(items) == len(run.input_items)
    if not emu.config.coverage:  # a coverage draw may leave a list empty; a realistic run has input
        assert items
    assert_same(response, items, run)


def test_coverage_runs_read_alike(coverage_emu: Emulator) -> None:
    kinds: set[str] = set()
    for n in range(24):
        (response_id,) = sample_ids("openai", n)
        response, items, run = both(coverage_emu, response_id)
        assert_same(response, items, run)
        kinds |= {item.to_dict()["type"] for item in run.response.output}
    assert len(kinds) >= 20  # most of the 28 kinds of output item were read alike


def reference(path: str) -> dict[str, Any]:
    content = load_spec("openai")["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return {name: example["value"] for name, example in content["examples"].items()}


@pytest.mark.parametrize("name", sorted(reference("/responses/{response_id}")))
def test_the_reference_examples_read_alike(name: str) -> None:
    body = copy.deepcopy(reference("/responses/{response_id}")[name])
    (items,) = reference("/responses/{response_id}/input_items").values()
    with Emulator() as emu:
        emu.set_run(f"openai:{body['id']}", body=body, bodies={"listInputItems": items})
        response, sdk_items, run = both(emu, body["id"])
    assert run.response.to_dict() == body  # nothing lost on the way
    assert [item.to_dict() for item in run.input_items] == items["data"]
    assert_same(response, sdk_items, run)


@pytest.mark.parametrize(
    ("status", "sdk_error", "ours", "kind", "code"),
    [
        (401, openai.AuthenticationError, agentruns.AuthenticationError, "invalid_request_error", "invalid_api_key"),
        (404, openai.NotFoundError, agentruns.NotFoundError, "invalid_request_error", None),
        (429, openai.RateLimitError, agentruns.RateLimitError, "requests", "rate_limit_exceeded"),
        (500, openai.InternalServerError, agentruns.ServerError, "server_error", None),
    ],
)
def test_errors_read_alike(status: int, sdk_error: type, ours: type, kind: str, code: str | None) -> None:
    """An error answers both libraries with OpenAI's error object: the SDK's exception of the
    status, with the object's type and code, and ours with the same body."""
    (response_id,) = sample_ids("openai", 70)
    with Emulator() as emu:
        key = "sk-not-this-one" if status == 401 else emu.token_for("openai")
        if status != 401:
            emu.set_run(f"openai:{response_id}", error=status)
        sdk = openai.OpenAI(api_key=key, base_url=f"{emu.url}/openai", max_retries=0)
        with pytest.raises(sdk_error) as theirs:
            sdk.responses.retrieve(response_id)
        with OpenaiClient(api_key=key, base_url=f"{emu.url}/openai", max_retries=0) as client:
            with pytest.raises(ours) as caught:
                client.get_run(response_id)
    assert (theirs.value.status_code, theirs.value.type, theirs.value.code) == (status, kind, code)
    assert caught.value.status_code == status
    assert orjson.loads(caught.value.body)["error"] == theirs.value.body
    # The provider's own type, code and param, read off the body as the SDK reads them.
    assert (caught.value.type, caught.value.code, caught.value.param) == (
        theirs.value.type,
        theirs.value.code,
        theirs.value.param,
    )
    assert isinstance(caught.value, agentruns.APIError)
