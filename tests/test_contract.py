"""The emulator keeps its contract with the specs: every body it serves is valid (openapi-core), its
bodies cover each spec deeply, and every status a spec closes has a normalized mapping.

Nothing here names a provider: a spec change reaches these checks through the registry."""

from __future__ import annotations

import copy
import functools
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import jsonschema
import orjson
import pytest
from emulator_cases import ids_for
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from agentruns import registry
from agentruns.normalizers import status_table
from agentruns.testing import Emulator, bodies
from agentruns.testing.app import routes
from agentruns.testing.bodies import variants
from agentruns.testing.data import draft, respond, statuses
from agentruns.testing.schemas import walker
from spec_tools import PROVIDERS, load_spec

RUNS_PER_PROVIDER = 40


@pytest.fixture(scope="module", params=[False, True], ids=["realistic", "coverage"])
def emu(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """Both draws: the realistic default and the coverage draw (absent and null fields)."""
    with Emulator(seed=11, steps=4, coverage=request.param) as emulator:
        yield emulator


@functools.cache  # checking a spec takes seconds (OpenAI's 2.6 s); each test reads it again
def openapi(provider: str) -> OpenAPI:
    return OpenAPI.from_dict(load_spec(provider))


def validate(spec: OpenAPI, provider: str, path: str, query: str, status: int, body: bytes) -> None:
    # Its path too (OpenAI's /v1); no servers means "/", as OpenAPI says.
    server = httpx.URL((load_spec(provider).get("servers") or [{"url": "/"}])[0]["url"])
    args = dict(httpx.QueryParams(query)) if query else None
    request = MockRequest(
        f"{server.scheme}://{server.netloc.decode()}", "get", server.path.rstrip("/") + path, args=args
    )
    spec.validate_response(request, MockResponse(body, status_code=status, content_type="application/json"))


def operation_paths(provider: str, n: int) -> list[str]:
    """The path of every GET operation of the provider for its n-th sample run."""
    ids = dict(zip((p.name for p in registry.get(provider).ref_parameters), ids_for(provider, n), strict=True))
    paths = []
    for route in routes():
        if route.provider == provider:
            segments = registry.get(provider).operations[route.operation].path
            paths.append(segments.format(**ids))
    return paths


# One pool for the module's thousand requests: a client a request builds an SSL context each time.
HTTP = httpx.Client()


@pytest.fixture(scope="module", autouse=True)
def _close_http() -> Iterator[None]:
    yield
    HTTP.close()


def get(emu: Emulator, provider: str, path: str, query: str = "") -> httpx.Response:
    return HTTP.get(f"{emu.url}{path}?{query}", headers=emu.headers_for(provider))


def queries(operation: registry.OperationInfo) -> list[str]:
    """No query, and each allowed value of each of the operation's query parameters (Middesk's
    include=steps, OpenAI's eight include values and two orders)."""
    return ["", *(f"{name}={value}" for name, values in operation.allowed.items() for value in values)]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_emulator_bodies_match_the_spec(emu: Emulator, provider: str) -> None:
    """Each run's every operation, each asked with one of its queries in turn: every query value
    is met within the runs, and the cost is runs times operations, whatever the spec's size."""
    spec = openapi(provider)
    info = registry.get(provider)
    asked: set[tuple[str, str]] = set()
    for n in range(RUNS_PER_PROVIDER):
        for path in operation_paths(provider, n):
            operation = next(o for o in info.operations.values() if path_matches(o.path, path))
            options = queries(operation)
            assert len(options) <= RUNS_PER_PROVIDER, "more query values than runs: some would go unasked"
            query = options[n % len(options)]
            response = get(emu, provider, path, query)
            assert response.status_code == 200, (path, response.text)
            validate(spec, provider, path, query, 200, response.content)
            asked.add((operation.operation_id, query))
    assert asked == {(o.operation_id, q) for o in info.operations.values() for q in queries(o)}


def path_matches(template: str, path: str) -> bool:
    parts, given = template.split("/"), path.split("/")
    return len(parts) == len(given) and all(p.startswith("{") or p == g for p, g in zip(parts, given, strict=True))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_error_bodies_match_the_spec(provider: str) -> None:
    spec = openapi(provider)
    with Emulator(missing={ids_for(provider, 0)[-1]}) as emu:
        path = operation_paths(provider, 0)[0]
        response = get(emu, provider, path)
        assert response.status_code == 404
        if "404" in load_spec(provider)["paths"][registry.get(provider).run_operation.path]["get"]["responses"]:
            validate(spec, provider, path, "", 404, response.content)
        unauthorised = HTTP.get(f"{emu.url}{path}")
        # Without a key: refused, or, where the spec lets a server take none, the same 404.
        assert unauthorised.status_code == (404 if registry.get(provider).auth.optional else 401)


def test_the_contract_check_catches_a_disagreement(emu: Emulator) -> None:
    provider = next(p for p in PROVIDERS if walker(registry.get(p)).statuses)
    spec = openapi(provider)
    path = operation_paths(provider, 1)[0]
    body = get(emu, provider, path).json()
    body["status"] = 12  # the spec says a string from an enum
    with pytest.raises(Exception, match="status"):
        validate(spec, provider, path, "", 200, orjson.dumps(body))


Expected = tuple[bool, bool, tuple[Any, ...]]  # a property's (optional, nullable, enum values)


class Coverage:
    """What was seen at each property path of the bodies walked: present, absent, null, values."""

    def __init__(self, provider: registry.ProviderInfo) -> None:
        self.provider = provider
        self.states: dict[str, set[str]] = defaultdict(set)
        self.values: dict[str, set[Any]] = defaultdict(set)
        self.expected: dict[str, Expected] = {}  # path -> (optional, nullable, enum)
        self.members: dict[str, set[str]] = defaultdict(set)  # union path -> the members met there
        self.unions: dict[str, tuple[str, ...]] = {}  # union path -> its members of objects
        self.walker = walker(provider)
        # id(object schema) -> (schema, its properties as the walk reads them): read once, not
        # once a value (OpenAI's draw walks half a million values).
        self._properties: dict[int, tuple[Mapping[str, Any], list[tuple[str, Mapping[str, Any], Expected]]]] = {}

    def properties(self, schema: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any], Expected]]:
        known = self._properties.get(id(schema))
        if known is None or known[0] is not schema:
            required = set(schema.get("required", ()))
            read = [
                (
                    name,
                    prop,
                    (
                        name not in required,
                        is_nullable(self.provider, prop),
                        tuple(v for v in self.walker.resolve(prop).get("enum", ()) if v is not None),
                    ),
                )
                for name, prop in schema["properties"].items()
            ]
            known = self._properties[id(schema)] = (schema, read)
        return known[1]

    def walk(self, schema: Mapping[str, Any], value: Any, path: str, within: tuple[str, ...] = ()) -> None:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name in within:
                # A schema met again inside itself (a state whose tasks hold states): its
                # properties are its own at any depth, counted under its name, as the draw
                # covers them at the shallower levels and empties the deepest.
                path = f"<{name}>"
            within = (*within, name)
        schema = self.walker.resolve(schema)
        union = [o for o in (*schema.get("anyOf", ()), *schema.get("oneOf", ())) if o.get("type") != "null"]
        if union and value is not None:
            objects = object_members(self.provider, union)
            if isinstance(value, dict) and len(objects) > 1:  # a union of objects: the member it is
                self.unions[path] = tuple(objects)
                fitting = members_of(self.provider, objects, value)
                assert fitting, f"{path}: {value!r:.200} fits no member of the union"
                self.members[path].update(fitting)  # overlapping members: each one it is valid as
                name = fitting[0]
                # A member's properties are its own wherever it appears (OpenAI's tools appear in
                # a response, in its input items and inside other tools): counted under its name.
                self.walk(objects[name], value, f"<{name}>", within)
                return
            for option in union:  # unresolved: a member met again inside itself is known by its name
                self.walk(option, value, path, within)
            return
        if isinstance(value, dict) and "properties" in schema:
            for name, prop, expected in self.properties(schema):
                child = f"{path}.{name}"
                self.expected[child] = expected
                if name not in value:
                    self.states[child].add("absent")
                elif value[name] is None:
                    self.states[child].add("null")
                else:
                    self.states[child].add("present")
                    self.values[child].add(value[name] if isinstance(value[name], str) else None)
                    self.walk(prop, value[name], child, within)
        elif isinstance(value, list) and "items" in schema:
            for item in value:
                self.walk(schema["items"], item, f"{path}[]", within)

    def gaps(self) -> list[str]:
        missing = []
        for path, (optional, nullable, enum) in sorted(self.expected.items()):
            seen = self.states[path]
            if "present" not in seen:
                missing.append(f"{path} is never present")
            if optional and "absent" not in seen:
                missing.append(f"{path} is optional but never absent")
            if nullable and "null" not in seen:
                missing.append(f"{path} is nullable but never null")
            if enum and not set(enum) <= self.values[path]:
                missing.append(f"{path} never takes {sorted(set(enum) - self.values[path])}")
        for path, members in sorted(self.unions.items()):
            if never := sorted(set(members) - self.members[path]):
                missing.append(f"{path} is never a {', '.join(never)}")
        return missing


def object_members(provider: registry.ProviderInfo, union: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The object members of a union by name, the members of a union inside it included."""
    key = tuple(id(option) for option in union)
    if key not in _MEMBERS:
        _MEMBERS[key] = (union, _object_members(provider, union))
    return _MEMBERS[key][1]


_MEMBERS: dict[tuple[int, ...], tuple[Any, dict[str, Mapping[str, Any]]]] = {}


def _object_members(provider: registry.ProviderInfo, union: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    members = bodies.object_members(provider, {"anyOf": union})  # the draw's reading of a union
    return {
        str(member["$ref"]).rsplit("/", 1)[1] if "$ref" in member else f"#{index}": walker(provider).resolve(member)
        for index, (_, member) in enumerate(members)
    }


def members_of(
    provider: registry.ProviderInfo, members: dict[str, Mapping[str, Any]], value: dict[str, Any]
) -> list[str]:
    """The members of a union an object is: those whose listed values (a `type` const, a role)
    it holds, and, where members overlap in those (an assistant message fits OpenAI's easy input
    message by its type and role alone), those it is valid against."""
    candidates = [name for name, member in members.items() if listed_values_fit(provider, member, value)]
    if len(candidates) <= 1:
        return candidates
    return [n for n in candidates if validator(provider.name, orjson.dumps(members[n])).is_valid(value)]


def listed_values_fit(provider: registry.ProviderInfo, member: Mapping[str, Any], value: dict[str, Any]) -> bool:
    if not set(member.get("required", ())) <= set(value):
        return False
    for name, prop in member["properties"].items():
        resolved = walker(provider).resolve(prop)
        listed = [resolved["const"]] if "const" in resolved else resolved.get("enum")
        if listed and name in value and value[name] is not None and value[name] not in listed:
            return False
    return True


@functools.cache
def validator(provider: str, member: bytes) -> Any:
    """A JSON Schema validator of one member, its $refs resolved against the provider's spec."""
    schema = {**orjson.loads(member), "components": load_spec(provider)["components"]}
    return jsonschema.Draft202012Validator(schema)


def is_nullable(provider: registry.ProviderInfo, prop: Mapping[str, Any]) -> bool:
    kinds = prop.get("type")
    if (isinstance(kinds, list) and "null" in kinds) or any(o.get("type") == "null" for o in prop.get("anyOf", ())):
        return True
    resolved = walker(provider).resolve(prop)
    return resolved is not prop and is_nullable(provider, resolved)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_drawn_bodies_cover_the_spec_deeply(provider: str) -> None:
    """Every property path at any depth is present in some body, absent in some where optional,
    null in some where nullable, and takes every enum value. One whole block of variants
    guarantees it for the draw. Siblings read the same digit within a block, so the overlays'
    joint conditions (an end only on a terminal run) are met across blocks: the first 27 variants
    (every choice of the top three digits) of 48 more blocks."""
    info = registry.get(provider)
    coverage = Coverage(info)
    ids = ids_for(provider, 0)
    extra = [block * variants() + low for block in range(1, 49) for low in range(27)]
    for variant in [*range(variants()), *extra]:
        run = draft(provider, ids, steps=3, variant=variant, coverage=True)
        for operation, _ in run.bodies.items():
            schema = walker(info).response_schema(info.operations[operation])
            whole, default = respond(run, operation, None), respond(run, operation, {})
            for answer in (whole, default) if default != whole else (whole,):
                coverage.walk(schema, answer, "$")
    assert coverage.expected, "the walk found the schema's properties"
    assert coverage.gaps() == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_known_status_has_a_normalized_mapping(provider: str) -> None:
    """A status added to a spec's enum fails here until the provider's normalizer maps it. Where
    the spec leaves the set open (any other value maps to unknown by design), the statuses the
    emulator draws, its declared table's, are the ones known and must be mapped."""
    known = statuses(provider)
    assert known, f"{provider} names no status: neither a spec enum nor a declared table"
    assert sorted(set(known) - set(status_table(provider))) == []


def test_a_spec_change_reaches_the_draw_and_the_mapping_check() -> None:
    """Edit a spec (a new status, a removed field): the bodies drawn from it follow at once, and the
    new status is one the mapping check reports as unmapped."""
    provider = next(p for p in PROVIDERS if walker(registry.get(p)).statuses)
    spec = copy.deepcopy(load_spec(provider))
    info = registry.get(provider)
    status_schema = walker(info).resolve(walker(info).run_schema["properties"]["status"])
    run_name = info.schema_name_of(info.run_operation)
    enum_name = next(n for n, s in spec["components"]["schemas"].items() if s.get("enum") == status_schema["enum"])
    spec["components"]["schemas"][enum_name]["enum"].append("hibernating")
    removed = next(name for name in spec["components"]["schemas"][run_name]["properties"] if name != "status")
    del spec["components"]["schemas"][run_name]["properties"][removed]
    changed = registry.from_spec(provider, spec)
    drawn = [
        bodies.draw(changed, walker(changed).run_schema, variant=v, rng=random.Random(v), list_length=1)
        for v in range(variants())
    ]
    assert "hibernating" in {body.get("status") for body in drawn}
    assert all(removed not in body for body in drawn)
    assert "hibernating" in set(walker(changed).statuses or ()) - set(status_table(provider))
