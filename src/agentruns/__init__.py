"""agentruns: typed clients for the "get an agent run" APIs of hosted agent platforms.

    import agentruns
    run = agentruns.fetch("casedev:run_123")       # normalized AgentRun; key from CASEDEV_API_KEY

    from agentruns import CasedevClient
    with CasedevClient() as client:                # the provider's own typed model
        details = client.get_run("run_123")

Names are imported on first use, so `import agentruns` stays cheap (a CLI or a script that needs
one provider does not load the other three)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "RunResponse": "._http",
    "NOT_GIVEN": "._types",
    **dict.fromkeys(
        (
            "AgentRunsError",
            "APIConnectionError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "ConfigurationError",
            "InvalidRequestError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "ResponseTooLargeError",
            "ResponseValidationError",
            "ServerError",
            "UnexpectedError",
            "WaitTimeoutError",
        ),
        ".errors",
    ),
    "BacksideClient": ".providers.backside",
    "AsyncBacksideClient": ".providers.backside",
    "MiddeskClient": ".providers.middesk",
    "AsyncMiddeskClient": ".providers.middesk",
    "CasedevClient": ".providers.casedev",
    "AsyncCasedevClient": ".providers.casedev",
    "NsrocksClient": ".providers.nsrocks",
    "AsyncNsrocksClient": ".providers.nsrocks",
    "normalize": ".normalizers",
    "RunRef": ".refs",
    "InvalidRefError": ".refs",
    **dict.fromkeys(("fetch", "afetch", "wait", "await_", "fetch_many", "afetch_many"), ".fetching"),
    **dict.fromkeys(("AgentRun", "RunStatus", "Step", "StepKind", "Failure"), "agentruns_model"),
}

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AgentRun",
    "AgentRunsError",
    "AsyncBacksideClient",
    "AsyncCasedevClient",
    "AsyncMiddeskClient",
    "AsyncNsrocksClient",
    "AuthenticationError",
    "BacksideClient",
    "CasedevClient",
    "ConfigurationError",
    "Failure",
    "InvalidRefError",
    "InvalidRequestError",
    "MiddeskClient",
    "NotFoundError",
    "NsrocksClient",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RunRef",
    "RunResponse",
    "RunStatus",
    "ServerError",
    "Step",
    "StepKind",
    "UnexpectedError",
    "WaitTimeoutError",
    "afetch",
    "afetch_many",
    "await_",
    "fetch",
    "fetch_many",
    "normalize",
    "wait",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'agentruns' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # what type checkers and IDEs see
    from agentruns_model import AgentRun, Failure, RunStatus, Step, StepKind

    from ._http import RunResponse
    from ._types import NOT_GIVEN
    from .errors import (
        AgentRunsError,
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        InvalidRequestError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResponseTooLargeError,
        ResponseValidationError,
        ServerError,
        UnexpectedError,
        WaitTimeoutError,
    )
    from .fetching import afetch, afetch_many, await_, fetch, fetch_many, wait
    from .normalizers import normalize
    from .providers.backside import AsyncBacksideClient, BacksideClient
    from .providers.casedev import AsyncCasedevClient, CasedevClient
    from .providers.middesk import AsyncMiddeskClient, MiddeskClient
    from .providers.nsrocks import AsyncNsrocksClient, NsrocksClient
    from .refs import InvalidRefError, RunRef
