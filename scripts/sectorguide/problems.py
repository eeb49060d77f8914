"""Problems found in records: plain values that any renderer (text, JSON, GitHub) can show.

A problem carries a machine code and the values that fill its message; the words themselves
live in the catalog (catalog/problems.yaml), one entry per code in English, Spanish and French.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal, Self

from babel import Locale

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
        return _fill(problem_texts(self.code, lang)["message"], self._params_in(lang), lang)

    def hint(self, lang: str = "en") -> str:
        template = problem_texts(self.code, lang).get("hint", "")
        hint = _fill(template, self._params_in(lang), lang) if template else ""
        notes = [("did-you-mean", bool(self.params.get("suggestion"))),
                 # a syntax mistake the file was not read past: the rest waits for a new run
                 ("rest-not-checked", self.params.get("unchecked") is True)]
        separator = problem_texts("words", lang)["separator"]
        for code, said in notes:
            if said:
                note = _fill(problem_texts(code, lang)["message"], self.params, lang)
                hint = f"{hint}{separator}{note}" if hint else note
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
        return _Shown("?", "en")


def _fill(template: str, params: dict[str, Any], lang: str) -> str:
    return template.format_map(_Defaulting({k: _Shown(_show(v), lang) for k, v in params.items()}))


class _Shown(str):
    """A value in a message, which also says the word that goes with it as a number:
    "{spaces} {spaces:space|spaces}" reads "1 space", "2 spaces" (the singular for 0 too in
    French)."""

    def __new__(cls, text: str, lang: str) -> Self:
        shown = super().__new__(cls, text)
        shown.lang = lang
        return shown

    lang: str

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return str.__format__(str(self), spec)
        one, other = spec.split("|", 1)
        if not self.lstrip("-").isdecimal():
            return other
        return one if _plural_form(self.lang, int(self)) == "one" else other


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _plural_form(lang: str, number: int) -> str:
    """The number's plural category in the language, by CLDR's rules (Babel's): "one" for 1
    (in French for 0 too), else "other" or "many"."""
    return str(_locale(lang).plural_form(number))


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
