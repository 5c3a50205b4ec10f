"""The EPCIS query interface reads its parameters by name from the query string, where the
shared refusal of NUL characters (which only looks at the parameters a route declares) does not
reach: each of them refuses a NUL itself, a 400 QueryParameterException naming it, never the
500 the database's refusal of it was (found by the stateful fuzzer, `tests/fuzz`)."""

from __future__ import annotations

import httpx
import pytest

from qgov_traceability.epcis.query import PARAMETERS

from .object_level import REGULATOR

EPC = "urn:epc:id:sgtin:6901234.012345.1"
QUERIES = {  # each query of events, and the parameters it takes
    "/epcis/events": PARAMETERS,
    f"/epcis/epcs/{EPC}/events": PARAMETERS - {"MATCH_anyEPC"},  # the path names it
}


@pytest.mark.parametrize("where", QUERIES)
async def test_every_query_parameter_refuses_a_nul(platform, where) -> None:
    wrongly = {}
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        for name in sorted(QUERIES[where]):
            answer = await client.get(where, params={name: "a\x00b"}, headers=REGULATOR)
            refusal = answer.json() if answer.status_code == 400 else {}
            if refusal.get("errors", [{}])[0].get("parameter") != name:
                wrongly[name] = f"{answer.status_code} {answer.text[:120]}"
    assert wrongly == {}
