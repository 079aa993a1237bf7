"""The options a client takes, as TypedDicts: what `fetch`, `fetch_many`, `wait` and their async
twins pass on to a provider's client.

Written without postponed annotations: a TypedDict turns every string annotation into a
ForwardRef, compiling each one, at every import; real types cost it nothing (a cold start pays
every import)."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, TypedDict

from ._types import TimeoutTypes

if TYPE_CHECKING:
    import httpx


class ConnectionOptions(TypedDict, total=False):
    """Client options that `wait` and `await_` pass on (each poll has its own deadline)."""

    api_key: str | None
    base_url: str | None
    max_retries: int
    total_timeout: float | None
    max_response_bytes: int
    allow_insecure_http: bool
    default_headers: Mapping[str, str] | None


class ClientOptions(ConnectionOptions, total=False):
    """Client options that `fetch_many` and `afetch_many` pass to each provider's client."""

    timeout: TimeoutTypes


class SyncClientOptions(ClientOptions, total=False):
    """Every option of a sync client: what `fetch` passes on."""

    http_client: "httpx.Client | None"


class AsyncClientOptions(ClientOptions, total=False):
    """Every option of an async client: what `afetch` passes on."""

    http_client: "httpx.AsyncClient | None"
