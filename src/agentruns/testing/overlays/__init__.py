"""Per-provider overlays: what keeps a drawn run coherent (bodies.py draws it from the spec).

An overlay is a module named after its provider. Everything in it is optional:

(Which body fields repeat the path ids, and the status values, are the spec's declaration:
`x-agentruns: echo` and `statuses`. A path id that its echo field's schema refuses, its format or
pattern, is answered 404, which is also how providers that share a path, Middesk's and Letta's
`/v1/runs/{id}`, are told apart.)

- `check_ids(ids) -> str | None`: why ids are not this provider's, beyond the spec.
- `cohere(run: RunDraft) -> None`: fix values so the run makes sense (times ordered, sums add
  up, a terminal run has an end). It changes values; it neither adds nor removes optional keys.
- `respond(run, operation, query) -> body`: the body of one operation for one query (a list
  page, an `include`); by default the drawn body.
- `ERROR_FIELDS`: HTTP status (500 standing for every 5xx) -> the values of the error body's
  `type`, `code` or `error` fields where the provider's differ from the emulator's own codes
  (`not_found`, `rate_limited`, ...)."""

from __future__ import annotations

import importlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

from ...registry import ProviderInfo


@dataclass
class RunDraft:
    """One emulated run while its overlay makes it coherent."""

    provider: ProviderInfo
    ids: dict[str, str]  # path parameter -> value
    status: str | None
    terminal: bool  # the status normalizes to a terminal one
    bodies: dict[str, Any]  # operationId -> drawn body
    rng: random.Random
    steps: int
    # The coverage draw: an overlay fixes values but must leave the draw's variety of enum values
    # alone; the realistic draw may also give a run the shape real ones have (a tool call, then
    # its result).
    coverage: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def body(self) -> Any:
        """The run operation's body."""
        return self.bodies[self.provider.run_operation.operation_id]

    def draw_property(self, name: str) -> Any:
        """A fresh draw of the run schema's property `name` (for a part the provider's own
        semantics require even where the schema makes it optional)."""
        from ..bodies import draw
        from ..schemas import walker

        schema = walker(self.provider).run_schema["properties"][name]
        return draw(self.provider, schema, variant=self.rng.randrange(1 << 16), rng=self.rng, list_length=self.steps)

    def draw_schema(self, name: str) -> Any:
        """A fresh draw of the component schema `name` (an item of a kind the overlay wants)."""
        from ..bodies import draw

        schema = {"$ref": f"#/components/schemas/{name}"}
        return draw(self.provider, schema, variant=self.rng.randrange(1 << 16), rng=self.rng, list_length=self.steps)


def overlay(provider: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"{__name__}.{provider}")
    except ModuleNotFoundError:
        return None


def attribute(provider: str, name: str, default: Any) -> Any:
    module = overlay(provider)
    return getattr(module, name, default) if module else default


def set_present(body: Mapping[str, Any] | Any, key: str, value: Any) -> None:
    """Set `key` only where the draw put it (absent stays absent) and only to a value when it is
    not null (null stays null): the overlay keeps the draw's coverage of absent and null."""
    if isinstance(body, dict) and body.get(key) is not None:
        body[key] = value


# Names for what a drawn run calls (the specs give no examples of their own).
TOOLS = ("search_docs", "read_file", "run_query", "fetch_url", "write_summary")
MODELS = ("gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash")


def timestamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


__all__ = ["MODELS", "TOOLS", "RunDraft", "attribute", "overlay", "set_present", "timestamp"]
