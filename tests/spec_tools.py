"""Read the committed specs, so tests derive their cases from the same source as the clients."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import yaml

from agentruns import registry
from agentruns.testing.schemas import walker

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = registry.names()
# The 200 response schema of each provider's run operation.
RUN_SCHEMAS = {name: registry.get(name).schema_name_of(registry.get(name).run_operation) for name in PROVIDERS}


@cache
def load_spec(provider: str) -> dict[str, Any]:
    # libyaml's loader, as scripts/specdiff.py reads specs: OpenAI's in 90 ms instead of 340.
    loaded: dict[str, Any] = yaml.load((ROOT / "specs" / f"{provider}.yaml").read_text(), Loader=yaml.CSafeLoader)
    return loaded


def schema(provider: str, name: str) -> dict[str, Any]:
    """A component schema, an allOf made the one object it describes (as the registry reads it)."""
    resolved: dict[str, Any] = walker(registry.get(provider)).resolve(
        load_spec(provider)["components"]["schemas"][name]
    )  # type: ignore[assignment]
    return resolved


def example(provider: str) -> dict[str, Any]:
    """The example the spec gives of its run operation's body, else (a document that gives none)
    the emulator's first realistic run, every field present: a body of the provider's own form."""
    given = schema(provider, RUN_SCHEMAS[provider]).get("example")
    if given is None:
        from agentruns.testing.data import make_run, sample_ids

        given = make_run(provider, sample_ids(provider, 0))
    return copy.deepcopy(given)


TIME_FORMATS = frozenset({"date-time", "date", "unixtime"})


@cache
def keeps_times(provider: str) -> bool:
    """Whether a run of the provider says any time: a field of a time format in the body of any
    operation a run is assembled from (a timeless protocol keeps none)."""
    info = registry.get(provider)
    seen: set[int] = set()

    def timed(node: Any) -> bool:
        if isinstance(node, list):
            return any(timed(item) for item in node)
        if not isinstance(node, dict) or id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node.get("format"), str) and node["format"] in TIME_FORMATS:
            return True
        if "$ref" in node:
            return timed(walker(info).resolve(node))
        return any(timed(value) for key, value in node.items() if key not in ("example", "examples"))

    return any(timed(walker(info).response_schema(op)) for op in info.operations.values() if op.method == "GET")


def a_base_url(provider: str) -> str:
    """Where a test's client of the provider points when nothing is sent: its spec's own server,
    or, for a self-hosted provider (no server of its own), a placeholder host of its kind."""
    return registry.get(provider).default_base_url or "https://self-hosted.example/api/v1"


def a_key(provider: str, secret: str = "test") -> str:
    """A key of the provider's own form (its key prefix, then `secret`), right or wrong by secret."""
    return (registry.get(provider).key_prefix or "") + secret


def run_model(provider: str) -> Any:
    return registry.get(provider).run_model


def run_part(provider: str, model: Any) -> Any:
    """The run operation's model inside what get_run returns: itself for a one-request fetch,
    the part of that class in a composite (a LettaRun's `run`)."""
    run_class = run_model(provider)
    if isinstance(model, run_class):
        return model
    return next(value for value in attrs.astuple(model, recurse=False) if isinstance(value, run_class))


def resolve(provider: str, prop: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref (and a nullable anyOf around one, either side of it) to the schema it names:
    OpenAI's `service_tier` is a $ref to a nullable anyOf around its string enum."""
    if "$ref" in prop:
        return resolve(provider, schema(provider, prop["$ref"].rsplit("/", 1)[1]))
    options = [option for option in prop.get("anyOf", ()) if option.get("type") != "null"]
    if len(options) == 1:
        return resolve(provider, options[0])
    resolved: dict[str, Any] = walker(registry.get(provider)).resolve(prop)  # type: ignore[assignment]
    return resolved


def is_nullable(prop: dict[str, Any]) -> bool:
    kinds = prop.get("type")
    return (isinstance(kinds, list) and "null" in kinds) or any(o.get("type") == "null" for o in prop.get("anyOf", ()))


def object_schemas(provider: str, root: dict[str, Any], body: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (schema, JSON object) pair in `body`, walking nested objects and arrays of objects."""
    pairs = [(root, body)]
    for name, prop in root.get("properties", {}).items():
        value = body.get(name)
        target = resolve(provider, prop)
        if isinstance(value, dict) and "properties" in target:
            pairs += object_schemas(provider, target, value)
        elif isinstance(value, list) and "items" in target:
            item_schema = resolve(provider, target["items"])
            for item in value:
                if isinstance(item, dict) and "properties" in item_schema:
                    pairs += object_schemas(provider, item_schema, item)
    return pairs


def slot_is_empty(model: Any, name: str) -> bool:
    """The field's own slot holds nothing yet: read past the model's __getattr__, which builds a
    deferred list (DeferredLists in the generated types) on a plain read."""
    try:
        object.__getattribute__(model, name)
    except AttributeError:
        return True
    return False
