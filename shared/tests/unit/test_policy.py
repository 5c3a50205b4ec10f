"""A policy file that cannot be applied is refused with one error naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from qgov_shared.policy import PolicyError, load_toml_policy

POLICY = """\
version = "1"
[limits]
days = 5
[[steps]]
name = "first"
[[steps]]
title = "no name"
"""


def write(tmp_path: Path, text: str = POLICY) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_receives_the_files_tables_and_its_result_is_the_policy(tmp_path):
    policy = load_toml_policy(write(tmp_path), lambda raw: (raw["version"], raw["limits"]["days"]))

    assert policy == ("1", 5)


@pytest.mark.parametrize(
    ("parse", "key"),
    [
        (lambda raw: raw["edition"], "edition"),
        (lambda raw: raw["limits"]["weeks"], "limits.weeks"),
        (lambda raw: [step["name"] for step in raw["steps"]], "steps[1].name"),
    ],
)
def test_a_missing_key_is_named_by_its_place_in_the_file(tmp_path, parse, key):
    path = write(tmp_path)

    with pytest.raises(PolicyError) as refused:
        load_toml_policy(path, parse)

    assert str(refused.value) == f"{path}: missing key {key}"
    assert refused.value.path == path


def reject(raw):
    raise ValueError("grades must be A > B > C > D")


@pytest.mark.parametrize(
    ("parse", "message"),
    [
        (reject, "grades must be A > B > C > D"),
        (lambda raw: int(raw["version"]) + raw["limits"], "unsupported operand"),
    ],
)
def test_a_value_or_type_the_parser_refuses_names_the_file(tmp_path, parse, message):
    path = write(tmp_path)

    with pytest.raises(PolicyError, match=message) as refused:
        load_toml_policy(path, parse)

    assert str(refused.value).startswith(f"{path}: ")
    assert isinstance(refused.value, ValueError)  # callers that caught ValueError still do


def test_a_file_that_is_not_toml_names_the_file(tmp_path):
    path = write(tmp_path, "version = \n")

    with pytest.raises(PolicyError, match="not valid TOML") as refused:
        load_toml_policy(path, lambda raw: raw)

    assert refused.value.path == path
