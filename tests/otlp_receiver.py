"""An OTLP/HTTP receiver on 127.0.0.1 for the trace tests: it takes `POST /v1/traces` in
protobuf, decodes it with OpenTelemetry's own proto package, and keeps every span and the
headers it came with; or answers with the status it is told to (a receiver that refuses)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


@dataclass
class Received:
    spans: list[Any] = field(default_factory=list)  # opentelemetry.proto.trace.v1.Span
    resources: list[Any] = field(default_factory=list)
    scopes: list[Any] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    answer: int = 200  # the status every POST gets
    rejects: int = 0  # spans of each request it takes to say it rejected (OTLP's partial success)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attributes(self, span: Any) -> dict[str, Any]:
        """A span's attributes as plain values."""
        found = {}
        for pair in span.attributes:
            kind = pair.value.WhichOneof("value")
            found[pair.key] = getattr(pair.value, kind)
        return found


@contextmanager
def receiver(answer: int = 200, rejects: int = 0) -> Iterator[tuple[str, Received]]:
    """(base URL, what it received). Its traces endpoint is `<base>/v1/traces`. With `rejects`,
    each answer is a partial success that rejected that many of the request's spans."""
    received = Received(answer=answer, rejects=rejects)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with received.lock:
                received.paths.append(self.path)
                received.headers.append({k.lower(): v for k, v in self.headers.items()})
                if received.answer == 200:
                    request = ExportTraceServiceRequest.FromString(body)
                    for resource_spans in request.resource_spans:
                        received.resources.append(resource_spans.resource)
                        for scope_spans in resource_spans.scope_spans:
                            received.scopes.append(scope_spans.scope)
                            received.spans.extend(scope_spans.spans)
            answer = b""
            if received.rejects:
                partial = ExportTraceServiceResponse()
                partial.partial_success.rejected_spans = received.rejects
                partial.partial_success.error_message = "span name too long"
                answer = partial.SerializeToString()
            self.send_response(received.answer)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
