"""The intake group listens to every other domain service's topic, inspections' too, and never
to its own topic or a dead-letter topic."""

from __future__ import annotations

import re

import pytest

from qgov_credit.main import DOMAIN_TOPICS


@pytest.mark.parametrize(
    "service", ["complaints", "standards", "brands", "traceability", "inspections"]
)
def test_each_domain_services_topic_is_taken_in(service):
    assert re.fullmatch(DOMAIN_TOPICS, f"qgov.{service}")


@pytest.mark.parametrize(
    "topic", ["qgov.credit", "qgov.gateway", "qgov.complaints.dlq", "qgov.inspectionsx"]
)
def test_its_own_topic_and_dead_letters_are_not(topic):
    assert re.fullmatch(DOMAIN_TOPICS, topic) is None
