"""agentruns: typed clients for the "get an agent run" APIs of hosted agent platforms.

from agentruns import CasedevClient
with CasedevClient() as client:          # key from CASEDEV_API_KEY
    run = client.get_run("run_123")
"""

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
)
from .providers.backside import AsyncBacksideClient, BacksideClient
from .providers.casedev import AsyncCasedevClient, CasedevClient
from .providers.middesk import AsyncMiddeskClient, MiddeskClient
from .providers.nsrocks import AsyncNsrocksClient, NsrocksClient

__version__ = "0.1.0"

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AgentRunsError",
    "AsyncBacksideClient",
    "AsyncCasedevClient",
    "AsyncMiddeskClient",
    "AsyncNsrocksClient",
    "AuthenticationError",
    "BacksideClient",
    "CasedevClient",
    "ConfigurationError",
    "InvalidRequestError",
    "MiddeskClient",
    "NotFoundError",
    "NsrocksClient",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "RunResponse",
    "ServerError",
]
