"""The normalized frame: what every provider's AgentRun holds that its spec already says, filled
once here so a normalizer maps only what is particular to its provider.

From the declaration (`x-agentruns`): the provider; the run's ids, read from the body fields that
echo them (`echo`), else from the ref it was fetched by (empty where neither says); its status, read at `status_at` and mapped
by the declared table (`statuses`), and whether that status is terminal. From the fetch: the
native model and the request id of its first response. A run assembled from several operations
(Letta's run, steps and usage) names its run operation's body `run_body`."""

from __future__ import annotations

import functools
from typing import Any

from agentruns_model import AgentRun, RunStatus, Step

from .. import _pointer, registry
from ._common import TERMINAL, map_status, seconds_between

# The fields the frame fills; a normalizer gives any of the others (those it leaves out: None).
FRAME = frozenset({"provider", "id", "ref", "status", "raw_status", "is_terminal", "steps", "native", "request_id"})
PARTICULAR = frozenset(AgentRun.__struct_fields__) - FRAME


# Model class -> whether it is a composite run that names its run operation's body `run_body`.
_COMPOSITE: dict[type, bool] = {}


@functools.cache
def status_table(provider: str) -> dict[str, RunStatus]:
    """The provider's declared status table: its raw status values → RunStatus."""
    return {raw: RunStatus(normalized) for raw, normalized in registry.get(provider).statuses.items()}


class Frame:
    """One run's shared part, worked out before its provider's normalizer runs (which reads
    `status` and `is_terminal` where its mapping depends on them) and completed by `run()`."""

    __slots__ = ("body", "ids", "info", "is_terminal", "native", "raw_status", "ref", "request_id", "status")

    def __init__(self, info: registry.ProviderInfo, native: Any, ref: str | None) -> None:
        self.info = info
        self.native = native
        composite = _COMPOSITE.get(type(native))
        if composite is None:  # looked up once per class: a missing attribute costs an exception each time
            composite = _COMPOSITE[type(native)] = hasattr(type(native), "run_body")
        self.body: Any = native.run_body if composite else native
        self.status, self.raw_status = map_status(_pointer.read(self.body, info.status_at), status_table(info.name))
        self.is_terminal = self.status in TERMINAL
        self.request_id: str | None = getattr(native, "_request_id", None)
        names = [parameter.name for parameter in info.ref_parameters]
        given = ref.partition(":")[2].split("/", len(names) - 1) if ref else []
        ids = []
        for index, name in enumerate(names):
            echoed = _pointer.read(self.body, info.echo[name]) if name in info.echo else None
            if echoed is None and index < len(given):
                echoed = given[index]
            # An id neither the body (which may leave it out) nor a ref gives is empty: unknown.
            ids.append("" if echoed is None else str(getattr(echoed, "value", echoed)))
        self.ids = tuple(ids)
        self.ref = ref or f"{info.name}:" + "/".join(self.ids)

    def with_status(self, raw: object) -> Frame:
        """The run's status from `raw`, mapped by the declared table: for a provider whose run
        body says none of its own, the status its normalizer works out (a task that is where
        its steps are)."""
        self.status, self.raw_status = map_status(raw, status_table(self.info.name))
        self.is_terminal = self.status in TERMINAL
        return self

    def run(self, *, steps: list[Step] | None = None, **particular: Any) -> AgentRun:
        """The AgentRun: the frame, then what the normalizer gives (the fields of PARTICULAR, each
        None where not given; the duration from the start and end where not given)."""
        unknown = set(particular) - PARTICULAR
        if unknown:
            raise TypeError(f"{self.info.name}'s normalizer gives {', '.join(sorted(unknown))}: not its to give")
        fields = dict.fromkeys(PARTICULAR)
        fields.update(particular)
        if "duration" not in particular:
            fields["duration"] = seconds_between(fields["started_at"], fields["ended_at"])
        return AgentRun(
            provider=self.info.name,
            id=self.ids[-1],
            ref=self.ref,
            status=self.status,
            raw_status=self.raw_status,
            is_terminal=self.is_terminal,
            steps=steps if steps is not None else [],
            native=self.native,
            request_id=self.request_id,
            **fields,
        )


__all__ = ["PARTICULAR", "Frame", "status_table"]
