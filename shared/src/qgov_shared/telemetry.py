"""Tracing and logging: one trace from an HTTP request, through the outbox, into consumers.

HTTP requests are traced by FastAPI's own telemetry (`http.telemetry.SERVER_TELEMETRY`), httpx by
OpenTelemetry's library, and asyncpg too when every
statement is to be a span (`trace_sql_statements`): under SQLAlchemy and beside it, every
statement goes through asyncpg. Kafka is traced by
hand, because the context that matters is the one stored with the outbox row when the event was
written, not the relay's own: `current_traceparent()` captures it, the relay sends it as the
`traceparent` header, and `consumer_span()` continues it in the consumer.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
# The current HTTP request's id (set by the request middleware), for log lines.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_tracer = trace.get_tracer("qgov")


def configure_tracing(
    service_name: str,
    *,
    sample_ratio: float = 1.0,
    sql_statements: bool = False,
    http_clients: bool = True,
) -> TracerProvider:
    """Install the process's tracer provider and client instrumentation once; export over OTLP
    when an endpoint is set. Root spans are sampled at `sample_ratio`; every other span follows
    its parent, across HTTP and Kafka alike. `http_clients=False` leaves httpx alone (and
    unloaded), for a process that makes no HTTP calls: the relay's."""
    # Process-wide, from now on: every statement of every connection.
    sql = AsyncPGInstrumentor()
    if sql_statements and not sql.is_instrumented_by_opentelemetry:
        sql.instrument()
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        return provider
    if http_clients:
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor().instrument()
    name = os.environ.get("OTEL_SERVICE_NAME", service_name)
    provider = TracerProvider(
        resource=Resource.create({"service.name": name}),
        sampler=sampler(sample_ratio),
    )
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def sampler(ratio: float) -> ParentBased:
    """Root spans sampled at `ratio`; a span with a parent does what its parent did."""
    return ParentBased(TraceIdRatioBased(ratio))


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def consumer_span(
    topic: str,
    event_type: str,
    traceparent: str | None,
    linked: Iterable[str | None] = (),
    count: int = 1,
) -> Iterator[None]:
    """A CONSUMER span that continues the producer's trace when the message carries one; a
    batch's other messages are linked, as OpenTelemetry's messaging conventions do.

    `linked` is read only if the span is recorded. Most are not (a trace is sampled or not at
    its start), and reading each message's traceparent was ~9% of a consumer's CPU on a chunk
    of 100. Links added after the start are the same links; only a sampler would miss them,
    and ours decides by the parent alone."""
    parent = _propagator.extract({"traceparent": traceparent} if traceparent else {})
    token = otel_context.attach(parent)
    try:
        with _tracer.start_as_current_span(
            f"{topic} process",
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": topic,
                "messaging.batch.message_count": count,
                "cloudevents.event_type": event_type,
            },
        ) as span:
            if span.is_recording():
                for other in filter(None, linked):
                    context = trace.get_current_span(_extract(other)).get_span_context()
                    if context.is_valid:
                        span.add_link(context)
            yield
    finally:
        otel_context.detach(token)


def _extract(traceparent: str) -> otel_context.Context:
    return _propagator.extract({"traceparent": traceparent})


@contextmanager
def producer_span(topic: str, count: int) -> Iterator[None]:
    with _tracer.start_as_current_span(
        f"{topic} publish",
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.batch.message_count": count,
        },
    ):
        yield


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, carrying the trace and span ids of the current span."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            entry["trace_id"] = format(span_context.trace_id, "032x")
            entry["span_id"] = format(span_context.span_id, "016x")
        for key in ("service", "request_id", "event_id", "event_type"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class LogContextFilter(logging.Filter):
    """Stamps each record with the service and the request it belongs to."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        if (current := request_id.get()) is not None:
            record.request_id = current
        return True


def configure_logging(service: str, level: str, as_json: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(LogContextFilter(service))
    if as_json:
        handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
