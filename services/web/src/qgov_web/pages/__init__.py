"""The pages, by who they are for."""

from qgov_web.pages import (
    catalogue,
    dashboard,
    declarations,
    enterprises,
    filing,
    following,
    inspections,
    public,
    regulators,
    signin,
    traceability,
)

ROUTERS = (
    public.router,
    filing.router,
    following.router,
    signin.router,
    regulators.router,
    dashboard.router,
    enterprises.router,
    declarations.router,
    catalogue.router,
    inspections.router,
    traceability.router,
)
