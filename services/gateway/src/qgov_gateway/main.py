"""The gateway's app factory."""

from fastapi import FastAPI

from qgov_gateway import api, handlers
from qgov_shared.app import create_service_app
from qgov_shared.consumer import Subscription
from qgov_shared.settings import ServiceSettings

READ_MODEL_GROUP = "gateway.read-model"


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    return create_service_app(
        settings or GatewaySettings(),
        title="QGov",
        description="The one public entry to QGov, the quality-governance platform.",
        routers=[api.router],
        subscriptions=[
            Subscription(
                READ_MODEL_GROUP, handlers.note_event, pattern=handlers.ALL_SERVICE_TOPICS
            ),
        ],
    )
