"""The demo service's composition root."""

from fastapi import FastAPI

from qgov_demo import api, handlers
from qgov_shared.app import Dependencies, create_service_app
from qgov_shared.clock import Clock, system_clock
from qgov_shared.consumer import Subscription
from qgov_shared.settings import ServiceSettings

RECEIPTS_GROUP = "demo.receipts"


class DemoSettings(ServiceSettings):
    service_name: str = "demo"


def create_app(settings: DemoSettings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    return create_service_app(
        Dependencies(settings=settings or DemoSettings(), clock=clock),
        title="QGov demo",
        description="A producer/consumer pair that proves the event backbone.",
        routers=[api.router],
        subscriptions=[
            Subscription(RECEIPTS_GROUP, topics=("qgov.demo",), batch_handler=handlers.apply_pings),
        ],
    )
