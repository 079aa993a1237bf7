"""What changed between two versions of a provider's spec, and whether it breaks a client.

    python scripts/specdiff.py                 every provider: the committed package's spec vs specs/
    python scripts/specdiff.py --ref main      specs/ at a git ref vs specs/ now
    python scripts/specdiff.py casedev         one provider

The client reads these responses and sends these requests, and the rules are oasdiff's for that
reader: a response field removed, retyped, reformatted, made optional or made nullable breaks
it, as does an enum value removed (the generated enum loses its member), an operation removed,
or a parameter removed, renamed (the generated functions take parameters as keyword arguments),
retyped or made required. A field, an enum value (enums are open) or an optional parameter
added does not; nor does a field made required or non-nullable. A deprecation and a changed
description are reported, and break nothing.

Both specs are compared resolved ($ref followed, cycles cut), field by field at any depth, with
paths such as `usage.summary.costMicros` and `steps[].kind`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

BREAKING, ADDITION, DOCS = "breaking", "addition", "docs"


@dataclass(frozen=True, order=True)
class Change:
    """One line of the report. `level` decides the version bump: breaking → major, addition →
    minor, docs (deprecations, descriptions) → patch."""

    level: str
    where: str  # operationId, then the field or parameter path
    what: str

    def line(self) -> str:
        return f"{self.level.upper() if self.level == BREAKING else self.level}: {self.where}: {self.what}"


@dataclass
class _Node:
    """A schema reduced to what a reader of it depends on."""

    types: tuple[str, ...]
    format: str | None = None
    enum: tuple[Any, ...] | None = None
    nullable: bool = False
    deprecated: bool = False
    description: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    variants: tuple[Any, ...] = ()  # the non-null variants of a union, when more than one


class _Resolver:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec

    def resolve(self, schema: Any) -> tuple[dict[str, Any], str | None]:
        """The schema behind a $ref (and the ref's name), or the schema itself."""
        if isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            target: Any = self.spec
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            return target, ref
        return (schema if isinstance(schema, dict) else {}), None

    def merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """An allOf schema as the one object it describes: its parts' properties and required
        fields together (a later part's property over an earlier one's)."""
        if "allOf" not in schema:
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = {}
        required: set[str] = set(schema.get("required", ()))
        for part in schema["allOf"]:
            resolved = self.merged(self.resolve(part)[0])
            properties.update(resolved.get("properties", {}))
            required.update(resolved.get("required", ()))
            for key in ("type", "description", "deprecated"):
                merged.setdefault(key, resolved.get(key))
        merged["properties"] = {**properties, **schema.get("properties", {})}
        merged["required"] = sorted(required)
        merged["type"] = merged.get("type") or "object"
        return merged

    def variant_name(self, variant: Any) -> str:
        """What names a union member in the report: its schema's name, else its kind."""
        ref = self.resolve(variant)[1]
        if ref:
            return ref.rsplit("/", 1)[1]
        node = self.node(variant)[0]
        return "|".join(node.types) + (f" ({node.format})" if node.format else "")

    def node(self, schema: Any) -> tuple[_Node, str | None]:
        schema, ref = self.resolve(schema)
        schema = self.merged(schema)
        union = schema.get("anyOf") or schema.get("oneOf")
        if union:
            variants = [v for v in union if self.resolve(v)[0].get("type") != "null"]
            nullable = len(variants) < len(union)
            if len(variants) == 1:
                inner, inner_ref = self.node(variants[0])
                inner.nullable = inner.nullable or nullable
                inner.deprecated = inner.deprecated or bool(schema.get("deprecated"))
                inner.description = schema.get("description") or inner.description
                return inner, inner_ref
            kinds = tuple(sorted({"|".join(self.node(v)[0].types) for v in variants}))
            node = _Node(types=kinds, nullable=nullable, variants=tuple(variants))
        else:
            declared = schema.get("type")
            declared = declared if isinstance(declared, list) else [declared] if declared else []
            types = tuple(sorted(t for t in declared if t != "null")) or (
                ("object",) if "properties" in schema else ("any",)
            )
            node = _Node(types=types, nullable="null" in declared or (schema.get("enum") or [0]).count(None) > 0)
            node.format = schema.get("format")
            if "enum" in schema:
                node.enum = tuple(v for v in schema["enum"] if v is not None)
            node.properties = schema.get("properties", {})
            node.required = frozenset(schema.get("required", ()))
            node.items = schema.get("items")
        node.deprecated = node.deprecated or bool(schema.get("deprecated"))
        node.description = node.description or schema.get("description")
        return node, ref


def _describe(node: _Node) -> str:
    kind = "|".join(node.types) + (f" ({node.format})" if node.format else "")
    if node.enum is not None:
        kind += " enum"
    return ("nullable " if node.nullable else "") + kind


def _schema_changes(
    resolver_old: _Resolver,
    resolver_new: _Resolver,
    old: Any,
    new: Any,
    where: str,
    *,
    response: bool,
    seen: frozenset[str] = frozenset(),
    compared: set[tuple[str | None, str | None, bool]] | None = None,
) -> Iterator[Change]:
    """Changes between two schemas at `where`, for a reader (`response`) or a writer of them.
    A named schema met again (the same pair of $refs) is compared once, at the first path that
    reaches it: real specs reach shared schemas from many places."""
    old_node, old_ref = resolver_old.node(old)
    new_node, new_ref = resolver_new.node(new)
    refs = {r for r in (old_ref, new_ref) if r}
    if refs & seen:
        return  # a recursive schema: compared once, at its first level
    compared = set() if compared is None else compared
    if refs:
        if (old_ref, new_ref, response) in compared:
            return
        compared.add((old_ref, new_ref, response))
    seen = seen | refs
    label = where or "(body)"
    if old_node.types != new_node.types:
        yield Change(BREAKING, label, f"type changed: {_describe(old_node)} → {_describe(new_node)}")
        return
    if old_node.format != new_node.format:
        yield Change(BREAKING, label, f"format changed: {old_node.format or 'none'} → {new_node.format or 'none'}")
    if old_node.nullable != new_node.nullable:
        if new_node.nullable:
            yield Change(BREAKING if response else ADDITION, label, "became nullable")
        else:
            yield Change(ADDITION if response else BREAKING, label, "became non-nullable")
    if old_node.enum is not None or new_node.enum is not None:
        old_values, new_values = set(old_node.enum or ()), set(new_node.enum or ())
        for value in sorted(new_values - old_values, key=str):
            yield Change(ADDITION, label, f"enum value added: {value!r}")
        for value in sorted(old_values - new_values, key=str):
            yield Change(BREAKING, label, f"enum value removed: {value!r}")
    if new_node.deprecated and not old_node.deprecated:
        yield Change(DOCS, label, "deprecated")
    elif old_node.deprecated and not new_node.deprecated:
        yield Change(DOCS, label, "no longer deprecated")
    if (old_node.description or "") != (new_node.description or ""):
        yield Change(DOCS, label, "description changed")
    prefix = f"{where}." if where else ""
    for name in sorted(old_node.properties.keys() | new_node.properties.keys()):
        path = prefix + name
        if name not in new_node.properties:
            yield Change(BREAKING if response else ADDITION, path, "removed")
            continue
        was_required, is_required = name in old_node.required, name in new_node.required
        if name not in old_node.properties:
            added_node = resolver_new.node(new_node.properties[name])[0]
            necessity = "required" if is_required else "optional"
            level = BREAKING if is_required and not response else ADDITION
            yield Change(level, path, f"added ({necessity}, {_describe(added_node)})")
            continue
        if was_required and not is_required:
            yield Change(BREAKING if response else ADDITION, path, "became optional")
        elif is_required and not was_required:
            yield Change(ADDITION if response else BREAKING, path, "became required")
        yield from _schema_changes(
            resolver_old,
            resolver_new,
            old_node.properties[name],
            new_node.properties[name],
            path,
            response=response,
            seen=seen,
            compared=compared,
        )
    if old_node.items is not None and new_node.items is not None:
        yield from _schema_changes(
            resolver_old,
            resolver_new,
            old_node.items,
            new_node.items,
            f"{where}[]",
            response=response,
            seen=seen,
            compared=compared,
        )
    # A union's members, by name: one added is an addition (a reader meets it as a member it does
    # not know yet: the generated clients parse it into UnknownMember), one removed breaks, and
    # those in both are compared.
    old_members = {resolver_old.variant_name(v): v for v in old_node.variants}
    new_members = {resolver_new.variant_name(v): v for v in new_node.variants}
    for name in sorted(old_members.keys() | new_members.keys()):
        if name not in old_members:
            yield Change(ADDITION if response else BREAKING, label, f"union member added: {name}")
        elif name not in new_members:
            yield Change(BREAKING if response else ADDITION, label, f"union member removed: {name}")
        else:
            yield from _schema_changes(
                resolver_old,
                resolver_new,
                old_members[name],
                new_members[name],
                f"{where}<{name}>",
                response=response,
                seen=seen,
                compared=compared,
            )


_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _operations(spec: Mapping[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId → (method, path, operation), each operation's parameters merged with its
    path's."""
    found = {}
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                operation = dict(item[method])
                operation["parameters"] = [*item.get("parameters", ()), *operation.get("parameters", ())]
                found[operation.get("operationId") or f"{method} {path}"] = (method, path, operation)
    return found


def _json_response(resolver: _Resolver, operation: Mapping[str, Any]) -> Any:
    for status, response in sorted(operation.get("responses", {}).items()):
        if str(status).startswith("2"):
            content = resolver.resolve(response)[0].get("content", {})
            for media, body in content.items():
                if "json" in media:
                    return body.get("schema")
    return None


def _parameter_changes(
    old: _Resolver,
    new: _Resolver,
    op_id: str,
    old_op: tuple[str, str, dict[str, Any]],
    new_op: tuple[str, str, dict[str, Any]],
) -> Iterator[Change]:
    def params(resolver: _Resolver, operation: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        resolved = (resolver.resolve(p)[0] for p in operation["parameters"])
        return {(p["in"], p["name"]): p for p in resolved}

    old_params, new_params = params(old, old_op[2]), params(new, new_op[2])
    old_path_names = re.findall(r"{([^}]+)}", old_op[1])
    new_path_names = re.findall(r"{([^}]+)}", new_op[1])
    renamed = set()
    if len(old_path_names) == len(new_path_names):
        for before, after in zip(old_path_names, new_path_names, strict=True):
            if before != after:
                renamed |= {("path", before), ("path", after)}
                yield Change(BREAKING, f"{op_id} path parameter {before}", f"renamed to {after}")
    elif old_op[1] != new_op[1]:
        yield Change(BREAKING, op_id, f"path changed: {old_op[1]} → {new_op[1]}")
    for key in sorted(old_params.keys() | new_params.keys()):
        if key in renamed:
            continue
        where = f"{op_id} {key[0]} parameter {key[1]}"
        if key not in new_params:
            yield Change(BREAKING, where, "removed")
        elif key not in old_params:
            required = bool(new_params[key].get("required"))
            yield Change(BREAKING if required else ADDITION, where, f"added ({'required' if required else 'optional'})")
        else:
            before, after = old_params[key], new_params[key]
            if after.get("required") and not before.get("required"):
                yield Change(BREAKING, where, "became required")
            elif before.get("required") and not after.get("required"):
                yield Change(ADDITION, where, "became optional")
            if after.get("deprecated") and not before.get("deprecated"):
                yield Change(DOCS, where, "deprecated")
            if (before.get("description") or "") != (after.get("description") or ""):
                yield Change(DOCS, where, "description changed")
            yield from _schema_changes(old, new, before.get("schema"), after.get("schema"), where, response=False)


def changes(old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> list[Change]:
    """Every change from `old_spec` to `new_spec`, breaking ones first."""
    old, new = _Resolver(old_spec), _Resolver(new_spec)
    old_ops, new_ops = _operations(old_spec), _operations(new_spec)
    found: list[Change] = []
    for op_id in sorted(old_ops.keys() | new_ops.keys()):
        if op_id not in new_ops:
            found.append(Change(BREAKING, op_id, "operation removed"))
            continue
        if op_id not in old_ops:
            found.append(Change(ADDITION, op_id, f"operation added ({new_ops[op_id][0].upper()} {new_ops[op_id][1]})"))
            continue
        if new_ops[op_id][2].get("deprecated") and not old_ops[op_id][2].get("deprecated"):
            found.append(Change(DOCS, op_id, "operation deprecated"))
        found += _parameter_changes(old, new, op_id, old_ops[op_id], new_ops[op_id])
        body_changes = _schema_changes(
            old, new, _json_response(old, old_ops[op_id][2]), _json_response(new, new_ops[op_id][2]), "", response=True
        )
        found += (Change(c.level, f"{op_id} {c.where}", c.what) for c in body_changes)
    order = {BREAKING: 0, ADDITION: 1, DOCS: 2}
    return sorted(set(found), key=lambda c: (order[c.level], c.where, c.what))


def bump(version: str, found: list[Change]) -> str:
    """The next version after `version` for these changes (a patch when there are none: the
    package changed without its API changing)."""
    major, minor, patch = (int(part) for part in version.split("."))
    levels = {c.level for c in found}
    if BREAKING in levels:
        return f"{major + 1}.0.0"
    if ADDITION in levels:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# libyaml's safe loader where PyYAML was built with it (its wheels are): the same documents, read
# four times faster (OpenAI's spec: 90 ms instead of 340), and regen reads each spec thrice.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_spec(text: str) -> dict[str, Any]:
    """A spec (YAML, or the shipped JSON: YAML is a superset of it) as its data."""
    loaded: dict[str, Any] = yaml.load(text, Loader=_SAFE_LOADER)
    return loaded


def committed_spec(provider: str) -> dict[str, Any] | None:
    """The spec the committed package was generated from (it ships inside the package)."""
    shipped = ROOT / "generated" / provider / f"agentruns_{provider}" / "openapi.json"
    return json.loads(shipped.read_text()) if shipped.is_file() else None


def spec_at(ref: str, provider: str) -> dict[str, Any] | None:
    result = subprocess.run(
        ["git", "show", f"{ref}:specs/{provider}.yaml"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return load_spec(result.stdout) if result.returncode == 0 else None


def report(provider: str, found: list[Change]) -> str:
    if not found:
        return f"{provider}: no API change"
    return "\n".join([f"{provider}:", *(f"  {c.line()}" for c in found)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("providers", nargs="*", help="default: every spec under specs/")
    parser.add_argument("--ref", help="compare specs/ at this git ref (default: the committed generated packages)")
    args = parser.parse_args()
    names = args.providers or sorted(p.stem for p in (ROOT / "specs").glob("*.yaml"))
    for provider in names:
        spec_path = ROOT / "specs" / f"{provider}.yaml"
        if not spec_path.is_file():
            parser.error(f"no spec specs/{provider}.yaml")
        old = spec_at(args.ref, provider) if args.ref else committed_spec(provider)
        if old is None:
            print(f"{provider}: new provider")
            continue
        print(report(provider, changes(old, load_spec(spec_path.read_text()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
