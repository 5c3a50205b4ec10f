"""Settings shared by every service, read from `QGOV_`-prefixed environment variables.

A service subclasses `ServiceSettings`, fixing its own name and port; nothing is read at
import time, so tests build settings (and apps) with whatever values they need. Database URLs
are handled with urllib, not SQLAlchemy: the relay's process (`relay_process`) reads settings
and never loads SQLAlchemy, ~35 MB of it and its company.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, IPvAnyNetwork, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
DEFAULT_DEMO_SECRET = "demo-secret"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QGOV_", extra="ignore")

    service_name: str = "qgov"
    environment: Environment = Environment.DEVELOPMENT

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="The PostgreSQL server; each service uses its own database on it.",
    )
    database_name: str | None = Field(
        None, description="This service's database; default `qgov_<service_name>`."
    )
    database_pool_size: int = 10

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_session_timeout_ms: int = Field(
        10_000, description="Consumer-group session timeout; the embedded broker joins in half."
    )
    kafka_heartbeat_interval_ms: int = 3_000
    kafka_fetch_max_wait_ms: int = 100
    kafka_topic_partitions: int = 6
    kafka_topic_replication_factor: int = Field(
        1, ge=1, description="Replicas of a topic QGov creates (3 on a production cluster)."
    )
    kafka_topic_prefix: str = Field(
        "", description="Namespace put before every topic name (tests, shared clusters)."
    )

    run_outbox_relay: bool = Field(True, description="Publish this replica's outbox.")
    outbox_relay_process: bool = Field(
        True,
        description="Run the relay in a child process of its own; off, on the thread of the "
        "consumers. Its own process delivers faster under load (qgov_shared.relay_process).",
    )
    run_consumers: bool = Field(True, description="Consume events in this replica.")
    run_periodic_work: bool = Field(
        True, description="Run this replica's periodic work: scans, sweeps, regrades, tidying."
    )
    outbox_poll_interval_s: float = Field(
        1.0, description="The relay's fallback poll; a commit wakes it at once (LISTEN/NOTIFY)."
    )
    outbox_batch_size: int = 500
    outbox_linger_s: float = Field(
        0.01,
        ge=0,
        description="How long the relay lets commits gather when they come closer together.",
    )
    consumer_batch_size: int = Field(100, description="Events a consumer applies per transaction.")
    consumer_max_attempts: int = 5
    consumer_retry_backoff_s: float = 0.2
    thread_switch_interval_s: float = Field(
        0.005,
        gt=0,
        description="How long a busy thread keeps the interpreter before a waiting one gets "
        "it (CPython's default): the consumers (and a relay not in its own process) run on a "
        "thread of their own, so lower means faster delivery under load and more CPU per "
        "request.",
    )

    outbox_retention_days: int = Field(7, description="Keep published outbox rows this long.")
    processed_event_retention_days: int = Field(
        30,
        description="Keep processed-event records this long: longer than the broker's "
        "retention, so every redelivery is still recognised.",
    )
    idempotency_key_ttl_hours: int = 24
    housekeeping_interval_s: float = 3600.0

    allow_private_webhooks: bool = Field(
        False,
        description="Deliver webhooks to loopback and private addresses too (tests, a closed "
        "network); off, a webhook must resolve to public addresses only.",
    )
    max_body_bytes: int = 1_048_576
    body_timeout_s: float = Field(
        60.0,
        gt=0,
        description="Seconds a request's whole body may take to arrive; later, a 408.",
    )
    public_rate_per_minute: float = Field(
        20.0, description="Sustained requests per minute per client on public write endpoints."
    )
    public_rate_burst: int = Field(10, description="Requests a client may make at once.")
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=lambda: ["127.0.0.1"],
        description="Addresses or networks (CIDR) of the proxies in front of this service (the "
        "gateway, an ingress): the client is the right-most X-Forwarded-For hop not among them.",
    )
    cors_allow_origins: list[str] = Field(
        default_factory=list,
        description="Origins of the web front ends whose browsers may call this API, e.g. "
        '["https://portal.example.gov.cn"] (JSON list); empty, no cross-origin call is allowed.',
    )
    jwks_url: str | None = None
    jwt_issuer: str = "qgov-gateway"
    jwt_audience: str = "qgov"
    demo_secret: SecretStr = SecretStr(DEFAULT_DEMO_SECRET)

    log_level: str = "INFO"
    log_json: bool = True
    trace_sample_ratio: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Share of requests and events without a caller's trace that start one; a "
        "caller's sampling decision is always followed, so a trace is whole or absent.",
    )
    trace_sql_statements: bool = Field(
        False,
        description="A span for every SQL statement (debugging detail, and a cost on every "
        "statement); requests, events and their publishing are traced without it.",
    )

    @model_validator(mode="after")
    def _refuse_development_defaults_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            if self.demo_secret.get_secret_value() == DEFAULT_DEMO_SECRET:
                raise ValueError("QGOV_DEMO_SECRET must not keep its default in production")
            if self.jwks_url is None and self.service_name != "gateway":
                raise ValueError("QGOV_JWKS_URL is required in production")
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def service_database_url(self) -> str:
        """The URL of this service's own database on the configured server."""
        name = self.database_name or f"qgov_{self.service_name}"
        return database_url_for(self.database_url, name)


def database_url_for(server_url: str, database: str) -> str:
    """The same server and credentials, another database, always with the asyncpg driver."""
    parts = urlsplit(server_url)
    return urlunsplit(("postgresql+asyncpg", parts.netloc, "/" + quote(database), parts.query, ""))


def libpq_dsn(url: str) -> str:
    """asyncpg speaks libpq URLs, without SQLAlchemy's `+driver` suffix."""
    return urlunsplit(("postgresql", *urlsplit(url)[1:]))
