"""Run references: one string addresses a run on any provider.

A ref is `<provider>:<ids>`, the path parameters of the provider's run operation joined by `/`
in the spec's order (`backside:<kind>/<id:uuid>`, `casedev:<id>`); the last id takes the rest
of the string, so an opaque id may hold a `/`. `agentruns providers` prints every form."""

from __future__ import annotations

import msgspec

from . import registry
from .errors import InvalidRefError


def ref_formats() -> dict[str, str]:
    return {info.name: info.ref_format for info in registry.all_providers()}


def _fail(ref: str, provider: str, why: str) -> InvalidRefError:
    expected = registry.get(provider).ref_format if provider else " | ".join(f"{n}:..." for n in registry.names())
    return InvalidRefError(
        f"{why} in {ref!r}; expected {expected}", provider=provider or "agentruns", operation="parse", field="ref"
    )


class RunRef(msgspec.Struct, frozen=True):
    """A parsed run reference: the provider and the run's path ids, in the endpoint's order."""

    provider: str
    ids: tuple[str, ...]

    @classmethod
    def parse(cls, ref: str) -> RunRef:
        if not isinstance(ref, str):
            raise _fail(repr(ref), "", "not a string")
        provider, sep, rest = ref.strip().partition(":")
        if not sep or provider not in registry.names():
            raise _fail(ref, "", f"unknown provider {provider!r}" if sep else "no provider prefix")
        parameters = registry.get(provider).ref_parameters
        ids = tuple(rest.split("/", len(parameters) - 1))
        if len(ids) != len(parameters):
            raise _fail(ref, provider, "missing '/' between the ids")
        for parameter, value in zip(parameters, ids, strict=True):
            if problem := parameter.problem(value):
                raise _fail(ref, provider, problem)
        return cls(provider, ids)

    def __str__(self) -> str:
        return f"{self.provider}:{'/'.join(self.ids)}"
