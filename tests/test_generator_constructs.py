"""What real specs use, compiled: a small spec with each construct is regenerated into a temp
dir (as openapi-python-client's own end-to-end tests do), type-checked with mypy --strict,
imported, and fed bodies: unions of objects told apart by an explicit discriminator or by their
constant fields, string-or-array and scalar unions, the two spellings of nullability, allOf,
typed maps (of models too), const, a recursive schema, and schema names that collide with the generator's own;
and lists of models built on their first read where building them cannot fail.

Each test reads one construct's behaviour off the generated package; none names a provider."""

from __future__ import annotations

import copy
import importlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest

from agentruns._wire import WireDecoder
from spec_tools import ROOT, slot_is_empty

sys.path.insert(0, str(ROOT / "scripts"))
import regen
import specdiff


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}


TEXT, ID = {"type": "string"}, {"type": "string"}
SCHEMAS: dict[str, Any] = {
    # A union of objects with an explicit discriminator whose members leave their tag open: the
    # mapping names each member's value.
    "Shape": {
        "oneOf": [ref("Circle"), ref("Square")],
        "discriminator": {"propertyName": "kind", "mapping": {"circle": "#/components/schemas/Circle"}},
    },
    "Circle": obj({"kind": TEXT, "radius": {"type": "number"}}, ("kind", "radius")),
    "Square": obj({"kind": TEXT, "side": {"type": "integer"}}, ("kind", "side")),
    # A union told apart by single-valued fields, two members sharing a `type` and differing by role.
    "Item": {"oneOf": [ref("UserMessage"), ref("AssistantMessage"), ref("ToolCall")]},
    "UserMessage": obj(
        {"type": {"type": "string", "enum": ["message"]}, "role": {"type": "string", "enum": ["user", "system"]}},
        ("type", "role"),
    ),
    "AssistantMessage": obj(
        {
            "type": {"type": "string", "enum": ["message"]},
            "role": {"type": "string", "const": "assistant"},
            "phase": {"anyOf": [{"type": "string", "enum": ["final", "commentary"]}, {"type": "null"}]},
        },
        ("type", "role"),
    ),
    "ToolCall": obj(
        {"type": {"type": "string", "const": "tool_call"}, "call_id": ID, "arguments": TEXT},
        ("type", "call_id"),
    ),
    # allOf: a resource is an item plus an id.
    "StoredToolCall": {"allOf": [ref("ToolCall"), obj({"id": ID, "created": {"type": "integer"}}, ("id",))]},
    # A recursive schema: a filter is a comparison or a group of filters.
    "Filter": {"anyOf": [ref("Comparison"), ref("Group")]},
    "Comparison": obj(
        {"type": {"type": "string", "enum": ["eq", "ne"]}, "key": TEXT, "value": {"type": ["string", "number"]}},
        ("type", "key", "value"),
    ),
    "Group": obj(
        {"type": {"type": "string", "enum": ["and", "or"]}, "filters": {"type": "array", "items": ref("Filter")}},
        ("type", "filters"),
    ),
    # A model that holds itself (a thread's state whose tasks hold states), no union between.
    "Node": obj({"name": TEXT, "children": {"type": "array", "items": ref("Node")}, "parent": ref("Node")}, ("name",)),
    # Names the generated modules use for themselves.
    "Response": obj(
        {
            "id": ID,
            "object": {"type": "string", "const": "response"},
            # string-or-array, nullable by anyOf
            "instructions": {"anyOf": [{"oneOf": [TEXT, {"type": "array", "items": ref("Item")}]}, {"type": "null"}]},
            # nullable by a type array
            "note": {"type": ["string", "null"]},
            "output": {"type": "array", "items": ref("Item")},
            "last": {"oneOf": [ref("AssistantMessage"), ref("ToolCall")]},
            "shapes": {"type": "array", "items": ref("Shape")},
            "stored": {"type": "array", "items": ref("StoredToolCall")},
            "filter": ref("Filter"),
            # a typed map, and a map of unions
            "metadata": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 512}},
            "variables": {"type": "object", "additionalProperties": {"oneOf": [TEXT, ref("Item")]}},
            # a typed map of lists of models (n8n's run data: node name -> its runs)
            "calendar": {"type": "object", "additionalProperties": {"type": "array", "items": ref("Event")}},
            # scalar unions
            "seed": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "model": {"anyOf": [TEXT, ref("KnownModel")]},
            "client": ref("Client"),
            "unset": ref("Unset"),
            "events": {"type": "array", "items": ref("Event")},
            "tree": ref("Node"),
        },
        ("id", "object", "instructions", "output"),
    ),
    "KnownModel": {"type": "string", "enum": ["small", "large"]},
    # A list whose items hold a value converted after decoding (a date), which could be refused.
    "Event": obj({"on": {"type": "string", "format": "date"}, "what": TEXT}, ("on",)),
    "Client": obj({"name": TEXT}),
    "Unset": obj({"reason": TEXT}),
}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Constructs", "version": "1.0.0"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "paths": {
        "/responses/{response_id}": {
            "get": {
                "operationId": "getResponse",
                "tags": ["responses"],
                "parameters": [{"name": "response_id", "in": "path", "required": True, "schema": TEXT}],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": ref("Response")}}}
                },
            }
        }
    },
    "components": {"schemas": SCHEMAS},
}
BODY: dict[str, Any] = {
    "id": "resp_1",
    "object": "response",
    "instructions": [{"type": "message", "role": "system"}],
    "note": None,
    "output": [
        {"type": "message", "role": "user"},
        {"type": "message", "role": "assistant", "phase": "final"},
        {"type": "tool_call", "call_id": "call_1", "arguments": "{}"},
    ],
    "last": {"type": "message", "role": "assistant", "phase": None},
    "shapes": [{"kind": "circle", "radius": 1.5}, {"kind": "Square", "side": 2}],
    "stored": [{"type": "tool_call", "call_id": "call_1", "id": "tc_1", "created": 3}],
    "filter": {
        "type": "and",
        "filters": [
            {"type": "eq", "key": "a", "value": "x"},
            {"type": "or", "filters": [{"type": "ne", "key": "b", "value": 2}]},
        ],
    },
    "metadata": {"team": "search"},
    "variables": {"topic": "tides", "example": {"type": "message", "role": "user"}},
    "seed": 7,
    "model": "large",
    "client": {"name": "cli"},
    "unset": {"reason": "none"},
    "events": [{"on": "2026-01-02", "what": "launch"}],
    "calendar": {"launch week": [{"on": "2026-01-02", "what": "launch"}, {"on": "2026-01-03"}], "quiet": []},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("constructs")
    spec_path = root / "constructs.yaml"
    spec_path.write_bytes(orjson.dumps(SPEC))  # JSON is YAML
    target = regen.target("constructs", spec=spec_path)
    target.build(target, root / "out", "1.0.0")  # the package alone: no stamp of a spec outside specs/
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("agentruns_constructs.models")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m.startswith("agentruns_constructs")]:
            del sys.modules[name]


def body() -> dict[str, Any]:
    return copy.deepcopy(BODY)


def test_the_generated_package_type_checks_strictly(package: ModuleType) -> None:
    folder = Path(package.__file__).parent.parent
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(folder)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout


def test_every_construct_parses_and_gives_back_the_same_json(package: ModuleType) -> None:
    response = package.Response.from_dict(body())
    assert response.to_dict() == BODY
    user, assistant, call = response.output
    assert (type(user).__name__, type(assistant).__name__, type(call).__name__) == (
        "UserMessage",
        "AssistantMessage",
        "ToolCall",
    )
    assert type(response.instructions) is list and type(response.instructions[0]).__name__ == "UserMessage"
    assert [type(shape).__name__ for shape in response.shapes] == ["Circle", "Square"]
    assert response.stored[0].id == "tc_1" and response.stored[0].call_id == "call_1"  # allOf: both parts
    inner = response.filter_.filters[1]
    assert type(inner).__name__ == "Group" and type(inner.filters[0]).__name__ == "Comparison"  # recursion
    assert response.filter_.filters[1].filters[0].value == 2
    assert response.metadata["team"] == "search"
    assert response.variables["topic"] == "tides" and type(response.variables["example"]).__name__ == "UserMessage"
    assert response.seed == 7 and type(response.model).__name__ == "KnownModel"
    assert type(response.last).__name__ == "AssistantMessage" and response.last.phase is None


def test_a_value_outside_a_members_enum_still_parses_into_it(package: ModuleType) -> None:
    """Only single-valued fields tell members apart; a role the spec does not list is an open
    enum's unknown value, in the member whose `type` matches, not a new kind of item."""
    data = body()
    data["output"][0]["role"] = "critic"
    response = package.Response.from_dict(data)
    assert type(response.output[0]).__name__ == "UserMessage" and response.output[0].role == "critic"
    assert not response.output[0].role.is_known


def test_a_string_where_an_array_may_be_and_an_unlisted_string(package: ModuleType) -> None:
    data = body() | {"instructions": "Be brief.", "model": "medium", "seed": "abc"}
    response = package.Response.from_dict(data)
    assert response.instructions == "Be brief."
    assert response.model == "medium" and type(response.model) is str  # not an enum member: the plain string
    assert response.seed == "abc"
    assert package.Response.from_dict(body() | {"instructions": None}).instructions is None


def test_an_unknown_kind_becomes_an_unknown_member_and_is_kept(package: ModuleType) -> None:
    from agentruns_constructs.types import UnknownMember

    data = body()
    data["output"].append({"type": "hologram", "frames": [1, 2]})
    response = package.Response.from_dict(data)
    unknown = response.output[-1]
    assert isinstance(unknown, UnknownMember) and unknown.kind == "hologram" and unknown.tag == "type"
    assert response.to_dict() == data


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (lambda d: d["last"].update(role="user"), "last.role", "expected 'assistant' for type 'message', got 'user'"),
        (lambda d: d["output"][2].pop("call_id"), "output[2].call_id", "required field is missing"),
        (lambda d: d["output"].append({"role": "user"}), "output[3].type", "required field is missing"),
        (lambda d: d["output"].append({"type": 3}), "output[3].type", "expected string"),
        (lambda d: d.update(instructions=3), "instructions", "expected string or array or null"),
        (lambda d: d["shapes"][0].update(radius="big"), "shapes[0].radius", "expected number"),
        (lambda d: d["metadata"].update(team=4), "metadata.team", "expected string"),
        (lambda d: d["filter"]["filters"][1]["filters"][0].pop("key"), "filter.filters[1].filters[0].key", "missing"),
        (lambda d: d.update(object="list"), "object", "expected 'response'"),
        (lambda d: d.update(seed=1.5), "seed", "expected string or integer"),
    ],
)
def test_a_body_that_breaks_a_construct_names_the_field(
    package: ModuleType, edit: Any, path: str, message: str
) -> None:
    from agentruns_constructs.errors import DecodeError

    data = body()
    edit(data)
    with pytest.raises(DecodeError) as caught:
        package.Response.from_dict(data)
    assert caught.value.path_str == path and message in caught.value.message


def test_the_fast_path_agrees_with_from_dict(package: ModuleType) -> None:
    decoder = WireDecoder(package.Response, lambda content: package.Response.from_dict(orjson.loads(content)))
    for data in (body(), body() | {"instructions": "x", "seed": "s"}, body() | {"output": []}):
        assert decoder(orjson.dumps(data)) == package.Response.from_dict(data)
    assert not decoder._broken  # the model is mirrored (its unions opaque), not given up on
    bad = body()
    bad["metadata"]["team"] = 4  # a typed map's value: checked on the fast path too
    with pytest.raises(ValueError, match=r"metadata\.team: expected string"):
        decoder(orjson.dumps(bad))


def test_a_model_that_holds_itself_decodes_on_the_fast_path(package: ModuleType) -> None:
    slow: list[bytes] = []

    def fallback(content: bytes) -> Any:
        slow.append(content)
        return package.Response.from_dict(orjson.loads(content))

    decoder = WireDecoder(package.Response, fallback)
    leaf = {"name": "c", "parent": {"name": "b"}}
    data = body() | {"tree": {"name": "a", "children": [{"name": "b", "children": [leaf]}, {"name": "d"}]}}
    parsed = decoder(orjson.dumps(data))
    assert not slow and parsed == package.Response.from_dict(data)
    assert type(parsed.tree.children[0].children[0].parent).__name__ == "Node"
    assert parsed.tree.children[0].children[0].parent.name == "b"
    bad = copy.deepcopy(data)
    bad["tree"]["children"][0]["children"][0]["name"] = 5  # three levels down: still checked, and named
    with pytest.raises(ValueError, match=r"tree\.children\[0\]\.children\[0\]\.name: expected string"):
        decoder(orjson.dumps(bad))
    assert len(slow) == 1  # the bad body alone went to from_dict, for its exact error


def test_a_typed_map_of_models_is_checked_and_built_on_the_fast_path(
    package: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`calendar` maps any key to a list of Events: msgspec checks every value in its one pass and
    the models are built from their Structs; from_dict is reached only for a body it refuses,
    whose error names the key and the item. Unknown keys in the values' models are learned."""
    from agentruns._wire import forget

    slow: list[bytes] = []

    def fallback(content: bytes) -> Any:
        slow.append(content)
        return package.Response.from_dict(orjson.loads(content))

    expected = package.Response.from_dict(body())
    forget()
    decoder = WireDecoder(package.Response, fallback)
    with monkeypatch.context() as patched:  # the fast path never asks an Event's from_dict
        patched.setattr(package.Event, "from_dict", classmethod(lambda cls, data: pytest.fail("from_dict called")))
        parsed = decoder(orjson.dumps(body()))
    assert not slow and parsed == expected
    week = parsed.calendar["launch week"]
    assert [type(event).__name__ for event in week] == ["Event", "Event"] and parsed.calendar["quiet"] == []
    assert str(week[0].on) == "2026-01-02" and type(week[0].on).__name__ == "date"
    for edit, where in (
        (lambda d: d["calendar"]["launch week"][1].update(on="2026-02-30"), r"calendar\.launch week\[1\]\.on"),
        (lambda d: d["calendar"].update(quiet={"on": "2026-01-02"}), r"calendar\.quiet: expected array"),
        (lambda d: d["calendar"]["launch week"][0].update(what=7), r"calendar\.launch week\[0\]\.what"),
    ):
        bad = body()
        edit(bad)
        with pytest.raises(ValueError, match=where):
            decoder(orjson.dumps(bad))
    assert len(slow) == 3
    grown = body()
    grown["calendar"]["launch week"][0]["venue"] = "harbour"
    assert decoder(orjson.dumps(grown)).calendar["launch week"][0].additional_properties == {"venue": "harbour"}
    assert len(slow) == 4  # the first body with the new key goes to from_dict, and teaches the Structs
    assert decoder(orjson.dumps(grown)).calendar["launch week"][0].additional_properties == {"venue": "harbour"}
    assert len(slow) == 4
    forget()


def test_a_union_told_apart_by_its_tag_alone_decodes_on_the_fast_path(package: ModuleType) -> None:
    """Shape's members differ by `kind` alone: msgspec reads them as a tagged union; Item's two
    messages share their type, so Item stays a decoded object for the generated parser. A kind
    no member has is an UnknownMember either way (the body then takes from_dict)."""
    slow: list[bytes] = []

    def fallback(content: bytes) -> Any:
        slow.append(content)
        return package.Response.from_dict(orjson.loads(content))

    decoder = WireDecoder(package.Response, fallback)
    parsed = decoder(orjson.dumps(body()))
    assert not slow and [type(shape).__name__ for shape in parsed.shapes] == ["Circle", "Square"]
    from agentruns._wire import _Builder

    shapes = dict((field[0], field[2]) for field in package.Response._wire_fields())["shapes"]
    tagged = _Builder().wire_type(shapes)
    assert {struct.__struct_config__.tag for struct in typing.get_args(typing.get_args(tagged)[0])} == {
        "circle",
        "Square",
    }
    items = dict((field[0], field[2]) for field in package.Response._wire_fields())["output"]
    assert _Builder().wire_type(items) == list[Any]
    data = body()
    data["shapes"].append({"kind": "hexagon", "side": 1})
    assert type(decoder(orjson.dumps(data)).shapes[-1]).__name__ == "UnknownMember" and len(slow) == 1


def test_a_long_list_of_models_that_cannot_fail_is_built_on_its_first_read(package: ModuleType) -> None:
    """`stored` (allOf models of strings and integers) is left as decoded until read when it is
    long: nothing in it can be refused after msgspec's pass. `events` holds dates, converted after
    that pass (a date can still be refused), so it is built with the model and its error surfaces
    at decode; lists of unions are built at once as well, and so is a list shorter than
    DEFER_MIN_ITEMS."""
    from agentruns_constructs.types import DEFER_MIN_ITEMS, DeferredLists

    decoder = WireDecoder(package.Response, lambda content: package.Response.from_dict(orjson.loads(content)))
    many = body()
    many["stored"] = [copy.deepcopy(item) for item in many["stored"] * DEFER_MIN_ITEMS]
    many["events"] = [copy.deepcopy(item) for item in many["events"] * DEFER_MIN_ITEMS]
    parsed = decoder(orjson.dumps(many))
    assert isinstance(parsed, DeferredLists)
    assert slot_is_empty(parsed, "stored") and set(parsed._deferred) == {"stored"}
    assert not slot_is_empty(parsed, "events") and not slot_is_empty(parsed, "output")
    assert len(parsed.stored) == DEFER_MIN_ITEMS and parsed.stored[-1].id == "tc_1"
    assert parsed.stored is parsed.stored and not slot_is_empty(parsed, "stored") and parsed._deferred == {}
    assert parsed == package.Response.from_dict(many)
    assert not slot_is_empty(package.Response.from_dict(many), "stored")  # from_dict builds everything
    short = body()
    short["stored"] = short["stored"][: DEFER_MIN_ITEMS - 1]
    assert not slot_is_empty(decoder(orjson.dumps(short)), "stored")  # shorter: built with the model
    many["events"][-1]["on"] = "2026-02-30"
    with pytest.raises(ValueError, match=rf"events\[{DEFER_MIN_ITEMS - 1}\]\.on"):
        decoder(orjson.dumps(many))


def test_names_that_collide_with_the_generators_own_are_renamed(package: ModuleType) -> None:
    assert package.Response.__name__ == "Response"  # qualified in the endpoint module instead
    assert package.ClientModel.__name__ == "ClientModel" and package.UnsetModel.__name__ == "UnsetModel"
    response = package.Response.from_dict(body())
    assert isinstance(response.client, package.ClientModel) and isinstance(response.unset, package.UnsetModel)
    endpoint = importlib.import_module("agentruns_constructs.api.responses.get_response")
    assert endpoint._get_kwargs(response_id="resp_1")["url"] == "/responses/resp_1"


def test_an_explicit_discriminator_is_stated_in_its_members() -> None:
    tagged = regen.with_discriminator_tags(SPEC)
    assert tagged["components"]["schemas"]["Circle"]["properties"]["kind"] == {"type": "string", "const": "circle"}
    assert tagged["components"]["schemas"]["Square"]["properties"]["kind"]["const"] == "Square"  # its schema name
    assert SPEC["components"]["schemas"]["Circle"]["properties"]["kind"] == TEXT  # the spec itself is left alone
    contradicted = copy.deepcopy(SPEC)
    contradicted["components"]["schemas"]["Circle"]["properties"]["kind"] = {"type": "string", "const": "disc"}
    with pytest.raises(SystemExit, match=r"Circle\.kind is 'disc'"):
        regen.with_discriminator_tags(contradicted)


def test_the_change_report_says_when_a_union_grows() -> None:
    grown = copy.deepcopy(SPEC)
    grown["components"]["schemas"]["Reasoning"] = obj({"type": {"type": "string", "const": "reasoning"}}, ("type",))
    grown["components"]["schemas"]["Item"]["oneOf"].append(ref("Reasoning"))
    found = [change.line() for change in specdiff.changes(SPEC, grown)]
    # Item is reached from several fields: a shared schema is reported once, at the first path.
    assert found == ["addition: getResponse instructions<array>[]: union member added: Reasoning"]
    assert specdiff.bump("1.2.0", specdiff.changes(SPEC, grown)) == "1.3.0"
    shrunk = copy.deepcopy(SPEC)
    shrunk["components"]["schemas"]["Item"]["oneOf"].pop()
    assert [change.line() for change in specdiff.changes(SPEC, shrunk)] == [
        "BREAKING: getResponse instructions<array>[]: union member removed: ToolCall"
    ]
