"""Property tests of decoding: every schema-valid body parses and normalizes; every invalid one
ends in ResponseValidationError (naming the field path where there is one), nothing else.

Bodies go through a client's real decode path over httpx.MockTransport (no network: this is the
decoding, not the transport). `make test` runs a bounded number of examples; `make fuzz` many
more (HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import copy
import functools
import os
from typing import Any
from urllib.parse import parse_qs

import httpx
import jsonschema
import orjson
import pytest
from emulator_cases import ids_for
from hypothesis import HealthCheck, given, settings, strategies as st
from schema_strategies import from_schema

import agentruns
from agentruns import ResponseTooLargeError, ResponseValidationError
from agentruns.testing.app import match
from agentruns.testing.bodies import variants
from agentruns.testing.data import draft, make_run, respond
from spec_tools import (
    PROVIDERS,
    RUN_SCHEMAS,
    a_base_url,
    a_key,
    is_nullable,
    load_spec,
    resolve,
    run_part,
    schema as spec_schema,
)

# CI examples are derandomized, so a run is repeatable; `make fuzz` explores at random.
settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("fuzz", max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TOKEN = "sk_case_fuzz"


INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}
INT64 = (-(2**63), 2**63 - 1)
UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


SCALAR = {"type": ["null", "boolean", "string"]}
BOUNDED_NUMBERS = [
    {"type": "integer", "minimum": INT64[0], "maximum": INT64[1]},
    {"type": "number", "minimum": INT64[0], "maximum": INT64[1]},
]
# Free-form values: any JSON two levels deep (hypothesis-jsonschema takes no recursive $ref).
FREE_FORM = {
    "anyOf": [
        SCALAR,
        *BOUNDED_NUMBERS,
        {"type": "array", "items": {"anyOf": [SCALAR, *BOUNDED_NUMBERS]}, "maxItems": 3},
        {"type": "object", "additionalProperties": {"anyOf": [SCALAR, *BOUNDED_NUMBERS]}, "maxProperties": 3},
    ]
}


def _for_generation(schema: dict[str, Any]) -> dict[str, Any]:
    """Spell out for hypothesis-jsonschema what the spec says in OpenAPI terms: integer formats
    as bounds (an integer with no format is taken as int64: orjson, our decoder, refuses wider
    ones, and a body carrying one is answered with ResponseValidationError), uuid as a pattern,
    free-form values as bounded JSON, and short arrays, so that examples stay quick to make."""
    schema = dict(schema)
    if not {"type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum", "properties"} & set(schema):
        return {**schema, **FREE_FORM}
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "integer" in kinds or "number" in kinds:  # a JSON number past 64 bits is one orjson refuses
        low, high = INT_RANGES.get(schema.get("format", ""), INT64)
        schema["minimum"] = max(schema.get("minimum", low), low)
        schema["maximum"] = min(schema.get("maximum", high), high)
    if schema.get("format") == "uuid":
        schema["pattern"] = UUID_PATTERN
    if "properties" in schema:
        schema["properties"] = {name: _for_generation(prop) for name, prop in schema["properties"].items()}
        # Unknown keys are allowed (and must survive), but with bounded values and not too many.
        schema.setdefault("additionalProperties", FREE_FORM)
        schema.setdefault("maxProperties", len(schema["properties"]) + 2)
    extra = schema.get("additionalProperties")
    if extra is True or ("object" in kinds and "properties" not in schema and extra is None):
        schema["additionalProperties"] = FREE_FORM  # a free-form object: bounded JSON values
    elif isinstance(extra, dict):  # a map: its values of their own schema
        schema["additionalProperties"] = _for_generation(extra)
    if "object" in kinds or "properties" in schema or extra is not None:
        schema.setdefault("maxProperties", len(schema.get("properties", {})) + 2)
    if "items" in schema:
        schema["items"] = _for_generation(schema["items"])
        schema.setdefault("maxItems", 3)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            schema[union] = [_for_generation(option) for option in schema[union]]
    return schema


def json_schema(provider: str) -> dict[str, Any]:
    """The 200 response schema as a standalone JSON Schema (its $refs resolve inside it), a
    recursive schema unrolled (hypothesis-jsonschema takes no recursive $ref)."""
    schemas = load_spec(provider)["components"]["schemas"]
    flat = {name: _merged_all_of(copy.deepcopy(schema), schemas, (name,)) for name, schema in schemas.items()}
    prepared = {name: _for_generation(schema) for name, schema in flat.items()}
    return {"$ref": f"#/components/schemas/{RUN_SCHEMAS[provider]}", "components": {"schemas": _unrolled(prepared)}}


def _merged_all_of(node: Any, schemas: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """`node` with every `allOf` of objects written as the one object it means (its members'
    properties and required together): bounded one by one, each member's unknown-key bounds
    would refuse the others' fields, and hypothesis-jsonschema would find almost no body."""
    if isinstance(node, list):
        return [_merged_all_of(item, schemas, seen) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _merged_all_of(value, schemas, seen) for key, value in node.items()}
    if "allOf" not in node:
        return node
    merged = {key: value for key, value in node.items() if key != "allOf"}
    properties, required = dict(merged.pop("properties", {})), list(merged.pop("required", []))
    for part in node["allOf"]:
        if "$ref" in part:
            name = part["$ref"].rsplit("/", 1)[1]
            if name in seen:  # a member that refers back: kept as the reference it is
                return node
            part = _merged_all_of(copy.deepcopy(schemas[name]), schemas, (*seen, name))
        properties.update(part.get("properties", {}))
        required += [field for field in part.get("required", []) if field not in required]
        for key, value in part.items():
            if key not in ("properties", "required", "description", "example", "title"):
                merged.setdefault(key, value)
    return {**merged, "type": "object", "properties": properties, "required": required}


def _unrolled(schemas: dict[str, Any], levels: int = 2) -> dict[str, Any]:
    """`schemas` where a schema that refers back to itself (OpenAI's compound filter, a filter of
    filters) does so `levels` deep, its innermost copy taking none of the recursive members."""

    def refs(node: Any) -> set[str]:
        if isinstance(node, dict):
            own = {node["$ref"].rsplit("/", 1)[1]} if isinstance(node.get("$ref"), str) else set()
            return own.union(*(refs(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(refs(item) for item in node))
        return set()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            for found in refs(schemas[name]) - seen:
                if found == goal:
                    return True
                seen.add(found)
                todo.append(found)
        return False

    recursive = {name for name in schemas if reaches(name, name)}
    if not recursive:
        return schemas

    def renamed(node: Any, level: int) -> Any:
        """`node` with its references to recursive schemas pointing `level` copies down; at the
        last level those references are left out of their unions."""
        if isinstance(node, list):
            kept = [renamed(item, level) for item in node]
            return [item for item in kept if item is not None]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[1] in recursive:
            return None if level >= levels else {"$ref": f"{ref}__{level + 1}"}
        return {key: value for key, value in ((k, renamed(v, level)) for k, v in node.items()) if value is not None}

    unrolled = {name: renamed(schema, 0) for name, schema in schemas.items()}
    for level in range(1, levels + 1):
        unrolled |= {f"{name}__{level}": renamed(schemas[name], level) for name in recursive}
    return unrolled


def fetch_body(provider: str, body: bytes, content_type: str = "application/json") -> Any:
    """The model a client returns when its run operation answers 200 with this body (the
    provider's other operations, if its fetch has any, answer as the emulator would)."""
    info = agentruns.registry.get(provider)
    ids = ids_for(provider, 1)

    def answer(request: httpx.Request) -> httpx.Response:
        # The emulator routes the spec's paths: the server's own path (OpenAI's /v1) is not one.
        server_path = httpx.URL(a_base_url(provider)).path.rstrip("/")
        found = match(request.url.raw_path.decode().split("?")[0].removeprefix(server_path))
        assert isinstance(found, tuple), request.url
        if found[0].operation == info.run_operation.operation_id:
            return httpx.Response(200, content=body, headers={"content-type": content_type})
        other = respond(draft(provider, ids), found[0].operation, parse_qs(request.url.query.decode()))
        return httpx.Response(200, content=orjson.dumps(other), headers={"content-type": "application/json"})

    transport = httpx.MockTransport(answer)
    client = info.sync_client(
        api_key=a_key(provider),
        base_url=a_base_url(provider),
        http_client=httpx.Client(transport=transport),
        max_retries=0,
    )
    return client.get_run(*ids)


# hypothesis-jsonschema inlines every $ref before it generates: past this size (OpenAI's schema,
# 260 KB, inlines to 1 MB in 35 s) a spec's bodies come from the emulator's coverage draw instead.
MAX_SCHEMA_BYTES = 100_000


@functools.cache  # making a strategy of a spec's schema is most of the cost: once per provider
def valid_bodies(provider: str) -> st.SearchStrategy[Any]:
    """Schema-valid bodies of the run operation: hypothesis-jsonschema's (odd values, unknown
    keys), or for a large spec the emulator's coverage draw at variants hypothesis chooses (every
    union member, absent and null fields; the contract test validates them against the spec)."""
    schema = json_schema(provider)
    if len(orjson.dumps(schema)) <= MAX_SCHEMA_BYTES:
        return from_schema(schema)
    ids = ids_for(provider, 1)
    operation = agentruns.registry.get(provider).run_operation.operation_id
    return st.integers(0, variants() * 64).map(
        lambda variant: copy.deepcopy(
            respond(draft(provider, ids, steps=3, variant=variant, coverage=True), operation, None)
        )
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_schema_valid_bodies_parse_and_normalize(provider: str) -> None:
    @given(body=valid_bodies(provider))
    def check(body: dict[str, Any]) -> None:
        model = fetch_body(provider, orjson.dumps(body))
        run = agentruns.normalize(model)
        assert run.provider == provider
        assert isinstance(run.status, agentruns.RunStatus)
        # Nothing the provider sent is lost: the model writes back every key it was given.
        assert set(run_part(provider, model).to_dict()) == set(body)

    check()


WRONG_VALUES: tuple[Any, ...] = ([], {"x": 1}, "text", 12345678901234567890, 1.5, True)


def _mutations(provider: str) -> st.SearchStrategy[tuple[bytes, str | None]]:
    """(body, expected path or None) pairs of invalid bodies."""
    schema = spec_schema(provider, RUN_SCHEMAS[provider])
    typed = {name: prop for name, prop in schema["properties"].items() if "type" in prop or "$ref" in prop}
    required = schema.get("required", [])

    @st.composite
    def wrong_type(draw: st.DrawFn) -> tuple[bytes, str | None]:
        body = draw(valid_bodies(provider))
        name = draw(st.sampled_from(sorted(typed)))
        prop = typed[name]
        # A $ref names the real type (an enum's is string: unknown values are accepted, open).
        kinds = _kinds(provider, prop)
        wrong = draw(st.sampled_from([v for v in WRONG_VALUES if not _fits(v, kinds)]))
        body[name] = wrong
        return orjson.dumps(body), name

    @st.composite
    def missing_required(draw: st.DrawFn) -> tuple[bytes, str | None]:
        body = draw(valid_bodies(provider))
        name = draw(st.sampled_from(required))
        body.pop(name, None)
        return orjson.dumps(body), name

    @st.composite
    def broken_json(draw: st.DrawFn) -> tuple[bytes, str | None]:
        text = orjson.dumps(draw(valid_bodies(provider)))
        kind = draw(st.sampled_from(["truncated", "garbage", "empty", "huge-int", "deep", "not-object"]))
        if kind == "truncated":
            return text[: draw(st.integers(1, max(1, len(text) - 1)))], None
        if kind == "garbage":
            return draw(st.binary(min_size=1, max_size=64)).replace(b"{", b"<"), None
        if kind == "empty":
            return b"", None
        if kind == "huge-int":
            return b'{"id": ' + b"9" * 400 + b"}", None
        if kind == "deep":
            return b"[" * 5000 + b"]" * 5000, None
        return draw(st.sampled_from([b"[]", b"null", b"42", b'"run"', b"true"])), None

    strategies = [wrong_type(), broken_json()]
    if required:
        strategies.append(missing_required())
    return st.one_of(strategies)


def _kinds(provider: str, prop: dict[str, Any]) -> list[str]:
    """The JSON types a property takes, null among them where it is nullable."""
    return sorted({*_types(provider, prop), *(["null"] if is_nullable(prop) else [])})


def _types(provider: str, prop: dict[str, Any]) -> set[str]:
    """Its schema's types, or every member's of a union (OpenAI's `model` is an anyOf of string
    enums and a $ref to more)."""
    target = resolve(provider, prop)
    members = target.get("anyOf") or target.get("oneOf")
    if members and "type" not in target:
        return {kind for member in members for kind in _types(provider, member)}
    kinds = target.get("type", "object")
    return set(kinds) if isinstance(kinds, list) else {kinds}


def _fits(value: Any, kinds: list[str]) -> bool:
    checks = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "null": value is None,
    }
    return any(checks.get(kind, True) for kind in kinds)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_invalid_bodies_only_raise_response_validation_error(provider: str) -> None:
    @given(case=_mutations(provider))
    def check(case: tuple[bytes, str | None]) -> None:
        body, field = case
        try:
            fetch_body(provider, body)
        except ResponseValidationError as error:
            if field is not None:
                assert error.path is not None and error.path.split(".")[0].split("[")[0] == field, error
            return
        # A wrong-typed value that is still valid JSON for a free-form or unconstrained field
        # cannot be told apart; everything else must have failed.
        assert field is not None and _unconstrained(provider, field), body[:200]

    check()


def _open_enums(node: Any) -> Any:
    """The schema as the clients read it: an enum is open (an unknown value is kept, not refused)."""
    if isinstance(node, dict):
        return {key: _open_enums(value) for key, value in node.items() if key != "enum"}
    return [_open_enums(item) for item in node] if isinstance(node, list) else node


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_wrong_value_the_mutations_put_in_a_field_is_one_its_schema_refuses(provider: str) -> None:
    """The wrong-type mutation's values are wrong for the field by its spec, enums read open: a
    union of strings (OpenAI's `model`) or a $ref to a nullable one (its `service_tier`) takes
    no string."""
    schema = spec_schema(provider, RUN_SCHEMAS[provider])
    components = _open_enums(load_spec(provider)["components"])
    checked = 0
    for name, prop in schema["properties"].items():
        if "type" not in prop and "$ref" not in prop:
            continue
        kinds = _kinds(provider, prop)
        validator = jsonschema.Draft202012Validator({**_open_enums(prop), "components": components})
        for wrong in WRONG_VALUES:
            if not _fits(wrong, kinds):
                assert not validator.is_valid(wrong), f"{provider}.{name}: {wrong!r} is valid, not a wrong type"
                checked += 1
    assert checked, "some field takes a wrong value"


def _unconstrained(provider: str, field: str) -> bool:
    prop = spec_schema(provider, RUN_SCHEMAS[provider])["properties"][field]
    if "$ref" in prop:
        target = spec_schema(provider, prop["$ref"].rsplit("/", 1)[1])
        return target.get("type") == "object" and not target.get("properties")
    return False


def test_wrong_content_type_with_json_still_parses_and_html_fails() -> None:
    body = orjson.dumps({"id": "r", "status": "queued"})
    assert fetch_body("casedev", body, "text/plain").id == "r"
    with pytest.raises(ResponseValidationError, match="text/html"):
        fetch_body("casedev", b"<html></html>", "text/html")


def test_oversized_body_is_not_a_validation_error() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=b"[" + b"0," * 600_000 + b"0]"))
    client = agentruns.CasedevClient(
        api_key=TOKEN, http_client=httpx.Client(transport=transport), max_response_bytes=1_000_000
    )
    with pytest.raises(ResponseTooLargeError):
        client.get_run("run_1")


# The ends of what a JSON number field may hold: an integer's (int64, orjson's range, and around
# 2**53), a float's (the largest, the smallest above zero).
INT_EXTREMES = (2**63 - 1, -(2**63), 2**53 + 1, -1)
FLOAT_EXTREMES = (1.7976931348623157e308, -1.7976931348623157e308, 5e-324)
# A string's edges: empty, blank, a NUL, a line separator JSON allows raw, long, outside the BMP.
STRING_EDGES = ("", " ", "\x00", "\u2028", "x" * 100_000, "\U0001d518nicode")


def _edge_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(path, the edge values to try there) of every number and string in a body."""
    if isinstance(node, bool):
        return []
    if isinstance(node, int):
        return [(path, INT_EXTREMES)]
    if isinstance(node, float):
        return [(path, FLOAT_EXTREMES)]
    if isinstance(node, str):
        return [(path, STRING_EDGES)]
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _edge_paths(value, (*path, key))]
    if isinstance(node, list):
        return [found for index, value in enumerate(node) for found in _edge_paths(value, (*path, index))]
    return []


def _run_body(provider: str) -> dict[str, Any]:
    """A whole run as the run operation serves it to the client (n8n's with its run data)."""
    body: dict[str, Any] = make_run(provider, ids_for(provider, 1), seed=3, steps=2)
    return body


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_number_and_string_at_its_edges_normalizes_or_is_refused_by_its_path(provider: str) -> None:
    # A time in epoch seconds or milliseconds, a count, a duration, an id, a date, a status: any
    # value at its edges must map (an absurd time is no time) or be refused as invalid by its
    # path, never raise from a mapping. (Middesk's run body holds no number: strings only.)
    body = _run_body(provider)
    normalized = 0
    for path, extremes in _edge_paths(body):
        for value in extremes:
            changed = copy.deepcopy(body)
            node = changed
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
            try:
                model = fetch_body(provider, orjson.dumps(changed))
            except ResponseValidationError as error:
                assert error.path, f"{provider} {path}={value}: refused without naming where"
                continue
            run = agentruns.normalize(model)
            assert run.provider == provider and isinstance(run.status, agentruns.RunStatus)
            assert set(run_part(provider, model).to_dict()) == set(changed)
            normalized += 1
    assert normalized, f"{provider}: no edge value is schema-valid"


def test_the_strategy_memo_draws_what_hypothesis_jsonschema_draws() -> None:
    """schema_strategies builds each subschema's strategy once; the bodies drawn through it are
    the library's own, the same bytes in the same order."""
    import hypothesis_jsonschema._from_schema as library
    import schema_strategies

    provider = next(p for p in PROVIDERS if len(orjson.dumps(json_schema(p))) <= MAX_SCHEMA_BYTES)

    def drawn() -> list[bytes]:
        seen: list[bytes] = []

        @settings(max_examples=20, derandomize=True, database=None)
        @given(body=from_schema(json_schema(provider)))
        def collect(body: Any) -> None:
            seen.append(orjson.dumps(body, option=orjson.OPT_SORT_KEYS))

        collect()
        return seen

    memo = drawn()
    memo_size = len(schema_strategies._built)
    setattr(library, "__from_schema", schema_strategies._build)
    try:
        plain = drawn()
    finally:
        setattr(library, "__from_schema", schema_strategies._build_once)
    assert memo_size > 0, "the memo built strategies"
    assert len(memo) == 20 and memo == plain
