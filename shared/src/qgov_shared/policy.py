"""Policy as data: a service's versioned TOML file (its legal numbers, calendars, rule tables),
loaded once at start and checked as it loads, so a service refuses to start on a policy it
cannot apply, and says which file and which key are wrong.

    def load_policy(path: Path = POLICY_FILE) -> CreditPolicy:
        return load_toml_policy(path, _parse)

`_parse` reads the tables as plain mappings and raises `ValueError` for what it refuses.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ParsedPolicy = TypeVar("ParsedPolicy")


class PolicyError(ValueError):
    """A policy file that cannot be applied; the message names the file and what is wrong."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class Table(dict[str, Any]):
    """A TOML table that knows its place in the file, so a key it lacks is named in full
    (`listing.repeated.kind`, `intake[2].event`) instead of by its last part."""

    def __init__(self, where: str, items: dict[str, Any]) -> None:
        super().__init__(items)
        self.where = where

    def __missing__(self, key: str) -> Any:
        raise KeyError(f"{self.where}.{key}" if self.where else key)


def load_toml_policy(path: Path, parse: Callable[[Table], ParsedPolicy]) -> ParsedPolicy:
    """`parse` the TOML file at `path` into a policy; a `KeyError`, `ValueError` or
    `TypeError` that parsing raises becomes a `PolicyError` naming the file (and the key)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(path, f"not valid TOML: {error}") from error
    try:
        return parse(_located(raw, ""))
    except KeyError as error:
        raise PolicyError(path, f"missing key {error.args[0]}") from error
    except (ValueError, TypeError) as error:
        raise PolicyError(path, str(error)) from error


def _located(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        return Table(
            where,
            {
                key: _located(item, f"{where}.{key}" if where else key)
                for key, item in value.items()
            },
        )
    if isinstance(value, list):
        return [_located(item, f"{where}[{index}]") for index, item in enumerate(value)]
    return value
