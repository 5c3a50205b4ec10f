"""Brands: an enterprise registers the brands it owns; a transfer is requested by the owner
and accepted (or refused) by the receiver, and every accepted transfer stays on record."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import BrandNotFound, RuleViolation, TransferNotFound
from qgov_brands.events import BrandRegistered, BrandTransferred
from qgov_brands.handlers import Context
from qgov_brands.handlers.recording import insert_once
from qgov_brands.models import Brand, BrandTransfer
from qgov_brands.schemas import BrandCreate, TransferCreate
from qgov_shared.http.problems import ProblemException
from qgov_shared.uow import UnitOfWork

REQUESTED, ACCEPTED, REFUSED = "requested", "accepted", "refused"


async def register(body: BrandCreate, uow: UnitOfWork, ctx: Context) -> Brand:
    if body.founded_year > ctx.today.year:
        raise RuleViolation("a brand cannot be founded in a future year", "founded_year")
    brand = Brand(
        **body.model_dump(exclude={"region_code"}),
        credit_code=ctx.principal.credit_code,
        region_code=body.region_code or ctx.principal.credit_code[2:8],
        registered_at=ctx.now,
    )
    await insert_once(
        brand, uow, f"trademark {body.trademark_number} in class {body.nice_class} is registered"
    )
    fact = BrandRegistered(
        brand_id=brand.id,
        name=brand.name,
        trademark_number=brand.trademark_number,
        nice_class=brand.nice_class,
        credit_code=brand.credit_code,
        enterprise_name=brand.owner_name,
        region_code=brand.region_code,
        founded_year=brand.founded_year,
        geographical_indication=brand.geographical_indication,
        time_honoured_candidate=brand.time_honoured_candidate,
        registered_on=ctx.today,
    )
    uow.publish(fact.event(subject=brand.credit_code, time=ctx.now))
    return brand


async def owned(brand_id: int, uow: UnitOfWork, ctx: Context) -> Brand:
    brand = await uow.session.get(Brand, brand_id, with_for_update=True)
    if brand is None:
        raise BrandNotFound(str(brand_id))
    return check_owner(brand, ctx)


def check_owner(brand: Brand, ctx: Context) -> Brand:
    """The caller's own brand; another enterprise's is refused (brands are public, so it is
    no secret that the brand exists)."""
    if brand.credit_code != ctx.principal.credit_code:
        raise ProblemException(403, "The brand belongs to another enterprise.")
    return brand


async def request_transfer(
    brand_id: int, body: TransferCreate, uow: UnitOfWork, ctx: Context
) -> BrandTransfer:
    brand = await owned(brand_id, uow, ctx)
    if body.to_credit_code == brand.credit_code:
        raise RuleViolation("the brand is yours already", "to_credit_code")
    transfer = BrandTransfer(
        brand_id=brand.id,
        from_credit_code=brand.credit_code,
        from_name=brand.owner_name,
        to_credit_code=body.to_credit_code,
        to_name=body.to_name,
        status=REQUESTED,
        note=body.note,
        requested_at=ctx.now,
    )
    await insert_once(transfer, uow, "a transfer of this brand is waiting for its receiver")
    return transfer


async def accept_transfer(transfer_id: int, uow: UnitOfWork, ctx: Context) -> BrandTransfer:
    transfer = await _addressed_to_caller(transfer_id, uow, ctx)
    brand = await uow.session.get(Brand, transfer.brand_id, with_for_update=True)
    if brand.credit_code != transfer.from_credit_code:
        raise RuleViolation("the brand changed hands since the transfer was requested")
    brand.credit_code, brand.owner_name = transfer.to_credit_code, transfer.to_name
    _decide(transfer, ACCEPTED, ctx)
    fact = BrandTransferred(
        brand_id=brand.id,
        name=brand.name,
        trademark_number=brand.trademark_number,
        nice_class=brand.nice_class,
        from_credit_code=transfer.from_credit_code,
        to_credit_code=transfer.to_credit_code,
        enterprise_name=transfer.to_name,
        transferred_on=ctx.today,
    )
    uow.publish(fact.event(subject=transfer.to_credit_code, time=ctx.now))
    return transfer


async def refuse_transfer(transfer_id: int, uow: UnitOfWork, ctx: Context) -> BrandTransfer:
    transfer = await _addressed_to_caller(transfer_id, uow, ctx)
    _decide(transfer, REFUSED, ctx)
    return transfer


async def _addressed_to_caller(transfer_id: int, uow: UnitOfWork, ctx: Context) -> BrandTransfer:
    transfer = await queries.transfer_for(uow.session, transfer_id, ctx.principal, for_update=True)
    if transfer.to_credit_code != ctx.principal.credit_code:
        raise TransferNotFound(str(transfer_id))
    if transfer.status != REQUESTED:
        raise RuleViolation(f"the transfer was {transfer.status} already")
    return transfer


def _decide(transfer: BrandTransfer, status: str, ctx: Context) -> None:
    transfer.status, transfer.decided_at = status, ctx.now
