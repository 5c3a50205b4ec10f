"""Open311 GeoReport v2 over the complaints service: the published schemas, form posts with
`attribute[code]` fields, the public request listings (no personal data), and tokens."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sqlalchemy import select

from qgov_complaints.models import Submission
from qgov_complaints.policy import load_policy
from qgov_shared.testing.conformance import conformance_path
from qgov_shared.testing.problems import problem

from .conftest import ADDRESS, CODE, COVERED, NAME, PHONE, Desk, Filed, open_desk

POLICY = load_policy()
BASE = "/open311/v2"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"

FACTS = f"我是{NAME}，电话 {PHONE}。购买的电饭煲使用三天后无法加热，商家拒绝退货。"
LOCATION = "韶关市武江区新华南路 88 号某电器商行"
FORM: dict[str, str] = {
    "api_key": "not-checked",
    "service_code": "electronics",
    "description": FACTS,
    "first_name": "三",
    "last_name": "张",
    "phone": PHONE,
    "email": "zhang@example.cn",
    "device_id": "device-1",
    "account_id": "account-42",
    "address_string": LOCATION,
    "lat": "24.8002",
    "long": "113.5837",
    "attribute[respondent_name]": "韶关某电器商行",
    "attribute[respondent_credit_code]": CODE,
    "attribute[request]": "退还货款 1299 元",
    "attribute[complainant_address]": ADDRESS,
    "attribute[amount]": "1299.00",
    "attribute[incident_on]": "2026-02-20",
    "attribute[region_code]": COVERED,
}
FILED_ON = date(2026, 3, 2)  # a Monday: the acceptance limit runs to Wednesday 11 March
REQUIRED_ATTRIBUTES = {
    "respondent_name",
    "request",
    "complainant_phone",
    "complainant_address",
    "region_code",
}


def complaint_form(changes: dict[str, str | None] | None = None) -> dict[str, str]:
    """The standard form; `changes` replace fields, and None removes one."""
    form = copy.deepcopy(FORM)
    for name, value in (changes or {}).items():
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    return form


async def post(desk: Desk, form: dict[str, str], **headers: str) -> httpx.Response:
    return await desk.client.post(f"{BASE}/requests.json", data=form, headers=headers)


async def file(desk: Desk, changes: dict[str, str | None] | None = None) -> Filed:
    response = await post(desk, complaint_form(changes))
    assert response.status_code == 201, response.text
    [posted] = response.json()
    return Filed(
        await submission_id(desk, posted["service_request_id"]),
        posted["service_request_id"],
        posted["token"],
        posted,
    )


async def submission_id(desk: Desk, tracking_number: str) -> int:
    query = select(Submission.id).where(Submission.tracking_number == tracking_number)
    async with desk.svc.runtime.session_factory() as session:
        return await session.scalar(query)


async def get_json(desk: Desk, path: str, **params: Any) -> Any:
    response = await desk.client.get(f"{BASE}/{path}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


async def listed(desk: Desk, **params: Any) -> list[str]:
    return [item["service_request_id"] for item in await get_json(desk, "requests.json", **params)]


def form_fields(body: dict[str, Any]) -> list[str]:
    """The form fields a problem blames."""
    assert all(error["in"] == "form" for error in body["errors"])
    return [error["parameter"] for error in body["errors"]]


def query_parameters(body: dict[str, Any]) -> list[str]:
    return [error["parameter"] for error in body["errors"]]


# --- conformance to the published GeoReport v2 schemas -----------------------------------------


@pytest.fixture(scope="module")
def schemas() -> dict[str, Draft4Validator]:
    """A validator per GeoReport v2 schema; `services.json` and `requests.json` refer to their
    siblings by file name."""
    folder = conformance_path("open311", "schema")
    documents = {path.name: json.loads(path.read_text()) for path in folder.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(document, default_specification=DRAFT4))
        for name, document in documents.items()
    )
    return {
        name: Draft4Validator(
            document, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
        )
        for name, document in documents.items()
    }


def conforms(validator: Draft4Validator, document: Any) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, errors


async def test_every_endpoint_answers_as_the_published_schemas_say(desk: Desk, schemas):
    filed = await file(desk)
    await desk.step_ok(filed, "decision", {"decision": "reject", "ground": "outside_duties"})
    await file(desk, {"lat": None, "long": None, "address_string": None})

    conforms(schemas["services.json"], await get_json(desk, "services.json"))
    for code in POLICY.categories:
        conforms(schemas["service-definition.json"], await get_json(desk, f"services/{code}.json"))
    listing = await get_json(desk, "requests.json")
    assert len(listing) == 2
    conforms(schemas["requests.json"], listing)
    conforms(
        schemas["requests.json"], await get_json(desk, f"requests/{filed.tracking_number}.json")
    )
    # POST requests.json and tokens/{token}.json have no schema: their ids are strings as here
    [from_token] = await get_json(desk, f"tokens/{filed.token}.json")
    assert isinstance(from_token["service_request_id"], str)


# --- services ----------------------------------------------------------------------------------


async def test_one_service_per_complaint_category(desk: Desk):
    services = await get_json(desk, "services.json")

    assert [s["service_code"] for s in services] == list(POLICY.categories)
    by_code = {s["service_code"]: s for s in services}
    assert by_code["food"]["service_name"] == "食品"
    assert {(s["metadata"], s["type"], s["group"]) for s in services} == {
        (True, "realtime", "12315")
    }
    assert "医疗器械" in by_code["drugs"]["keywords"].split(", ")


async def test_every_service_asks_for_the_respondents_credit_code(desk: Desk):
    definition = await get_json(desk, "services/food.json")

    assert definition["service_code"] == "food"
    attributes = {a["code"]: a for a in definition["attributes"]}
    credit_code = attributes["respondent_credit_code"]
    assert (credit_code["datatype"], credit_code["required"], credit_code["variable"]) == (
        "string",
        False,
        True,
    )
    assert {code for code, a in attributes.items() if a["required"]} == REQUIRED_ATTRIBUTES
    assert attributes["amount"]["datatype"] == "number"
    assert attributes["incident_on"]["datatype"] == "datetime"
    orders = [a["order"] for a in definition["attributes"]]
    assert orders == list(range(1, len(orders) + 1))
    assert all(a["description"] for a in definition["attributes"])


async def test_an_unknown_service_is_a_404(desk: Desk):
    response = await desk.client.get(f"{BASE}/services/potholes.json")

    assert query_parameters(problem(response, 404)) == ["service_code"]


async def test_xml_is_refused_with_a_pointer_to_json(desk: Desk):
    for path in ("services.xml", "services/food.xml", "requests.xml"):
        body = problem(await desk.client.get(f"{BASE}/{path}"), 400)
        assert "JSON only" in body["detail"]
        assert path.removesuffix(".xml") + ".json" in body["detail"]


# --- filing ------------------------------------------------------------------------------------


async def test_a_form_post_files_a_complaint(desk: Desk):
    desk.today(FILED_ON)
    response = await post(desk, complaint_form())

    assert response.status_code == 201, response.text
    [posted] = response.json()
    assert set(posted) == {"service_request_id", "token", "service_notice", "account_id"}
    assert posted["service_request_id"].startswith("T20260302")
    assert posted["account_id"] == "account-42"
    assert "2026-03-11" in posted["service_notice"]
    filed = Filed(
        await submission_id(desk, posted["service_request_id"]),
        posted["service_request_id"],
        posted["token"],
        posted,
    )
    shown = (await desk.show(filed)).json()
    assert (shown["kind"], shown["channel"], shown["category"]) == (
        "complaint",
        "open311",
        "electronics",
    )
    assert shown["person"] == {"name": NAME, "phone": PHONE, "address": ADDRESS, "id_number": None}
    assert (shown["respondent_name"], shown["respondent_credit_code"]) == ("韶关某电器商行", CODE)
    assert (shown["request"], shown["facts"]) == ("退还货款 1299 元", FACTS)
    assert (shown["amount"], shown["incident_on"]) == ("1299.00", "2026-02-20")
    assert shown["handling_region_code"] == COVERED
    [request] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    assert (request["address"], request["lat"], request["long"]) == (LOCATION, 24.8002, 113.5837)
    # the token follows the complaint through the citizens' API
    assert (await desk.track(filed)).json()["status"] == "submitted"


async def test_attributes_win_over_the_standard_fields_that_stand_in_for_them(desk: Desk):
    filed = await file(
        desk,
        {
            "attribute[complainant_name]": "欧阳娜娜",
            "attribute[complainant_phone]": "0751-8881234",
            "attribute[incident_on]": "2026-02-28T23:30:00Z",  # 1 March in Beijing
        },
    )

    shown = (await desk.show(filed)).json()
    assert (shown["person"]["name"], shown["person"]["phone"]) == ("欧阳娜娜", "0751-8881234")
    assert shown["incident_on"] == "2026-03-01"


async def test_latin_names_keep_the_given_name_first(desk: Desk):
    filed = await file(desk, {"first_name": "John", "last_name": "Smith"})

    assert (await desk.show(filed)).json()["person"]["name"] == "John Smith"


async def test_a_retried_post_with_its_idempotency_key_files_once(desk: Desk):
    first = await post(desk, complaint_form(), **{"Idempotency-Key": "open311-1"})
    again = await post(desk, complaint_form(), **{"Idempotency-Key": "open311-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await desk.submissions() == 1
    other = await post(
        desk, complaint_form({"attribute[amount]": "1.00"}), **{"Idempotency-Key": "open311-1"}
    )
    problem(other, 409)
    assert await desk.submissions() == 1


@pytest.mark.parametrize(
    ("changes", "blamed"),
    [
        ({"attribute[region_code]": None}, ["attribute[region_code]"]),
        ({"attribute[region_code]": "999999"}, ["attribute[region_code]"]),
        (
            {"attribute[respondent_credit_code]": "91350100M000100Y44"},
            ["attribute[respondent_credit_code]"],
        ),
        ({"attribute[respondent_name]": "  "}, ["attribute[respondent_name]"]),
        ({"description": None}, ["description"]),
        ({"phone": None}, ["attribute[complainant_phone]"]),
        ({"phone": "12345"}, ["phone"]),
        ({"first_name": None, "last_name": None}, ["attribute[complainant_name]"]),
        ({"attribute[amount]": "lots"}, ["attribute[amount]"]),
        ({"attribute[amount]": "-5"}, ["attribute[amount]"]),
        ({"attribute[incident_on]": "last week"}, ["attribute[incident_on]"]),
        ({"attribute[incident_on]": "2026-03-03"}, ["attribute[incident_on]"]),  # the future
        ({"attribute[colour]": "red"}, ["attribute[colour]"]),
        ({"attribute[request][]": "退款"}, ["attribute[request][]"]),
        ({"service_code": None}, ["service_code"]),
        ({"long": None}, ["long"]),
        ({"lat": "91"}, ["lat"]),
        ({"address_string": "路" * 301}, ["address_string"]),
    ],
)
async def test_a_bad_form_is_a_400_naming_each_bad_field(desk: Desk, changes, blamed):
    desk.today(FILED_ON)
    body = problem(await post(desk, complaint_form(changes)), 400)

    assert form_fields(body) == blamed
    assert await desk.submissions() == 0


async def test_a_field_given_twice_is_refused(desk: Desk):
    content = httpx.QueryParams([*complaint_form().items(), ("attribute[amount]", "2.00")])
    response = await desk.client.post(
        f"{BASE}/requests.json",
        content=str(content),
        headers={"Content-Type": FORM_MEDIA_TYPE},
    )

    assert form_fields(problem(response, 400)) == ["attribute[amount]"]


async def test_an_unknown_service_code_is_a_404(desk: Desk):
    body = problem(await post(desk, complaint_form({"service_code": "potholes"})), 404)

    assert form_fields(body) == ["service_code"]


async def test_a_form_that_is_not_utf8_is_refused(desk: Desk):
    content = str(httpx.QueryParams(complaint_form())) + "&first_name=%D5%C5"  # GBK, not UTF-8
    response = await desk.client.post(
        f"{BASE}/requests.json", content=content, headers={"Content-Type": FORM_MEDIA_TYPE}
    )

    assert "UTF-8" in problem(response, 400)["detail"]


async def test_filing_through_open311_is_rate_limited_like_the_api(stack, clock):
    bad_form = complaint_form({"service_code": None})
    async with open_desk(stack, clock, public_rate_per_minute=1, public_rate_burst=2) as desk:
        answers = [(await post(desk, bad_form)).status_code for _ in range(3)]

    assert answers == [400, 400, 429]


async def test_the_form_must_be_form_encoded(desk: Desk):
    response = await desk.client.post(f"{BASE}/requests.json", json=complaint_form())

    problem(response, 415)
    assert response.headers["Accept-Post"] == FORM_MEDIA_TYPE


# --- requests ----------------------------------------------------------------------------------


async def test_a_request_shows_its_progress_and_no_personal_data(desk: Desk):
    desk.today(FILED_ON)
    filed = await file(desk)

    [request] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    assert request["service_request_id"] == filed.tracking_number
    assert (request["status"], request["service_code"], request["service_name"]) == (
        "open",
        "electronics",
        "家用电器与电子产品",
    )
    assert request["requested_datetime"] == "2026-03-02T10:00:00+08:00"
    assert request["updated_datetime"] == "2026-03-02T10:00:00+08:00"
    # 7 working days to decide on acceptance, met any time on the last day
    assert request["expected_datetime"] == "2026-03-11T23:59:59+08:00"
    assert request["agency_responsible"] == "广东省韶关市武江区市场监督管理部门（440203）"
    text = json.dumps(request, ensure_ascii=False)
    for personal in (NAME, PHONE, ADDRESS, FACTS, "account-42"):
        assert personal not in text


async def test_the_expected_datetime_follows_the_running_legal_deadline(desk: Desk):
    desk.today(FILED_ON)
    filed = await file(desk)
    desk.today(date(2026, 3, 4))
    await desk.step_ok(filed, "decision", {"decision": "accept"})

    [request] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    shown = (await desk.show(filed)).json()
    assert shown["running_deadline"] == "mediation"
    assert request["expected_datetime"] == f"{shown['due_on']}T23:59:59+08:00"
    assert (request["status"], request["status_notes"]) == ("open", "已受理，待组织调解")
    assert request["updated_datetime"] == "2026-03-04T10:00:00+08:00"


async def test_a_rejected_complaint_is_closed_with_its_ground(desk: Desk):
    desk.today(FILED_ON)
    filed = await file(desk)
    desk.today(date(2026, 3, 3))
    await desk.step_ok(filed, "decision", {"decision": "reject", "ground": "already_handled"})

    [request] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    assert request["status"] == "closed"
    assert request["status_notes"] == f"不予受理：{POLICY.rejection_grounds['already_handled']}"
    assert request["updated_datetime"] == "2026-03-03T10:00:00+08:00"
    assert request["expected_datetime"] is None


async def test_a_complaint_is_open_until_closed_after_mediation(desk: Desk):
    desk.today(FILED_ON)
    filed = await file(desk)
    await desk.step_ok(filed, "decision", {"decision": "accept"})
    await desk.step_ok(filed, "mediation/start")
    await desk.step_ok(filed, "mediation/outcome", {"outcome": "mediated"})
    [mediated] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    desk.today(date(2026, 3, 5))
    await desk.step_ok(filed, "close")

    [closed] = await get_json(desk, f"requests/{filed.tracking_number}.json")
    assert mediated["status"] == "open"
    assert mediated["expected_datetime"] is not None  # the parties are told within 7 days
    assert (closed["status"], closed["status_notes"]) == ("closed", "已办结：达成调解协议")
    assert closed["updated_datetime"] == "2026-03-05T10:00:00+08:00"
    assert await listed(desk, status="closed") == [filed.tracking_number]
    assert await listed(desk, status="open") == []


async def test_requests_filter_by_status_and_service(desk: Desk):
    rejected = await file(desk)
    await desk.step_ok(rejected, "decision", {"decision": "reject", "ground": "outside_duties"})
    food = await file(desk, {"service_code": "food"})
    electronics = await file(desk)

    newest_first = [electronics.tracking_number, food.tracking_number, rejected.tracking_number]
    assert await listed(desk) == newest_first
    assert await listed(desk, status="open") == newest_first[:2]
    assert await listed(desk, status="closed") == [rejected.tracking_number]
    assert await listed(desk, status="open,closed") == newest_first
    assert await listed(desk, service_code="food") == [food.tracking_number]
    assert await listed(desk, service_code="food,electronics", status="closed") == [
        rejected.tracking_number
    ]
    # service_request_id overrides the other filters
    assert await listed(
        desk,
        service_request_id=f"{food.tracking_number}, {rejected.tracking_number}",
        status="open",
    ) == [food.tracking_number, rejected.tracking_number]


async def test_requests_default_to_the_last_90_days_and_filter_by_date(desk: Desk):
    desk.today(date(2025, 11, 3))
    old = await file(desk, {"attribute[incident_on]": None})
    desk.today(date(2026, 1, 5))
    recent = await file(desk, {"attribute[incident_on]": None})
    desk.today(date(2026, 3, 2))

    assert await listed(desk) == [recent.tracking_number]
    assert await listed(
        desk, start_date="2025-10-15T00:00:00Z", end_date="2025-12-01T00:00:00Z"
    ) == [old.tracking_number]
    assert await listed(desk, start_date="2025-11-03") == [
        recent.tracking_number,
        old.tracking_number,
    ]
    assert await listed(desk, end_date="2025-11-03") == [old.tracking_number]  # the whole day
    assert await listed(desk, end_date="2025-11-03T09:59:59+08:00") == []
    assert await listed(desk, start_date="2026-01-05T10:00:00+08:00") == [recent.tracking_number]
    # "optional" means that an empty parameter is as good as none
    assert await listed(desk, start_date="", end_date="", status="") == [recent.tracking_number]


@pytest.mark.parametrize(
    ("params", "blamed"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:01Z"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00"}, "start_date"),  # no time zone
        ({"end_date": "yesterday"}, "end_date"),
        ({"status": "pending"}, "status"),
    ],
)
async def test_a_bad_query_is_a_400_naming_the_parameter(desk: Desk, params, blamed):
    response = await desk.client.get(f"{BASE}/requests.json", params=params)

    assert query_parameters(problem(response, 400)) == [blamed]


async def test_a_90_day_window_is_allowed(desk: Desk):
    params = {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}

    assert (await desk.client.get(f"{BASE}/requests.json", params=params)).status_code == 200


async def test_an_unknown_request_is_a_404(desk: Desk):
    problem(await desk.client.get(f"{BASE}/requests/T20260302XXXXXXXX.json"), 404)


async def test_reports_are_not_service_requests(desk: Desk):
    report = await desk.file_report()
    complaint = await file(desk)

    assert await listed(desk) == [complaint.tracking_number]
    assert await listed(desk, service_request_id=report.tracking_number) == []
    problem(await desk.client.get(f"{BASE}/requests/{report.tracking_number}.json"), 404)
    problem(await desk.client.get(f"{BASE}/tokens/{report.token}.json"), 404)


# --- tokens ------------------------------------------------------------------------------------


async def test_a_token_gives_its_service_request_id(desk: Desk):
    filed = await file(desk)

    assert await get_json(desk, f"tokens/{filed.token}.json") == [
        {"service_request_id": filed.tracking_number, "token": filed.token}
    ]
    problem(await desk.client.get(f"{BASE}/tokens/not-a-token-we-issued.json"), 404)
