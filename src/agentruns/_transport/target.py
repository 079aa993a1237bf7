"""Where requests go: a base URL's origin, and a request's target (path and query), encoded the
same way on every road."""

from __future__ import annotations

import urllib.parse

import msgspec


class Origin(msgspec.Struct, frozen=True):
    """The scheme, host and port of a base URL, with the path requests are made under."""

    tls: bool
    host: str
    port: int
    base_path: str  # without its trailing slash
    host_header: bytes  # host[:port] as the Host header says it

    @classmethod
    def of(cls, base_url: str) -> Origin:
        url = urllib.parse.urlsplit(base_url)
        tls = url.scheme == "https"
        host = url.hostname or ""
        port = url.port or (443 if tls else 80)
        shown = f"[{host}]" if ":" in host else host
        default = port == (443 if tls else 80)
        return cls(
            tls=tls,
            host=host,
            port=port,
            base_path=url.path.rstrip("/"),
            host_header=_ascii(shown if default else f"{shown}:{port}"),
        )

    @property
    def netloc(self) -> str:
        """host:port, as an error about reaching the server names it."""
        return f"{self.host}:{self.port}"


def control_character(text: str) -> str | None:
    """Where `text` holds a control character (C0, DEL or C1), which no URL on the wire may hold
    (CR LF would split a request line; NUL and DEL go raw onto it), or None."""
    for position, char in enumerate(text, 1):
        code = ord(char)
        if code < 0x20 or 0x7F <= code < 0xA0:
            return f"character {position} is a control character (U+{code:04X})"
    return None


def _ascii(text: str) -> bytes:
    return text.encode("ascii") if text.isascii() else text.encode("idna")


def target(origin: Origin, path: str, params: tuple[tuple[str, str], ...]) -> bytes:
    """The request target: the base path, the (already percent-encoded) path, and the query."""
    text = origin.base_path + path
    if params:
        text += "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
    return text.encode("ascii")


__all__ = ["Origin", "control_character", "target"]
