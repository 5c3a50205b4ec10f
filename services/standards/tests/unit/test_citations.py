"""Sources are cited once, in `policy.toml` (`[basis]`): the API document and the event
schemas name the policy's rules instead, so a citation cannot be corrected in one place and
stay wrong in another."""

from __future__ import annotations

import json
import re

from qgov_standards import SERVICE
from qgov_standards.main import create_app

ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def test_the_api_document_cites_no_article() -> None:
    document = json.dumps(create_app().openapi(), ensure_ascii=False)
    assert ARTICLE.findall(document) == []


def test_the_event_schemas_cite_no_article() -> None:
    for model in SERVICE.event_models():
        assert ARTICLE.findall(json.dumps(model.contract(), ensure_ascii=False)) == [], model.TYPE
