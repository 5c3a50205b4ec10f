"""`GET /metrics`: the backbone's health in Prometheus text format, for scrapers and the OTel
collector's Prometheus receiver: each consumer group's lag and counts, the outbox backlog."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import func, select

from qgov_shared.backbone import outbox_events

router = APIRouter(tags=["health"])

_CONSUMER_METRICS = (
    ("qgov_consumer_lag", "gauge", "Records behind the partitions' high-water marks.", "lag"),
    ("qgov_consumer_processed_total", "counter", "Events applied.", "processed"),
    ("qgov_consumer_duplicates_total", "counter", "Redelivered events skipped.", "duplicates"),
    (
        "qgov_consumer_dead_lettered_total",
        "counter",
        "Messages parked in the DLQ.",
        "dead_lettered",
    ),
)


@router.get("/metrics", response_class=PlainTextResponse, summary="Backbone metrics")
async def metrics(request: Request) -> PlainTextResponse:
    runtime = request.app.state.runtime
    service = runtime.settings.service_name
    async with runtime.engine.connect() as connection:
        backlog = await connection.scalar(
            select(func.count()).where(outbox_events.c.published_at.is_(None))
        )
    lines = [
        "# HELP qgov_outbox_unpublished Outbox rows committed but not yet published.",
        "# TYPE qgov_outbox_unpublished gauge",
        f'qgov_outbox_unpublished{{service="{service}"}} {backlog}',
    ]
    report = runtime.consumer_report()
    for name, kind, help_text, field in _CONSUMER_METRICS:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        lines += [
            f'{name}{{service="{service}",group="{consumer["group"]}"}} {consumer[field]}'
            for consumer in report
        ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")
