"""The generated models parse every documented shape of each provider's run, and reject the rest."""

from __future__ import annotations

import copy
import datetime
import importlib
import pickle
from typing import Any

import pytest

from agentruns import _pointer, registry
from agentruns.testing.schemas import walker
from spec_tools import PROVIDERS, RUN_SCHEMAS, example, is_nullable, object_schemas, resolve, run_model, schema

UNSET_TYPE_NAME = "Unset"


def errors_module(provider: str) -> Any:
    return importlib.import_module(f"agentruns_{provider}.errors")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_seed_example_parses_with_expected_values(provider: str) -> None:
    body = example(provider)
    run = run_model(provider).from_dict(body)
    # Every key of the example is a declared field: nothing falls into additional_properties.
    assert getattr(run, "additional_properties", {}) == {}
    assert run.to_dict().keys() == body.keys()
    # Each date-time of the example reads as the moment it writes.
    attributes = {key: attribute for key, attribute, *_ in run._wire_fields()}
    for key, prop in schema(provider, RUN_SCHEMAS[provider])["properties"].items():
        if resolve(provider, prop).get("format") == "date-time" and body.get(key) is not None:
            written = datetime.datetime.fromisoformat(body[key].replace("Z", "+00:00"))
            assert getattr(run, attributes[key]) == written
    # to_dict round-trips: parsing the dumped model gives an equal model.
    assert run_model(provider).from_dict(run.to_dict()) == run


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_field_reads_by_its_json_name_at_every_depth(provider: str) -> None:
    """`json_field` (and a JSON pointer through it) gives each field of the example by the
    provider's own name, however the model's attribute is spelt; an unknown key comes from the
    model's additional properties where it has them, and an absent one is None."""
    from agentruns import _pointer

    body = example(provider)
    run = run_model(provider).from_dict(body)
    attributes = {key: attribute for key, attribute, *_ in run._wire_fields()}
    assert dict(type(run).json_attributes()) == attributes  # the public table, for readers made once per class
    for key in body:
        assert _pointer.read(run, "/" + key.replace("~", "~0").replace("/", "~1")) is getattr(run, attributes[key]), key
    nested = [(key, inner) for key, value in body.items() if isinstance(value, dict) for inner in value]
    for key, inner in nested:
        part = getattr(run, attributes[key])
        inner_attributes = {k: a for k, a, *_ in part._wire_fields()} if hasattr(part, "_wire_fields") else {}
        if inner in inner_attributes:
            assert _pointer.read(run, f"/{key}/{inner}") is getattr(part, inner_attributes[inner])
    if hasattr(run, "additional_properties"):
        run.additional_properties["x-not-in-the-spec"] = [1]
        assert _pointer.read(run, "/x-not-in-the-spec/0") == 1
    assert run.json_field("no such field anywhere") is None


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_nullable_field_null(provider: str) -> None:
    body = example(provider)
    nulled: list[tuple[dict[str, Any], str]] = []
    for object_schema, obj in object_schemas(provider, schema(provider, RUN_SCHEMAS[provider]), body):
        for name, prop in object_schema.get("properties", {}).items():
            if is_nullable(prop):
                obj[name] = None
                nulled.append((obj, name))
    declared = sum(
        1
        for object_schema, _ in object_schemas(provider, schema(provider, RUN_SCHEMAS[provider]), example(provider))
        for prop in object_schema.get("properties", {}).values()
        if is_nullable(prop)
    )
    assert len(nulled) == declared  # each nullable field the example reaches is tried
    run = run_model(provider).from_dict(body)
    dumped = run.to_dict()
    for obj, name in nulled:
        assert obj[name] is None
    assert run_model(provider).from_dict(dumped) == run
    # to_dict keeps explicit nulls: nothing nullable is silently dropped.
    top_level = [name for obj, name in nulled if obj is body]
    assert all(dumped[name] is None for name in top_level)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_optional_field_absent(provider: str) -> None:
    body = example(provider)
    run_schema = schema(provider, RUN_SCHEMAS[provider])
    required = set(run_schema.get("required", ()))
    for pair_schema, obj in object_schemas(provider, run_schema, body):
        for name in list(obj):
            if name not in set(pair_schema.get("required", ())):
                del obj[name]
    assert set(body) == required
    run = run_model(provider).from_dict(body)
    dumped = run.to_dict()
    assert set(dumped) == required  # absent optional fields stay absent (UNSET), not null
    for name in set(run_schema["properties"]) - required:
        attribute = (
            name
            if hasattr(run, name)
            else next(
                a.name for a in run.__attrs_attrs__ if a.name.replace("_", "").lower() == name.replace("_", "").lower()
            )
        )
        assert type(getattr(run, attribute)).__name__ == UNSET_TYPE_NAME
    assert run_model(provider).from_dict(dumped) == run


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_absent_field_stays_unset_through_copy_and_pickle(provider: str) -> None:
    types = importlib.import_module(f"agentruns_{provider}.types")
    assert pickle.loads(pickle.dumps(types.UNSET)) is types.UNSET
    assert copy.copy(types.UNSET) is types.UNSET and copy.deepcopy(types.UNSET) is types.UNSET
    body = example(provider)
    optional = [name for name in body if name not in set(schema(provider, RUN_SCHEMAS[provider]).get("required", ()))]
    for name in optional:
        del body[name]
    run = run_model(provider).from_dict(body)
    unset = [a.name for a in run.__attrs_attrs__ if getattr(run, a.name) is types.UNSET]
    assert unset  # every run schema has an optional field
    for copied in (copy.deepcopy(run), pickle.loads(pickle.dumps(run)), copy.copy(run)):
        assert copied == run and all(getattr(copied, name) is types.UNSET for name in unset)


# provider -> (field carrying an enum, an unlisted value); Backside has no enum (status is open).
UNKNOWN_ENUMS = {p: "status" for p in PROVIDERS if walker(registry.get(p)).statuses}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_unknown_enum_value_and_extra_field_parse(provider: str) -> None:
    info = registry.get(provider)
    says_status = walker(info).says_status  # a run body may say no status of its own
    body = example(provider)
    if says_status:
        body = _pointer.write(body, info.status_at, "paused_for_review")
    body["x_new_field"] = {"added": "later"}
    run = run_model(provider).from_dict(body)
    if says_status:
        status = _pointer.read(run, info.status_at)
        assert status == "paused_for_review"
        if provider in UNKNOWN_ENUMS:
            enum_type = type(status)
            assert enum_type.__name__ != "str"
            assert status.is_known is False
            assert status.value == "paused_for_review"
            assert "paused_for_review" not in [member.value for member in enum_type]
    dumped = run.to_dict()
    if says_status:
        assert _pointer.read(dumped, info.status_at) == "paused_for_review"
    if schema(provider, RUN_SCHEMAS[provider]).get("additionalProperties") is False:
        # The spec closes the object: an unknown key is not kept (and not an error either).
        assert not hasattr(run, "additional_properties") and "x_new_field" not in dumped
    else:
        assert run.additional_properties == {"x_new_field": {"added": "later"}}
        assert dumped["x_new_field"] == {"added": "later"}
    assert run_model(provider).from_dict(dumped) == run


@pytest.mark.parametrize("provider", ["middesk", "casedev", "nsrocks"])
def test_known_enum_value_is_the_listed_member(provider: str) -> None:
    body = example(provider)
    run = run_model(provider).from_dict(body)
    assert run.status.is_known is True
    assert run.status is type(run.status)(body["status"])


# provider -> (a path into the example, a wrong value, the path DecodeError must name)
WRONG_VALUES = {
    "backside": (("steps", 0, "started_at"), 42, "steps[0].started_at"),
    "middesk": (("steps", 0, "started_at"), "yesterday", "steps[0].started_at"),
    "casedev": (("usage", "entries", 0, "costMicros"), "12", "usage.entries[0].costMicros"),
    "nsrocks": (("retain_on_failure",), 1, "retain_on_failure"),
}


@pytest.mark.parametrize("provider", sorted(WRONG_VALUES))
def test_wrong_value_names_field_path(provider: str) -> None:
    body = example(provider)
    path, value, expected = WRONG_VALUES[provider]
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(errors_module(provider).DecodeError) as caught:
        run_model(provider).from_dict(body)
    assert caught.value.path_str == expected
    assert str(caught.value).startswith(expected + ": ")


@pytest.mark.parametrize("provider", ["backside", "nsrocks"])
def test_missing_required_field_names_it(provider: str) -> None:
    body = example(provider)
    del body["created_at"]
    with pytest.raises(errors_module(provider).DecodeError) as caught:
        run_model(provider).from_dict(body)
    assert caught.value.path == ("created_at",)
    assert "required field is missing" in str(caught.value)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_non_object_body_is_a_decode_error(provider: str) -> None:
    with pytest.raises(errors_module(provider).DecodeError) as caught:
        run_model(provider).from_dict([1, 2])  # type: ignore[arg-type]
    assert caught.value.path == ()
    assert "expected object, got array" in str(caught.value)


def test_boolean_is_not_an_integer() -> None:
    body = example("backside")
    body["consecutive_failures"] = True
    with pytest.raises(errors_module("backside").DecodeError) as caught:
        run_model("backside").from_dict(body)
    assert caught.value.path_str == "consecutive_failures"
