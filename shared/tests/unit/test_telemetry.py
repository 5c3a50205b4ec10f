"""Log lines carry the service, the request and the trace they belong to; a trace follows its
caller's sampling; a consumer's span links the other events of its chunk."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from qgov_shared.telemetry import (
    JsonLogFormatter,
    LogContextFilter,
    configure_tracing,
    consumer_span,
    current_traceparent,
    request_id,
    sampler,
)


def _render(message: str) -> dict:
    record = logging.LogRecord("qgov.test", logging.INFO, __file__, 1, message, (), None)
    LogContextFilter("demo").filter(record)
    return json.loads(JsonLogFormatter().format(record))


def test_a_log_line_names_its_service_request_and_trace() -> None:
    configure_tracing("qgov-tests")
    token = request_id.set("req-42")
    try:
        with trace.get_tracer("test").start_as_current_span("work") as span:
            line = _render("质量 ok")
            traceparent = current_traceparent()
    finally:
        request_id.reset(token)

    assert line["message"] == "质量 ok"
    assert line["service"] == "demo"
    assert line["request_id"] == "req-42"
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert traceparent.split("-")[1] == line["trace_id"]


def test_outside_a_request_and_a_span_a_log_line_has_neither() -> None:
    line = _render("idle")
    assert "request_id" not in line
    assert "trace_id" not in line


def test_a_callers_sampled_trace_is_followed_whatever_the_ratio() -> None:
    never_starts = sampler(0.0)
    sampled_parent = trace.set_span_in_context(
        trace.NonRecordingSpan(
            trace.SpanContext(
                trace_id=0x4BF92F3577B34DA6A3CE929D0E0E4736,
                span_id=0x00F067AA0BA902B7,
                is_remote=True,
                trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED),
            )
        )
    )

    def decision(parent_context):
        return never_starts.should_sample(parent_context, 0x4BF92F3577B34DA6A3CE929D0E0E4736, "x")

    assert decision(sampled_parent).decision.is_sampled()
    assert not decision(None).decision.is_sampled()
    always_starts = sampler(1.0)
    assert always_starts.should_sample(None, 1, "root").decision.is_sampled()


def _traceparent(trace_id: int, sampled: bool) -> str:
    return f"00-{trace_id:032x}-00f067aa0ba902b7-{'01' if sampled else '00'}"


def test_a_recorded_consumer_span_links_the_chunks_other_events() -> None:
    exporter = InMemorySpanExporter()
    configure_tracing("qgov-tests").add_span_processor(SimpleSpanProcessor(exporter))
    others = [_traceparent(2, sampled=False), None, _traceparent(3, sampled=True)]

    with consumer_span("qgov.demo", "qgov.demo.ping.recorded.v1", _traceparent(1, True), others):
        pass

    [span] = [s for s in exporter.get_finished_spans() if s.context.trace_id == 1]
    exporter.shutdown()
    assert [link.context.trace_id for link in span.links] == [2, 3]
    assert span.attributes["messaging.batch.message_count"] == 1


def test_an_unrecorded_consumer_span_never_reads_the_others_traceparents() -> None:
    configure_tracing("qgov-tests")
    read = []

    def others() -> Iterator[str]:
        read.append(True)
        yield _traceparent(3, sampled=True)

    with consumer_span("qgov.demo", "qgov.demo.ping.recorded.v1", _traceparent(1, False), others()):
        assert not trace.get_current_span().is_recording()

    assert read == []
