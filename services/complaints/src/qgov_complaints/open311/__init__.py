"""Open311 GeoReport v2 for complaints (投诉), in JSON, under `/open311/v2/`.

Each complaint category of the policy is one Open311 service; a complaint is a service request
whose `service_request_id` is its tracking number. Only complaints are service requests:
reports (举报) are confidential and never appear here.

Where we part from the specification, and why:
- JSON only (`.json` paths). An `.xml` path is answered with a 400 problem saying so.
- Errors are RFC 9457 problem documents (QGov's public contract), not the `[{code,
  description}]` array; the HTTP statuses are the specification's (400, 404).
- POST answers with both `service_request_id` and `token`. The specification's token is a
  temporary id for batch servers; ours is the secret that, with the tracking number,
  authorises following the complaint (`GET /api/v1/tracking/{id}`, header X-Tracking-Token).
  `tokens/{token}.json` still turns it into the `service_request_id`.
- `api_key` is not checked: callers are identified by the gateway's bearer tokens, and anyone
  may file a complaint. `jurisdiction_id` is ignored: one jurisdiction serves every region.
- A location is optional (a consumer dispute need not have one); `attribute[region_code]`
  says where it is handled. `email`, `device_id` and `media_url` are not kept: a complaint
  has no e-mail contact, and evidence is described by its metadata, not fetched from URLs.
- Request listings are public, so they carry no personal data: `description` is the kind of
  complaint, not the complainant's own words (which routinely name people and phones), and
  `address` is where it happened, never the complainant's address.
"""

from __future__ import annotations

from fastapi import APIRouter

from qgov_complaints.open311 import service_requests, services

# The specification answers a request it cannot take with 400, whatever part is malformed.
router = APIRouter(
    prefix="/open311/v2",
    tags=["open311"],
    responses={400: {"description": "A malformed form, query or path, as GeoReport v2 says"}},
)
router.include_router(services.router)
router.include_router(service_requests.router)
