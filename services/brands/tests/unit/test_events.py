"""The events the brands service publishes: the issue's nine, each typed and named after it."""

from __future__ import annotations

from qgov_brands import SERVICE
from qgov_brands.events import EVENTS


def test_the_service_publishes_the_issues_nine_event_types():
    assert [model.TYPE for model in EVENTS] == [
        f"qgov.brands.{name}.v1"
        for name in (
            "brand.registered",
            "brand.transferred",
            "award.applied",
            "award.proposed",
            "award.granted",
            "award.rejected",
            "award.suspended",
            "award.reinstated",
            "award.revoked",
        )
    ]
    assert SERVICE.event_models() == EVENTS


def test_every_award_event_names_the_enterprise_as_credit_files_it():
    for model in EVENTS:
        assert {"credit_code", "enterprise_name"} <= set(model.model_fields) or (
            model.TYPE.endswith("brand.transferred.v1")
        )
