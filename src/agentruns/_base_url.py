"""A base URL, checked once when a client is made and written the one way every road sends it.

What httpx would refuse is refused, naming where the URL came from (`base_url=` or the
provider's `<PREFIX>_BASE_URL`) and the character or part at fault: a control character
anywhere (CR LF would split the request line, NUL and DEL go raw onto the wire), a query or a
fragment (the requests' own paths and queries follow the base URL: a `?` or `#` in it would be
dropped or would swallow them), credentials before the host, port 0, a host IDNA cannot encode. What httpx encodes is encoded
as it does: a space or a non-ASCII character in the path percent-encoded (UTF-8), a non-ASCII
host written in IDNA's ASCII form. So no request line on the wire holds a space or a control
byte, whichever road sends it."""

from __future__ import annotations

import re
import urllib.parse

from ._transport.target import control_character
from .errors import ConfigurationError

# What a path keeps as it is (RFC 3986's unreserved and sub-delims, ':', '@', '/', and '%', which
# httpx leaves for escapes already made), as httpx's own path encoding does.
_PATH_SAFE = "/!$&'()*+,;=:@~-._%"


def _where(source: str) -> str:
    return {"base_url": "base_url", "servers": "server of the spec"}.get(source, source)


def _encoded_path(path: str) -> str:
    """`path` percent-encoded as httpx encodes one: a space, a non-ASCII character (its UTF-8
    bytes) and whatever else is not safe escaped; escapes already made kept."""
    return urllib.parse.quote(path, safe=_PATH_SAFE)


def _ascii_host(host: str) -> str:
    """A host as it goes on the wire: IDNA 2008's ASCII form of it in lower case, as httpx writes
    it (`BÜCHER.example` is `xn--bcher-kva.example`; a zero-width space is refused)."""
    if host.isascii():
        return host
    import idna  # httpx's own dependency; only a non-ASCII host needs it

    return str(idna.encode(host.lower()).decode("ascii"))


def checked(url: str, source: str, provider: str) -> str:
    """`url` as every road sends it, or ConfigurationError naming `source` (`base_url`, or the
    environment variable it came from) and the part at fault."""
    where = _where(source)
    shown = re.sub(r"//[^/@]*@", "//***@", url)  # as errors show the URL: never its credentials

    def refuse(why: str) -> ConfigurationError:
        return ConfigurationError(f"invalid {where} {shown!r}: {why}", provider=provider, field=source)

    if fault := control_character(url):
        raise refuse(fault)
    try:
        parsed = urllib.parse.urlsplit(url.strip())
        port = parsed.port  # a port that is not a number, or out of range, raises here
    except ValueError as error:
        raise refuse(str(error)) from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigurationError(
            f"{where} must be an http(s) URL with a host, got {shown!r}", provider=provider, field=source
        )
    if "@" in parsed.netloc:
        # Every road alike: the key travels in its own header, and a second set of credentials
        # in the URL would be sent by one road and dropped by another.
        raise ConfigurationError(
            f"{where} must not carry credentials (name:secret@ before the host); the key is api_key",
            provider=provider,
            field=source,
        )
    if parsed.query or url.rstrip().endswith("?"):
        raise refuse(
            f"it has a query ({'?' + parsed.query!r}): a base URL is where request paths go; give the server's API root"
        )
    if parsed.fragment or "#" in url:
        raise refuse(f"it has a fragment ({'#' + parsed.fragment!r}): the part after '#' never reaches a server")
    if port == 0:
        raise refuse("port 0 is no port a server listens on")
    if " " in (parsed.netloc or ""):
        raise refuse("its host has a space in it")
    try:
        host = _ascii_host(parsed.hostname)
    except Exception as error:  # idna.IDNAError and its kin: one typed error, the host named
        raise refuse(f"its host {parsed.hostname!r} cannot be written in IDNA ({error})") from None
    bracketed = f"[{host}]" if ":" in host else host
    netloc = bracketed if port is None else f"{bracketed}:{port}"
    return urllib.parse.urlunsplit((parsed.scheme, netloc, _encoded_path(parsed.path), "", ""))


__all__ = ["checked"]
