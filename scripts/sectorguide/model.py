"""Stage 3, model: typed records built from validated data, and the questions the guide asks of them.

Only data that passed validation reaches this module, so it trusts shapes and references.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .revision import TRANSLATED_FROM, text_revision
from .vocabulary import KIND_ORDER, LANGUAGES

COUNTRY_ORDER = ("CL", "CO", "MX", "PE", "CA")
NARRATIVE = ("context", "challenge", "approach", "results", "replication")
TranslationState = Literal["original", "translation", "stale", "fallback"]


_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # every space but the no-break ones


def one_line(text: str) -> str:
    """A text's runs of spaces and line breaks as one space, its no-break spaces kept (French
    typography puts them before ":" ";" "!" "?" and inside « »), which str.split() splits at
    too; it is four times as fast, so it serves the texts that hold none."""
    if "\u00a0" in text or "\u202f" in text:
        return _SPACES.sub(" ", text).strip(" ")
    return " ".join(text.split())


@dataclass(frozen=True)
class Shown:
    """The text a reader of one language gets: which language it is in, and why. A translation
    that lacks a field the original has shows the original's (`borrowed`): a reader gets the
    record's context in Spanish rather than "not documented" on the French page."""

    text: dict[str, Any]
    lang: str
    state: TranslationState
    borrowed: frozenset[str] = frozenset()
    original: str = ""

    def lang_of(self, field: str) -> str:
        """The language a field is shown in."""
        return self.original if field in self.borrowed else self.lang


def shown_texts(texts: dict[str, dict[str, Any]], original: str) -> dict[str, Shown]:
    """What a reader of each language gets, decided once per record."""
    source = texts[original]
    current = text_revision(source)
    result = {}
    for lang in LANGUAGES:
        if lang == original:
            result[lang] = Shown(source, original, "original", original=original)
        elif lang not in texts:
            result[lang] = Shown(source, original, "fallback", original=original)
        else:
            own = texts[lang]
            fresh = own.get(TRANSLATED_FROM) == current
            borrowed = frozenset(k for k in source if k not in own and k != TRANSLATED_FROM)
            result[lang] = Shown({**{k: source[k] for k in borrowed}, **own}, lang,
                                 "translation" if fresh else "stale", borrowed, original)
    return result


@dataclass(frozen=True)
class Participation:
    organization: str
    role: str


@dataclass(frozen=True)
class Relationship:
    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Indicator:
    key: str
    value: float
    year: int | None


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    publisher: str | None


@dataclass(frozen=True)
class Case:
    """A case: a pilot project, a project activity or a Canadian sector-council practice."""

    id: str
    kind: str
    original_language: str
    countries: tuple[str, ...]
    sector: str
    challenges: tuple[str, ...]
    status: str
    curation: str
    start: str | None
    end: str | None
    organizations: tuple[Participation, ...]
    relationships: tuple[Relationship, ...]
    indicators: tuple[Indicator, ...]
    sources: tuple[Source, ...]
    updated: str | None
    texts: dict[str, dict[str, Any]]
    source_path: str
    _shown: dict[str, Shown] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._shown.update(shown_texts(self.texts, self.original_language))

    def shown(self, lang: str) -> Shown:
        return self._shown[lang]

    def title(self, lang: str) -> str:
        return str(self.shown(lang).text["title"])

    def translation_state(self, lang: str) -> TranslationState:
        return self.shown(lang).state

    @property
    def year(self) -> int | None:
        return int(str(self.start)[:4]) if self.start else None


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    acronym: str | None
    type: str
    country: str | None
    website: str | None
    original_language: str
    texts: dict[str, dict[str, Any]]
    source_path: str
    name_language: str | None = None  # the official name's, when not the original_language
    _shown: dict[str, Shown] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._shown.update(shown_texts(self.texts, self.original_language))

    def shown(self, lang: str) -> Shown:
        return self._shown[lang]

    def name_in(self, lang: str) -> str:
        own = self.texts.get(lang, {}).get("name")
        return str(own or self.name)

    def name_lang(self, lang: str) -> str:
        """The language of the name (and acronym) a reader of `lang` is shown: that language's
        own name, else the official one's language."""
        if self.texts.get(lang, {}).get("name"):
            return lang
        return self.name_language or self.original_language

    def acronym_in(self, lang: str) -> str | None:
        """The acronym a reader of this language knows (the French RHiM for MiHR)."""
        own = self.texts.get(lang, {}).get("acronym")
        return str(own) if own else self.acronym

    def named_in(self, lang: str) -> str:
        """Its name in this language, with its acronym in brackets when it has one."""
        acronym = self.acronym_in(lang)
        return f"{self.name_in(lang)} ({acronym})" if acronym else self.name_in(lang)


@dataclass(frozen=True)
class Challenge:
    id: str
    texts: dict[str, dict[str, Any]]

    def label(self, lang: str) -> str:
        return str(self.texts[lang]["label"])

    def description(self, lang: str) -> str:
        return str(self.texts[lang].get("description", ""))


@dataclass(frozen=True)
class Lesson:
    """One lesson learned, in the language it is shown in, and the records that state it."""

    text: str
    lang: str
    cases: list[Case]


@dataclass
class Guide:
    """All records of a guide, with the groupings the pages and the PDF share."""

    cases: list[Case]
    organizations: dict[str, Organization]
    challenges: dict[str, Challenge]
    _by_country: dict[str, list[Case]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        # by kind; within a kind the regional cases (several countries) first, as an overview,
        # then by country
        self.cases.sort(key=lambda c: (KIND_ORDER.index(c.kind), len(c.countries) == 1,
                                       _country_rank(c), c.id))
        by_country: dict[str, list[Case]] = defaultdict(list)
        for case in self.cases:
            for country in case.countries:
                by_country[country].append(case)
        self._by_country = dict(by_country)

    @property
    def countries(self) -> list[str]:
        return sorted(self._by_country, key=country_rank)

    def cases_in(self, country: str) -> list[Case]:
        return self._by_country.get(country, [])

    def cases_of_kind(self, kind: str) -> list[Case]:
        return [c for c in self.cases if c.kind == kind]

    def cases_with(self, challenge: str, country: str | None = None) -> list[Case]:
        return [c for c in self.cases if challenge in c.challenges
                and (country is None or country in c.countries)]

    def lessons_on(self, challenge: str, lang: str) -> list[Lesson]:
        """The lessons of the cases that address a challenge, as a reader of `lang` sees them;
        a lesson several records state in the same words is one, with every record it comes
        from."""
        found: dict[tuple[str, str], Lesson] = {}
        for case in self.cases_with(challenge):
            shown = case.shown(lang)
            written_in = shown.lang_of("lessons")
            for text in shown.text.get("lessons", []):
                key = (written_in, one_line(str(text)))
                if key not in found:
                    found[key] = Lesson(str(text), written_in, [])
                found[key].cases.append(case)
        return list(found.values())

    def cases_of_organization(self, organization: str) -> list[Case]:
        return [c for c in self.cases if any(p.organization == organization for p in c.organizations)]

    def all_challenges(self, lang: str) -> list[Challenge]:
        """Every challenge of the shared list, in the order of its label in that language."""
        return sorted(self.challenges.values(), key=lambda c: collation_key(c.label(lang)))

    def used_challenges(self, lang: str | None = None) -> list[Challenge]:
        """The challenges some case names; with a language, in the order of their labels in it
        (a reader looks for a name, not for an id)."""
        used = [c for key, c in self.challenges.items() if key in
                {key for case in self.cases for key in case.challenges}]
        return sorted(used, key=lambda c: collation_key(c.label(lang))) if lang else used

    def organizations_in(self, lang: str) -> list[Organization]:
        """Every organization, in the order of its name in that language."""
        return sorted(self.organizations.values(), key=lambda o: collation_key(o.name_in(lang)))

    def kinds(self) -> list[str]:
        return [k for k in KIND_ORDER if self.cases_of_kind(k)]


def collation_key(text: str) -> tuple[str, str]:
    """A key that sorts names as a reader of en, es or fr expects: case and accents aside
    ("Éxito" among the E, "Cégep" before "Consejo"), then exactly."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                     if not unicodedata.combining(c))
    return folded, text


def country_rank(code: str) -> tuple[int, str]:
    """The guide's order of countries (the Pacific Alliance, then Canada), everywhere a
    record's countries are listed, whatever order the record gives them in."""
    return (COUNTRY_ORDER.index(code), "") if code in COUNTRY_ORDER else (len(COUNTRY_ORDER), code)


def _country_rank(case: Case) -> tuple[int, str]:
    return country_rank(case.countries[0])


def build_guide(documents: Iterable[tuple[str, dict[str, Any]]]) -> Guide:
    """The guide from (source path, validated data) pairs."""
    cases, organizations, challenges = [], {}, {}
    for source_path, data in documents:
        kind = data["kind"]
        if kind == "organization":
            organizations[data["id"]] = _organization(source_path, data)
        elif kind == "challenge":
            challenges[data["id"]] = Challenge(data["id"], data["text"])
        else:
            cases.append(_case(source_path, data))
    ordered = dict(sorted(organizations.items(), key=lambda item: item[1].name.casefold()))
    return Guide(cases, ordered, dict(sorted(challenges.items())))


def _case(source_path: str, data: dict[str, Any]) -> Case:
    period = data.get("period") or {}
    return Case(
        id=data["id"], kind=data["kind"], original_language=data["original_language"],
        countries=tuple(sorted(data["countries"], key=country_rank)), sector=data["sector"],
        challenges=tuple(data["challenges"]), status=data["status"], curation=data["curation"],
        start=_date_text(period.get("start")), end=_date_text(period.get("end")),
        organizations=tuple(Participation(o["id"], o["role"]) for o in data.get("organizations", [])),
        relationships=tuple(Relationship(r["from"], r["to"], r["kind"])
                            for r in data.get("relationships", [])),
        indicators=tuple(Indicator(i["key"], i["value"], i.get("year"))
                         for i in data.get("indicators", [])),
        sources=tuple(Source(s["title"], s.get("url"), s.get("publisher"))
                      for s in data.get("sources", [])),
        updated=_date_text(data.get("updated")), texts=data["text"], source_path=source_path,
    )


def _organization(source_path: str, data: dict[str, Any]) -> Organization:
    return Organization(
        id=data["id"], name=data["name"], acronym=data.get("acronym"), type=data["type"],
        country=data.get("country"), website=data.get("website"),
        original_language=data["original_language"], texts=data["text"], source_path=source_path,
        name_language=data.get("name_language"),
    )


def _date_text(value: Any) -> str | None:
    return None if value is None else str(value)
