"""The gateway's HTTP API."""

from fastapi import APIRouter

from qgov_gateway import handlers
from qgov_gateway.schemas import SourceStatus
from qgov_shared.app import SessionDep

router = APIRouter(prefix="/api/v1", tags=["status"])


@router.get("/status/sources", response_model=list[SourceStatus])
async def sources(session: SessionDep) -> list[SourceStatus]:
    """Per event source, the newest event the gateway's read model has taken in."""
    return [SourceStatus.model_validate(row) for row in await handlers.source_statuses(session)]
