"""Wording rules a careful Spanish or French reader expects, checked on the catalogs, the
chapters and pages rendered in memory (the Markdown the site is built from, the PDF's HTML).

- Spanish calls a record "ficha", as its chapters do, never "registro"; French says "fiche"
  (the command's help too).
- French puts a no-break space before ":" (U+00A0) and a narrow one before ";", "?" and "!"
  (U+202F), as the French chapters do, and writes the typographic apostrophe ’ in its words.
- French writes the first day of a month "1er": "1er décembre 2026".
- An organization bears, in each language, the name the chapters of that language give it.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from sectorguide.click_locale import catalog_files
from sectorguide.labels import Labels, label_catalog
from sectorguide.model import Guide
from sectorguide.pdf import Edition, print_chapters, render_print_html
from sectorguide.problems import problem_catalog
from sectorguide.project import Project
from sectorguide.render import Renderer

from .conftest import REPO, copy_project

NBSP, NNBSP = "\u00a0", "\u202f"
BEFORE = {":": NBSP, ";": NNBSP, "?": NNBSP, "!": NNBSP}
LETTER = "A-Za-zÀ-ÖØ-öø-ÿœŒ"
ELISION = re.compile(f"(?<=[{LETTER}])'(?=[{LETTER}{{])")  # l'original, l'{original}
REGISTRO = re.compile(r"\bregistros?\b", re.IGNORECASE)  # the noun; "registradas" is a verb
FIRST_OF_MONTH = ("2026-12-01", "2022-01-01")


def _misplaced_spaces(text: str) -> list[str]:
    """Each French ":" ";" "?" "!" that follows a word without the right no-break space, and
    guillemets without theirs. A sign glued to the word before it (``'id: x'``, ``https:``)
    is code or an address, not French punctuation."""
    found = []
    for match in re.finditer(r"(.)([:;?!])(?=\s|$|\))", text):
        before, sign = match.groups()
        if before.isspace() and before != BEFORE[sign]:
            found.append(text[max(0, match.start() - 20):match.end() + 5])
    found += re.findall(r".{0,20}(?:«(?!\u00a0)|(?<!\u00a0)»).{0,5}", text)
    return found


def _french_labels() -> dict[str, str]:
    return {key: entry["fr"] for key, entry in label_catalog().items()}


def _french_messages() -> dict[tuple[str, str], str]:
    return {(code, part): text for code, entry in problem_catalog().items()
            for part, text in entry["fr"].items()}


def _spanish_messages() -> dict[tuple[str, str], str]:
    return {(code, part): text for code, entry in problem_catalog().items()
            for part, text in entry["es"].items()}


def _command_help(lang: str) -> dict[str, str]:
    """The help of the sectorguide command (catalog/cli.LANG.po): English -> translation."""
    catalog = read_po(BytesIO(catalog_files("cli")[lang]), locale=lang)
    return {str(message.id): str(message.string) for message in catalog if message.id}


# --- the catalogs -----------------------------------------------------------------------------

def test_spanish_labels_and_messages_call_a_record_ficha() -> None:
    labels = {key: entry["es"] for key, entry in label_catalog().items()}
    assert {k: v for k, v in labels.items() if REGISTRO.search(v)} == {}
    assert {k: v for k, v in _spanish_messages().items() if REGISTRO.search(v)} == {}
    assert labels["curation"] == "Ficha"
    assert labels["cite_record"] == "Citar esta ficha"
    assert labels["edit_record"] == "Editar esta ficha"
    assert "esta ficha" in labels["not_documented"]
    # the values of the row "Ficha" agree with it, as how-to-use.es.md names them
    assert labels["curation_incomplete"].startswith("Incompleta")
    assert labels["curation_reviewed"].startswith("Revisada")
    assert problem_catalog()["words"]["es"]["record"] == "la ficha"


def test_french_labels_and_messages_call_a_record_fiche() -> None:
    other = re.compile(r"\b(enregistrements?|registres?)\b", re.IGNORECASE)  # "dossier": a folder
    assert {k: v for k, v in _french_labels().items() if other.search(v)} == {}
    assert {k: v for k, v in _french_messages().items() if other.search(v)} == {}
    assert _french_labels()["curation"] == "Fiche"
    assert _french_labels()["cite_record"] == "Citer cette fiche"
    assert problem_catalog()["words"]["fr"]["record"] == "la fiche"


def test_french_labels_put_no_break_spaces_before_double_signs() -> None:
    wrong = {key: _misplaced_spaces(value) for key, value in _french_labels().items()}
    assert {key: spots for key, spots in wrong.items() if spots} == {}
    assert label_catalog()["map_title"]["fr"] == f"Carte des organisations{NBSP}: {{country}}"
    assert label_catalog()["data_csv"]["fr"].count(f"UTF-8{NNBSP};") == 1


def test_french_messages_put_no_break_spaces_before_double_signs() -> None:
    wrong = {key: _misplaced_spaces(text) for key, text in _french_messages().items()}
    assert {key: spots for key, spots in wrong.items() if spots} == {}
    assert problem_catalog()["words"]["fr"]["separator"] == f"{NNBSP}; "


def test_french_labels_write_the_typographic_apostrophe() -> None:
    assert {key: value for key, value in _french_labels().items() if "'" in value} == {}
    assert Labels("fr")("notice_translation", original="anglais") == "Traduit de l’anglais."


def test_french_messages_elide_with_the_typographic_apostrophe_and_quote_values_straight() -> None:
    # '{value}' stays quoted with straight quotes: contributors copy it back into YAML
    assert {key: text for key, text in _french_messages().items() if ELISION.search(text)} == {}
    assert "'{value}' n’est pas une date" in problem_catalog()["bad-date"]["fr"]["message"]


def test_the_command_help_calls_a_record_ficha_and_fiche() -> None:
    spanish, french = _command_help("es"), _command_help("fr")
    assert {k: v for k, v in spanish.items() if REGISTRO.search(v)} == {}
    other = re.compile(r"\b(enregistrements?|registres?)\b", re.IGNORECASE)
    assert {k: v for k, v in french.items() if other.search(v)} == {}
    record = "Record that the LANG text of record ID is up to date with its original."
    assert "de la ficha ID" in spanish[record] and "de la fiche ID" in french[record]


def test_french_command_help_puts_no_break_spaces_and_the_typographic_apostrophe() -> None:
    french = _command_help("fr")
    wrong = {key: _misplaced_spaces(text) for key, text in french.items()}
    assert {key: spots for key, spots in wrong.items() if spots} == {}
    assert {key: text for key, text in french.items() if "'" in text} == {}
    assert french["Folder for the PDFs (default: site/pdf/)."] == (
        f"Dossier des PDF (par défaut{NBSP}: site/pdf/).")


def test_the_separator_labels_follow_the_french_chapters() -> None:
    colon, separator = label_catalog()["colon"], label_catalog()["list_separator"]
    assert colon["en"] == colon["es"] == ": " and separator["en"] == separator["es"] == "; "
    assert colon["fr"] == f"{NBSP}: " and separator["fr"] == f"{NNBSP}; "
    used: Counter[tuple[str, str]] = Counter()
    for path in sorted((REPO / "docs").glob("*.fr.md")):
        for before, sign in re.findall(r"([ \u00a0\u202f])([:;?!])(?=\s)", path.read_text("utf-8")):
            used[(sign, before)] += 1
    for sign in ":;?":
        most = max((n, before) for (s, before), n in used.items() if s == sign)[1]
        assert most == BEFORE[sign], (sign, used)


# --- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", FIRST_OF_MONTH)
def test_french_writes_the_first_of_a_month_1er(value: str) -> None:
    t = Labels("fr")
    assert re.fullmatch(r"1er \w+ \d{4}", t.date(value)), t.date(value)
    assert t.date("2026-12-01") == "1er décembre 2026"
    assert t.date("2026-12-02") == "2 décembre 2026"
    assert t.date("2026-12-11") == "11 décembre 2026"  # no "1er" inside another number
    assert t.date("2026-12") == "décembre 2026" and t.date("2026") == "2026"
    assert t.period("2022-03-01", "2023-12-01") == "1er mars 2022 – 1er décembre 2023"
    assert t("edition", date=t.date("2026-12-01"), version="1.0") == "Édition du 1er décembre 2026, réalisée avec sectorguide 1.0"


def test_other_languages_keep_their_own_first_of_the_month() -> None:
    assert Labels("es").date("2026-12-01") == "1 de diciembre de 2026"
    assert Labels("en").date("2026-12-01") == "December 1, 2026"


# --- organization names -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def guide() -> Guide:
    return Project(REPO).guide()


def _named_in_chapters(lang: str, acronym: str) -> set[tuple[str, str]]:
    """The names a language's chapters give an organization with its acronym: a bold name or
    a table cell followed by "(ACRONYM" or "(…, ACRONYM …)"; each with the first word in the
    brackets (the acronym the language uses)."""
    names = set()
    forms = (r"\*\*([^*()\n]+?)\*\* ?\(([^()\n]*)\)",  # **Name** (ACRONYM, ...)
             r"\*\*([^*()\n]+?) \(([^()\n]*)\)\*\*",  # **Name (ACRONYM)**
             r"^\| ([^|()\n]+?) \(([^()\n]*)\)")  # | Name (ACRONYM) | in a table
    for path in sorted((REPO / "docs").glob(f"*.{lang}.md")):
        text = path.read_text("utf-8")
        for form in forms:
            for name, inside in re.findall(form, text, re.MULTILINE):
                if re.search(rf"\b{re.escape(acronym)}\b", inside):
                    names.add((name.strip(), re.split(r"[ ,]", inside.strip())[0]))
    return names


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_organizations_bear_the_names_the_chapters_give_them(guide: Guide, lang: str) -> None:
    checked = 0
    for org in guide.organizations.values():
        if not org.acronym:
            continue
        for name, first in _named_in_chapters(lang, org.acronym):
            checked += 1
            shown = org.name_in(lang)
            assert shown.startswith(name), (lang, org.id, name, shown)
            # "(RHiM, MiHR en anglais)": the first acronym is the one this language uses
            assert org.acronym_in(lang) == first, (lang, org.id, first, org.acronym_in(lang))
    assert checked >= 3, "the chapters should name organizations with their acronyms"


def test_mihr_is_named_by_its_official_names(guide: Guide) -> None:
    """An organization is named as it names itself: MiHR is bilingual (English and French)
    and has no Spanish name, which a Spanish page glosses rather than invents."""
    mihr = guide.organizations["mihr"]
    assert mihr.name_in("es") == "Mining Industry Human Resources Council"
    assert mihr.name_in("fr") == "Conseil des ressources humaines de l’industrie minière"
    assert mihr.name_in("en") == "Mining Industry Human Resources Council"
    assert [mihr.acronym_in(lang) for lang in ("en", "es", "fr")] == ["MiHR", "MiHR", "RHiM"]
    assert mihr.named_in("fr") == "Conseil des ressources humaines de l’industrie minière (RHiM)"


# --- pages rendered in memory ----------------------------------------------------------------

def _text(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture(scope="module")
def pages(guide: Guide) -> dict[tuple[str, str], str]:
    """Every generated page in es and fr, with the first case last updated on a 1st."""
    first = guide.cases[0]
    rendered = {}
    for lang in ("es", "fr"):
        for page in Renderer(guide, lang, {first.source_path: "2026-12-01"}).pages():
            rendered[(lang, page.path)] = page.content
    return rendered


def test_spanish_pages_name_the_record_ficha_and_mihr_by_its_name(
        pages: dict[tuple[str, str], str], guide: Guide) -> None:
    case = pages[("es", f"cases/{guide.cases[0].id}.es.md")]
    assert '<th scope="row">Ficha</th>' in case
    assert "## Citar esta ficha" in case
    for page in ("browse/maps.es.md", "browse/organizations.es.md"):
        assert "Mining Industry Human Resources Council (MiHR)" in pages[("es", page)]
        assert "Consejo de Recursos Humanos de la Industria Minera (MiHR)" not in pages[("es", page)]


def test_french_case_page_dates_the_first_of_the_month_1er(
        pages: dict[tuple[str, str], str], guide: Guide) -> None:
    case = pages[("fr", f"cases/{guide.cases[0].id}.fr.md")]
    assert '<time datetime="2026-12-01">1er décembre 2026</time>' in case


@pytest.mark.parametrize(("lang", "said"), [("fr", "Édition du 1er décembre 2026, réalisée avec sectorguide 9.9"),
                                           ("es", "Edición del 1 de diciembre de 2026, hecha con sectorguide 9.9")])
def test_the_pdf_cover_dates_its_edition(guide: Guide, lang: str, said: str) -> None:
    html = render_print_html(guide, print_chapters(REPO / "docs", lang), lang,
                             Edition("2026-12-01", "9.9"))
    cover = html.split('<section class="sg-cover">')[1].split("</section>")[0]
    assert said in _text(cover)
    if lang == "es":
        assert "Mining Industry Human Resources Council" in cover


def test_french_pages_separate_values_with_no_break_spaces(
        pages: dict[tuple[str, str], str], guide: Guide) -> None:
    case = pages[("fr", "cases/needs-diagnosis-pacific-alliance.fr.md")]
    partners = case.split('<ul class="sg-partners">')[1].split("</ul>")[0]
    assert f"Partenaire{NBSP}: <span" in partners and "Partenaire: " not in partners
    organizations = pages[("fr", "browse/organizations.fr.md")]
    assert "</a>; <a" not in organizations and f"</a>{NNBSP}; <a" in organizations


def test_french_relationships_separate_values_with_no_break_spaces(tmp_path: Path) -> None:
    """The shipped records name no relationship (the seed does not): one is added to a copy."""
    root = copy_project(tmp_path / "guide")
    path = root / "case_studies/cases/needs-diagnosis-pacific-alliance.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["relationships"] = [{"from": "college-boreal", "to": "pa-gte", "kind": "existing"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    rendered = {page.path: page.content for page in Renderer(Project(root).guide(), "fr").pages()}
    case = rendered["cases/needs-diagnosis-pacific-alliance.fr.md"]
    relationships = case.split('<ul class="sg-relationships">')[1].split("</ul>")[0]
    assert f"{NBSP}: Existante" in relationships and ": Existante" not in relationships.replace(
        f"{NBSP}: ", "")
    maps = rendered["browse/maps.fr.md"]
    assert f"GTE{NBSP}: Existante" in maps and "GTE: " not in maps
    # a relationship stated: its countries' maps are drawn, and the introduction reads them
    assert "sg-map__links" in maps and Labels("fr")("maps_intro") in maps
