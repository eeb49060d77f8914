"""The printed guide: real PDFs built from the shipped records and chapters, read back by pypdf."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from sectorguide.chapters import Chapter
from sectorguide.labels import Labels
from sectorguide.model import Guide
from sectorguide.pdf import (
    ConfinedFetcher,
    Edition,
    PdfReport,
    build_pdf,
    page_counter_content,
    print_chapters,
    render_print_html,
    write_pdf,
)
from sectorguide.project import Project
from sectorguide.vocabulary import LANGUAGES

ROOT = Path(__file__).parents[1]
EDITION = Edition("2025-03-14", "1.0-test")
MIN_PAGES = 30


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks, wrapped titles and no-break spaces then
    compare equal whatever the layout did."""
    return "".join(text.split())


@dataclass
class Built:
    lang: str
    report: PdfReport
    reader: PdfReader
    pages: list[str]  # extracted text of each page
    problems: list[logging.LogRecord]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def guide(project: Project) -> Guide:
    return project.guide()


@pytest.fixture(scope="session")
def built(project: Project, guide: Guide,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Each language's PDF, built once for the whole session."""
    return print_all(guide, project.docs_dir, tmp_path_factory.mktemp("pdf"))


def print_all(guide: Guide, docs_dir: Path, out: Path) -> dict[str, Built]:
    """A guide's PDF in each language, read back, with what WeasyPrint logged."""
    result = {}
    for lang in LANGUAGES:
        handler = _Collect()
        logging.getLogger("weasyprint").addHandler(handler)
        try:
            report = write_pdf(guide, docs_dir, lang, out / f"guide.{lang}.pdf", EDITION)
        finally:
            logging.getLogger("weasyprint").removeHandler(handler)
        reader = PdfReader(report.path)
        result[lang] = Built(lang, report, reader, [p.extract_text() for p in reader.pages],
                             handler.records)
    return result


@pytest.fixture(params=LANGUAGES)
def pdf(request: pytest.FixtureRequest, built: dict[str, Built]) -> Built:
    return built[request.param]


# --- the shipped guide ----------------------------------------------------------------------

def test_builds_without_layout_errors(pdf: Built) -> None:
    assert [r.getMessage() for r in pdf.problems] == []
    assert pdf.report.pages == len(pdf.reader.pages) >= MIN_PAGES
    assert pdf.report.seconds > 0


def test_metadata_is_in_the_language(pdf: Built) -> None:
    t = Labels(pdf.lang)
    info = pdf.reader.metadata
    assert info is not None
    assert info.title == t("site_title")
    assert info.subject == t("site_subtitle")
    assert info.author == t("pdf_author")
    assert info.creation_date_raw == info.modification_date_raw == "D:20250314"
    assert str(pdf.reader.root_object.get("/Lang")) == pdf.lang


def test_cover_names_the_consortium_and_edition(pdf: Built, guide: Guide) -> None:
    t = Labels(pdf.lang)
    cover = squeeze(pdf.pages[0])
    assert squeeze(t("site_title")) in cover
    assert squeeze(t("edition", date=t.date(EDITION.date), version=EDITION.version)) in cover
    for org_id in ("college-boreal", "ccnb", "cegep-saint-jean-sur-richelieu", "mihr"):
        assert squeeze(guide.organizations[org_id].name_in(pdf.lang)) in cover
    assert squeeze(t("page_of", page=1, pages=len(pdf.pages))) not in cover


def test_every_case_is_printed_in_the_language(pdf: Built, guide: Guide) -> None:
    text = squeeze(pdf.text)
    for case in guide.cases:
        assert squeeze(case.title(pdf.lang)) in text, case.id
        assert squeeze(case.shown(pdf.lang).text["summary"])[:120] in text, case.id


def _toc_pages(pdf: Built) -> list[int]:
    """Indexes of the table of contents' pages: from page 2 to the first chapter."""
    first_entry = re.search(r"\.\s*(\d+)\s*$", pdf.pages[1].splitlines()[1])
    assert first_entry, pdf.pages[1][:300]
    return list(range(1, int(first_entry[1]) - 1))


def _toc_page(toc: str, title: str) -> int:
    """The page number the (squeezed) contents give for a title."""
    found = re.search(re.escape(squeeze(title)) + r"\.*(\d+)", toc)
    assert found, f"{title!r} is not in the contents"
    return int(found[1])


def _toc_entries(pdf: Built, guide: Guide, chapters: list[Chapter]) -> list[str]:
    t = Labels(pdf.lang)
    return ([c.title for c in chapters] + [case.title(pdf.lang) for case in guide.cases]
            + [t("matrix"), t("organizations")])


def test_contents_page_numbers_point_at_the_entries(pdf: Built, guide: Guide,
                                                    project: Project) -> None:
    toc = squeeze("".join(pdf.pages[i] for i in _toc_pages(pdf)))
    assert toc.startswith(squeeze(Labels(pdf.lang)("contents")))
    for title in _toc_entries(pdf, guide, print_chapters(project.docs_dir, pdf.lang)):
        page = _toc_page(toc, title)
        assert 2 < page <= len(pdf.pages)
        assert squeeze(title) in squeeze(pdf.pages[page - 1]), f"{title!r} is not on page {page}"


def _case_starts(pdf: Built, guide: Guide) -> dict[str, int]:
    """The page number each case starts on, from the contents."""
    toc = squeeze("".join(pdf.pages[i] for i in _toc_pages(pdf)))
    return {case.id: _toc_page(toc, case.title(pdf.lang)) for case in guide.cases}


def test_each_case_starts_a_page_with_its_title(pdf: Built, guide: Guide) -> None:
    t = Labels(pdf.lang)
    starts = _case_starts(pdf, guide)
    assert len(set(starts.values())) == len(guide.cases)
    for case in guide.cases:
        page = squeeze(pdf.pages[starts[case.id] - 1])
        # The kicker (kind and countries), the title and the facts open the page.
        assert squeeze(t("kind_" + case.kind)).casefold() in page.casefold()
        assert squeeze(t("facts")) in page


def test_running_header_and_footer(pdf: Built, guide: Guide) -> None:
    t = Labels(pdf.lang)
    total = len(pdf.pages)
    for number in (2, 3, total):
        assert squeeze(t("page_of", page=number, pages=total)) in squeeze(pdf.pages[number - 1])
    # A case that runs over two pages has its title at the top of the second.
    starts = _case_starts(pdf, guide)
    last = max(starts.values())  # the matrix follows the last case
    longer = [case for case in guide.cases
              if starts[case.id] + 1 not in starts.values() and starts[case.id] != last]
    assert longer
    for case in longer:
        following = squeeze(pdf.pages[starts[case.id]])
        assert squeeze(t("facts")) not in following  # the same case goes on...
        assert squeeze(case.title(pdf.lang)) in following  # ...under its title


def test_outline_has_chapters_cases_and_parts(pdf: Built, guide: Guide, project: Project) -> None:
    def walk(items: Sequence[object], depth: int) -> Iterator[tuple[int, str]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, str(item.title)  # type: ignore[attr-defined]

    outline = list(walk(pdf.reader.outline, 1))
    top = {squeeze(title) for depth, title in outline if depth == 1}
    second = {squeeze(title) for depth, title in outline if depth == 2}
    t = Labels(pdf.lang)
    for chapter in print_chapters(project.docs_dir, pdf.lang):
        assert squeeze(chapter.title) in top
    for kind in guide.kinds():
        assert squeeze(t("kinds_" + kind)) in top
    assert {squeeze(t("matrix")), squeeze(t("organizations"))} <= top
    for case in guide.cases:
        assert squeeze(case.title(pdf.lang)) in second
    assert squeeze(t("contents")) not in top | second


def test_accents_and_quotes_survive(built: dict[str, Built]) -> None:
    assert "ñ" in built["es"].text and "í" in built["es"].text
    assert "Índice" in built["es"].pages[1]
    for char in ("é", "è", "ç", "«", "»", "œ"):
        assert char in built["fr"].text, char
    assert "Table des matières" in built["fr"].pages[1]


def test_translation_notices(pdf: Built, guide: Guide) -> None:
    t = Labels(pdf.lang)
    starts = _case_starts(pdf, guide)
    for case in guide.cases:
        page = squeeze(pdf.pages[starts[case.id] - 1])
        shown = case.shown(pdf.lang)
        original = t.language(case.original_language)
        notice = {"fallback": t("notice_fallback", shown=t.language(shown.lang)),
                  "stale": t("pdf_notice_stale", original=original),
                  "translation": t("notice_translation", original=original)}.get(shown.state)
        if notice:
            assert squeeze(notice) in page, case.id


def test_external_links_are_printed(built: dict[str, Built], guide: Guide) -> None:
    text = squeeze(built["en"].text)
    for org in guide.organizations.values():
        if org.website:
            assert squeeze(org.website) in text


def test_internal_links_are_clickable(pdf: Built) -> None:
    internal = 0
    for page in pdf.reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object()
            if action.get("/Dest") is not None or (action.get("/A") or {}).get("/S") == "/GoTo":
                internal += 1
    assert internal > 20  # the contents alone links every chapter and case


# --- print HTML -----------------------------------------------------------------------------

def test_footer_content_is_built_from_the_label() -> None:
    assert page_counter_content("Page {page} of {pages}") == \
        '"Page " counter(page) " of " counter(pages)'
    assert page_counter_content("{page}/{pages}") == 'counter(page) "\\2f " counter(pages)'
    assert page_counter_content('p. "{page}"') == '"p\\2e  \\22 " counter(page) "\\22 "'


def _chapter(body: str, stem: str = "zz-test") -> Chapter:
    return Chapter(stem, "en", "Test chapter", 99, "", body, Path(f"{stem}.md"))


def test_chapter_markdown_is_sanitized_and_linked(guide: Guide) -> None:
    case_id = guide.cases[0].id
    body = "\n\n".join([
        "# Top heading",
        "<script>alert('x')</script>",
        '<img src="file:///etc/passwd" onerror="alert(1)">',
        "[bad](javascript:alert(1)) [styled](https://example.org/a){: onclick=\"x()\" }",
        "[about](about.md) [objective](about.md#objective) [self](#top-heading)",
        f"[catalog](browse/catalog.md) [a case](cases/{case_id}.md) [lessons](browse/lessons.md)",
        "[orgs](browse/organizations.md#org-mihr) [gone](nowhere.md) <https://example.org/bare>",
        "!!! note \"Note\"\n    Admonitions stay.",
    ])
    html = render_print_html(guide, [_chapter(body), _chapter("## Objective", "about")], "en",
                             EDITION)
    chapter = html.split('id="chapter-zz-test"', 1)[1].split("</section>", 1)[0]
    for banned in ("<script", "alert", "onerror", "onclick", "javascript:", "<img", "passwd"):
        assert banned not in chapter
    assert '<h2 id="chapter-zz-test--top-heading">Top heading</h2>' in chapter
    assert '<a href="#chapter-about">about</a>' in chapter
    assert '<a href="#chapter-about--objective">objective</a>' in chapter
    assert '<a href="#chapter-zz-test--top-heading">self</a>' in chapter
    assert '<a href="#catalog">catalog</a>' in chapter
    assert f'<a href="#case-{case_id}">a case</a>' in chapter
    assert '<a href="#org-mihr">orgs</a>' in chapter
    assert "<a>lessons</a>" in chapter and "<a>gone</a>" in chapter
    assert '<a href="https://example.org/a">styled</a>' in chapter
    assert '<a href="https://example.org/bare" class="sg-external">' in chapter
    assert '<div class="admonition note">' in chapter


def test_contributed_text_is_escaped(guide: Guide) -> None:
    case = guide.cases[0]
    texts = {lang: dict(block) for lang, block in case.texts.items()}
    texts[case.original_language]["title"] = "<b>Bold</b> {{ 7 * 7 }}"
    texts[case.original_language]["context"] = "<script>x()</script> see https://example.org/p"
    evil = replace(case, texts=texts)
    html = render_print_html(Guide([evil], guide.organizations, guide.challenges), [],
                             case.original_language, EDITION)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; {{ 7 * 7 }}" in html
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert '<a href="https://example.org/p" class="sg-external">' in html


# --- fetching -------------------------------------------------------------------------------

def test_fetcher_allows_data_and_files_under_its_root_only(tmp_path: Path) -> None:
    inside = tmp_path / "inside.css"
    inside.write_text("p { color: red }")
    fetcher = ConfinedFetcher(tmp_path)
    assert fetcher.fetch(inside.as_uri()).read() == b"p { color: red }"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    (tmp_path / "link").symlink_to("/etc")
    for url in ("file:///etc/hostname", (tmp_path / "link" / "hostname").as_uri(),
                (tmp_path / ".." / "x").as_uri(), "https://example.org/x.css",
                "http://127.0.0.1/", "ftp://example.org/x",
                "file://example.org" + str(inside), "javascript:alert(1)", "inside.css"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_pdf_build_reads_nothing_outside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    html = ('<html><head><style>@import url("file:///etc/hostname");</style></head><body>'
            '<img src="file:///etc/passwd"><img src="https://example.org/x.png">'
            '<img src="../secret.png"><p>ok</p></body></html>')
    (tmp_path / "secret.png").write_bytes(b"not an image")
    base = tmp_path / "build"
    base.mkdir()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        assert build_pdf(html, base / "out.pdf", base) == 1
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 4, [r.getMessage() for r in caplog.records]


# --- a small copy of the project: hostile content, reproducibility -------------------------

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 9  # 405 characters
LONG_URL = "https://example.org/" + "/".join(["a-very-long-path-segment"] * 14) + "?q=" + "x" * 80
KEPT_CASES = ("stakeholder-mapping-mexico", "mihr-national-sector-council")
LONG_CASE = f"""\
id: zz-long-words
kind: pilot_project
original_language: en
countries: [PE]
sector: mining
challenges: [stakeholder-coordination]
status: unknown
curation: draft
sources:
  - title: {LONG_WORD[:200]}
    url: {LONG_URL}
text:
  en:
    title: {LONG_WORD[:150]}
    summary: A summary with one very long word {LONG_WORD[:390]} in it.
    context: "{LONG_WORD} and an address {LONG_URL} in running text."
    lessons:
      - "{LONG_WORD}"
"""
LINKS_CHAPTER = """\
---
title: Links on paper
order: 2
---

Read [the project page](https://example.org/a07) or <https://example.org/bare>, see the
[organizations](browse/organizations.md) and the [lessons](browse/lessons.md).
"""


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the project with two shipped cases, one chapter, and a case whose text has a
    405-character word and a 450-character address."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "schema", root / "schema")
    for folder in ("organizations", "challenges"):
        shutil.copytree(ROOT / "case_studies" / folder, root / "case_studies" / folder)
    cases = root / "case_studies" / "cases"
    cases.mkdir()
    for case_id in KEPT_CASES:
        shutil.copy2(ROOT / "case_studies" / "cases" / f"{case_id}.yaml", cases)
    (cases / "zz-long-words.yaml").write_text(LONG_CASE, "utf-8")
    (root / "docs").mkdir()
    for chapter in (ROOT / "docs").glob("index*.md"):
        shutil.copy2(chapter, root / "docs")
    (root / "docs" / "links.md").write_text(LINKS_CHAPTER, "utf-8")
    return Project(root)


def test_long_words_and_urls_still_give_a_readable_pdf(small_project: Project,
                                                      tmp_path: Path) -> None:
    guide = small_project.guide()
    report = write_pdf(guide, small_project.docs_dir, "es", tmp_path / "long.pdf", EDITION)
    reader = PdfReader(report.path)
    pages = [p.extract_text() for p in reader.pages]
    t = Labels("es")
    title = LONG_WORD[:150]
    case_pages = [i for i, text in enumerate(pages)
                  if i > 1 and "Pneumonoultra" in text and t("matrix") not in text]
    assert len(case_pages) >= 1
    text = squeeze("".join(pages[i] for i in case_pages))
    for piece in (LONG_WORD, LONG_URL, t("notice_fallback", shown=t.language("en"))):
        assert squeeze(piece) in text
    # The chapter (English: it has no Spanish file) prints its external addresses once.
    everything = squeeze("".join(pages))
    assert squeeze("the project page (https://example.org/a07)") in everything
    assert squeeze("<https://example.org/bare>") not in everything
    assert everything.count("https://example.org/bare") == 1
    for index in case_pages:
        # Wrapped: no line is longer than the page can hold (the running header is the
        # whole title, clipped with an ellipsis, so it is left out).
        lines = [line for line in pages[index].splitlines() if line.strip() != title]
        assert max(len(line) for line in lines) < 130
        width = float(reader.pages[index].mediabox.width)
        assert all(0 <= x < width for x in _text_x_positions(reader, index))


def test_no_text_runs_off_the_page(small_project: Project) -> None:
    """WeasyPrint's own layout: every line of text ends inside its page (margin boxes, which
    clip their text, aside)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    guide = small_project.guide()
    html = render_print_html(guide, print_chapters(small_project.docs_dir, "fr"), "fr", EDITION)
    document = HTML(string=html).render()
    checked = 0
    for page in document.pages:
        box = page._page_box
        right = box.margin_width()
        for child in box.children:
            if isinstance(child, MarginBox):
                continue
            for text in child.descendants():
                if isinstance(text, TextBox):
                    checked += 1
                    assert text.position_x + text.width <= right + 0.5, text.text[:60]
    assert checked > 100


def test_same_input_gives_the_same_bytes(small_project: Project, tmp_path: Path) -> None:
    """Two builds, one here and one in another process with another hash seed, are
    byte-identical."""
    guide = small_project.guide()
    here = write_pdf(guide, small_project.docs_dir, "fr", tmp_path / "here.pdf", EDITION)
    script = (
        "import sys; from pathlib import Path; from sectorguide.project import Project; "
        "from sectorguide.pdf import Edition, write_pdf; p = Project(Path(sys.argv[1])); "
        "edition = Edition(sys.argv[3], sys.argv[4]); "
        "write_pdf(p.guide(), p.docs_dir, 'fr', Path(sys.argv[2]), edition)"
    )
    there = tmp_path / "there.pdf"
    subprocess.run([sys.executable, "-c", script, str(small_project.root), str(there),
                    EDITION.date, EDITION.version],
                   check=True, env={**os.environ, "PYTHONHASHSEED": "12345"}, timeout=300)
    assert there.read_bytes() == here.path.read_bytes()


def _text_x_positions(reader: PdfReader, index: int) -> list[float]:
    xs: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            xs.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])

    reader.pages[index].extract_text(visitor_text=visit)
    return xs


def test_what_a_chapter_says_of_the_website_only_is_not_printed(pdf: Built) -> None:
    """"Use the search box" means nothing on paper: a section marked `{: .sg-web-only }` in a
    chapter is on the site, not in the PDF."""
    heading = {"en": "Searching and browsing", "es": "Buscar y explorar",
               "fr": "Rechercher et parcourir"}[pdf.lang]
    stem = "how-to-use" + ("" if pdf.lang == "en" else f".{pdf.lang}")
    assert f"## {heading} {{: .sg-web-only }}" in (ROOT / "docs" / f"{stem}.md").read_text("utf-8")
    assert squeeze(heading) not in squeeze(pdf.text)
    # a paragraph alone: "a link appears on every page" goes, the sentence before it stays
    link, kept = {"en": ("A link to it appears on every page.", "for meetings and official distribution."),
                  "es": ("Encontrará el enlace en todas las páginas.", "para reuniones y distribución oficial."),
                  "fr": ("Un lien vers cette édition figure sur chaque page.",
                         "pour les réunions et la diffusion officielle.")}[pdf.lang]
    index = (ROOT / "docs" / f"index{'' if pdf.lang == 'en' else '.' + pdf.lang}.md").read_text("utf-8")
    assert f"{link}\n{{: .sg-web-only }}" in index
    assert squeeze(link) not in squeeze(pdf.text) and squeeze(kept) in squeeze(pdf.text)


def test_only_links_inside_the_text_s_parentheses_give_their_page_after_a_comma() -> None:
    """A parenthesis in code, or one closed before the link, or in another paragraph, does not
    make a link "inside parentheses"."""
    from sectorguide.pdf import _mark_references_in_parentheses as marked

    html = ('<p>Run <code>f(x</code> then <a href="#a">A</a> (see <a href="#b">B</a>) and '
            '(x) <a href="#c">C</a> (<a href="https://example.org">web</a></p>'
            '<p><a href="#d">D</a></p>')
    assert re.findall(r'<a class="sg-in-parentheses" href="#(\w)"', marked(html)) == ["b"]
