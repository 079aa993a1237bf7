"""The senders: the modules that move bytes, behind one interface (`base.Sender`,
`base.AsyncSender`), as httpx keeps its transports.

    base.py           the interface, and what a sender hands back (Received, TransportFailure)
    socket_pool.py    SocketPool: the sync clients' own pool of HTTP/1.1 connections on sockets
    asyncio_pool.py   AsyncioPool: the async clients' own pool, on asyncio's transports
    httpx_senders.py  HttpxSender, AsyncHttpxSender: through a caller's httpx client, or a proxy
    http11.py         what both pools share: request bytes, the response reader, the reuse rule
    body.py           reading a body within its size limit, bounded decompression included
    target.py         a base URL's origin, a request's target
    deadline.py       the call's deadline, as every sender keeps it
    environment.py    CA bundle and proxy from the environment, read alike for every sender

Nothing here knows a provider, a model or the error tree's status errors: the request loop
(_request_loop.py) drives a sender, and the judge (_judge.py) reads what it received."""

from __future__ import annotations

from .base import AsyncSender, Received, Sender, TransportFailure
from .body import BodyTooLarge

__all__ = ["AsyncSender", "BodyTooLarge", "Received", "Sender", "TransportFailure"]
