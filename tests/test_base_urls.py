"""Base URLs are checked once, when a client is made, for every road: refused with a
ConfigurationError naming where the URL came from (`base_url`, or the variable) and what is
wrong with it, or written exactly as httpx writes it; no request line on the wire ever holds a
space or a control byte."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agentruns import AsyncCasedevClient, CasedevClient, ConfigurationError, NotFoundError
from agentruns.testing import Emulator

KEY = "sk_case_emulator"
REFUSED = [
    ("http://127.0.0.1:9/x\r\nX-Evil: 1", "character 21 is a control character (U+000D)"),
    ("http://127.0.0.1:9/x\nX-Evil: 1", "character 21 is a control character (U+000A)"),
    ("http://127.0.0.1:9/a\tb", "character 21 is a control character (U+0009)"),
    ("http://127.0.0.1:9/a\x00b", "control character (U+0000)"),
    ("http://127.0.0.1:9/a\x7fb", "control character (U+007F)"),
    ("http://127.0.0.1:9/a\x85b", "control character (U+0085)"),
    ("http://127.0.0.1:9/api?version=2", "it has a query ('?version=2')"),
    ("http://127.0.0.1:9/#/api", "it has a fragment ('#/api')"),
    ("http://127.0.0.1:0/api", "port 0 is no port a server listens on"),
    ("http://127.0.0.1:99999/api", "Port out of range"),
    ("http://127.0.0.1:port/api", "Port could not be cast to integer value"),
    ("https://a\u200bb.example/api", "its host 'a\\u200bb.example' cannot be written in IDNA"),
]


@pytest.mark.parametrize(("url", "said"), REFUSED, ids=[said[:40] for _, said in REFUSED])
def test_a_base_url_httpx_would_not_send_is_refused_naming_its_source_and_fault(
    monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    with pytest.raises(ConfigurationError) as given:
        CasedevClient(api_key=KEY, base_url=url)
    assert (
        given.value.field == "base_url"
        and f"invalid base_url {url!r}: " in str(given.value)
        and said in str(given.value)
    )
    if "\x00" in url:
        return  # no environment variable can hold a NUL
    monkeypatch.setenv("CASEDEV_BASE_URL", url)
    with pytest.raises(ConfigurationError) as from_env:
        AsyncCasedevClient(api_key=KEY)
    assert from_env.value.field == "CASEDEV_BASE_URL" and said in str(from_env.value)


ENCODED = [
    "http://127.0.0.1:9/a b/api",
    "http://127.0.0.1:9/caf\u00e9/v1",
    "http://127.0.0.1:9/a%20b/%zz",
    "https://B\u00dcCHER.example/api",
    "http://[::1]:9/v1",
    "https://EXAMPLE.com/V1",
    "https://api.example.com",
]


@pytest.mark.parametrize("url", ENCODED)
def test_what_httpx_encodes_is_encoded_as_httpx_does(url: str) -> None:
    with CasedevClient(api_key=KEY, base_url=url) as client:
        assert client.base_url == str(httpx.URL(url)).rstrip("/")
    assert not any(char.isspace() or ord(char) > 127 for char in client.base_url)


ROADS = ["sockets", "asyncio", "httpx"]


def _path_sent(emu: Emulator, road: str, base_url: str) -> str:
    """The raw request target the emulator received for one get_run on `road`."""
    emu.app.clear_requests()
    with pytest.raises(NotFoundError):  # no provider lives under these paths
        if road == "asyncio":

            async def fetch() -> None:
                async with AsyncCasedevClient(api_key=KEY, base_url=base_url, max_retries=0) as client:
                    await client.get_run("run_1")

            asyncio.run(fetch())
        else:
            http = httpx.Client() if road == "httpx" else None
            with CasedevClient(api_key=KEY, base_url=base_url, http_client=http, max_retries=0) as client:
                client.get_run("run_1")
    (request,) = emu.app.requests
    return request.raw_path


@pytest.mark.parametrize("road", ROADS)
def test_no_request_line_holds_a_space_or_a_control_byte_on_any_road(road: str) -> None:
    with Emulator() as emu:
        sent = _path_sent(emu, road, f"{emu.url}/sub dir/caf\u00e9")
    assert sent == "/sub%20dir/caf%C3%A9/agent/v1/run/run_1/details"


def test_a_refused_base_url_never_shows_its_credentials() -> None:
    with pytest.raises(ConfigurationError) as given:  # refused before it is parsed: shown, masked
        CasedevClient(api_key=KEY, base_url="http://user:s3cret@127.0.0.1:9/a\r\nb")
    assert "s3cret" not in str(given.value) and "//***@127.0.0.1:9" in str(given.value)
    with pytest.raises(ConfigurationError) as given:
        CasedevClient(api_key=KEY, base_url="http://user:s3cret@127.0.0.1:9/api?x=1")
    assert "s3cret" not in str(given.value)
    with pytest.raises(ConfigurationError, match="must not carry credentials"):
        CasedevClient(api_key=KEY, base_url="http://user:s3cret@127.0.0.1:9/api")
