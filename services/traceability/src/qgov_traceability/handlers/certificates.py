"""Compliance certificates (承诺达标合格证): a producer certifies a lot of its own products and
gets the lot's trace code, which anyone may look up."""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select

from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_traceability import domain
from qgov_traceability.epcis.identifiers import InvalidIdentifier, gtin_of
from qgov_traceability.epcis.reading import identifier
from qgov_traceability.events import CertificateIssued
from qgov_traceability.graph import kind_of
from qgov_traceability.handlers import Context
from qgov_traceability.models import Certificate
from qgov_traceability.queries.parties import owners_of
from qgov_traceability.schemas import CertificateCreate


async def issue(body: CertificateCreate, uow: UnitOfWork, ctx: Context) -> Certificate:
    lot = _lot(body.lot)
    if body.commitment_basis not in ctx.policy.commitment_bases:
        bases = ", ".join(ctx.policy.commitment_bases)
        raise RuleViolation(f"unknown commitment basis; one of {bases}", "commitment_basis")
    owner = (await owners_of(uow.session, [lot])).get(lot)
    if owner is None or owner.credit_code != ctx.principal.credit_code:
        raise RuleViolation("the lot is not under one of your GS1 company prefixes", "lot")
    gtin = gtin_of(lot)
    values = {
        "trace_code": await _fresh_code(uow),
        "credit_code": owner.credit_code,
        "enterprise_name": owner.name,
        "region_code": owner.region_code,
        "lot": lot,
        "gtin": gtin,
        "lot_number": lot.rsplit("/10/", 1)[1],
        "product_name": body.product_name,
        "quantity": body.quantity,
        "unit": body.unit,
        "production_place": body.production_place,
        "commitment_basis": body.commitment_basis,
        "contact": body.contact,
        "issued_at": ctx.now,
        "issued_on": ctx.today,
    }
    certificate_id = await uow.session.scalar(
        insert(Certificate).values(**values).returning(Certificate.id)
    )
    certificate = Certificate(id=certificate_id, **values)
    uow.publish(_issued(certificate).event(subject=certificate.credit_code, time=ctx.now))
    return certificate


def _lot(value: str) -> str:
    try:
        lot = identifier(value)
    except (InvalidIdentifier, ValueError) as error:
        raise RuleViolation(str(error), "lot") from None
    if kind_of(lot) != "lot" or len(lot.rsplit("/10/", 1)[1]) > 20:
        raise RuleViolation("name a lot: urn:epc:class:lgtin:… or …/01/{gtin}/10/{lot}", "lot")
    return lot


async def _fresh_code(uow: UnitOfWork) -> str:
    """A trace code not issued before (59 random bits: a repeat is all but impossible, and
    checked all the same)."""
    while True:
        code = domain.new_trace_code(secrets.randbelow)
        taken = await uow.session.scalar(
            select(Certificate.id).where(Certificate.trace_code == code)
        )
        if taken is None:
            return code


def _issued(certificate: Certificate) -> CertificateIssued:
    return CertificateIssued(
        certificate_id=certificate.id,
        trace_code=certificate.trace_code,
        credit_code=certificate.credit_code,
        enterprise_name=certificate.enterprise_name,
        product_name=certificate.product_name,
        lot=certificate.lot,
        gtin=certificate.gtin,
        lot_number=certificate.lot_number,
        quantity=f"{certificate.quantity:f}",
        unit=certificate.unit,
        commitment_basis=certificate.commitment_basis,
        issued_on=certificate.issued_on,
    )
