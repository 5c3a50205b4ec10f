"""The demo service's app factory."""

from fastapi import FastAPI

from qgov_demo import api, handlers
from qgov_shared.app import create_service_app
from qgov_shared.consumer import Subscription
from qgov_shared.settings import ServiceSettings

RECEIPTS_GROUP = "demo.receipts"


class DemoSettings(ServiceSettings):
    service_name: str = "demo"


def create_app(settings: DemoSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or DemoSettings(),
        title="QGov demo",
        description="A producer/consumer pair that proves the event backbone.",
        routers=[api.router],
        subscriptions=[
            Subscription(RECEIPTS_GROUP, handlers.apply_ping, topics=("qgov.demo",)),
        ],
    )
