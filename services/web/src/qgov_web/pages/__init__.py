"""The pages, by who they are for."""

from qgov_web.pages import (
    brands,
    catalogue,
    dashboard,
    declarations,
    enterprises,
    filing,
    following,
    inspections,
    public,
    regulators,
    reviews,
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
    brands.router,
    reviews.router,
)
