"""Open data (site/data/), the maps, statistics and data pages, and "Cite this record".

Unit tests write the files from a richer in-memory guide; the rest builds the shipped guide
for real in a temporary copy and reads the site back as a reader or a program would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
import yaml
from sectorguide.citation import cite, tex_escape
from sectorguide.labels import Labels
from sectorguide.model import Guide, build_guide
from sectorguide.opendata import SiteAddress, write_open_data
from sectorguide.vocabulary import LANGUAGES

from .conftest import LANG_PREFIX, REPO, page
from .test_figures import richer_documents, richer_guide

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def write(guide: Guide, target: Path, address: SiteAddress = SiteAddress()) -> list[Path]:
    dates = {case.id: case.updated or "2025-01-02" for case in guide.cases}
    return write_open_data(guide, target, schema_path=REPO / "schema" / "sectorguide.schema.json",
                           dates=dates, address=address, edition="2025-06-07")


# --- files from an in-memory guide --------------------------------------------------------


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    documents = richer_documents()
    for _, data in documents:
        if data["id"] == "chile-a":
            data["text"]["es"]["title"] = "=HYPERLINK(\"http://example.org\")"
    write(build_guide(documents), tmp_path)
    rows = read_csv(tmp_path / "cases-es.csv")
    title = next(row for row in rows if row["Identificador"] == "chile-a")["Título"]
    assert title == "'=HYPERLINK(\"http://example.org\")"


def test_untranslated_cases_keep_their_original_text_and_say_so(tmp_path: Path) -> None:
    write(richer_guide(), tmp_path)
    rows = read_csv(tmp_path / "cases-fr.csv")
    row = next(r for r in rows if r["Identifiant"] == "chile-a")
    assert row["Titre"] == "Caso chile-a"
    assert row["Langue du texte"] == "espagnol"
    assert row["Traduction"] == Labels("fr")("state_fallback")
    assert row["Organisations"].startswith("Ministerio de Minería\u00a0: Partenaire")  # French spacing
    document = json.loads((tmp_path / "records.json").read_text("utf-8"))
    case = next(c for c in document["cases"] if c["id"] == "chile-a")
    assert case["translations"] == {"en": "missing", "es": "original", "fr": "missing"}


def test_feed_without_a_site_address_is_valid_atom(tmp_path: Path) -> None:
    write(richer_guide(), tmp_path)
    feed = ET.parse(tmp_path / "feed-en.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for element in [feed, *feed.findall(f"{ATOM}entry")]:
        # Atom ids are absolute IRIs; without a site address they are name-based UUIDs.
        identifier = element.findtext(f"{ATOM}id") or ""
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier), identifier
        assert RFC3339.fullmatch(element.findtext(f"{ATOM}updated") or "")
        assert element.findtext(f"{ATOM}title")
    entries = feed.findall(f"{ATOM}entry")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries) == 4
    links = [e.find(f"{ATOM}link") for e in entries]
    assert all(link is not None and str(link.get("href")).startswith("../cases/") for link in links)
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None


def test_feed_with_a_site_address_links_the_pages(tmp_path: Path) -> None:
    write(richer_guide(), tmp_path, SiteAddress("https://guide.example.org/", None))
    feed = ET.parse(tmp_path / "feed-es.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert re.fullmatch(r"https://guide\.example\.org/es/cases/[a-z-]+/", str(link.get("href")))
    assert entry.findtext(f"{ATOM}id") == link.get("href")


def test_files_are_the_same_bytes_from_the_same_records(tmp_path: Path) -> None:
    write(richer_guide(), tmp_path / "a")
    write(richer_guide(), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 8
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_citation_escapes_bibtex_and_names_the_consortium() -> None:
    documents = richer_documents()
    for _, data in documents:
        if data["id"] == "peru":
            data["text"]["es"]["title"] = "Brechas {100%} & planes_2024"
    case = next(c for c in build_guide(documents).cases if c.id == "peru")
    citation = cite(case, "es", "2024-05-06", "es/cases/peru/")
    assert citation.text == ("Consorcio del Proyecto A07.1 (2024). Brechas {100%} & planes_2024. "
                             "En: " + Labels("es")("site_title") + ". Página es/cases/peru/")
    assert "title        = {Brechas \\{100\\%\\} \\& planes\\_2024}" in citation.bibtex
    assert citation.bibtex.startswith("@misc{a07.1-peru,\n")
    assert "year         = {2024}" in citation.bibtex
    assert "year" not in cite(case, "es", None, "es/cases/peru/").bibtex
    assert tex_escape("a\\b~") == "a\\textbackslash{}b\\textasciitilde{}"


# --- the shipped guide, built ----------------------------------------------------------------




def test_records_json_has_every_record_with_every_language(built: tuple[Path, Guide]) -> None:
    site, guide = built
    document = json.loads((site / "data" / "records.json").read_text("utf-8"))
    assert [c["id"] for c in document["cases"]] == [c.id for c in guide.cases]
    assert {o["id"] for o in document["organizations"]} == set(guide.organizations)
    assert {c["id"] for c in document["challenges"]} == set(guide.challenges)
    for record, case in zip(document["cases"], guide.cases, strict=True):
        assert set(record["text"]) == set(case.texts)
        assert record["text"][case.original_language]["title"] == case.title(case.original_language)
        assert set(record["translations"]) == set(LANGUAGES)
        assert record["translations"][case.original_language] == "original"
        assert record["updated"] == (case.updated or "2025-03-04")
    schema = json.loads((site / "data" / "sectorguide.schema.json").read_text("utf-8"))
    assert schema == json.loads((REPO / "schema" / "sectorguide.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_csv_has_one_row_per_case_with_names_not_codes(built: tuple[Path, Guide],
                                                       lang: str) -> None:
    site, guide = built
    t = Labels(lang)
    rows = read_csv(site / "data" / f"cases-{lang}.csv")
    assert [row[t("csv_id")] for row in rows] == [case.id for case in guide.cases]
    chile = next(row for row in rows if row[t("csv_id")] == "stakeholder-mapping-chile")
    assert chile[t("countries")] == {"en": "Chile", "es": "Chile", "fr": "Chili"}[lang]
    assert chile[t("kind")] == t("kind_project_activity")
    assert chile[t("status")] == t("status_completed")
    for row, case in zip(rows, guide.cases, strict=True):
        assert row[t("title")] == case.title(lang)
        assert row[t("csv_text_language")] == t.language(case.shown(lang).lang)
        assert "CL" not in row[t("countries")].split("; ")
        labels = [guide.challenges[c].label(lang) for c in case.challenges]
        assert row[t("challenges")] == "; ".join(labels)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_atom_feed_lists_the_newest_cases_with_links_to_their_pages(built: tuple[Path, Guide],
                                                                    lang: str) -> None:
    site, guide = built
    feed = ET.parse(site / "data" / f"feed-{lang}.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(20, len(guide.cases))
    updated = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        link = entry.find(f"{ATOM}link")
        assert link is not None
        target = (site / "data" / str(link.get("href")) / "index.html").resolve()
        assert target.is_file(), link.get("href")
        assert target.is_relative_to(site.resolve())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_maps_and_statistics_pages_have_figures_and_tables(built: tuple[Path, Guide],
                                                          lang: str) -> None:
    site, guide = built
    t = Labels(lang)
    maps = page(site, lang, "browse/maps")
    # The seed names no relationship between stakeholders: as in print, no map is drawn (a
    # map without lines, its legend counting zeros, said no more than the table), and the
    # introduction says why, not how to read lines that are not there. Each country has the
    # table of who takes part, with their type (test_figures draws maps of synthetic records).
    assert not any(case.relationships for case in guide.cases)
    article = unescape(maps.split("<article")[1])
    assert unescape(t("maps_intro_tables")) in article and unescape(t("maps_intro")) not in article
    assert "sg-map__" not in article and unescape(t("relationships")) not in article
    for country in guide.countries:
        section = maps.split(f'<h2 id="map-country-{country.lower()}">')[1].split("<h2")[0]
        caption = t("map_table_caption_organizations", country=t.country(country))
        assert "<table" in section and unescape(caption) in unescape(section)
    chile = maps.split('<h2 id="map-country-cl">')[1].split("<h2")[0]
    assert chile.count('<tr><th scope="row">') >= 4
    statistics = page(site, lang, "browse/statistics")
    assert statistics.count("class=\"sg-svg\"") == 4 and statistics.count("<table") == 4
    for country in guide.countries:
        assert f">{t.country(country)}</tspan>" in statistics


@pytest.mark.parametrize("lang", LANGUAGES)
def test_data_page_links_every_file(built: tuple[Path, Guide], lang: str) -> None:
    site, _ = built
    html = page(site, lang, "browse/data")
    here = site / LANG_PREFIX[lang] / "browse" / "data"
    links = re.findall(r'href="([^"]*data/[^"]+\.(?:json|csv|xml))"', html)
    files = {(here / link).resolve() for link in links}
    assert files == {p.resolve() for p in (site / "data").iterdir()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_case_page_can_be_cited(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    t = Labels(lang)
    for case in guide.cases:
        html = page(site, lang, f"cases/{case.id}")
        assert unescape(t("cite_record")) in unescape(html)
        bibtex = unescape(html.split('class="sg-cite__bibtex"><code>')[1].split("</code>")[0])
        year = (case.updated or "2025")[:4]
        assert bibtex.startswith(f"@misc{{a07.1-{case.id},")
        assert f"year         = {{{year}}}" in bibtex
        text = unescape(re.sub(r"<[^>]+>", "", html.split('class="sg-cite__text">')[1]
                               .split("</pre>")[0]))
        assert f"({year})" in text and f"{LANG_PREFIX[lang]}cases/{case.id}/" in text


def test_citation_file_follows_cff_1_2_0() -> None:
    # Keys of the CFF 1.2.0 schema's root object, which allows no other (additionalProperties: false).
    allowed = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi",
               "identifiers", "keywords", "license", "license-url", "message",
               "preferred-citation", "references", "repository", "repository-artifact",
               "repository-code", "title", "type", "url", "version"}
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text("utf-8"))
    assert set(cff) <= allowed and {"authors", "cff-version", "message", "title"} <= set(cff)
    assert cff["cff-version"] == "1.2.0" and cff["type"] in ("dataset", "software")
    assert cff["authors"] == [{"name": "Project A07.1 consortium"}]
    assert cff["title"] == Labels("en")("site_title")
    assert "doi" not in cff
