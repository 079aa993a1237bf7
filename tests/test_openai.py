"""OpenAI Responses: the reference's own examples parse; a response and every page of its input
items come in one call on both roads; the mapping (statuses, tokens, tool calls paired with
their outputs, a kind the spec does not list yet); keys, includes and errors as OpenAI has them."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from agentruns_openai.errors import DecodeError
from agentruns_openai.models import OutputMessage, Response, ResponseItemList
from agentruns_openai.types import UnknownMember
from test_fast_decode import Counting, emulator_body, unions_of

import agentruns
from agentruns import (
    AsyncOpenaiClient,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    OpenaiClient,
    RunStatus,
    StepKind,
    _wire,
)
from agentruns._plan import body
from agentruns.testing import Emulator
from agentruns.testing.data import draft, respond, sample_ids
from spec_tools import load_spec

STEPS = 250  # 125 input items: two pages of 100
SEED = 9


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=SEED, steps=STEPS) as emulator:
        yield emulator


def client(emu: Emulator, **options: Any) -> OpenaiClient:
    return OpenaiClient(api_key=emu.token_for("openai"), base_url=f"{emu.url}/openai", **options)


def reference_examples() -> dict[str, tuple[type[Any], Any]]:
    """Every example body the spec carries from OpenAI's API reference, with its model."""
    found = {}
    for path, item in load_spec("openai")["paths"].items():
        content = item["get"]["responses"]["200"]["content"]["application/json"]
        model = Response if path == "/responses/{response_id}" else ResponseItemList
        for name, example in content["examples"].items():
            found[name] = (model, example["value"])
    return found


@pytest.mark.parametrize("name", sorted(reference_examples()))
def test_every_example_of_the_reference_parses_and_gives_back_the_same_json(name: str) -> None:
    model, body = reference_examples()[name]
    parsed = model.from_dict(copy.deepcopy(body))
    assert parsed.to_dict() == body
    assert agentruns.registry.get("openai").decode_error  # the package's own error type exists
    if model is Response:
        assert all(not isinstance(item, UnknownMember) for item in parsed.output)  # every kind is known


def test_the_reference_examples_cover_both_operations_and_create() -> None:
    names = set(reference_examples())
    assert {"get-response", "list-input-items", "functions", "reasoning", "web-search"} <= names
    assert len(names) == 12


def expected_items(response_id: str) -> list[dict[str, Any]]:
    run = draft("openai", (response_id,), seed=SEED, steps=STEPS)
    page: list[dict[str, Any]] = respond(run, "listInputItems", None)["data"]
    return page


def test_get_run_is_the_response_and_every_input_item_in_one_call(emu: Emulator) -> None:
    (response_id,) = sample_ids("openai", 3)
    emu.clear_requests()
    with client(emu) as openai:
        run = openai.get_run(response_id)
    assert run.response.id == response_id
    assert [item.to_dict() for item in run.input_items] == expected_items(response_id)
    # one request for the response, then ceil(items / 100) pages, oldest first, after the last id
    pages = [r.raw_path for r in emu.requests if "/input_items" in r.raw_path]
    assert len(emu.requests) == 1 + len(pages) == 1 + math.ceil(len(run.input_items) / 100) == 3
    assert "order=asc" in pages[0] and "limit=100" in pages[0] and "after=" not in pages[0]
    assert f"after={run.input_items[99].id}" in pages[1]


async def test_the_async_road_reads_the_same_run(emu: Emulator) -> None:
    (response_id,) = sample_ids("openai", 4)
    async with AsyncOpenaiClient(api_key=emu.token_for("openai"), base_url=f"{emu.url}/openai") as openai:
        remote = await openai.get_run(response_id, page_size=7)
    with client(emu) as openai:
        assert openai.get_run(response_id) == remote  # the page size changes the requests, not the run


def test_include_goes_to_both_operations_and_an_unknown_value_is_refused(emu: Emulator) -> None:
    (response_id,) = sample_ids("openai", 5)
    emu.clear_requests()
    with client(emu) as openai:
        openai.get_run(response_id, include=["message.output_text.logprobs", "reasoning.encrypted_content"])
        with pytest.raises(InvalidRequestError) as caught:
            openai.get_run(response_id, include=["message.everything"])
    wanted = "include=message.output_text.logprobs&include=reasoning.encrypted_content"
    assert all(wanted in request.raw_path for request in emu.requests)
    assert caught.value.field == "include" and "known: file_search_call.results" in str(caught.value)


def test_keys_start_with_sk_and_openais_error_shape_reaches_the_error(emu: Emulator) -> None:
    (response_id,) = sample_ids("openai", 6)
    with pytest.raises(ConfigurationError, match="OpenAI API keys start with 'sk-'") as refused:
        OpenaiClient(api_key="sk_case_emulator", base_url="https://api.openai.com/v1")  # OpenAI's own: refused
    assert "pass its base_url (or set OPENAI_BASE_URL)" in str(refused.value)  # and the way round said
    with OpenaiClient(api_key="sk-wrong", base_url=f"{emu.url}/openai") as openai:
        with pytest.raises(AuthenticationError) as caught:
            openai.get_run(response_id)
    assert "missing or invalid bearer token" in str(caught.value)  # the message inside OpenAI's error object
    body = orjson.loads(caught.value.body)
    assert body == {  # as OpenAI answers a wrong key
        "error": {
            "message": "missing or invalid bearer token",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    other = httpx.get(f"{emu.url}/openai/responses/{response_id}", headers={"Authorization": "Bearer emulator"})
    assert other.status_code == 401 and other.json()["error"]["message"] == "OpenAI API keys start with sk-"


@pytest.mark.parametrize(
    ("status", "normalized"),
    [
        ("queued", RunStatus.QUEUED),
        ("in_progress", RunStatus.RUNNING),
        ("completed", RunStatus.SUCCEEDED),
        ("failed", RunStatus.FAILED),
        ("cancelled", RunStatus.CANCELLED),
        ("incomplete", RunStatus.FAILED),
    ],
)
def test_statuses_usage_and_failure_map_onto_the_common_view(emu: Emulator, status: str, normalized: RunStatus) -> None:
    ref = f"openai:{sample_ids('openai', 7)[0]}"
    emu.set_run(ref, status=status)
    run = agentruns.fetch(ref, api_key=emu.token_for("openai"), base_url=emu.url)
    body = run.native.response.to_dict()  # type: ignore[union-attr]
    assert (run.status, run.raw_status) == (normalized, status)
    assert run.is_terminal is (status not in ("queued", "in_progress"))
    usage = body["usage"]
    if usage is None:  # still going: no usage yet
        assert run.input_tokens is None and status in ("queued", "in_progress")
    else:
        assert (run.input_tokens, run.output_tokens) == (usage["input_tokens"], usage["output_tokens"])
        assert run.cache_read_tokens == usage["input_tokens_details"]["cached_tokens"] <= run.input_tokens
        assert run.reasoning_tokens == usage["output_tokens_details"]["reasoning_tokens"] <= run.output_tokens
    if status == "incomplete":
        assert run.failure is not None and run.failure.category == body["incomplete_details"]["reason"]
    elif status == "failed":
        assert run.failure is not None and run.failure.message == body["error"]["message"]
    else:
        assert run.failure is None
    assert (run.ended_at is None) is (status in ("queued", "in_progress"))


def test_tool_calls_carry_the_output_that_answers_them(emu: Emulator) -> None:
    ref = f"openai:{sample_ids('openai', 8)[0]}"
    emu.set_run(ref, status="completed")
    run = agentruns.fetch(ref, api_key=emu.token_for("openai"), base_url=emu.url)
    output = run.native.response.output  # type: ignore[union-attr]
    answers = {item.call_id: item for item in output if item.type_ == "function_call_output"}
    calls = [step for step in run.steps if step.raw_kind == "function_call"]
    assert calls and all(step.kind is StepKind.TOOL for step in calls)
    for step in calls:
        answer = answers[step.tool_call_id]
        assert step.output == orjson.loads(answer.output)  # the JSON it returned, read as JSON
        assert isinstance(step.input, dict)  # the arguments, likewise
    assert not [step for step in run.steps if step.raw_kind == "function_call_output"]  # no step of their own
    assert [step.kind for step in run.steps][-1] is StepKind.OUTPUT
    last = output[-1]
    assert isinstance(last, OutputMessage) and run.output == last.content[0].text == run.steps[-1].output
    assert len(run.steps) == len(output) - len(answers)


def test_a_kind_of_item_the_spec_does_not_list_is_kept_and_mapped(emu: Emulator) -> None:
    ref = f"openai:{sample_ids('openai', 9)[0]}"
    body = copy.deepcopy(reference_examples()["functions"][1])
    body["id"] = ref.partition(":")[2]
    body["output"].insert(0, {"type": "hologram", "id": "hg_1", "frames": [1, 2, 3]})
    emu.set_run(ref, body=body)
    run = agentruns.fetch(ref, api_key=emu.token_for("openai"), base_url=emu.url)
    unknown = run.native.response.output[0]  # type: ignore[union-attr]
    assert isinstance(unknown, UnknownMember) and unknown.kind == "hologram"
    assert run.native.response.to_dict() == body  # type: ignore[union-attr]
    first = run.steps[0]
    assert (first.kind, first.raw_kind, first.id, first.output) == (
        StepKind.OTHER,
        "hologram",
        "hg_1",
        body["output"][0],
    )
    assert (run.steps[1].name, run.steps[1].input) == (
        "get_current_weather",
        {"location": "Boston, MA", "unit": "celsius"},
    )


def test_each_step_reads_its_item_as_the_items_json_says() -> None:
    # The mapping reads an item's fields off the model; what it reads must be what the item's JSON
    # says, declared fields and unknown keys alike (here an `error` no reasoning item declares).
    kinds: set[str] = set()
    with Emulator(seed=SEED, steps=80, coverage=True) as emu:
        for n in range(12):
            ref = f"openai:{sample_ids('openai', n)[0]}"
            run = agentruns.fetch(ref, api_key=emu.token_for("openai"), base_url=emu.url)
            response = run.native.response  # type: ignore[union-attr]
            by_id = {data.get("id"): data for data in (item.to_dict() for item in response.output)}
            for step in run.steps:
                data = by_id.get(step.id) if step.id is not None else None
                if data is None:
                    continue
                kinds.add(step.raw_kind)
                assert (step.raw_kind, step.status) == (data["type"], data.get("status"))
                assert step.tool_call_id == data.get("call_id")
                if step.raw_kind in ("reasoning", "message"):
                    parts = data.get("summary" if step.raw_kind == "reasoning" else "content") or []
                    texts = [p.get("text") or p.get("refusal") for p in parts if isinstance(p, dict)]
                    assert step.output == ("\n\n".join(t for t in texts if isinstance(t, str)) or None)
            for item in response.output:
                data = item.to_dict()
                if data["type"] == "reasoning" and data.get("status") not in ("failed", "incomplete"):
                    item.additional_properties["error"] = {"message": "summary cut short"}
                    (step,) = [s for s in agentruns.normalize(run.native).steps if s.id == data["id"]]  # type: ignore[arg-type]
                    assert step.error == "summary cut short"
                    kinds.add("unknown key")
                    break
    assert {"reasoning", "message", "function_call", "unknown key"} <= kinds


@pytest.mark.parametrize("item", ["text", 3, None, [1]])
def test_a_union_item_of_another_json_type_is_refused_with_its_path(item: Any) -> None:
    # The items of an input list are told apart by more than their tag, so msgspec reads them as
    # any JSON value: the union's own code is what refuses a string where an object must be.
    decoder = Counting(ResponseItemList)
    data = orjson.loads(emulator_body("openai", "listInputItems"))
    data["data"].insert(1, item)
    with pytest.raises(DecodeError) as caught:
        decoder.decode(orjson.dumps(data))
    assert (caught.value.path_str, decoder.slow) == ("data[1]", 1)
    assert "expected object" in str(caught.value)


def test_input_items_are_a_union_whose_members_build_through_their_structs() -> None:
    """OpenAI's input items are a union the `type` tag alone does not tell apart (messages differ
    by `role`), so the fast decoder gives it builders: the generic test of those builders
    (test_fast_decode) is not idle here."""
    _wire.forget()
    content = orjson.dumps(
        draft("openai", sample_ids("openai", 0), seed=3, steps=6, coverage=True).bodies["listInputItems"]
    )
    page = body(ResponseItemList)(content)
    assert page.data and unions_of("openai"), "the input items' union got no builders"


def test_a_key_of_another_form_goes_to_an_openai_compatible_server_with_one_warning(emu: Emulator) -> None:
    """A server that speaks OpenAI's API is not OpenAI: its keys have forms of their own. The
    prefix is advice there: one warning per server, and the key is sent as given (the official
    SDK checks no prefix at all)."""
    import warnings

    from agentruns._client import KeyPrefixWarning

    (response_id,) = sample_ids("openai", 7)
    url = f"{emu.url}/openai/"
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        first = OpenaiClient(api_key="gsk_other_vendor", base_url=url, max_retries=0)
        second = OpenaiClient(api_key="gsk_other_vendor", base_url=url, max_retries=0)
    prefix_warnings = [w for w in seen if issubclass(w.category, KeyPrefixWarning)]
    assert len(prefix_warnings) == 1 and "sending it to" in str(prefix_warnings[0].message)
    assert prefix_warnings[0].filename == __file__  # pointed at the line that made the client
    emu.clear_requests()
    with first, second, pytest.raises(AuthenticationError):
        first.get_run(response_id)  # sent: the emulator, playing OpenAI, refuses the key itself
    assert len(emu.requests) == 1


def test_fetch_asks_for_the_response_alone_and_get_run_for_every_input_item() -> None:
    """The normalized run reads none of a response's input items, so fetch() asks for the
    response alone (x-agentruns: view_arguments), one request where get_run pages through them."""
    from agentruns.testing.data import sample_ids

    (response_id,) = sample_ids("openai", 11)
    with Emulator(steps=450) as emu:
        key = emu.token_for("openai")
        with agentruns.OpenaiClient(api_key=key, base_url=emu.url) as client:
            complete = client.get_run(response_id)
        paged = len(emu.requests)
        emu.app.clear_requests()
        run = agentruns.fetch(f"openai:{response_id}", api_key=key, base_url=emu.url)
        alone = len(emu.requests)
    assert complete.input_items is not None and len(complete.input_items) > 200  # three pages or more
    assert (paged, alone) == (1 + -(-len(complete.input_items) // 100), 1)
    assert run.native.input_items is None and run.steps == agentruns.normalize(complete).steps  # type: ignore[union-attr]
