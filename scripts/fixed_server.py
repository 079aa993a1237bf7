"""A server for benchmarks that is not their bottleneck: a minimal ASGI app under uvicorn (with
httptools and uvloop) that answers every GET with one fixed JSON body, in a process of its own.
Started by scripts/bench.py; prints its URL on the first line, then serves until terminated."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn


def app_for(body: bytes) -> Any:
    head = {
        "type": "http.response.start",
        "status": 200,
        # A Content-Length, as APIs send one for a JSON body (uvicorn would otherwise chunk it).
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", b"req_bench"),
        ],
    }
    answer = {"type": "http.response.body", "body": body}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await send(head)
            await send(answer)

    return app


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--body", required=True, help="the file whose bytes every answer carries")
    args = parser.parse_args()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(
        app_for(Path(args.body).read_bytes()),
        log_config=None,
        access_log=False,
        lifespan="off",
        http="httptools",
        loop="uvloop",
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
