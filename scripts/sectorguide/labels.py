"""The interface in three languages: labels from the catalog, names of countries and languages from Babel."""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from .vocabulary import LANGUAGES
from .yamlread import load_catalog


@cache
def label_catalog() -> dict[str, dict[str, str]]:
    text = resources.files("sectorguide").joinpath("catalog/labels.yaml").read_text("utf-8")
    catalog: dict[str, dict[str, str]] = load_catalog(text)
    return catalog


@lru_cache(maxsize=1 << 14)  # every page and list shows dates; Babel takes 20 µs for each
def _date(value: str, lang: str) -> str:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    day = datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    if len(parts) == 2:
        return str(format_skeleton("yMMMM", day, locale=lang))
    if lang == "fr" and day.day == 1:
        return str(format_date(day, format=_first_of_month_pattern(lang), locale=lang))
    return str(format_date(day, format="long", locale=lang))


@lru_cache(maxsize=1 << 12)
def _number(value: float, lang: str) -> str:
    return str(format_decimal(value, locale=lang, decimal_quantization=False))


def plain_number(value: float) -> str:
    """A number as YAML writes it (3, 0.35): for examples a contributor copies into a record,
    where "1,5" or "1 250" would be read as text."""
    return str(int(value)) if float(value).is_integer() else str(value)


@cache
def _first_of_month_pattern(lang: str) -> str:
    """French writes the first day of a month as an ordinal, "1er décembre 2026", which CLDR's
    long pattern ("d MMMM y") does not: its day field gets the suffix "er" as a quoted literal."""
    pattern = str(_locale(lang).date_formats["long"].pattern)
    return re.sub(r"(?<![d'])d(?![d'])", "d'er'", pattern, count=1)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


class Labels:
    """Every word of the interface in one language."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
        self.lang = lang

    def __call__(self, key: str, **values: Any) -> str:
        text = label_catalog()[key][self.lang]
        return text.format(**values) if values else text

    def country(self, code: str) -> str:
        return str(_locale(self.lang).territories.get(code, code))

    def language(self, code: str) -> str:
        """A language's name as this language writes it in running text (lowercase in es and fr)."""
        return str(_locale(self.lang).languages.get(code, code))

    def shown_in(self, code: str) -> str:
        """Said after a record's title in a list when its text is in another language than
        the page's (not translated yet): "en anglais"; nothing when it is the page's."""
        return "" if code == self.lang else self("in_language", language=self.language(code))

    def language_alone(self, code: str) -> str:
        """A language's name standing alone, as a value in a table: capitalized ("Inglés")."""
        name = self.language(code)
        return name[:1].upper() + name[1:]

    def date(self, value: str | None) -> str:
        """A year, month or day as a reader of this language writes it."""
        return _date(value, self.lang) if value else ""

    def number(self, value: float) -> str:
        """A figure as a reader of this language writes it: every digit it has (3, not 3.0;
        0.35 stays 0.35), the decimal sign and the grouping of its language (1,250.5 in
        English, 1.250,5 in Spanish, 1 250,5 in French)."""
        return _number(value, self.lang)

    def count(self, key: str, n: int) -> str:
        """The label `key_FORM` for n, FORM being n's plural form in this language by CLDR's
        rules (French: "0 complète", "1 complète", "2 complètes"); `key_other` when the
        catalog has no label of that form."""
        form = f"{key}_{_locale(self.lang).plural_form(n)}"
        return self(form if form in label_catalog() else f"{key}_other", n=self.number(n))

    def period(self, start: str | None, end: str | None) -> str:
        if not start and not end:
            return self("period_unknown")
        if start == end or not end:
            return self.date(start)
        if not start:
            return f"– {self.date(end)}"
        return f"{self.date(start)} – {self.date(end)}"


def country_code(written: str, codes: Sequence[str]) -> str:
    """The code of a country written as its code or as its name in any of the guide's
    languages, accents and case aside ("pe", "Perú", "Pérou": PE); "" when it is none of them."""
    wanted = folded(written)
    return next((code for code in codes if wanted == code.casefold() or any(
        folded(str(_locale(lang).territories.get(code, ""))) == wanted for lang in LANGUAGES)), "")


# The label groups that name a field's fixed values: `sector: minería` is `mining`, whose label
# (sector_mining) says "Minería" in Spanish.
_VALUE_LABELS = ("kind", "sector", "status", "curation", "role", "orgtype", "relationship")


def value_named(written: str, values: Sequence[str]) -> str:
    """The value whose label, in any of the guide's languages, is what was written (accents
    and case aside, and only the label's first words: "Incompleta" for "Incompleta: aún
    faltan..."); "" when none is."""
    wanted = folded(written)
    catalog = label_catalog()
    for value in values:
        for group in _VALUE_LABELS:
            texts = catalog.get(f"{group}_{value}", {})
            if any(folded(text.split(":")[0]) == wanted for text in texts.values()):
                return value
    return ""


def language_named(written: str) -> str:
    """The code of one of the guide's languages written as its name, in any of them, or the
    start of its name ("sp", "esp", "Español", "français", "ingles": es, fr, en); "" when it
    is none of them."""
    wanted = folded(written)
    if len(wanted) < 2:
        return ""
    return next((code for code in LANGUAGES for lang in LANGUAGES
                 if folded(str(_locale(lang).languages.get(code, ""))).startswith(wanted)), "")


def folded(text: str) -> str:
    """Text as a contributor may have written it: case, accents, spacing and hyphens aside
    ("sector council practice" for "Sector-council practice", "pilot_project" too)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text.casefold())
                   if not unicodedata.combining(c))
    return " ".join(bare.replace("-", " ").replace("_", " ").split())


def language_from_environment() -> str:
    """The contributor's language from the usual locale variables, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(name, "")
        code = value.split(":")[0][:2].lower()
        if code in LANGUAGES:
            return code
    return "en"
