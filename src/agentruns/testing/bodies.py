"""Response bodies drawn from a spec's schemas, deterministically, with coverage by construction.

A body is drawn for a *variant*. Its low MAX_DEPTH base-3 digits make the choices: a property at
depth k reads digit k to decide whether it is present, absent (when optional) or null (when
nullable); an enum at depth k reads digits k, k+1 and k+2, so up to 27 values. Each choice is
offset by a hash of the property's path and of the variant's high part, so that siblings (which
read the same digit) vary independently from one block of variants to the next. Items of an
array shift the digits below them by their index, so the items of one list differ too.

That is the *coverage* draw (`coverage=True`), for contract and fuzz tests: within any aligned
block of `variants()` consecutive variants, every optional property is absent in some body and
present in another, every nullable one null in some, and every enum value occurs, whatever the
schema: by construction, not by chance. The default draw is *realistic*: every property is
present and set, as a provider sends a run (the overlay then nulls what the run's state says is
not there yet, such as the end of a run still going), and only enum values and array lengths
vary. Values themselves (numbers, times,
ids) come from a seeded random generator. A provider's overlay then makes each body coherent
(see overlays/)."""

from __future__ import annotations

import functools
import hashlib
import random
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..registry import ProviderInfo
from .schemas import walker

BASE = 3  # modes of an optional nullable property: present, absent, null
MAX_DEPTH = 6  # digits a variant carries; deeper properties reuse the last
ENUM_DIGITS = 3  # an enum (or a union's members) reads this many digits: up to BASE**3 = 27 covered
# How deep a recursive schema is drawn (a filter of filters): below this, optional properties are
# left out, nullable ones null and arrays empty, so every draw ends.
MAX_NESTING = 10
EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
ABSENT = object()  # a property the draw leaves out


def variants() -> int:
    """How many consecutive variants cover every mode of every property to depth MAX_DEPTH - ENUM_DIGITS."""
    return int(BASE**MAX_DEPTH)


@functools.lru_cache(maxsize=4096)
def _hash(path: str, block: int) -> int:
    # Not crc32: it is linear, so two paths' offsets would differ by the same amount in every block.
    return int.from_bytes(hashlib.blake2b(f"{path}#{block}".encode(), digest_size=8).digest(), "big")


class Draw:
    """The choices of one body: its variant's digits, and a random generator for values."""

    def __init__(
        self, provider: ProviderInfo, variant: int, rng: random.Random, list_length: int, coverage: bool = False
    ) -> None:
        self.provider = provider
        self.coverage = coverage  # vary presence and null too (else every property is present and set)
        self.variant = variant
        self.rng = rng
        self.list_length = list_length  # items of a list of steps (a property or a body named so)
        self.clock: datetime = EPOCH + timedelta(seconds=rng.randint(0, 86_400 * 30))
        self.block: int = variant // variants()  # the high part: which block of variants

    def scrambled(self, variant: int, path: str) -> int:
        """The variant a union's member is drawn with: its digits mixed, so that what the member
        holds does not follow the digits that chose it (a member met only where some digit has one
        value would otherwise never see that digit's others). A union's members are then covered
        by how often each is met (many times, in the coverage test's variants), not by
        construction."""
        if not self.coverage:
            return variant
        return (_hash(f"{path}@{variant}", self.block) % variants()) + self.block * variants()

    def digit(self, variant: int, depth: int) -> int:
        return int((variant // BASE ** min(depth, MAX_DEPTH - 1)) % BASE)

    def choose(self, variant: int, depth: int, path: str, count: int) -> int:
        """One of `count` options for `path`, from the digits at `depth` (and below, for enums)."""
        if count <= BASE:
            return (self.digit(variant, depth) + _hash(path, self.block)) % count
        if depth + ENUM_DIGITS > MAX_DEPTH:
            # Below the digits: the variant's top part, which each list item above shifts by its
            # index, so the items of a deep list still run through the values.
            wide = variant // BASE ** (MAX_DEPTH - 1)
        else:
            wide = sum(self.digit(variant, depth + i) * BASE**i for i in range(ENUM_DIGITS))
        return int((wide + _hash(path, self.block)) % count)

    # -- schemas ---------------------------------------------------------------------------------

    def value(
        self, schema: Mapping[str, Any], path: str, variant: int, depth: int, name: str, example: Any = None
    ) -> Any:
        """A value valid against `schema` (nullability is decided by the caller). `example` is what
        the spec's example of the enclosing object shows here: strings take it, so a drawn run
        reads like the provider's own (a Middesk step is an `activity`, not `type_4821`)."""
        schema = walker(self.provider).resolve(schema)
        example = schema.get("example", example)
        union = schema.get("anyOf") or schema.get("oneOf") or ()
        options = [o for o in union if walker(self.provider).resolve(o).get("type") != "null"]
        if options:
            # A union's members are chosen like an enum's values: every one in some body.
            picked = options[self.choose(variant, depth, path + "|anyOf", len(options))]
            drawn = self.value(picked, path, self.scrambled(variant, path), depth, name, example)
            return tagged(self.provider, schema, picked, drawn)
        if "const" in schema:
            return schema["const"]
        enum = [v for v in schema.get("enum", ()) if v is not None]
        if enum:
            return enum[self.choose(variant, depth, path, len(enum))]
        kinds = schema.get("type")
        if isinstance(kinds, list):  # a type array: one of its kinds (null is the caller's)
            kinds = [k for k in kinds if k != "null"]
            kind = kinds[self.choose(variant, depth, path + "|type", len(kinds))] if kinds else None
        else:
            kind = kinds
        if kind is None:
            kind = "object" if "properties" in schema else ("array" if "items" in schema else None)
        if kind == "object":
            return self.object(schema, path, variant, depth, example)
        if kind == "array":
            return self.array(schema, path, variant, depth, name, example)
        if kind == "string":
            return self.string(schema, path, variant, depth, name, example)
        if kind in ("integer", "number") and schema.get("format") == "unixtime":
            self.clock += timedelta(milliseconds=self.rng.randint(20, 9000))
            return int(self.clock.timestamp())
        if kind == "integer":
            low = int(schema.get("minimum", 0))
            high = int(schema.get("maximum", max(low, 0) + 10_000))
            return self.rng.randint(low, min(high, low + 10_000))
        if kind == "number":
            least = float(schema.get("minimum", 0))
            return round(self.rng.uniform(least, float(schema.get("maximum", max(least, 0) + 1000.0))), 3)
        if kind == "boolean":
            return self.choose(variant, depth, path, 2) == 1
        return self.free_form(path, variant, depth)

    def object(
        self, schema: Mapping[str, Any], path: str, variant: int, depth: int, example: Any = None
    ) -> dict[str, Any]:
        required = set(schema.get("required", ()))
        body: dict[str, Any] = {}
        properties: Mapping[str, Any] = schema.get("properties", {})
        values = schema.get("additionalProperties")
        if not properties and isinstance(values, Mapping):  # a typed map: a few keys of its type
            length = (0, 1, 3)[self.choose(variant, depth, path + "|length", 3)] if depth < MAX_NESTING else 0
            length = min(length, int(schema.get("maxProperties", length)))
            shift = BASE ** min(depth + 1, MAX_DEPTH - 1)
            return {
                f"key_{index}": self.value(values, f"{path}{{}}", variant + index * shift, depth + 1, f"key_{index}")
                for index in range(length)
            }
        if not properties:
            return {"note": f"value {self.rng.randint(0, 99)}"} if values is not False else {}
        shown = example if isinstance(example, dict) else {}
        for name, prop in properties.items():
            value = self.property(
                prop, f"{path}.{name}", variant, depth, name, required=name in required, example=shown.get(name)
            )
            if value is not ABSENT:
                body[name] = value
        return body

    def property(
        self,
        prop: Mapping[str, Any],
        path: str,
        variant: int,
        depth: int,
        name: str,
        *,
        required: bool,
        example: Any = None,
    ) -> Any:
        modes = ["value"]
        if self.coverage:
            modes += ([] if required else ["absent"]) + (["null"] if self.nullable(prop) else [])
        if depth >= MAX_NESTING and (not required or self.nullable(prop)):
            return ABSENT if not required else None  # a recursive schema ends here
        mode = modes[self.choose(variant, depth, path + "|mode", len(modes))]
        if mode == "absent":
            return ABSENT
        if mode == "null":
            return None
        return self.value(prop, path, variant, depth + 1, name, example)

    def nullable(self, schema: Mapping[str, Any]) -> bool:
        kinds = schema.get("type")
        if isinstance(kinds, list) and "null" in kinds:
            return True
        if any(walker(self.provider).resolve(o).get("type") == "null" for o in schema.get("anyOf", ())):
            return True
        resolved = walker(self.provider).resolve(schema)
        return resolved is not schema and self.nullable(resolved)

    def array(
        self, schema: Mapping[str, Any], path: str, variant: int, depth: int, name: str, example: Any = None
    ) -> list[Any]:
        lengths = (0, 1, 3)
        length = self.list_length if name == "steps" else lengths[self.choose(variant, depth, path + "|length", 3)]
        if depth >= MAX_NESTING:
            length = 0
        length = max(int(schema.get("minItems", 0)), min(length, int(schema.get("maxItems", length))))
        items = schema.get("items", {})
        shift = BASE ** min(depth + 1, MAX_DEPTH - 1)
        kinds = object_members(self.provider, items)
        if self.coverage and length and len(kinds) > 1:
            # A list of a union's objects holds every member (its kinds), starting where the variant
            # says: each kind then meets every variant, and its own properties are covered as a
            # plain object's are.
            start = self.choose(variant, depth, path + "|first", len(kinds))
            count = min(len(kinds), int(schema.get("maxItems", len(kinds))), 6)
            turns = [kinds[(start + index) % len(kinds)] for index in range(count)]
            return [
                tagged(
                    self.provider,
                    union,
                    member,
                    self.value(member, f"{path}[]", self.scrambled(variant + index * shift, path), depth + 1, name),
                )
                for index, (union, member) in enumerate(turns)
            ]
        shown = example if isinstance(example, list) and example else [None]
        return [
            self.value(items, f"{path}[]", variant + index * shift, depth + 1, name, shown[index % len(shown)])
            for index in range(length)
        ]

    def string(
        self, schema: Mapping[str, Any], path: str, variant: int, depth: int, name: str, example: Any = None
    ) -> str:
        kind = schema.get("format")
        if kind == "date-time":
            self.clock += timedelta(milliseconds=self.rng.randint(20, 9000))
            return self.clock.isoformat().replace("+00:00", "Z")
        if kind == "uuid":
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if kind == "uri":
            return f"https://example.com/{name}/{self.rng.randint(1000, 9999)}"
        examples = [e for e in (*schema.get("examples", ()), schema.get("example")) if isinstance(e, str)]
        if examples and "<" not in examples[0]:
            return examples[self.choose(variant, depth, path + "|example", len(examples))]
        is_id = name == "id" or name.endswith(("_id", "Id"))  # an example's id would repeat in every item
        if isinstance(example, str) and example and "<" not in example and "pattern" not in schema and not is_id:
            return example
        text = f"{name}_{self.rng.randint(0, 99_999)}"
        pattern = schema.get("pattern")
        if pattern and not re.search(pattern, text):
            text = matching(pattern, self.rng)
        low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
        text = text.ljust(low, "x")
        return text[: int(high)] if high is not None else text

    def free_form(self, path: str, variant: int, depth: int) -> Any:
        """A value for a schema that allows anything: one of a few JSON shapes."""
        shapes: tuple[Any, ...] = ({"note": f"value {self.rng.randint(0, 99)}"}, {}, {"items": [1, 2]})
        return shapes[self.choose(variant, depth, path + "|free", len(shapes))]


def object_members(
    provider: ProviderInfo, schema: Mapping[str, Any]
) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(the union, the member) for each object member of a union schema, the members of a union
    inside it included; [] for a schema that is no union of objects."""
    union = walker(provider).resolve(schema)
    found = []
    for option in (*union.get("anyOf", ()), *union.get("oneOf", ())):
        resolved = walker(provider).resolve(option)
        if "properties" in resolved:
            found.append((union, option))
        elif resolved.get("anyOf") or resolved.get("oneOf"):
            found += object_members(provider, option)
    return found


def tagged(provider: ProviderInfo, union: Mapping[str, Any], member: Mapping[str, Any], drawn: Any) -> Any:
    """A drawn member of a union with an explicit discriminator, carrying its tag: the value the
    mapping gives it, or its schema name (OpenAPI's rule), where its own schema leaves the tag
    open (a member whose schema closes it to one value was drawn with that value already)."""
    discriminator = union.get("discriminator")
    if not isinstance(discriminator, Mapping) or not isinstance(drawn, dict) or "$ref" not in member:
        return drawn
    name = discriminator["propertyName"]
    own = walker(provider).resolve(member).get("properties", {}).get(name, {})
    if "const" in own or drawn.get(name) in own.get("enum", ()):
        return drawn  # the member's schema closes its tag: the draw took one of its values
    by_ref = {ref: value for value, ref in discriminator.get("mapping", {}).items()}
    drawn[name] = by_ref.get(member["$ref"], member["$ref"].rsplit("/", 1)[1])
    return drawn


def matching(pattern: str, rng: random.Random) -> str:
    """A string that matches the regular expression `pattern` (literals, classes, groups and
    repeats: what specs' id patterns use), drawn from `rng`."""
    from re import _parser as parser  # type: ignore[attr-defined]  # the stdlib's own regex parser

    def walk(items: Any) -> str:
        out = []
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(arg))
            elif name == "IN":
                choices = []
                for kind, value in arg:
                    if str(kind) == "LITERAL":
                        choices.append(chr(value))
                    elif str(kind) == "RANGE":
                        choices += [chr(c) for c in range(value[0], value[1] + 1)]
                    elif str(kind) == "CATEGORY":
                        choices += list("abcdefghij0123456789")
                out.append(rng.choice(choices or ["x"]))
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                low, high, inner = arg
                count = min(max(low, 1), high) if high != parser.MAXREPEAT else max(low, 1)
                out += [walk(inner) for _ in range(count)]
            elif name == "SUBPATTERN":
                out.append(walk(arg[-1]))
            elif name == "BRANCH":
                out.append(walk(rng.choice(arg[1])))
            elif name == "ANY":
                out.append("x")
        return "".join(out)

    return walk(parser.parse(pattern))


def draw(
    provider: ProviderInfo,
    schema: Mapping[str, Any],
    *,
    variant: int,
    rng: random.Random,
    list_length: int,
    coverage: bool = False,
) -> Any:
    """One body for `schema` (a schema, or a $ref to one, of `provider`'s spec): every property
    present and set, or with `coverage`, optional ones absent and nullable ones null by variant."""
    chooser = Draw(provider, variant, rng, list_length, coverage)
    return chooser.value(
        schema, "$", variant, 0, "steps" if walker(provider).resolve(schema).get("type") == "array" else "$"
    )
