"""Run references: one string addresses a run on any provider.

backside:<kind>/<uuid>   middesk:<uuid>   casedev:<id>   nsrocks:<deployment_id>/<run_id>
"""

from __future__ import annotations

from uuid import UUID

from attrs import frozen

from .errors import InvalidRequestError

FORMATS = {
    "backside": "backside:<kind>/<uuid>",
    "middesk": "middesk:<uuid>",
    "casedev": "casedev:<id>",
    "nsrocks": "nsrocks:<deployment_id>/<run_id>",
}
# How many path ids each provider's run has; the last one of backside and middesk is a UUID.
_ID_COUNT = {"backside": 2, "middesk": 1, "casedev": 1, "nsrocks": 2}
_UUID_RUN_IDS = {"backside", "middesk"}


class InvalidRefError(InvalidRequestError):
    """A run reference that does not parse; the message shows the expected form."""


def _fail(ref: str, provider: str, why: str) -> InvalidRefError:
    expected = FORMATS.get(provider) or " | ".join(FORMATS.values())
    return InvalidRefError(
        f"{why} in {ref!r}; expected {expected}", provider=provider or "agentruns", operation="parse", field="ref"
    )


@frozen
class RunRef:
    """A parsed run reference: the provider and the run's path ids, in the endpoint's order."""

    provider: str
    ids: tuple[str, ...]

    @classmethod
    def parse(cls, ref: str) -> RunRef:
        if not isinstance(ref, str):
            raise _fail(repr(ref), "", "not a string")
        provider, sep, rest = ref.strip().partition(":")
        if not sep or provider not in FORMATS:
            raise _fail(ref, "", f"unknown provider {provider!r}" if sep else "no provider prefix")
        # casedev ids are opaque: everything after the prefix is the id (it may hold a '/').
        ids = (rest,) if _ID_COUNT[provider] == 1 else tuple(rest.split("/", 1))
        if len(ids) != _ID_COUNT[provider]:
            raise _fail(ref, provider, "missing '/' between the two ids")
        for part in ids:
            if part in ("", ".", ".."):
                raise _fail(ref, provider, "an empty or dot-segment id")
        if provider in _UUID_RUN_IDS:
            try:
                UUID(ids[-1])
            except ValueError:
                raise _fail(ref, provider, f"run id {ids[-1]!r} is not a UUID") from None
        return cls(provider, ids)

    def __str__(self) -> str:
        return f"{self.provider}:{'/'.join(self.ids)}"
