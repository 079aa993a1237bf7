"""agentruns: typed clients for the "get an agent run" APIs of hosted agent platforms.

    import agentruns
    run = agentruns.fetch("casedev:run_123")       # normalized AgentRun; key from CASEDEV_API_KEY

    from agentruns import CasedevClient
    with CasedevClient() as client:                # the provider's own typed model
        details = client.get_run("run_123")

Names are imported on first use, so `import agentruns` stays cheap (a CLI or a script that needs
one provider does not load the others). Each provider's clients are `<Name>Client` and
`Async<Name>Client`, found through the registry (`agentruns.registry.names()`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS = {
    "RunResponse": ".responses",
    "RawResponse": ".responses",
    "request_id_of": ".responses",
    "NOT_GIVEN": "._types",
    **dict.fromkeys(
        (
            "AgentRunsError",
            "APIConnectionError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ClientStateError",
            "ConflictError",
            "ConfigurationError",
            "InvalidRequestError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "ResponseTooLargeError",
            "ResponseValidationError",
            "ServerError",
            "UnexpectedError",
            "UnprocessableEntityError",
            "WaitTimeoutError",
        ),
        ".errors",
    ),
    "normalize": ".normalizers",
    **dict.fromkeys(("to_dict", "to_json", "from_dict", "from_json"), ".serialize"),
    "registry": ".registry",
    "RunRef": ".refs",
    "InvalidRefError": ".errors",
    "UnknownProviderError": ".errors",
    "APIError": ".errors",
    **dict.fromkeys(("fetch", "afetch", "wait", "await_", "watch", "awatch", "fetch_many", "afetch_many"), ".fetching"),
    **dict.fromkeys(("AgentRun", "RunStatus", "Step", "StepKind", "Failure"), "agentruns_model"),
}


def _client_exports() -> dict[str, str]:
    """`CasedevClient` and `AsyncCasedevClient` -> ".clients.casedev", for every provider (the
    table make regen writes beside the clients, their names as each spec declares them)."""
    from . import clients

    table: dict[str, str] = getattr(clients, "CLASSES", {})  # none before make regen first writes it
    return {cls: f".clients.{name}" for cls, name in table.items()}


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AgentRun",
    "AgentRunsError",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "Failure",
    "InvalidRefError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RunRef",
    "RunResponse",
    "RunStatus",
    "ServerError",
    "Step",
    "StepKind",
    "UnexpectedError",
    "UnknownProviderError",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "afetch",
    "afetch_many",
    "await_",
    "awatch",
    "fetch",
    "fetch_many",
    "from_dict",
    "from_json",
    "normalize",
    "registry",
    "request_id_of",
    "to_dict",
    "to_json",
    "wait",
    "watch",
]


__all__ += sorted(_client_exports())


def __getattr__(name: str) -> Any:
    if name == "__version__":  # stated once, in pyproject.toml; written at install (see _version_info)
        from ._version_info import version

        globals()[name] = version()
        return globals()[name]
    module_name = _EXPORTS.get(name) or _client_exports().get(name)
    if module_name is None:
        raise AttributeError(f"module 'agentruns' has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    # `agentruns.registry` is the module itself; every other name is defined in its module.
    value = module if module_name == f".{name}" else getattr(module, name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


# What type checkers and IDEs see; the providers' clients come from _clients, which make regen writes
# from specs/, so a new provider touches no line here.
if TYPE_CHECKING:
    __version__: str

    from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind

    from . import registry
    from ._clients import *  # noqa: F403  (each provider's two clients: written by make regen)
    from ._types import NOT_GIVEN
    from .errors import (
        AgentRunsError,
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientStateError,
        ConfigurationError,
        ConflictError,
        InvalidRefError,
        InvalidRequestError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResponseTooLargeError,
        ResponseValidationError,
        ServerError,
        UnexpectedError,
        UnknownProviderError,
        UnprocessableEntityError,
        WaitTimeoutError,
    )
    from .fetching import afetch, afetch_many, await_, awatch, fetch, fetch_many, wait, watch
    from .normalizers import normalize
    from .refs import RunRef
    from .responses import RawResponse, RunResponse, request_id_of
    from .serialize import from_dict, from_json, to_dict, to_json
