"""Public pages: a lot's trace page by its trace code (what is printed with the certificate's
QR code), and the GS1 Digital Link resolver that leads a scanned product to it. Anyone may
look; a code that does not exist is a plain 404, the same for a malformed one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import RedirectResponse

from qgov_shared.app import SessionDep
from qgov_shared.errors import NotFound
from qgov_traceability import domain, views
from qgov_traceability.dependencies import ContextDep
from qgov_traceability.epcis.identifiers import InvalidIdentifier, item_uri, lot_uri, valid_gtin
from qgov_traceability.queries import public
from qgov_traceability.schemas import TracePage

router = APIRouter(tags=["public"])
Gtin = Annotated[str, Path(pattern=r"^[0-9]{8}$|^[0-9]{12,14}$", description="a GTIN")]
Key = Annotated[str, Path(min_length=1, max_length=20, description="GS1 AI (10) or (21)")]
REDIRECT = {
    307: {"description": "the product's trace page, at Location", "content": {}},
    404: {"description": "no certified lot is known for it"},
}


class NoTraceCode(NotFound):
    what = "trace code"


class NoTracePage(NotFound):
    what = "trace page for this product"


@router.get("/trace/{trace_code}", response_model=TracePage)
async def trace_page(
    trace_code: Annotated[str, Path(min_length=1, max_length=64)],
    ctx: ContextDep,
    session: SessionDep,
) -> TracePage:
    """A lot's certificate, its route so far, and whether it is under recall."""
    code = trace_code.strip().upper()
    certificate = (
        await public.certificate_by_code(session, code) if domain.is_trace_code(code) else None
    )
    if certificate is None:
        raise NoTraceCode()
    found = await public.public_trace(session, certificate, ctx.policy.tracing.public_route_depth)
    return views.trace_page(found, ctx.policy)


@router.get("/01/{gtin}/10/{lot}", responses=REDIRECT, response_class=RedirectResponse)
async def resolve_lot(gtin: Gtin, lot: Key, session: SessionDep) -> RedirectResponse:
    """GS1 Digital Link of a lot (batch): to its trace page."""
    return await _redirect(session, _uri(lot_uri, gtin, lot))


@router.get("/01/{gtin}/21/{serial}", responses=REDIRECT, response_class=RedirectResponse)
async def resolve_item(gtin: Gtin, serial: Key, session: SessionDep) -> RedirectResponse:
    """GS1 Digital Link of a serialised item: to the trace page of the lot it belongs to."""
    item = _uri(item_uri, gtin, serial)
    return await _redirect(session, await public.lot_of_item(session, item))


def _uri(build, gtin: str, key: str) -> str | None:
    if not valid_gtin(gtin):
        return None
    try:
        return build(gtin, key)
    except InvalidIdentifier:
        return None


async def _redirect(session, lot: str | None) -> RedirectResponse:
    certificate = await public.certificate_of_lot(session, lot) if lot else None
    if certificate is None:
        raise NoTracePage()
    return RedirectResponse(f"/trace/{certificate.trace_code}", status_code=307)
