"""What the environment says about reaching a server, read the same way on every road: the CA
bundle (SSL_CERT_FILE / SSL_CERT_DIR, else certifi's, as httpx does) and the proxy (HTTP_PROXY,
HTTPS_PROXY, ALL_PROXY, NO_PROXY, lower or upper case, as httpx and curl read them)."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from ..errors import ConfigurationError

if TYPE_CHECKING:
    import ssl


def ssl_context() -> ssl.SSLContext:
    """The verifying context for the CA bundle the environment names, shared by every client
    that names the same one (loading a bundle takes ~10 ms; a context is safe to share)."""
    return _ssl_context(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@functools.cache
def _ssl_context(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    import ssl  # only for https: plain http on loopback (tests, the emulator) needs none

    import certifi

    try:
        if cafile:
            return ssl.create_default_context(cafile=cafile)
        if capath:
            return ssl.create_default_context(capath=capath)
    except (OSError, ssl.SSLError) as error:
        variable = "SSL_CERT_FILE" if cafile else "SSL_CERT_DIR"
        raise ConfigurationError(
            f"the CA bundle {variable} names cannot be loaded: {error}", provider="agentruns"
        ) from None
    return ssl.create_default_context(cafile=certifi.where())


def proxy_for(base_url: str) -> str | None:
    """The proxy URL for requests to `base_url`, or None to connect directly. Decided once per
    client: re-reading the environment per request (as a `trust_env` client does, with ~/.netrc)
    costs more than the request."""
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # the common case, decided without importing urllib.request (~10 ms)
    import urllib.request

    url = urllib.parse.urlsplit(base_url)
    if url.hostname and urllib.request.proxy_bypass_environment(url.hostname):  # type: ignore[attr-defined]
        return None
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy:
        return None
    return proxy if "://" in proxy else f"http://{proxy}"
