"""The async clients' default transport: httpx-aiohttp, with its exception map corrected.

httpx's own async pool slows down sharply with many requests in flight; aiohttp's does not.
httpx-aiohttp plugs aiohttp in under httpx's API, but maps every aiohttp ClientConnectionError
(a server hanging up included) to ConnectTimeout and lets unlisted aiohttp errors escape. Here a
dropped connection is a ReadError, a real timeout stays a timeout, and nothing escapes unmapped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _AiohttpTransport

_TIMEOUTS = (asyncio.TimeoutError, aiohttp.ServerTimeoutError, aiohttp.ConnectionTimeoutError)


def _remap(error: BaseException) -> BaseException:
    cause = error.__cause__ if isinstance(error, httpx.HTTPError) else error
    if isinstance(error, httpx.TimeoutException) and not isinstance(cause, _TIMEOUTS):
        return httpx.ReadError(f"{type(cause).__name__}: {cause}")
    if isinstance(error, httpx.HTTPError):
        return error
    if isinstance(error, _TIMEOUTS):
        return httpx.ReadTimeout(f"{type(error).__name__}: {error}")
    if isinstance(error, (aiohttp.ClientError, OSError)):
        return httpx.ReadError(f"{type(error).__name__}: {error}")
    return error


class _RemappedStream(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except Exception as error:
            remapped = _remap(error)
            if remapped is error:
                raise
            raise remapped from error

    async def aclose(self) -> None:
        await self._stream.aclose()


class AiohttpTransport(_AiohttpTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await super().handle_async_request(request)
        except Exception as error:
            remapped = _remap(error)
            if remapped is error:
                raise
            raise remapped from error
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _RemappedStream(response.stream)
        return response
