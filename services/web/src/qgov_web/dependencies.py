"""The web service's settings and what its pages are handed: the gateway client, the page
renderer, the session store and the CSRF signer, built once by `main.create_app`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Self

from fastapi import Depends
from pydantic import Field, SecretStr, model_validator

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings

if TYPE_CHECKING:  # the modules that define these import this one
    from qgov_web.csrf import CsrfSigner
    from qgov_web.platform import Platform
    from qgov_web.rendering import Pages

DEFAULT_WEB_SECRET = "web-development-secret"


class WebSettings(ServiceSettings):
    service_name: str = "web"
    port: int = 8007
    gateway_url: str = Field(
        "http://127.0.0.1:8000",
        description="The gateway's public API: the only way the pages reach the platform.",
    )
    gateway_timeout_s: float = 10.0
    web_secret: SecretStr = Field(
        SecretStr(DEFAULT_WEB_SECRET),
        description="Signs the CSRF tokens of the forms; the same on every replica.",
    )
    secure_cookies: bool | None = Field(
        None, description="Cookies only over HTTPS; default: in production."
    )
    session_sweep_interval_s: float = Field(600.0, description="How often ended sessions go.")
    feed_page_size: int = Field(50, ge=1, le=1000)
    events_page_size: int = Field(50, ge=1, le=500, description="captured events per page")

    @model_validator(mode="after")
    def _refuse_the_development_secret_in_production(self) -> Self:
        if self.is_production and self.web_secret.get_secret_value() == DEFAULT_WEB_SECRET:
            raise ValueError("QGOV_WEB_SECRET must not keep its default in production")
        return self

    @property
    def cookies_secure(self) -> bool:
        return self.is_production if self.secure_cookies is None else self.secure_cookies


@dataclass(frozen=True, kw_only=True)
class WebDependencies(Dependencies):
    settings: WebSettings
    platform: Platform
    pages: Pages
    csrf: CsrfSigner


WebDependenciesDep = Annotated[WebDependencies, Depends(get_dependencies)]
