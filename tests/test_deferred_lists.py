"""Long lists of models in a body decoded on the fast path are built on their first read
(DeferredLists in the generated types): what a caller sees must be what a complete model gives,
through every way of reading a model, from any number of threads at once. Against the emulator
over HTTP, for every provider whose run model defers a list."""

from __future__ import annotations

import copy
import importlib
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import attrs
import orjson
import pytest

import agentruns
from agentruns import registry
from agentruns.testing import Emulator
from agentruns.testing.data import make_run, sample_ids
from spec_tools import PROVIDERS, run_part, slot_is_empty


def defers(provider: str) -> bool:
    """The run model defers its lists, and the emulator's run has one long enough to defer (a
    run's steps: a list the spec names otherwise is drawn short)."""
    if not any(base.__name__ == "DeferredLists" for base in registry.get(provider).run_model.__mro__):
        return False
    body = make_run(provider, sample_ids(provider, 1), seed=9, steps=300)
    return any(isinstance(value, list) and len(value) >= 64 for value in _values(body))


def _values(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for value in node.values():
            yield value
            yield from _values(value)


DEFERRING = [provider for provider in PROVIDERS if defers(provider)]


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(seed=9, steps=300) as emulator:
        yield emulator


def fetched(emu: Emulator, provider: str) -> tuple[Any, Any]:
    """(the run as get_run gives it, the same body parsed by from_dict, complete)."""
    info = registry.get(provider)
    with info.sync_client(api_key=emu.token_for(provider), base_url=emu.url) as client:
        response = client.get_run_response(*sample_ids(provider, 1))
    complete = info.run_model.from_dict(orjson.loads(response.content))
    complete._request_id = response.request_id  # as get_run sets it on the body it parsed
    return run_part(provider, response.parsed), complete  # a composite's run operation part


def test_some_providers_defer_and_the_others_do_not_need_to() -> None:
    assert {"casedev", "backside", "middesk"} <= set(DEFERRING)


@pytest.mark.parametrize("provider", DEFERRING)
def test_a_long_list_waits_for_its_first_read_then_is_the_fields_own(emu: Emulator, provider: str) -> None:
    run, complete = fetched(emu, provider)
    pending = set(run._deferred)
    assert pending and all(slot_is_empty(run, name) for name in pending)
    for name in pending:
        value = getattr(run, name)
        assert value == getattr(complete, name) and len(value) >= 64
        assert getattr(run, name) is value and not slot_is_empty(run, name)
    assert run._deferred == {}  # the decoded items are let go once built
    assert run == complete


@pytest.mark.parametrize("provider", DEFERRING)
def test_attrs_copy_and_pickle_see_every_list(emu: Emulator, provider: str) -> None:
    run, complete = fetched(emu, provider)
    assert attrs.asdict(run) == attrs.asdict(complete)
    run, _ = fetched(emu, provider)
    assert pickle.loads(pickle.dumps(run)) == complete
    run, _ = fetched(emu, provider)
    assert copy.deepcopy(run) == complete and copy.copy(run) == complete
    run, _ = fetched(emu, provider)
    assert attrs.evolve(run) == complete
    run, _ = fetched(emu, provider)
    assert repr(run) == repr(complete)
    run, _ = fetched(emu, provider)
    assert run.to_dict() == complete.to_dict()


def test_a_typed_map_of_long_lists_waits_for_its_first_read_then_is_the_fields_own(emu: Emulator) -> None:
    # n8n's run data: node name -> that node's runs, a map deferred whole in the result (a body
    # holds one), so a fetch for the status builds none of its thousands of node runs.
    def result_of(run: Any) -> Any:
        return run.data.result_data

    run, complete = fetched(emu, "n8n")
    result = result_of(run)
    assert set(result._deferred) == {"run_data"} and slot_is_empty(result, "run_data")
    assert agentruns.registry.get("n8n").run_model is type(run) and not hasattr(type(run), "_deferred")
    value = result.run_data
    assert value == result_of(complete).run_data
    assert sum(len(tasks) for tasks in value.additional_properties.values()) >= 64
    assert result.run_data is value and not slot_is_empty(result, "run_data") and result._deferred == {}
    assert run == complete
    reads = [attrs.asdict, lambda r: pickle.loads(pickle.dumps(r)), copy.deepcopy, repr, lambda r: r.to_dict()]
    for read in reads:
        fresh, whole = fetched(emu, "n8n")
        assert slot_is_empty(result_of(fresh), "run_data")
        assert read(fresh) == read(whole)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_run_normalized_from_its_decoded_items_equals_it_normalized_from_its_models(
    emu: Emulator, provider: str
) -> None:
    # A mapping reads a deferred list's items as decoded where they read as their models
    # (normalizers._common.items): the AgentRun must be the one the built models give.
    info = registry.get(provider)
    served = []
    with info.sync_client(api_key=emu.token_for(provider), base_url=emu.url) as client:
        for n in range(4):
            model = client.get_run(*sample_ids(provider, n))
            from_items = agentruns.normalize(model)
            part = run_part(provider, model)
            # Still unbuilt, unless there was no step to defer.
            served.append(slot_is_empty(part, "steps") or not part.steps if hasattr(type(part), "steps") else None)
            attrs.asdict(model)  # reads every field: every deferred list is built now
            from_models = agentruns.normalize(model)
            assert from_items == from_models
            assert agentruns.to_json(from_items) == agentruns.to_json(from_models)
    if provider in {"casedev", "backside"}:  # their mappings read the steps so: none was built
        assert served == [True] * 4


def test_decoded_items_read_as_their_models_unknown_keys_and_all() -> None:
    from agentruns_casedev.models import RunDetails

    from agentruns._plan import body as decoder_of
    from agentruns._wire import read_as_models

    data = make_run("casedev", ("run_x",), seed=3, steps=5)
    data["steps"] = [{**step, "novel": [n], "weight": n / 2} for n, step in enumerate(data["steps"])]
    decode = decoder_of(RunDetails)
    decode(orjson.dumps(data))  # the first such body goes to from_dict; its keys are learned
    run = decode(orjson.dumps(data))
    views = read_as_models(run, "steps")
    assert views is not None and len(views) == len(data["steps"])
    seen = [(v.id, v.type_, v.timestamp, v.tool_input, v.additional_properties) for v in views]
    built = [(s.id, s.type_, s.timestamp, s.tool_input, s.additional_properties) for s in run.steps]
    assert seen == built and built[1][4] == {"novel": [1], "weight": 0.5}
    assert read_as_models(run, "steps") is None  # built now: the list is the field's own
    assert read_as_models(run, "stepz") is None and read_as_models(object(), "steps") is None


def test_threads_that_read_a_list_at_once_get_one_list(emu: Emulator) -> None:
    run, complete = fetched(emu, "casedev")
    start = threading.Barrier(8)
    seen: list[Any] = []

    def read() -> None:
        start.wait(timeout=10)
        seen.append(run.steps)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(seen) == 8 and all(steps is seen[0] for steps in seen)
    assert seen[0] == complete.steps


def test_a_name_the_model_lacks_is_still_an_attribute_error(emu: Emulator) -> None:
    run, _ = fetched(emu, "casedev")
    with pytest.raises(AttributeError, match="'RunDetails' object has no attribute 'stepz'") as caught:
        run.stepz  # noqa: B018
    assert caught.value.name == "stepz" and caught.value.obj is run
    assert slot_is_empty(run, "steps")  # a miss builds nothing
    assert not hasattr(run, "_deferred_typo")


def test_setting_defer_min_items_past_any_length_builds_every_list_at_once(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    types = importlib.import_module("agentruns_casedev.types")
    monkeypatch.setattr(types, "DEFER_MIN_ITEMS", sys.maxsize)
    run, complete = fetched(emu, "casedev")
    assert slot_is_empty(run, "_deferred") and not slot_is_empty(run, "steps")
    assert run == complete


def test_to_a_type_checker_a_deferring_model_has_its_fields_and_no_others(tmp_path: Any) -> None:
    """The __getattr__ that builds a list exists at run time only: a misspelt field stays a type error."""
    source = tmp_path / "typo.py"
    source.write_text(
        "from agentruns_casedev.models import RunDetails\n\n"
        "def count(run: RunDetails) -> int:\n"
        "    return len(run.steps) if run.steps else 0\n\n"
        "def typo(run: RunDetails) -> object:\n"
        "    return run.stepz\n"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(source)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 1
    assert (
        checked.stdout.count("error:") == 1
        and 'typo.py:7: error: "RunDetails" has no attribute "stepz"' in checked.stdout
    )
