"""The fast checked decode (agentruns._wire): msgspec Structs built from each model's
`_wire_fields`, `from_dict` for whatever they refuse. It must give exactly what `from_dict` gives,
keep unknown fields, learn them so later bodies stay fast, and never change an error."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import orjson
import pytest
from hostile_servers import json_ok, serve
from hypothesis import given
from test_fuzz import valid_bodies

from agentruns import ResponseValidationError, _wire, registry
from agentruns._plan import body, list_body
from agentruns.testing.data import draft, sample_ids
from agentruns.testing.schemas import walker
from spec_tools import PROVIDERS

TOKEN = "sk_case_fast_decode"


class Counting:
    """A decoder whose slow path is counted: how many bodies went to from_dict."""

    def __init__(self, model: type, many: bool = False) -> None:
        checked = (list_body if many else body)(model).fallback
        self.slow = 0

        def fallback(content: bytes) -> Any:
            self.slow += 1
            return checked(content)

        self.decode = _wire.WireDecoder(model, fallback, many=many)
        self.checked = checked


def operations(provider: str) -> Iterator[tuple[str, type, bool]]:
    """(operation, model, is a list) for every body a provider's fetch decodes: each operation
    of its spec (Letta's run, steps and usage; OpenAI's response and input items)."""
    info = registry.get(provider)
    for operation_id, operation in info.operations.items():
        many = walker(info).response_schema(operation).get("type") == "array"
        yield operation_id, info.model_class(info.schema_name_of(operation)), many


CASES = [(p, op, model, many) for p in PROVIDERS for op, model, many in operations(p)]
IDS = [f"{p}.{op}" for p, op, _, _ in CASES]


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    _wire.forget()
    yield
    _wire.forget()


def as_data(value: Any) -> Any:
    return [as_data(item) for item in value] if isinstance(value, list) else attrs.asdict(value)


def emulator_body(provider: str, operation: str, seed: int = 0) -> bytes:
    run = draft(provider, sample_ids(provider, seed), seed=seed, steps=12)
    return orjson.dumps(run.bodies[operation])


@pytest.mark.parametrize(("provider", "operation", "model", "many"), CASES, ids=IDS)
def test_the_fast_path_gives_what_from_dict_gives(provider: str, operation: str, model: type, many: bool) -> None:
    decoder = Counting(model, many)
    for seed in range(5):
        content = emulator_body(provider, operation, seed)
        assert as_data(decoder.decode(content)) == as_data(decoder.checked(content))
    assert decoder.slow == 0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_schema_valid_bodies_decode_alike_on_both_paths(provider: str) -> None:
    model = registry.get(provider).run_model

    @given(data=valid_bodies(provider))
    def check(data: dict[str, Any]) -> None:
        content = orjson.dumps(data)
        decoder = Counting(model)
        assert as_data(decoder.decode(content)) == as_data(decoder.checked(content))

    check()


def with_unknown_fields(provider: str, operation: str, content: bytes, value: Any = 1) -> bytes:
    """The body with a key its spec does not declare added to every object that has declared
    fields (not to a map, whose every key is a value of the map's own type, nor to a free-form
    object), walking the body beside the operation's response schema."""
    info = registry.get(provider)
    data = orjson.loads(content)

    def fits(schema: Any, value_: Any) -> bool:
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        wanted = "object" if isinstance(value_, dict) else "array" if isinstance(value_, list) else None
        return wanted in kinds or (wanted == "object" and "properties" in schema)

    def sprinkle(value_: Any, schema: Any) -> None:
        schema = walker(info).resolve(schema) if isinstance(schema, dict) else {}
        members = [walker(info).resolve(m) for m in (*schema.get("anyOf", ()), *schema.get("oneOf", ()))]
        if members:
            schema = next((m for m in members if fits(m, value_)), {})
        if isinstance(value_, dict):
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            for key, item in list(value_.items()):
                sprinkle(item, properties.get(key, extra if isinstance(extra, dict) else {}))
            if properties and not isinstance(extra, dict) and extra is not False:
                value_["x-added-later"] = {"nested": [value, "two", None]}
        elif isinstance(value_, list):
            for item in value_:
                sprinkle(item, schema.get("items", {}))

    sprinkle(data, walker(info).response_schema(info.operations[operation]))
    if isinstance(data, dict):
        data["zz_new_top_level"] = 7
    return orjson.dumps(data)


@pytest.mark.parametrize(("provider", "operation", "model", "many"), CASES, ids=IDS)
def test_unknown_fields_are_kept_and_learned(provider: str, operation: str, model: type, many: bool) -> None:
    decoder = Counting(model, many)
    # The second body has the first one's parts, the new keys holding other values: it meets
    # only models the first taught (another run may hold other kinds of a union's members).
    first = with_unknown_fields(provider, operation, emulator_body(provider, operation, 0))
    second = with_unknown_fields(provider, operation, emulator_body(provider, operation, 0), value=2)
    expected = as_data(decoder.checked(first))
    assert as_data(decoder.decode(first)) == expected
    assert decoder.slow == 1  # the first body with new keys goes to from_dict...
    assert as_data(decoder.decode(second)) == as_data(decoder.checked(second))
    assert decoder.slow == 1  # ...and teaches the Structs: the next one is fast and complete
    assert "x-added-later" in str(expected) and any("x-added-later" in keys for _, keys in _wire.learned())


def test_learning_is_bounded_per_model_and_results_stay_complete() -> None:
    from agentruns_casedev.models import RunDetails

    decoder = Counting(RunDetails)
    base = orjson.loads(emulator_body("casedev", "getRunDetails"))
    for batch in range(3):
        data = dict(base, **{f"key_{batch}_{i}": i for i in range(40)})
        parsed = decoder.decode(orjson.dumps(data))
        assert parsed.additional_properties == {f"key_{batch}_{i}": i for i in range(40)}
    learned = dict(_wire.learned())
    assert len(learned["agentruns_casedev.models.run_details.RunDetails"]) == 40  # 80 would pass the cap
    assert decoder.slow == 3


@pytest.mark.parametrize("key", ['quote"d', "back\\slash", "bell\x07"])
def test_keys_msgspec_cannot_name_are_kept_on_the_slow_path(key: str) -> None:
    from agentruns_backside.models import BacksideRun

    decoder = Counting(BacksideRun)
    data = dict(orjson.loads(emulator_body("backside", "getAgentRun")), **{key: 1})
    for _ in range(2):
        assert decoder.decode(orjson.dumps(data)).additional_properties == {key: 1}
    assert decoder.slow == 2
    assert dict(_wire.learned()) == {}


@pytest.mark.parametrize(
    ("provider", "edit", "path"),
    [
        ("casedev", lambda d: d["steps"][3].update(timestamp="yesterday"), "steps[3].timestamp"),
        ("casedev", lambda d: d["steps"][2].update(durationMs="12"), "steps[2].durationMs"),
        ("casedev", lambda d: d["steps"].__setitem__(4, "text"), "steps[4]"),
        ("backside", lambda d: d.pop("tenant_id"), "tenant_id"),
        ("backside", lambda d: d.update(id="not-a-uuid"), "id"),
        ("middesk", lambda d: d.update(object="session"), "object"),
    ],
)
async def test_errors_are_from_dicts_own(provider: str, edit: Callable[[dict[str, Any]], Any], path: str) -> None:
    """Over HTTP, on both roads: the fast path refuses, and the error names the field."""
    info = registry.get(provider)
    data = orjson.loads(emulator_body(provider, info.run_operation.operation_id))
    edit(data)
    ids = sample_ids(provider, 0)
    with serve(json_ok(orjson.dumps(data))) as (url, _):
        with info.sync_client(api_key=TOKEN, base_url=url, max_retries=0) as client:
            with pytest.raises(ResponseValidationError) as caught:
                client.get_run(*ids)
        assert caught.value.path == path
        async with info.async_client(api_key=TOKEN, base_url=url, max_retries=0) as async_client:
            with pytest.raises(ResponseValidationError) as caught:
                await async_client.get_run(*ids)
        assert caught.value.path == path


def places(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON body (the first three items of each list)."""
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value[:3]) if isinstance(value, list) else ()
    for key, child in children:
        yield from places(child, (*path, key))


WRONG = ("text", 3, 1.5, True, None, [1], {})


@pytest.mark.parametrize(("provider", "operation", "model", "many"), CASES, ids=IDS)
def test_a_wrong_json_value_anywhere_is_a_decode_error_naming_its_place(
    provider: str, operation: str, model: type, many: bool
) -> None:
    # Every place of a coverage body (each union's members, absent and null fields) gets every
    # other kind of JSON value: the answer is the model or the generated DecodeError, whose path
    # is that place or lies inside what was put there (an item of a list, a field of an object):
    # never a bare exception from deep inside the generated code.
    parse = (list_body if many else body)(model)
    data = draft(provider, sample_ids(provider, 1), seed=1, steps=6, coverage=True).bodies[operation]
    refused: set[tuple[str | int, ...]] = set()
    every = list(places(data))[1:]
    for place in every:
        for wrong in WRONG:
            edited = orjson.loads(orjson.dumps(data))
            parent = edited
            for key in place[:-1]:
                parent = parent[key]
            parent[place[-1]] = wrong
            try:
                parse(orjson.dumps(edited))
            except Exception as error:
                assert type(error).__name__ == "DecodeError", (place, wrong, error)
                assert tuple(error.path)[: len(place)] == place, (place, wrong, error.path)
                refused.add(place)
    assert len(refused) > len(every) / 3, (len(refused), len(every))  # the rest take any JSON value


def unions_of(provider: str) -> list[Any]:
    """The union classes of a provider's generated models that the fast decoder gave builders."""
    package = registry.get(provider).package
    found = []
    for name, module in list(sys.modules.items()):
        if name.startswith(f"{package}.models."):
            found += [v for v in vars(module).values() if isinstance(v, type) and vars(v).get("fast")]
    return found


@pytest.mark.parametrize(("provider", "operation", "model", "many"), CASES, ids=IDS)
def test_union_members_built_through_their_struct_equal_from_dict(
    monkeypatch: pytest.MonkeyPatch, provider: str, operation: str, model: type, many: bool
) -> None:
    """Where a union's tag alone does not tell its members apart, its objects stay decoded and each
    member is built through its Struct (msgspec.convert) instead of its from_dict: the same models,
    on coverage bodies that hold every member."""
    parse = (list_body if many else body)(model)
    contents = [
        orjson.dumps(draft(provider, sample_ids(provider, n), seed=n, steps=6, coverage=True).bodies[operation])
        for n in range(4)
    ]
    built = [as_data(parse(content)) for content in contents]
    for union in unions_of(provider):  # where there are none, the providers' own tests say so
        monkeypatch.setattr(union, "fast", {})
    assert [as_data(parse(content)) for content in contents] == built


MOMENTS = [
    "2026-01-26T13:55:00Z",
    "2026-01-26T13:55:00.588000Z",
    "2026-01-26t13:55:00.5z",
    "2026-01-26 13:55:00+05:30",
    "2026-01-26T13:55:00.1234564Z",
    "2026-01-26T13:55:00.1234565-00:00",
    "2026-01-26T23:59:59.99999951+14:00",
    "2026-12-31T23:59:60Z",
    "2026-12-31T23:59:60.5+01:00",
    "9999-12-31T23:59:59.9999999Z",
    "2026-01-26T13:55:00",
    "3366-07-06 10:17:59.49687269z",
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_date_times_read_alike_on_both_paths(moment: str) -> None:
    """msgspec reads date-times on the fast path; from_dict rounds sub-microsecond fractions the
    same way, and whatever msgspec refuses (leap seconds) from_dict reads alone."""
    from agentruns_casedev.models import RunDetails

    data = orjson.loads(emulator_body("casedev", "getRunDetails"))
    data["createdAt"] = moment
    for step in data["steps"]:
        step["timestamp"] = moment
    content = orjson.dumps(data)
    decoder = Counting(RunDetails)
    fast, checked = decoder.decode(content), decoder.checked(content)
    assert as_data(fast) == as_data(checked)
    assert repr(fast.created_at) == repr(checked.created_at)  # the same offset too
    assert fast.steps[0].timestamp == fast.created_at
