"""Problems found in records: plain values that any renderer (text, JSON, GitHub) can show.

A problem carries a machine code and the values that fill its message; the words themselves
live in the catalog (catalog/problems.yaml), one entry per code in English, Spanish and French.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from .yamlread import load_catalog

Severity = Literal["error", "warning"]
_WORD_PARAMS = ("expected", "found", "what", "where")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at one place."""

    file: str
    line: int
    column: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def message(self, lang: str = "en") -> str:
        return _fill(problem_texts(self.code, lang)["message"], self._params_in(lang))

    def hint(self, lang: str = "en") -> str:
        template = problem_texts(self.code, lang).get("hint", "")
        hint = _fill(template, self._params_in(lang)) if template else ""
        suggestion = self.params.get("suggestion")
        if suggestion:
            did_you_mean = _fill(problem_texts("did-you-mean", lang)["message"], self.params)
            separator = problem_texts("words", lang)["separator"]
            hint = f"{hint}{separator}{did_you_mean}" if hint else did_you_mean
        return hint

    def _params_in(self, lang: str) -> dict[str, Any]:
        """Values with the words that depend on the language (types, kinds) translated."""
        words = problem_texts("words", lang)
        translated = {key: value.get(lang) or value.get("en", "") if isinstance(value, dict) else value
                      for key, value in self.params.items()}
        for name in _WORD_PARAMS:
            value = translated.get(name)
            if isinstance(value, str) and value in words:
                translated[name] = words[value]
        return translated

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _fill(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Defaulting({k: _show(v) for k, v in params.items()}))


def _show(value: Any) -> str:
    """A value in a message; control characters from a record are shown as escapes (\\x1b),
    never sent to the contributor's terminal, where they could rewrite what it shows."""
    text = ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@cache
def problem_catalog() -> dict[str, dict[str, dict[str, str]]]:
    """Every problem code with its message and hint in each language."""
    text = resources.files("sectorguide").joinpath("catalog/problems.yaml").read_text("utf-8")
    catalog: dict[str, dict[str, dict[str, str]]] = load_catalog(text)
    return catalog


def problem_texts(code: str, lang: str) -> dict[str, str]:
    entry = problem_catalog()[code]
    return entry.get(lang) or entry["en"]
