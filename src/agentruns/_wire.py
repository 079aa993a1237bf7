"""The fast checked decode: bytes → typed msgspec Structs → the generated attrs models.

Every generated model lists its fields with their decoded types (`_wire_fields`) and builds itself
from a Struct of them (`_from_wire`). From those lists this module builds one msgspec Struct per
model, so that msgspec checks every type in one C pass, and the model's own code converts the
formats. Anything the fast path refuses — a wrong type, a missing field, a bad date, invalid JSON
— goes to the model's `from_dict` over the same JSON, whose error names the exact field path:
the fast path decides nothing on its own, it only makes the common case cheap.

Unknown fields are the forward-compatible case, and they must stay cheap and kept (in the model's
`additional_properties`). A Struct refuses unknown fields, so a body that has some goes to
`from_dict`, which keeps them; this module then reads the keys off that result and learns them: the
Structs of those models gain fields of those names, typed Any. What was learned serves every later
body, so a provider that adds fields pays the slow path once. Learning is bounded per model."""

from __future__ import annotations

import functools
import importlib
import itertools
import re
import sys
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any, ForwardRef, Generic, TypeVar, Union, get_args, get_origin

import msgspec

T = TypeVar("T")

# Unknown keys learned per model. A model whose bodies bring more (keys that vary, like a map's)
# stops learning, and its bodies with new keys keep going to from_dict: correct, just slower.
MAX_LEARNED_PER_MODEL = 64
# msgspec cannot name a field with a backslash, a quote or a control character: such keys are
# never learned, and bodies bringing them take the slow path.
_NAMEABLE = re.compile(r'[^\\"\x00-\x1f]*')
_MISSING: Any = msgspec.UNSET  # the default of a learned field: never a decoded JSON value

_lock = threading.Lock()
_learned: dict[type, tuple[str, ...]] = {}  # model → unknown keys seen, in the order met
_generation = 0  # bumped whenever something is learned: decoders built before rebuild
# Where a recursive model's Struct is named (a state whose tasks hold states): it refers to itself
# by that name, which msgspec resolves in the Struct's module when a decoder is made. Only such
# Structs are kept here; the others go when their decoders are rebuilt.
_STRUCTS = types.ModuleType(f"{__name__}_structs", "The Structs of the models, by unique name.")
sys.modules[_STRUCTS.__name__] = _STRUCTS
_serial = itertools.count()


class WireUnsupported(Exception):
    """A model the fast path cannot mirror (a union member that refers back to its union): its
    bodies go to from_dict."""


def _constant(value: Any) -> property:
    """An attribute of a tagged Struct that always reads `value` (the member's tag)."""
    return property(lambda _: value)


def _no_extras(self: msgspec.Struct) -> dict[str, Any]:
    return {}


def _extras_reader(learned: tuple[tuple[str, str], ...]) -> Callable[[msgspec.Struct], dict[str, Any]]:
    def extras(self: msgspec.Struct) -> dict[str, Any]:
        found = {}
        for key, attribute in learned:
            value = getattr(self, attribute)
            if value is not _MISSING:
                found[key] = value
        return found

    return extras


class _Builder:
    """Builds the Structs of the models reachable from one root, against what is learned now."""

    def __init__(self) -> None:
        self.structs: dict[tuple[type, tuple[str, Any] | None], Any] = {}
        self.building: dict[type, str | None] = {}  # model -> its Struct's name while untagged
        self.referred: set[str] = set()  # the names a Struct being built refers to itself by

    def struct(self, model: type, tag: tuple[str, Any] | None = None) -> Any:
        """The Struct mirroring `model` (a dict type for a model without declared fields). With
        `tag` (its JSON key and value), the Struct of one member of a tagged union: msgspec reads
        that key to choose the member, so the Struct has no such field, and gives the model the
        value it stands for instead."""
        if (model, tag) in self.structs:
            return self.structs[model, tag]
        if model in self.building:
            name = self.building[model]
            if name is None or tag is not None:
                raise WireUnsupported(f"{model.__name__} refers to itself as a union member or a map's value")
            self.referred.add(name)
            return ForwardRef(name, module=_STRUCTS.__name__)  # itself, by name: resolved once built
        if not model._wire_fields():  # type: ignore[attr-defined]
            values = getattr(model, "_wire_values", None)
            if values is None:
                return dict[str, Any]  # free-form: _from_wire takes the dict
            # A typed map (node name -> its runs): every value is checked in the same pass.
            self.building[model] = None
            try:
                mapped: Any = dict[str, self.wire_type(values())]  # type: ignore[misc]
            finally:
                del self.building[model]
            self.structs[model, tag] = mapped
            return mapped
        name = f"{model.__name__}_{next(_serial)}" if tag is None else None
        self.building[model] = name
        try:
            struct = self._struct(model, tag, name or model.__name__)
        finally:
            del self.building[model]
        if name in self.referred:  # only a Struct that refers to itself is looked up by its name
            setattr(_STRUCTS, name, struct)
        self.structs[model, tag] = struct
        return struct

    def _struct(self, model: type, tag: tuple[str, Any] | None, name: str) -> Any:
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        tagged: dict[str, Any] = {}
        for key, attribute, annotation, required in model._wire_fields():  # type: ignore[attr-defined]
            if tag is not None and key == tag[0]:
                value = annotation(tag[1]) if isinstance(annotation, type) else tag[1]  # an enum's member
                tagged[attribute] = _constant(value)
                continue
            wire = self.wire_type(annotation)
            fields.append((attribute, wire) if required else (attribute, wire, _unset_of(model)))
            rename[attribute] = key
        keeps_extras = "additional_properties" in getattr(model, "__annotations__", {})
        namespace: dict[str, Any] = {
            "_extras": _no_extras,
            "_extra_keys": (),
            # What a union's from_wire calls to make the model of a Struct it was handed.
            "_to_model": staticmethod(model._from_wire),  # type: ignore[attr-defined]
            **tagged,
        }
        if keeps_extras:
            learned = []
            taken = set(rename)
            for index, key in enumerate(_learned.get(model, ())):
                attribute = f"extra_{index}"
                while attribute in taken:
                    attribute += "_"
                taken.add(attribute)
                fields.append((attribute, Any, _MISSING))
                rename[attribute] = key
                learned.append((key, attribute))
            if learned:
                namespace["_extras"] = _extras_reader(tuple(learned))
                namespace["_extra_keys"] = tuple(key for key, _ in learned)
            if "additional_properties" not in rename:
                # Read as the model's: a normalizer reading a deferred list's items (`read_as_models`)
                # finds the unknown keys where the model keeps them.
                namespace["additional_properties"] = property(namespace["_extras"])
        options: dict[str, Any] = {"tag_field": tag[0], "tag": tag[1]} if tag is not None else {}
        return msgspec.defstruct(
            name,
            fields,
            module=_STRUCTS.__name__,
            kw_only=True,
            rename=rename,
            forbid_unknown_fields=keeps_extras,
            namespace=namespace,
            gc=False,  # decoded trees have no cycles; untracked Structs cost the collector nothing
            **options,
        )

    def tagged_union(self, union: Any) -> Any:
        """msgspec's tagged union of a union's members (an ObjectUnion class), one Struct per
        value of the tag, where the tag alone tells the members apart; else Any (the generated
        code parses the decoded object). A new kind, a tag it does not know, sends the body to
        from_dict, which makes it an UnknownMember."""
        union.prepare()
        structs = []
        for value, members in union.by_tag.items():
            (model, constants), *others = members
            required = any(field == union.tag and required for field, _, required in constants)
            if others or not required or not isinstance(value, str):
                self.build_members(union)
                return Any  # two members share this tag (told apart by other fields), or it may be absent
            try:
                structs.append(self.struct(model, (union.tag, value)))
            except (WireUnsupported, TypeError, ValueError):
                return Any  # a member that refers back to the union (a filter of filters)
        return Union[tuple(structs)] if structs else Any  # noqa: UP007

    def build_members(self, union: Any) -> None:
        """For a union whose objects stay as decoded (the generated code tells their members
        apart): each member's builder from a decoded object, through the member's Struct
        (`msgspec.convert` checks it in C, the model is made from it), in place of its from_dict.
        The union keeps from_dict for what a builder refuses, and for a member that refers back."""
        fast = {}
        for model in union.models:
            try:
                struct = self.struct(model)
            except (WireUnsupported, TypeError, ValueError):
                continue
            if isinstance(struct, type) and hasattr(struct, "_to_model"):
                fast[model] = functools.partial(_built, struct._to_model, struct)
        union.fast = fast  # the union's own map (the base class's stays empty)

    def wire_type(self, annotation: Any) -> Any:
        if isinstance(annotation, type) and hasattr(annotation, "from_wire") and hasattr(annotation, "models"):
            return self.tagged_union(annotation)
        if isinstance(annotation, type) and hasattr(annotation, "_wire_fields"):
            return self.struct(annotation)
        origin = get_origin(annotation)
        if origin is list:
            return list[self.wire_type(get_args(annotation)[0])]  # type: ignore[misc]
        if origin is Union or origin is types.UnionType:
            return Union[tuple(self.wire_type(arg) for arg in get_args(annotation))]  # noqa: UP007
        return annotation


def _built(to_model: Callable[[Any], Any], struct: type, data: dict[str, Any]) -> Any:
    return to_model(msgspec.convert(data, struct))


def package_module(model: type, name: str) -> Any:
    """A module of the generated package that `model` belongs to (`types`, `errors`)."""
    return importlib.import_module(f"{model.__module__.partition('.')[0]}.{name}")


def _unset_of(model: type) -> Any:
    """The UNSET of the model's generated package: what an absent optional field holds."""
    return package_module(model, "types").UNSET


def _harvest(value: Any, found: dict[type, dict[str, None]]) -> None:
    """Collect, per model class, the unknown keys kept in a decoded tree's additional_properties."""
    if type(value) is list:
        for item in value:
            _harvest(item, found)
        return
    attributes = _ATTRIBUTES.get(type(value))
    if attributes is None:
        if not hasattr(type(value), "_wire_fields"):
            return
        attributes = _ATTRIBUTES[type(value)] = tuple(field[1] for field in type(value)._wire_fields())
    extra = getattr(value, "additional_properties", None)
    if extra:
        if hasattr(type(value), "_wire_values"):  # a typed map: its keys are data, its values models
            for item in extra.values():
                _harvest(item, found)
        else:
            found.setdefault(type(value), {}).update(dict.fromkeys(extra))
    for attribute in attributes:
        _harvest(getattr(value, attribute), found)


_ATTRIBUTES: dict[type, tuple[str, ...]] = {}


def _learn(found: dict[type, dict[str, None]]) -> None:
    """Add the unknown keys found to their models' Structs, within each model's bound."""
    global _generation
    with _lock:
        changed = False
        for model, keys in found.items():
            known = _learned.get(model, ())
            new = [key for key in keys if key not in known and _NAMEABLE.fullmatch(key)]
            if new and len(known) + len(new) <= MAX_LEARNED_PER_MODEL:
                _learned[model] = (*known, *new)
                changed = True
        if changed:
            _generation += 1


class WireDecoder(Generic[T]):
    """Decodes a body into `model` (or, with `many`, a JSON array of them) on the fast path;
    `fallback(body)` is called for every body the fast path refuses."""

    def __init__(self, model: type[T], fallback: Callable[[bytes], T], *, many: bool = False) -> None:
        self.model = model
        self.many = many
        self.fallback = fallback
        self._generation = -1
        self._decoder: msgspec.json.Decoder[Any] | None = None
        self._root: Any = None
        self._broken = False

    def _current(self) -> msgspec.json.Decoder[Any] | None:
        if self._broken:
            return None
        if self._generation != _generation or self._decoder is None:
            generation = _generation
            try:
                struct = _Builder().struct(self.model)
            except (WireUnsupported, ValueError, TypeError):  # msgspec refused a type: stay slow
                self._broken = True
                return None
            self._root = list[struct] if self.many else struct  # type: ignore[valid-type]
            self._decoder = msgspec.json.Decoder(self._root)
            self._generation = generation
        return self._decoder

    def __call__(self, body: bytes) -> T:
        unknown = False
        decoder = self._current()
        if decoder is not None:
            try:
                wire = decoder.decode(body)
            except msgspec.ValidationError as error:
                unknown = str(error).startswith("Object contains unknown field")
            except msgspec.DecodeError:
                pass
            else:
                try:
                    return self._build(wire)
                except (ValueError, TypeError):
                    pass
        result = self.fallback(body)
        if unknown:
            # The checked path kept every unknown key; the Structs learn them all at once, so
            # the next body like this one stays on the fast path.
            found: dict[type, dict[str, None]] = {}
            _harvest(result, found)
            _learn(found)
        return result

    def _build(self, wire: Any) -> T:
        from_wire = self.model._from_wire  # type: ignore[attr-defined]
        if self.many:
            return [from_wire(item) for item in wire]  # type: ignore[return-value]
        return from_wire(wire)  # type: ignore[no-any-return]


def _holds_a_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return hasattr(annotation, "_wire_fields") or hasattr(annotation, "from_wire")
    return any(_holds_a_model(argument) for argument in get_args(annotation))


@functools.cache
def reads_as_its_model(model: type) -> bool:
    """Whether the decoded Struct of a deferred list's item reads as the built `model` does, field
    for field: no field holds a model (the model holds it built, the Struct as a Struct) or a
    union its code parses. What else a model converts (dates, UUIDs) is never in a deferred
    list's items, whose building cannot fail (see DeferredLists in the generated types)."""
    return not any(_holds_a_model(annotation) for _, _, annotation, _ in model._wire_fields())  # type: ignore[attr-defined]


def read_as_models(model: object, name: str) -> list[Any] | None:
    """The items of `model`'s list `name` as decoded, where that list is still deferred and its
    items read as their models do (`reads_as_its_model`); else None. Reading them builds
    nothing: the models are made on the list's first read, as before."""
    try:
        deferred = object.__getattribute__(model, "_deferred")
    except AttributeError:  # a model that defers nothing, or nothing now
        return None
    entry = deferred.get(name)
    if entry is None:
        return None
    build, decoded = entry
    if type(decoded) is not list:  # a deferred typed map, built whole: no items to read
        return None
    owner = getattr(build, "__self__", None)  # the item model, whose _from_wire builds each item
    return decoded if owner is not None and reads_as_its_model(owner) else None


def forget() -> None:
    """Drop every learned key: the Structs go back to the spec's fields alone."""
    global _generation
    with _lock:
        _learned.clear()
        _generation += 1


def learned() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(model, unknown keys) the fast path has learned in this process, for diagnostics."""
    for model, keys in list(_learned.items()):
        yield f"{model.__module__}.{model.__qualname__}", keys


__all__ = [
    "MAX_LEARNED_PER_MODEL",
    "WireDecoder",
    "forget",
    "learned",
    "package_module",
    "read_as_models",
    "reads_as_its_model",
]
