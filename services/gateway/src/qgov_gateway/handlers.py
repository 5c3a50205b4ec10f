"""The gateway's read-model updates."""

from sqlalchemy import case, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_gateway.models import SourceWatermark
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork

# Every producing service's topic, `qgov.<service>`; not their dead-letter topics.
ALL_SERVICE_TOPICS = r"^qgov\.[a-z]+$"


async def note_event(event: CloudEvent, uow: UnitOfWork) -> None:
    """Advance the source's watermark; an older event arriving late never moves it back."""
    table = SourceWatermark.__table__
    values = {
        "source": event.source,
        "last_event_id": event.id,
        "last_event_type": event.type,
        "last_event_time": event.time,
        "events_seen": 1,
    }
    statement = insert(table).values(**values)
    newer = statement.excluded.last_event_time >= table.c.last_event_time
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.source],
            set_={
                "events_seen": table.c.events_seen + 1,
                **{
                    column: _case_newer(newer, statement.excluded[column], table.c[column])
                    for column in ("last_event_id", "last_event_type", "last_event_time")
                },
            },
        )
    )


def _case_newer(newer, incoming, current):
    return case((newer, incoming), else_=current)


async def source_statuses(session: AsyncSession) -> list[SourceWatermark]:
    result = await session.execute(select(SourceWatermark).order_by(SourceWatermark.source))
    return list(result.scalars())
