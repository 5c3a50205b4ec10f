import os

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from qgov_shared.settings import (
    DEFAULT_DEMO_SECRET,
    Environment,
    ServiceSettings,
    database_url_for,
    libpq_dsn,
)


class ComplaintsSettings(ServiceSettings):
    service_name: str = "complaints"
    port: int = 8001


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Settings read the process environment; start every test without any QGOV_ variable."""
    for name in list(os.environ):
        if name.upper().startswith("QGOV_"):
            monkeypatch.delenv(name)


def test_defaults_describe_a_development_service():
    settings = ComplaintsSettings()
    assert settings.environment is Environment.DEVELOPMENT
    assert not settings.is_production
    assert settings.service_name == "complaints"
    assert settings.port == 8001
    assert settings.demo_secret.get_secret_value() == DEFAULT_DEMO_SECRET


def test_values_come_from_qgov_prefixed_environment_variables(monkeypatch):
    monkeypatch.setenv("QGOV_PORT", "9101")
    monkeypatch.setenv("QGOV_KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092")
    monkeypatch.setenv("QGOV_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("QGOV_LOG_JSON", "false")
    monkeypatch.setenv("QGOV_ENVIRONMENT", "test")
    settings = ComplaintsSettings()
    assert settings.port == 9101
    assert settings.kafka_bootstrap_servers == "kafka-0:9092,kafka-1:9092"
    assert settings.max_body_bytes == 2048
    assert settings.log_json is False
    assert settings.environment is Environment.TEST


def test_unprefixed_variables_are_ignored(monkeypatch):
    monkeypatch.setenv("PORT", "9999")
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere/db")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092")
    settings = ComplaintsSettings()
    assert settings.port == 8001
    assert make_url(settings.database_url).host == "127.0.0.1"
    assert settings.kafka_bootstrap_servers == "127.0.0.1:9092"


def test_constructor_arguments_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("QGOV_PORT", "9101")
    assert ComplaintsSettings(port=9202).port == 9202


def test_an_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("QGOV_ENVIRONMENT", "staging-ish")
    with pytest.raises(ValidationError):
        ComplaintsSettings()


def test_the_service_database_defaults_to_qgov_service_name():
    url = make_url(ComplaintsSettings().service_database_url)
    assert url.database == "qgov_complaints"
    assert url.drivername == "postgresql+asyncpg"


def test_service_database_url_swaps_only_the_database(monkeypatch):
    monkeypatch.setenv("QGOV_DATABASE_URL", "postgresql://qgov:s3cr%40t@db.internal:6543/postgres")
    monkeypatch.setenv("QGOV_DATABASE_NAME", "complaints_blue")
    url = make_url(ComplaintsSettings().service_database_url)
    assert url.drivername == "postgresql+asyncpg"
    assert (url.username, url.password) == ("qgov", "s3cr@t")
    assert (url.host, url.port) == ("db.internal", 6543)
    assert url.database == "complaints_blue"


def test_service_database_url_keeps_the_password_in_clear():
    settings = ComplaintsSettings(database_url="postgresql+asyncpg://qgov:hunter2@db:5432/x")
    assert "hunter2" in settings.service_database_url
    assert "***" not in settings.service_database_url


def test_service_database_url_keeps_a_unix_socket_host():
    settings = ComplaintsSettings(database_url="postgresql://postgres:@/postgres?host=/tmp/x")
    url = make_url(settings.service_database_url)
    assert url.drivername == "postgresql+asyncpg"
    assert url.database == "qgov_complaints"
    assert url.username == "postgres"
    assert url.host is None
    assert url.query == {"host": "/tmp/x"}


def test_service_database_url_keeps_query_options():
    url = make_url(
        database_url_for("postgresql://u:p@db:5432/postgres?ssl=require&application_name=q", "d")
    )
    assert url.database == "d"
    assert url.query == {"ssl": "require", "application_name": "q"}


def test_libpq_urls_drop_the_driver_and_keep_the_rest():
    url = "postgresql+asyncpg://u:p%40ss@db:5432/d?ssl=require"
    assert libpq_dsn(url) == "postgresql://u:p%40ss@db:5432/d?ssl=require"


def test_production_refuses_the_default_demo_secret(monkeypatch):
    monkeypatch.setenv("QGOV_ENVIRONMENT", "production")
    monkeypatch.setenv("QGOV_JWKS_URL", "http://gateway:8000/.well-known/jwks.json")
    with pytest.raises(ValidationError, match="QGOV_DEMO_SECRET"):
        ComplaintsSettings()


def test_production_requires_a_jwks_url_for_services_other_than_the_gateway(monkeypatch):
    monkeypatch.setenv("QGOV_ENVIRONMENT", "production")
    monkeypatch.setenv("QGOV_DEMO_SECRET", "a-long-random-production-secret")
    with pytest.raises(ValidationError, match="QGOV_JWKS_URL"):
        ComplaintsSettings()


def test_production_gateway_needs_no_jwks_url(monkeypatch):
    monkeypatch.setenv("QGOV_ENVIRONMENT", "production")
    monkeypatch.setenv("QGOV_DEMO_SECRET", "a-long-random-production-secret")
    settings = ServiceSettings(service_name="gateway")
    assert settings.is_production
    assert settings.jwks_url is None


def test_production_with_a_secret_and_a_jwks_url_starts(monkeypatch):
    monkeypatch.setenv("QGOV_ENVIRONMENT", "production")
    monkeypatch.setenv("QGOV_DEMO_SECRET", "a-long-random-production-secret")
    monkeypatch.setenv("QGOV_JWKS_URL", "http://gateway:8000/.well-known/jwks.json")
    settings = ComplaintsSettings()
    assert settings.is_production
    assert settings.demo_secret.get_secret_value() == "a-long-random-production-secret"


@pytest.mark.parametrize("environment", ["development", "test"])
def test_development_and_test_accept_the_defaults(environment):
    settings = ComplaintsSettings(environment=environment)
    assert settings.jwks_url is None
    assert settings.demo_secret.get_secret_value() == DEFAULT_DEMO_SECRET


def test_the_demo_secret_is_not_shown_in_reprs():
    settings = ComplaintsSettings(demo_secret="do-not-print-me")
    assert "do-not-print-me" not in repr(settings)
    assert "do-not-print-me" not in str(settings.model_dump())
