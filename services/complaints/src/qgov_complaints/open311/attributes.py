"""What every complaint service definition asks beyond GeoReport v2's standard fields: its
`attribute[code]` fields, and where each value goes in a `ComplaintCreate`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class FormAttribute:
    """One `attribute[code]` of every complaint service, and where its value goes in a
    `ComplaintCreate`."""

    code: str
    target: tuple[str, ...]
    datatype: Literal["string", "number", "datetime", "text"]
    required: bool
    description: str
    datatype_description: str | None = None


ATTRIBUTES: tuple[FormAttribute, ...] = (
    FormAttribute(
        "respondent_name", ("respondent", "name"), "string", True, "被投诉人（经营者）名称"
    ),
    FormAttribute(
        "respondent_credit_code",
        ("respondent", "credit_code"),
        "string",
        False,
        "被投诉人的统一社会信用代码",
        "18 位统一社会信用代码（GB 32100-2015）",
    ),
    FormAttribute("respondent_address", ("respondent", "address"), "string", False, "被投诉人地址"),
    FormAttribute(
        "request", ("request",), "text", True, "投诉请求：希望经营者如何解决，如退货、退款、赔偿"
    ),
    FormAttribute(
        "complainant_name",
        ("complainant", "name"),
        "string",
        False,
        "投诉人姓名；不填则取 last_name 与 first_name",
    ),
    FormAttribute(
        "complainant_phone",
        ("complainant", "phone"),
        "string",
        True,
        "投诉人联系电话；也可用标准字段 phone 提交",
        "手机号，或带区号的固定电话",
    ),
    FormAttribute(
        "complainant_address", ("complainant", "address"), "string", True, "投诉人联系地址"
    ),
    FormAttribute("amount", ("amount",), "number", False, "涉及金额（元）", "非负数，最多两位小数"),
    FormAttribute(
        "incident_on",
        ("incident_on",),
        "datetime",
        False,
        "购买商品、接受服务或问题发生的日期",
        "ISO 8601 日期，如 2025-03-01",
    ),
    FormAttribute(
        "known_harm_on",
        ("known_harm_on",),
        "datetime",
        False,
        "知道或者应当知道权益受到侵害的日期",
        "ISO 8601 日期，如 2025-03-01",
    ),
    FormAttribute(
        "region_code",
        ("region_code",),
        "string",
        True,
        "消费行为发生地或被投诉人所在地的行政区划，决定由哪里的市场监督管理部门处理",
        "6 位行政区划代码（GB/T 2260），如 440203",
    ),
)
ATTRIBUTES_BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}

# The form field to blame when a part of the complaint is missing or wrong.
FIELD_FOR_TARGET: dict[tuple[str, ...], str] = {
    ("facts",): "description",
    ("category",): "service_code",
    **{attribute.target: f"attribute[{attribute.code}]" for attribute in ATTRIBUTES},
}
