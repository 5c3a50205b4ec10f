"""The pages' words, in Chinese first and in English: one TOML file per language, the same
keys in each (a test holds them to it). A page asks `t("key", name=value)`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
COOKIE = "qgov_lang"
_FOLDER = Path(__file__).parent


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def messages(language: str) -> dict[str, str]:
    with (_FOLDER / f"{language}.toml").open("rb") as file:
        return _flatten(tomllib.load(file))


@dataclass(frozen=True)
class Translator:
    language: str

    def __call__(self, key: str, **params: object) -> str:
        text = messages(self.language).get(key)
        if text is None:  # a code the platform added after these words were written
            return key.rsplit(".", 1)[-1]
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return key in messages(self.language)

    def label(self, group: str, code: str | None, fallback: str | None = None) -> str:
        """The words for one of the platform's codes (a status, a category), else the
        platform's own name for it, else the code."""
        if code is None:
            return ""
        key = f"{group}.{code}"
        return self(key) if self.has(key) else (fallback or code)


def language_of(cookie: str | None) -> str:
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE
