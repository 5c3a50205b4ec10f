"""GS1 company prefixes (厂商识别代码), as GS1 China assigns them, recorded by a regulator of
the enterprise's region (or an administrator). What an enterprise may capture and certify,
and who may see an event, follows from them."""

from __future__ import annotations

from sqlalchemy import insert

from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code
from qgov_traceability.handlers import Context
from qgov_traceability.models import CompanyPrefix
from qgov_traceability.queries.parties import prefixes_overlapping
from qgov_traceability.schemas import CompanyPrefixCreate


class OutsideRegion(RuleViolation):
    pass


async def register_prefix(
    body: CompanyPrefixCreate, uow: UnitOfWork, ctx: Context
) -> CompanyPrefix:
    region = parse_credit_code(body.credit_code).region_code
    if not ctx.principal.covers_region(region):
        raise OutsideRegion("this enterprise is registered outside your regions", "credit_code")
    if taken := await prefixes_overlapping(uow.session, body.company_prefix):
        raise RuleViolation(f"overlaps the registered company prefix {taken[0]}")
    row = CompanyPrefix(
        prefix=body.company_prefix,
        credit_code=body.credit_code,
        enterprise_name=body.enterprise_name,
        region_code=region,
        registered_at=ctx.now,
        registered_by=ctx.actor,
    )
    await uow.session.execute(insert(CompanyPrefix).values(**row.model_dump()))
    return row
