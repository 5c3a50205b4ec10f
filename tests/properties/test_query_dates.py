"""Dates and date-times in query parameters: an EPCIS query's times (RFC 3339 with an offset)
and an Open311 listing's window. Any text is a moment with its time zone or a refusal naming
the parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_traceability.epcis.query import QueryParameterError, parse_query

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
_TIMES = ["GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"]
_texts = st.one_of(
    st.text(max_size=40),
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?"
        r"(Z|[+-][0-9]{2}:?[0-9]{2})?",
        fullmatch=True,
    ),
)


@PROPERTIES
@given(st.sampled_from(_TIMES), _texts)
def test_an_epcis_query_time_has_an_offset_or_is_refused_by_name(name: str, text: str) -> None:
    try:
        query, blamed = parse_query({name: text}, max_per_page=100), None
    except QueryParameterError as error:
        query, blamed = None, error.parameter
    if query is None:
        assert blamed == name
    else:
        moments = [value for value in vars(query).values() if isinstance(value, datetime)]
        assert len(moments) == 1
        assert moments[0].tzinfo is not None


@PROPERTIES
@given(
    st.sampled_from(_TIMES),
    st.datetimes(datetime(1970, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC)),
    st.integers(-14 * 60, 14 * 60),
)
def test_an_rfc3339_time_means_the_same_moment(name: str, moment: datetime, minutes: int):
    local = moment.astimezone(timezone(timedelta(minutes=minutes)))
    query = parse_query({name: local.isoformat()}, max_per_page=100)
    moments = [value for value in vars(query).values() if isinstance(value, datetime)]
    assert moments == [moment]
