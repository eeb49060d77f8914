"""The printed maps and statistics as a reader checks them, page by page, in the real PDFs.

The PDFs are test_pdf.py's (its `built` and `pdf` fixtures), and, for the maps, those of the
shipped guide with relationships between the organizations of its cases (`related`) and
without any (`unrelated`): a country without relationships gets its table alone, and a guide
without any, no maps part at all, whatever the shipped records state.
Pages are found by the named destinations WeasyPrint writes for the print HTML's ids: `maps`,
`maps-cl`, `statistics`, `statistics-chart-countries`... so a test reads exactly the page a
heading is printed on.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from sectorguide import figures
from click.testing import CliRunner
from sectorguide.chapters import Chapter
from sectorguide.cli import main
from sectorguide.labels import Labels
from sectorguide.model import Guide, Organization, Relationship
from sectorguide.pdf import chapter_bodies, print_chapters, render_print_html
from sectorguide.project import Project
from sectorguide.vocabulary import LANGUAGES

from . import test_pdf
from .test_pdf import Built, print_all, squeeze

# test_pdf.py's fixtures, by their names: the shipped project and guide, its three PDFs.
project, guide, built, pdf = test_pdf.project, test_pdf.guide, test_pdf.built, test_pdf.pdf

SVG = "{http://www.w3.org/2000/svg}"
PDF_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # the print CSS's font
ELLIPSIS = "…"


def _page(pdf: Built, anchor: str) -> int:
    """The index of the page an id of the print HTML is printed on."""
    destinations = pdf.reader.named_destinations
    assert anchor in destinations, f"no {anchor!r} in the {pdf.lang} PDF"
    index = pdf.reader.get_destination_page_number(destinations[anchor])
    assert index is not None
    return index


def _mapped(guide: Guide, drawn: bool = True) -> list[tuple[str, figures.Stakeholders]]:
    """The countries whose map is printed (the records state relationships between their
    organizations), or, not `drawn`, those printed as a table alone, in print order."""
    found = [(country, figures.stakeholders(guide, country)) for country in guide.countries]
    return [(country, stakeholders) for country, stakeholders in found
            if stakeholders.organizations and bool(stakeholders.links) == drawn]


KINDS = ("existing", "to_strengthen", "to_forge")


@pytest.fixture(scope="session")
def related(guide: Guide) -> Guide:
    """The shipped guide, each case relating its organizations in a chain (one kind after
    another), so that the countries with several organizations have a map to print."""
    cases = []
    for case in guide.cases:
        ids = [p.organization for p in case.organizations]
        cases.append(replace(case, relationships=tuple(
            Relationship(a, b, KINDS[n % 3]) for n, (a, b) in enumerate(pairwise(ids)))))
    return Guide(cases, guide.organizations, guide.challenges)


@pytest.fixture(scope="session")
def unrelated(guide: Guide) -> Guide:
    """The shipped guide without any relationship: no map to draw."""
    return Guide([replace(case, relationships=()) for case in guide.cases],
                 guide.organizations, guide.challenges)


@pytest.fixture(scope="session")
def related_built(project: Project, related: Guide,
                  tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return print_all(related, project.docs_dir, tmp_path_factory.mktemp("pdf-related"))


@pytest.fixture(scope="session")
def unrelated_built(project: Project, unrelated: Guide,
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return print_all(unrelated, project.docs_dir, tmp_path_factory.mktemp("pdf-unrelated"))


@pytest.fixture(params=LANGUAGES)
def related_pdf(request: pytest.FixtureRequest, related_built: dict[str, Built]) -> Built:
    return related_built[request.param]


@pytest.fixture(params=LANGUAGES)
def unrelated_pdf(request: pytest.FixtureRequest, unrelated_built: dict[str, Built]) -> Built:
    return unrelated_built[request.param]


def _svg_texts(svg: str) -> list[str]:
    """The words of each text element of an SVG, as a reader sees them on the page."""
    root = ET.fromstring(svg)
    return [" ".join("".join(text.itertext()).split()) for text in root.iter(f"{SVG}text")]


# --- 1 and 5: a map is printed on its heading's page; the first one under the introduction --

def test_each_map_is_printed_on_the_page_of_its_heading(related_pdf: Built, related: Guide) -> None:
    pdf, guide = related_pdf, related
    t = Labels(pdf.lang)
    mapped = _mapped(guide)
    assert len(mapped) >= 4
    for country, found in mapped:
        index = _page(pdf, f"maps-{country.lower()}")
        page = squeeze(pdf.pages[index])
        assert squeeze(t.country(country)) in page
        labels = _svg_texts(figures.stakeholder_map_svg(found, t))
        missing = [label for label in labels if squeeze(label) not in page]
        assert not missing, (f"{pdf.lang}: the heading {t.country(country)!r} is on page "
                             f"{index + 1} without its map: {missing[:4]}")


def test_the_first_map_follows_the_introduction_of_the_maps(related_pdf: Built,
                                                           related: Guide) -> None:
    pdf, guide = related_pdf, related
    t = Labels(pdf.lang)
    part = _page(pdf, "maps")
    assert squeeze(t("maps_intro")) in squeeze(pdf.pages[part])
    country, found = _mapped(guide)[0]
    assert _page(pdf, f"maps-{country.lower()}") == part, \
        f"{pdf.lang}: the introduction to the maps is alone on page {part + 1}"
    page = squeeze(pdf.pages[part])
    legend = _svg_texts(figures.stakeholder_map_svg(found, t))[-1]  # the map's last label
    assert squeeze(legend) in page


# --- 2: the table under a map never leaves one row alone ------------------------------------

def _row_pages(pdf: Built, keys: list[str], first: int, last: int) -> list[int]:
    """The page each row of a table is printed on, looked for in order from page `first`
    to page `last` (a row is never printed before the row above it)."""
    pages = []
    index = first
    for key in keys:
        while index <= last and key not in squeeze(pdf.pages[index]):
            index += 1
        assert index <= last, f"row {key!r} is not on pages {first + 1} to {last + 1}"
        pages.append(index)
    return pages


def _printed(guide: Guide) -> list[tuple[str, figures.Stakeholders]]:
    """Every country of the maps part, with a map or with its table alone, in print order."""
    return sorted(_mapped(guide) + _mapped(guide, drawn=False),
                  key=lambda found: guide.countries.index(found[0]))


def _check_tables(pdf: Built, guide: Guide) -> None:
    """A table split over two pages leaves at least two rows under its header on the first
    page and carries at least two to the next: never a header with a single row, nor a row
    alone at the top of a page."""
    t = Labels(pdf.lang)
    printed = _printed(guide)
    assert len(printed) >= 4
    ends = [f"maps-{country.lower()}" for country, _ in printed[1:]] + ["statistics"]
    for (country, found), end in zip(printed, ends, strict=True):
        header = squeeze(t("organization") + t("type") + (t("relationships") if found.links else ""))
        keys = [squeeze(org.named_in(pdf.lang) + t(f"orgtype_{org.type}"))
                for org in found.organizations]
        rows = _row_pages(pdf, keys, _page(pdf, f"maps-{country.lower()}"), _page(pdf, end))
        per_page = [rows.count(page) for page in sorted(set(rows))]
        where = f"{pdf.lang}, {t.country(country)}: rows per page {per_page}"
        for page in set(rows):
            assert header in squeeze(pdf.pages[page]), where  # the header is repeated
        if len(per_page) > 1:
            assert per_page[0] >= 2, where + ": one row left under the header"
            assert per_page[-1] >= 2, where + ": one row carried over alone"


def test_map_tables_keep_rows_with_their_header(related_pdf: Built, related: Guide) -> None:
    _check_tables(related_pdf, related)


def test_without_any_relationship_there_is_no_maps_part(unrelated_pdf: Built,
                                                       unrelated: Guide) -> None:
    """Without any relationship, each country's map would be its list of organizations, which
    the directory gives already (the printed guide repeated the same list under four
    countries, under a heading promising maps): no maps part, and the contents do not list
    one; the statistics follow the matrix."""
    pdf, guide = unrelated_pdf, unrelated
    t = Labels(pdf.lang)
    assert len(_mapped(guide, drawn=False)) >= 4 and not _mapped(guide)
    destinations = pdf.reader.named_destinations
    assert "maps" not in destinations and not any(name.startswith("maps-") for name in destinations)
    contents = squeeze(pdf.pages[_page(pdf, "contents")])
    assert squeeze(t("statistics")) in contents and squeeze(t("maps")) not in contents
    everything = squeeze("".join(pdf.pages))
    assert squeeze(t("maps_intro")) not in everything
    assert squeeze(t("map_table_only")) not in everything


def test_a_country_without_relationships_beside_maps_gets_its_table_and_a_note(
        related_pdf: Built, related: Guide) -> None:
    pdf, guide = related_pdf, related
    t = Labels(pdf.lang)
    alone = _mapped(guide, drawn=False)
    assert alone and _mapped(guide)  # Canada: one organization, nothing to relate
    part = _page(pdf, "maps")
    assert squeeze(t("maps_intro")) in squeeze(pdf.pages[part])
    for country, found in alone:
        page = squeeze(pdf.pages[_page(pdf, f"maps-{country.lower()}")])
        heading = page.index(squeeze(t.country(country)))
        note = page.index(squeeze(t("map_table_only")), heading)
        table = page.index(squeeze(t("organization") + t("type")), note)
        assert not page[table:].startswith(squeeze(t("organization") + t("type") + t("relationships")))
        org = found.organizations[0]
        assert squeeze(org.named_in(pdf.lang) + t(f"orgtype_{org.type}")) in page[table:]


# --- 3: each box of a map shows its organization's acronym, and nothing is cut silently ----

@cache
def _advances() -> tuple[dict[int, str], object, int] | None:
    if not PDF_FONT.exists():
        return None
    from fontTools.ttLib import TTFont
    font = TTFont(str(PDF_FONT))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def _pdf_width(text: str, size: float) -> float | None:
    """The width of a line set in the PDF's font (DejaVu Sans), None without the font."""
    found = _advances()
    if found is None:
        return None
    cmap, hmtx, units = found
    fallback = cmap[ord("?")]
    return sum(hmtx[cmap.get(ord(ch), fallback)][0]  # type: ignore[index]
               for ch in text) * size / units


def _check_label(org: Organization, lang: str, lines: list[str]) -> None:
    """The acronym whole on the last line; the name whole, or shortened with an ellipsis."""
    name = org.name_in(lang)
    shown = lines
    acronym = org.acronym_in(lang)
    if acronym and acronym not in name:
        assert lines[-1] == f"({acronym})", (lang, org.id, lines)
        shown = lines[:-1]
    text = squeeze("".join(shown))
    if text != squeeze(name):
        assert text.endswith(ELLIPSIS), f"{lang}: {org.id}'s name is cut silently: {lines}"
        assert squeeze(name).startswith(text.removesuffix(ELLIPSIS)), (lang, org.id, lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_boxes_show_the_acronym_the_tables_use(lang: str, related: Guide) -> None:
    guide = related
    t = Labels(lang)
    with_acronym = {org.id for org in guide.organizations.values() if org.acronym}
    assert len(with_acronym) >= 5
    seen = set()
    for _, found in _mapped(guide):
        root = ET.fromstring(figures.stakeholder_map_svg(found, t))
        for node in root.iter(f"{SVG}g"):
            org_id = node.get("data-organization")
            if not org_id:
                continue
            seen.add(org_id)
            rect, text = node.find(f"{SVG}rect"), node.find(f"{SVG}text")
            assert rect is not None and text is not None
            lines = [span.text or "" for span in text.iter(f"{SVG}tspan")]
            _check_label(guide.organizations[org_id], lang, [line.strip() for line in lines])
            # The label stays inside its box: lines down, and across in the PDF's font.
            y, w, h = (float(rect.get(k, "0")) for k in ("y", "width", "height"))
            size = float(text.get("font-size", "0"))
            first = float(text.get("y", "0"))
            last = first + sum(float(span.get("dy", "0")) for span in text.iter(f"{SVG}tspan"))
            assert y < first - 0.75 * size and last + 0.25 * size < y + h, (lang, org_id, lines)
            for line in lines:
                width = _pdf_width(line.strip(), size)
                assert width is None or width <= w - 4, (lang, org_id, line, width, w)
    for org_id in with_acronym - seen:  # not on any map today: its box would be the same
        lines, _, _ = figures.node_label(guide.organizations[org_id], lang)
        _check_label(guide.organizations[org_id], lang, lines)


# --- 4: each chart of the statistics is printed with its table -----------------------------

def test_each_chart_is_followed_by_its_table(pdf: Built, guide: Guide) -> None:
    t = Labels(pdf.lang)
    charts = figures.statistics(guide, t)
    assert len(charts) == 4
    for chart in charts:
        index = _page(pdf, f"statistics-{chart.id}")
        # The heading's page, and the next in case a long table must go on there.
        text = squeeze(pdf.pages[index] + pdf.pages[index + 1])
        header = squeeze(chart.key_heading + chart.value_heading + chart.detail_heading)
        assert header in squeeze(pdf.pages[index]), \
            f"{pdf.lang}: no table under {chart.title!r} on page {index + 1}"
        at = text.index(header) + len(header)
        for bar in chart.bars:
            detail = (bar.detail or t("none")) if chart.detail_heading else ""
            row = squeeze(f"{bar.label} {bar.value} {detail}")
            found = text.find(row, at)
            assert found >= 0, f"{pdf.lang}: {chart.title!r} has no row {row!r} in order"
            at = found + len(row)


# --- 5: no line of running text ends after its first words ---------------------------------

def test_no_line_of_text_is_broken_short(pdf: Built) -> None:
    """WeasyPrint 70 with Pango 1.50 (Debian 12) sometimes ends a line after its first word
    when an inline element (a <strong>, a link) follows on it: "El" alone, then "segundo taller
    regional..." on the next line. At 9.5 pt it did so in the Spanish guide; the body size is
    9.4 pt. A line much shorter than the next one, not ending a sentence or a label, followed
    by one that goes on in lower case, is such a break."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf.report.path), "-"],
                          capture_output=True, text=True, check=True).stdout.split("\n")
    broken = [(a.strip(), b.strip()[:40]) for a, b in zip(text, text[1:], strict=False)
              if a.strip() and not a.startswith(" ") and re.match(r"[a-zà-ÿ]", b.strip())
              and len(a.rstrip()) < 0.6 * len(b.rstrip()) and len(b.rstrip()) > 80
              and not a.rstrip().endswith((":", ".", ";"))]
    assert broken == [], f"{pdf.lang}: lines broken after their first words: {broken[:5]}"


# --- 4: on paper, a cross-reference says its page ------------------------------------------

def test_a_chapter_link_to_another_part_gives_its_page(pdf: Built) -> None:
    """"check the guide's organizations and …" in the chapter on contributing links to the
    directory: on paper the link says the page where the directory begins, as the contents
    do."""
    t = Labels(pdf.lang)
    directory = _page(pdf, "organizations") + 1
    chapter = _page(pdf, "chapter-contribute")
    text = squeeze(pdf.pages[chapter] + pdf.pages[chapter + 1])
    assert squeeze(t('page_ref', page=directory)) in text


def test_a_link_inside_parentheses_gives_its_page_after_a_comma(pdf: Built) -> None:
    """"(see also Organizations)" in the chapter on using the guide: on paper "(see also
    Organizations, p. 46)", not a second pair of parentheses inside the first."""
    t = Labels(pdf.lang)
    directory = _page(pdf, "organizations") + 1
    chapter = _page(pdf, "chapter-how-to-use")
    text = squeeze(" ".join(pdf.pages[chapter:chapter + 3]))
    assert squeeze(t("page_ref_in_parentheses", page=directory) + ")") in text
    assert not re.search(r"\((p|pág)\. \d+\)\)", text), "a page number in nested parentheses"


def test_the_cover_gives_the_website_when_it_has_an_address(
        project: Project, guide: Guide, tmp_path: Path) -> None:
    """A reader of the paper has no other way to find the website: with a site address
    (SECTORGUIDE_SITE_URL), the cover gives its home page in the PDF's language; without one
    (the shipped PDFs), it says nothing of it."""
    published = replace(test_pdf.EDITION, site_url="https://example.org/guide/",
                        site_languages=("en", "es"))
    report = test_pdf.write_pdf(guide, project.docs_dir, "es", tmp_path / "guide-es.pdf", published)
    t = Labels("es")
    cover = squeeze(test_pdf.PdfReader(report.path).pages[0].extract_text())
    assert squeeze(f"{t('web_edition')} https://example.org/guide/es/") in cover
    # a language the website is not built in has no address to give
    assert published.web_address("fr") is None and published.web_address("en") == \
        "https://example.org/guide/"


def test_without_an_address_the_cover_says_nothing_of_the_website(pdf: Built) -> None:
    assert squeeze(Labels(pdf.lang)("web_edition")) not in squeeze(pdf.pages[0])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_inside_the_pdf_leads_to_a_part_of_it(guide: Guide, unrelated: Guide,
                                                         lang: str) -> None:
    """A link whose target is not printed would print "(p." without a number after it (and
    lead nowhere): every internal link of the print HTML has its id, with the shipped
    records and without any relationship (no maps part)."""
    for printed in (guide, unrelated):
        html = render_print_html(printed, print_chapters(test_pdf.ROOT / "docs", lang), lang,
                                 test_pdf.EDITION)
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        missing = {href for href in re.findall(r'href="#([^"]*)"', html) if href not in ids}
        assert not missing, (lang, missing)


def test_a_chapter_link_to_a_kind_without_cases_leads_to_the_catalog(guide: Guide) -> None:
    """No pilot project is printed yet, so there is no heading for them: a chapter's link to
    that kind's list leads to the catalog of cases."""
    assert "pilot_project" not in {case.kind for case in guide.cases}
    body = ("See [pilot projects](browse/kinds.md#kind-pilot-project)"
            " and [activities](browse/kinds.md#kind-project-activity).\n")
    chapter = Chapter("contribute", "en", "Title", 1, "", body, Path("contribute.md"))
    html = chapter_bodies([chapter], guide)["contribute"]
    assert '<a href="#catalog">pilot projects</a>' in html
    assert '<a href="#kind-project-activity">activities</a>' in html


def test_the_pdf_command_prints_the_website_address_on_the_cover(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sectorguide pdf` reads the site's address from mkdocs.yml (SECTORGUIDE_SITE_URL), as
    `build` does."""
    monkeypatch.setenv("SECTORGUIDE_SITE_URL", "https://example.org/guide")
    result = CliRunner().invoke(main, ["pdf", "--lang", "fr", "--output", str(tmp_path),
                                       "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    cover = squeeze(test_pdf.PdfReader(tmp_path / "guide-fr.pdf").pages[0].extract_text())
    assert squeeze(f"{Labels('fr')('web_edition')} https://example.org/guide/fr/") in cover



def test_the_printed_lists_say_when_a_record_is_in_another_language(guide: Guide) -> None:
    """A record without French text is printed in its original language: the directory and
    the matrix say so after its title, as the website's lists do."""
    record = next(case for case in guide.cases if case.original_language != "fr")
    untranslated = Guide([replace(case, texts={k: v for k, v in case.texts.items() if k != "fr"})
                          if case.id == record.id else case for case in guide.cases],
                         guide.organizations, guide.challenges)
    t = Labels("fr")
    html = render_print_html(untranslated, print_chapters(test_pdf.ROOT / "docs", "fr"), "fr",
                             test_pdf.EDITION)
    html = html[html.index("</nav>"):]  # after the contents, whose entries link every case
    links = re.findall(rf'<a href="#case-{record.id}"[^>]*>[^<]*</a>( \([^)]*\))?', html)
    assert links and all(note == f" ({t.shown_in(record.original_language)})" for note in links)
    others = re.findall(r'<a href="#case-(?!' + re.escape(record.id) + r')[^"]*"[^>]*>[^<]*</a> \(', html)
    assert not others


def test_no_page_number_of_the_contents_stands_on_a_line_of_its_own(pdf: Built) -> None:
    """A long entry of the contents wraps before the page number's room: its last line ends
    with the leader and the number (the Spanish contents printed "........ 22" alone)."""
    contents = _page(pdf, "contents")
    lines = [line.strip() for line in pdf.pages[contents].splitlines()]
    alone = [line for line in lines if re.fullmatch(r"[.\s]*\d+", line)]
    assert alone == [], (pdf.lang, alone)
