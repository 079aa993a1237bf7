"""Walking a provider's schemas, as the emulator draws and checks bodies: a `$ref` followed, an
`allOf` made the one object it describes, an operation's response body found. The clients never
walk a schema (their generated models know the shapes); the emulator, its overlays and the
contract tests do, through `walker(info)`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from .. import registry


class SchemaWalker:
    """The schemas of one provider's spec."""

    def __init__(self, info: registry.ProviderInfo) -> None:
        self.info = info
        # id(allOf schema) -> (that schema, the object it describes): see `merged`.
        self._merged: dict[int, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}

    def schema(self, name: str) -> Mapping[str, Any]:
        schema: Mapping[str, Any] = self.info.spec["components"]["schemas"][name]
        return schema

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """`schema` with a local $ref followed (repeatedly), and an allOf made the one object it
        describes (see `merged`)."""
        while "$ref" in schema:
            schema = self.schema(schema["$ref"].rsplit("/", 1)[1])
        return self.merged(schema) if "allOf" in schema else schema

    def merged(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """An allOf schema as the one object it describes: every part's properties and required
        fields (a later part's property over an earlier one's), then the schema's own. Made once
        per schema of the spec (the emulator reads them for every body it draws)."""
        if "allOf" not in schema:
            return schema
        known = self._merged.get(id(schema))
        if known is not None and known[0] is schema:
            return known[1]
        merged = self._merge(schema)
        self._merged[id(schema)] = (schema, merged)  # the schema kept with it: its id stays its own
        return merged

    def _merge(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        combined: dict[str, Any] = {}
        for part in schema["allOf"]:
            part = self.resolve(part)
            combined.update({k: v for k, v in part.items() if k not in ("properties", "required")})
            properties.update(part.get("properties", {}))
            required += [name for name in part.get("required", ()) if name not in required]
        own = {k: v for k, v in schema.items() if k != "allOf"}
        properties.update(own.pop("properties", {}))
        required += [name for name in own.pop("required", ()) if name not in required]
        return {**combined, **own, "type": "object", "properties": properties, "required": required}

    def response_schema(self, operation: registry.OperationInfo, status: str = "200") -> Mapping[str, Any]:
        path_item = self.info.spec["paths"][operation.path][operation.method.lower()]
        response = self.resolve_response(path_item["responses"][status])
        return self.resolve(response["content"]["application/json"]["schema"])

    def resolve_response(self, response: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in response:
            response = self.info.spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        return response

    @property
    def run_schema(self) -> Mapping[str, Any]:
        """The schema of the run operation's 200 body."""
        return self.response_schema(self.info.run_operation)

    def schema_at(self, schema: Mapping[str, Any], pointer: str) -> Mapping[str, Any]:
        """The schema of the value a JSON pointer reaches in a body of `schema` (through objects'
        properties, `allOf`s, nullable `anyOf`s and arrays' items); {} where it says nothing."""
        from .. import _pointer

        for token in _pointer.tokens(pointer):
            schema = self.merged(self.resolve(schema))
            options = [
                self.resolve(o)
                for o in schema.get("anyOf", schema.get("oneOf", ()))
                if self.resolve(o).get("type") != "null"
            ]
            if len(options) == 1:
                schema = self.merged(options[0])
            if token.isdigit() and "items" in schema:
                schema = schema["items"]
            else:
                schema = schema.get("properties", {}).get(token, {})
        return self.resolve(schema)

    @functools.cached_property
    def says_status(self) -> bool:
        """Whether the run body has a status field (at the declared `status_at`): where it has
        none, the run says its status in its parts (a task is where its steps are)."""
        return bool(self.schema_at(self.run_schema, self.info.status_at))

    @functools.cached_property
    def echo_probes(self) -> tuple[registry.Parameter, ...]:
        """For each id a body field echoes, a path parameter with that field's schema: an id that
        schema refuses (not a uuid where the field is one) is no run of the provider."""
        return tuple(
            registry.Parameter(
                name=name,
                location="path",
                required=True,
                schema=self.schema_at(self.run_schema, pointer),
                explode=False,
            )
            for name, pointer in self.info.echo.items()
        )

    @property
    def statuses(self) -> tuple[str, ...] | None:
        """The run's status values (at the declared `status_at`) when the spec closes the set (an
        enum), else None."""
        status = self.schema_at(self.run_schema, self.info.status_at)
        options = [self.resolve(o) for o in status.get("anyOf", ()) if self.resolve(o).get("type") != "null"]
        enum = (options[0] if len(options) == 1 else status).get("enum")
        return tuple(v for v in enum if v is not None) if enum else None


# id(info) -> (info, its walker): a ProviderInfo holds its spec, a dict, so it is not hashable.
_WALKERS: dict[int, tuple[registry.ProviderInfo, SchemaWalker]] = {}


def walker(info: registry.ProviderInfo) -> SchemaWalker:
    """The walker of `info`'s schemas (one per provider: it keeps what it has merged)."""
    known = _WALKERS.get(id(info))
    if known is not None and known[0] is info:
        return known[1]
    made = SchemaWalker(info)
    _WALKERS[id(info)] = (info, made)  # the info kept with it: its id stays its own
    return made


__all__ = ["SchemaWalker", "walker"]
