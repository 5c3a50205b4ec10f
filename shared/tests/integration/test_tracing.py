"""One trace runs from the HTTP request, through the outbox and the broker, into the consumer."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.telemetry import configure_tracing
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import TestStack, run_service, wait_for

CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_TRACEPARENT = f"00-{CALLER_TRACE_ID}-00f067aa0ba902b7-01"


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    provider = configure_tracing("qgov-tests", sql_statements=True)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.clear()


async def test_the_callers_trace_continues_into_the_consumer(
    stack: TestStack, spans: InMemorySpanExporter
) -> None:
    async with run_service(stack, SERVICE, create_app, DemoSettings) as demo:
        await demo.consumers_assigned()
        response = await demo.client.post(
            "/api/v1/demo/pings",
            json={"credit_code": "91110000802100433B", "message": "trace me"},
            headers={"traceparent": CALLER_TRACEPARENT},
        )
        assert response.status_code == 201

        def in_caller_trace(kind: SpanKind):
            return [
                span
                for span in spans.get_finished_spans()
                if span.kind is kind and format(span.context.trace_id, "032x") == CALLER_TRACE_ID
            ]

        async def consumed() -> bool:
            return bool(in_caller_trace(SpanKind.CONSUMER))

        await wait_for(consumed, what="a consumer span in the caller's trace")
        [event] = await published_events(demo.runtime.engine)

    assert event["traceparent"].split("-")[1] == CALLER_TRACE_ID
    [server] = [
        s for s in in_caller_trace(SpanKind.SERVER) if s.parent.span_id == 0x00F067AA0BA902B7
    ]
    [consumer] = in_caller_trace(SpanKind.CONSUMER)
    assert consumer.attributes["cloudevents.event_type"] == "qgov.demo.ping.recorded.v1"
    assert server.name.startswith("POST /api/v1/demo/pings")
    handler_sql = [
        s
        for s in in_caller_trace(SpanKind.CLIENT)
        if s.parent is not None and s.parent.span_id == consumer.context.span_id
    ]
    assert handler_sql, "the handler's database work belongs to the consumer span"
