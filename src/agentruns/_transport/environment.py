"""What the environment says about reaching a server, read the same way on every road: the CA
bundle (SSL_CERT_FILE / SSL_CERT_DIR, else certifi's, as httpx does) and the proxy (HTTP_PROXY,
HTTPS_PROXY, ALL_PROXY, NO_PROXY, lower or upper case, as httpx and curl read them)."""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

from ..errors import ConfigurationError
from .target import control_character

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
        variable, path = ("SSL_CERT_FILE", cafile) if cafile else ("SSL_CERT_DIR", capath)
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ConfigurationError(
            f"the CA bundle {variable}={path!r} names cannot be loaded: {why}; point it at a PEM file "
            "(or unset it for certifi's bundle)",
            provider="agentruns",
            field=variable,
        ) from None
    return ssl.create_default_context(cafile=certifi.where())


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def proxy_for(base_url: str) -> str | None:
    """The proxy URL for requests to `base_url`, or None to connect directly. Decided once per
    client: re-reading the environment per request (as a `trust_env` client does, with ~/.netrc)
    costs more than the request. A malformed proxy variable is a ConfigurationError naming it."""
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # the common case, decided without importing urllib (~10 ms)
    import urllib.parse

    url = urllib.parse.urlsplit(base_url)
    host = (url.hostname or "").lower()
    port = url.port or (443 if url.scheme == "https" else 80)
    no_proxy = _variable("NO_PROXY")
    if no_proxy is not None and bypassed(host, port, no_proxy[1]):
        return None
    for name in (f"{url.scheme.upper()}_PROXY", "ALL_PROXY"):
        found = _variable(name)
        if found is not None and found[1].strip():
            return _checked_proxy(*found)
    return None


def _variable(name: str) -> tuple[str, str] | None:
    """(the variable's name as set, its value): lower case first, as curl and httpx read them."""
    for spelled in (name.lower(), name):
        if spelled in os.environ:
            return spelled, os.environ[spelled]
    return None


def _checked_proxy(variable: str, value: str) -> str:
    """The proxy URL a variable names (`host:port` alone meaning http://), or ConfigurationError
    naming the variable and what is wrong: a control character, an unknown scheme, no host, a
    port that is not one, an unclosed `[`."""
    import urllib.parse

    def refuse(why: str) -> ConfigurationError:
        return ConfigurationError(
            f"{variable}={value!r} is not a proxy URL: {why}", provider="agentruns", field=variable
        )

    text = value.strip()
    if fault := control_character(text):
        raise refuse(fault)
    proxy = text if "://" in text else f"http://{text}"
    try:
        parsed = urllib.parse.urlsplit(proxy)
        port = parsed.port
    except ValueError as error:
        raise refuse(str(error)) from None
    if parsed.scheme.lower() not in PROXY_SCHEMES:
        raise refuse(f"unknown scheme {parsed.scheme!r} (known: {', '.join(PROXY_SCHEMES)})")
    if not parsed.hostname:
        raise refuse("it names no host")
    if port == 0:
        raise refuse("port 0 is no port a proxy listens on")
    return proxy


def bypassed(host: str, port: int, no_proxy: str) -> bool:
    """Whether NO_PROXY sends requests to `host`:`port` directly. Its entries, comma-separated,
    as curl and httpx read them: `*` (every host); a host name, which also covers its
    subdomains, written bare, `.example.com` or `*.example.com`; an IP address or a CIDR range
    (`10.0.0.0/8`, `::1`); any of them with `:port`, which then covers that port alone."""
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, entry_port = _split_port(entry)
        if entry_port is not None and entry_port != port:
            continue
        try:
            network = ipaddress.ip_network(name.strip("[]"), strict=False)
        except ValueError:
            network = None
        if network is not None:
            if address is not None and address.version == network.version and address in network:
                return True
            continue
        domain = name.removeprefix("*").removeprefix(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def _split_port(entry: str) -> tuple[str, int | None]:
    """`host:port`, `[v6]:port`, a bare IPv6 address or a CIDR range, as (name, port or None)."""
    if entry.startswith("["):
        name, _, rest = entry[1:].partition("]")
        return name, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    if entry.count(":") == 1:
        name, _, port = entry.partition(":")
        if port.isdigit():
            return name, int(port)
    return entry, None
