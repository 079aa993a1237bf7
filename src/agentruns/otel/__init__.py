"""Runs as OpenTelemetry traces, for the tracing tools people already run (the `otel` extra).

    import agentruns
    from agentruns import otel

    runs = [agentruns.fetch("casedev:run_42")]
    summary = otel.export(runs)          # OTLP/HTTP protobuf, to OTEL_EXPORTER_OTLP_* or localhost:4318
    spans = otel.to_spans(runs[0])       # or the spans themselves, for any SpanExporter

`to_spans` makes one trace per run, following the GenAI semantic conventions (schema 1.41.0):
the root `invoke_agent {agent}` and a child per step (see _spans.py for the rules). `export`
sends them with OpenTelemetry's own OTLP/HTTP exporter, which reads
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`) and
`OTEL_EXPORTER_OTLP_HEADERS`, unless `endpoint` and `headers` say otherwise; or with any
`SpanExporter` passed as `exporter`. No global tracer provider is touched: the spans are built
whole, with the run's own historical times."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from attrs import define, field

from .._extras import require

require("otel", "agentruns.otel (runs as OpenTelemetry traces)")

from ._spans import DEFAULT_CONTENT_LIMIT, NoTimeError, span_id_of, to_spans, trace_id_of  # noqa: E402

if TYPE_CHECKING:
    from agentruns_model import AgentRun
    from opentelemetry.sdk.trace.export import SpanExporter

DEFAULT_BATCH_RUNS = 50  # runs whose spans go in one export request, at most
# Spans in one export request at most: OpenTelemetry's default export batch
# (OTEL_BSP_MAX_EXPORT_BATCH_SIZE), so no request nears a receiver's size limit; a run with
# more spans goes in several requests.
DEFAULT_BATCH_SPANS = 512
_EXPORTER_LOGGER = "opentelemetry.exporter.otlp.proto.http"


@define
class ExportSummary:
    """What an export did: runs and spans sent, runs skipped (not terminal) and
    runs whose batch the receiver did not take, each with why."""

    runs_sent: int = 0
    spans_sent: int = 0
    skipped: list[tuple[str, str]] = field(factory=list)  # (ref, why)
    failed: list[tuple[str, str]] = field(factory=list)  # (ref, why)
    endpoint: str | None = None  # where the spans went, when our exporter sent them

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def unanswered(self) -> bool:
        """Whether the first failure was the receiver not answering (down, hung, closing the
        connection) rather than answering with an error: the command's network exit code."""
        return bool(self.failed) and not _refused(self.failed[0][1])


class _Reasons(logging.Handler):
    """Keeps what the OTLP exporter says of a failed batch (it logs, and returns FAILURE)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def exporter_for(
    endpoint: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = None,
    session: Any = None,
) -> SpanExporter:
    """OpenTelemetry's OTLP/HTTP (protobuf) span exporter; where `endpoint`, `headers` and
    `timeout` are None, OpenTelemetry's environment variables decide
    (OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, else OTEL_EXPORTER_OTLP_TIMEOUT, else 10 s)."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(
        endpoint=endpoint, headers=dict(headers) if headers else None, timeout=timeout, session=session
    )


def _answer_keeping_session() -> Any:
    """Our exporter's session: it keeps each answer's body, where a receiver says it took only
    part of a request (OTLP's partial success, which the exporter reads as a success). None
    where the environment provides a session (OpenTelemetry's credential provider variable)."""
    import os

    if any("CREDENTIAL_PROVIDER" in name for name in os.environ):
        return None
    import requests

    class AnswerKeeping(requests.Session):
        """A requests session that keeps the body of the last answer it got."""

        answer: bytes = b""

        def request(self, *args: Any, **kwargs: Any) -> Any:
            response = super().request(*args, **kwargs)
            self.answer = response.content if response.ok else b""
            return response

    return AnswerKeeping()


def _rejected(session: Any) -> str | None:
    """What the receiver rejected of the request just sent, by its partial-success answer (an
    ExportTraceServiceResponse whose partial_success counts rejected spans), or None."""
    answer = getattr(session, "answer", b"")
    if not answer:
        return None
    from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse

    try:
        partial = ExportTraceServiceResponse.FromString(answer).partial_success
    except DecodeError:
        return None
    if partial.rejected_spans <= 0:
        return None
    said = f": {partial.error_message}" if partial.error_message else ""
    return f"the receiver rejected {partial.rejected_spans} spans of its request{said}"


class TraceOptions(TypedDict, total=False):
    """The options of `export` and `TraceExporter`."""

    endpoint: str | None  # the traces URL; None: OpenTelemetry's variables decide
    headers: Mapping[str, str] | None  # None: OTEL_EXPORTER_OTLP_(TRACES_)HEADERS
    exporter: SpanExporter | None  # any SpanExporter instead of OTLP/HTTP (endpoint, headers, timeout unused)
    include_running: bool  # send runs that are not terminal too
    include_content: bool  # tool arguments and results, steps' input and output (opt-in)
    content_limit: int  # bytes of one content attribute at most
    openinference: bool  # OpenInference's attribute names as well
    batch_runs: int  # runs whose spans go in one request, at most
    batch_spans: int  # spans in one request, at most
    timeout: float | None  # seconds the OTLP exporter tries one request, retries included; None: OTel's variables


class TraceExporter:
    """Runs sent as traces one by one, in batches (`export` over an iterable is this):

        with TraceExporter() as traces:
            for run in agentruns.fetch_many(refs):
                traces.add(run)
        print(traces.summary)

    Options as `export`'s. Leaving the block sends what is left and closes our exporter. A
    request the receiver does not answer (it is down, hangs past the timeout, or keeps closing
    the connection) ends the export: the runs not sent yet are failed with the same reason
    at once, rather than each batch waiting out the timeout again, so an export takes one
    timeout at most to give up."""

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        headers: Mapping[str, str] | None = None,
        exporter: SpanExporter | None = None,
        include_running: bool = False,
        include_content: bool = False,
        content_limit: int = DEFAULT_CONTENT_LIMIT,
        openinference: bool = False,
        batch_runs: int = DEFAULT_BATCH_RUNS,
        batch_spans: int = DEFAULT_BATCH_SPANS,
        timeout: float | None = None,
    ) -> None:
        self._own = exporter is None
        self._session = _answer_keeping_session() if exporter is None else None
        self._sender = exporter_for(endpoint, headers, timeout, self._session) if exporter is None else exporter
        self.summary = ExportSummary(endpoint=getattr(self._sender, "_endpoint", None) if self._own else None)
        self._options = {
            "include_content": include_content,
            "content_limit": content_limit,
            "openinference": openinference,
            # One moment for every run of the export that says no time of its own.
            "timeless_at": datetime.now(UTC),
        }
        self._include_running = include_running
        self._batch_runs = batch_runs
        self._batch_spans = max(batch_spans, 1)
        self._batch: list[tuple[str, list[object]]] = []
        self._spans_in_batch = 0
        self._unreachable: str | None = None  # why the receiver did not answer, once it did not
        self._reasons = _Reasons()
        self._logger = logging.getLogger(_EXPORTER_LOGGER)
        self._logger.addHandler(self._reasons)
        self._propagates, self._logger.propagate = self._logger.propagate, False  # its warnings: our summary

    def add(self, run: AgentRun) -> None:
        """Take one run: skipped if it is not terminal (unless include_running); one that says no
        time is placed at the moment the export began."""
        if not run.is_terminal and not self._include_running:
            self.summary.skipped.append((run.ref, f"not terminal ({run.status})"))
            return
        spans = to_spans(run, **self._options)  # type: ignore[arg-type]
        self._batch.append((run.ref, list(spans)))
        self._spans_in_batch += len(spans)
        if len(self._batch) >= self._batch_runs or self._spans_in_batch >= self._batch_spans:
            self.flush()

    def flush(self) -> None:
        """Send the batch taken so far, in requests of batch_spans spans at most."""
        batch, self._batch, self._spans_in_batch = self._batch, [], 0
        if not batch:
            return
        if self._unreachable is not None:
            self.summary.failed += [(ref, f"not sent: {self._unreachable}") for ref, _ in batch]
            return
        why = _send(self._sender, batch, self.summary, self._reasons, self._batch_spans, self._session)
        if why is not None and not _refused(why):
            self._unreachable = why

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._logger.removeHandler(self._reasons)
            self._logger.propagate = self._propagates
            if self._own:
                self._sender.shutdown()

    def __enter__(self) -> TraceExporter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def export(runs: Iterable[AgentRun], **options: Unpack[TraceOptions]) -> ExportSummary:
    """Send `runs` as traces and say what was sent; the options are TraceExporter's (a run that
    is not terminal is skipped unless `include_running`: several receivers keep the first write
    of a span forever, so a live run exported early would never update there)."""
    with TraceExporter(**options) as traces:
        for run in runs:
            traces.add(run)
    return traces.summary


def _send(
    sender: SpanExporter,
    batch: list[tuple[str, list[object]]],
    summary: ExportSummary,
    reasons: _Reasons,
    batch_spans: int,
    session: Any = None,
) -> str | None:
    """Send the spans of `batch` in requests of `batch_spans` at most; a run counts as sent when
    every request holding its spans succeeded. Why the first request that failed did, or None."""
    from opentelemetry.sdk.trace.export import SpanExportResult

    spans = [(ref, span) for ref, run_spans in batch for span in run_spans]
    failed: dict[str, str] = {}
    first_failure: str | None = None
    for start in range(0, len(spans), batch_spans):
        chunk = spans[start : start + batch_spans]
        if first_failure is not None and not _refused(first_failure):  # the receiver is gone: no more waiting
            failed.update({ref: f"not sent: {first_failure}" for ref, _ in chunk if ref not in failed})
            continue
        reasons.messages.clear()
        result = sender.export([span for _, span in chunk])  # type: ignore[misc]
        if result is SpanExportResult.SUCCESS and (rejected := _rejected(session)) is None:
            summary.spans_sent += len(chunk)
            continue
        if result is SpanExportResult.SUCCESS:  # a partial success: which spans it does not say
            summary.spans_sent += len(chunk)
            failed.update({ref: f"partly rejected: {rejected}" for ref, _ in chunk if ref not in failed})
            first_failure = first_failure or f"partly rejected: {rejected}"
            continue
        why = _reason(reasons.messages[0]) if reasons.messages else "the exporter failed"  # the first says the cause
        first_failure = first_failure or why
        failed.update({ref: why for ref, _ in chunk if ref not in failed})
    for ref, _ in batch:
        if ref in failed:
            summary.failed.append((ref, failed[ref]))
        else:
            summary.runs_sent += 1
    return first_failure


def _refused(why: str) -> bool:
    """Whether the receiver answered (with an error status) rather than not answering at all."""
    return not why.startswith(("could not connect", "no answer", "not sent"))


def _reason(message: str) -> str:
    """The cause in what the OTLP exporter logged: the OS error of a connection that failed, or
    the receiver's status; its retry notes and library frames left out."""
    os_error = re.search(r"\[Errno -?\d+\] [^\"')]+", message)
    if os_error:
        return f"could not connect: {os_error.group(0)}"
    if "timed out" in message.lower() or "timeout" in message.lower():
        return "no answer: the receiver did not answer in time"
    lowered = message.lower()
    if any(
        sign in lowered for sign in ("connection aborted", "remotedisconnected", "connection reset", "connectionerror")
    ):
        return "could not connect: the receiver closed the connection without answering"
    return message.split(" encountered while", 1)[0].removeprefix("Failed to export spans batch ").strip()


__all__ = [
    "DEFAULT_CONTENT_LIMIT",
    "ExportSummary",
    "NoTimeError",
    "TraceExporter",
    "TraceOptions",
    "export",
    "exporter_for",
    "span_id_of",
    "to_spans",
    "trace_id_of",
]
