"""End to end: active content written into every text field of a shipped record never reaches
a reader, on the site or in the PDF.

Two answers, decided per payload. Markup and script links have no place in a record: the
validator refuses them at their file:line:column and `sectorguide build` stops before making
a site. Everything else (template syntax, Markdown attribute lists, quotes, entities) is
accepted, built, and must show literally and inert: escaped on the page, never evaluated,
never turned into an attribute, and printed as written in the PDF.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader
from sectorguide.build import build_site
from sectorguide.check import check_site
from sectorguide.cli import main
from sectorguide.project import Project

from .conftest import commit_all, copy_project

CASE = "case_studies/cases/best-practices-guide-pacific-alliance.yaml"
CASE_ID = "best-practices-guide-pacific-alliance"
ORGANIZATION = "case_studies/organizations/mihr.yaml"
CHALLENGES = ("case_studies/challenges/supply-demand-alignment.yaml",
              "case_studies/challenges/stakeholder-coordination.yaml")
LANG_PREFIX = {"en": "", "es": "es/", "fr": "fr/"}

# Refused by the validator, with the problem codes each one must give.
REJECTED: dict[str, set[str]] = {
    "<script>alert(1)</script>": {"raw-html"},
    "<img src=x onerror=alert(1)>": {"raw-html"},
    "<iframe src=//evil.example>": {"raw-html"},
    "<style>body{display:none}</style>": {"raw-html"},
    '"><script>alert(1)</script>': {"raw-html"},
    "<form action=//evil.example><input name=x></form>": {"raw-html"},
    "<object data=x.swf></object>": {"raw-html"},
    "<svg onload=alert(1)>": {"raw-html"},
    "<a href=\"javascript:alert(1)\">x</a>": {"raw-html", "unsafe-link"},
    "<!-- hidden -->": {"raw-html"},
    "<svg/onload=alert(1)>": {"raw-html"},
    "<b>bold</b> and <br/>": {"raw-html"},
    "</p>": {"raw-html"},
    "[x](javascript:alert(1))": {"unsafe-link"},
    "javascript:alert(1)": {"unsafe-link"},
    "JaVaScRiPt :alert(1)": {"unsafe-link"},
    "vbscript:msgbox(1)": {"unsafe-link"},
    "data:text/html;base64,PHNjcmlwdD4=": {"unsafe-link"},
}

# Accepted, and shown as written: template syntax, Markdown attribute lists (on a block and
# on an inline element), quotes that would close an attribute, entities, a third-party image.
# Together they fit in a title (160 characters).
INLINE = ("{{ config.extra }}", '{: onclick="alert(1)" }', "&lt;script&gt;", "java&#115;cript:x",
          "{% raw %}x", "{#c#}", "*em*{:onclick=alert(1)}", "\"'>", "![i](//evil.example/t.png)")
# Markdown and template syntax that only means something at the start of a line or a block:
# written as paragraphs of their own into the fields that hold paragraphs (roles, the shortest,
# hold 400 characters; a line break in a quoted value counts as a paragraph break, two).
BLOCK = ("# H {: onclick=alert(1) }", "    code", "|a|b|\n|-|-|", "!!! note",
         "```{ onclick=alert(1) }\n{{ config }}\n```", "~~~{: onfocus=alert(1) }\n~~~",
         "<https://example.org>", "[x](//evil.example)", "{{ 7*7 }} ${7*7} a < b")
ONE_LINE = " ".join(INLINE)
PARAGRAPHS = "\n\n".join(INLINE + BLOCK)
# Challenge labels hold 80 characters: the record's two challenges share the payloads.
LABEL_HALVES = (" ".join(INLINE[:4]), " ".join(INLINE[4:]))
ONE_LINE_FIELDS = {"title", "label", "name", "publisher"}  # and indicators' labels, sources' titles

FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "img",
                  "frame", "base", "link", "meta", "button", "textarea", "select"}


@dataclass(frozen=True)
class Field:
    """One text field of one record file, and the marker that finds its value in the output."""

    file: str
    location: tuple[str | int, ...]
    marker: str
    shown_on: str  # the language whose case page shows it ("" for language-neutral fields)

    def value(self, payload: str) -> str:
        return f"{self.marker} {payload}"


def _load(root: Path, file: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / file).read_text("utf-8"))
    return data


def _guide_copy(target: Path) -> Path:
    """A copy of the project whose case has role texts for two of its organizations in every
    language (the shipped case has none): every kind of text field is then there to inject."""
    root = copy_project(target)
    case = _load(root, CASE)
    for block in case["text"].values():
        block["roles"] = {org["id"]: "Role." for org in case["organizations"][:2]}
    (root / CASE).write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), "utf-8")
    return root


def text_fields(root: Path) -> list[Field]:
    """Every text field of the case, plus the organization's name and descriptions and the
    challenges' labels and descriptions: each with its own marker X01, X02, ..."""
    locations: list[tuple[str, tuple[str | int, ...], str]] = []
    case = _load(root, CASE)
    for lang, block in case["text"].items():
        for name in ("title", "summary", "context", "challenge", "approach", "results",
                     "replication"):
            locations.append((CASE, ("text", lang, name), lang))
        for index in range(len(block["lessons"])):
            locations.append((CASE, ("text", lang, "lessons", index), lang))
        for key in block["indicators"]:
            locations.append((CASE, ("text", lang, "indicators", key), lang))
        for org in block["roles"]:
            locations.append((CASE, ("text", lang, "roles", org), lang))
    for index in range(len(case["sources"])):
        locations.append((CASE, ("sources", index, "title"), ""))
        locations.append((CASE, ("sources", index, "publisher"), ""))
    locations.append((ORGANIZATION, ("name",), ""))
    for lang in _load(root, ORGANIZATION)["text"]:
        locations.append((ORGANIZATION, ("text", lang, "description"), lang))
    for challenge in CHALLENGES:
        for lang in ("en", "es", "fr"):
            locations.append((challenge, ("text", lang, "label"), lang))
            locations.append((challenge, ("text", lang, "description"), lang))
    return [Field(file, location, f"X{n:02d}", lang)
            for n, (file, location, lang) in enumerate(locations, start=1)]


def _payload_for(field: Field, payload: str | None) -> str:
    """One rejected payload; or all accepted ones, on one line in the fields a page shows on one
    line (halved for the short challenge labels), as paragraphs in the others."""
    if payload is not None:
        return payload
    if field.location[-1] == "label":
        return LABEL_HALVES[CHALLENGES.index(field.file)]
    if field.location[-1] in ONE_LINE_FIELDS or "indicators" in field.location or \
            field.location[0] == "sources":
        return ONE_LINE
    return PARAGRAPHS


def inject(root: Path, fields: list[Field], payload: str | None = None) -> None:
    """Write each field's marker and payload into the records of the copy at root.

    The organization's names per language are removed so its (injected) official name shows in
    every language."""
    files: dict[str, dict[str, Any]] = {}
    for field in fields:
        data = files.setdefault(field.file, _load(root, field.file))
        target: Any = data
        for part in field.location[:-1]:
            target = target[part]
        target[field.location[-1]] = field.value(_payload_for(field, payload))
    for block in files[ORGANIZATION]["text"].values():
        block.pop("name", None)
    for file, data in files.items():
        (root / file).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                width=10**6), "utf-8")


def position(root: Path, field: Field) -> tuple[int, int]:
    """Line and column (1-based) where the field's value starts in the file as written: found
    by its marker in the text, one character earlier when YAML quoted the value."""
    lines = (root / field.file).read_text("utf-8").splitlines()
    found = [(n, line.index(field.marker + " ")) for n, line in enumerate(lines, start=1)
             if field.marker + " " in line]
    assert len(found) == 1, (field, found)
    line, index = found[0]
    quoted = index > 0 and lines[line - 1][index - 1] in "'\""
    return line, index + (0 if quoted else 1)


def offending_position(root: Path, field: Field, payload: str, code: str) -> tuple[int, int]:
    """Where the validator must point for a refused payload: at the markup or the link itself,
    as the file writes it (in a paragraph of a block, the line it is on)."""
    return offending_positions(root, field, payload, code)[0]


def offending_positions(root: Path, field: Field, payload: str, code: str) -> list[tuple[int, int]]:
    """The same for every kind of markup in the payload ("<b>" and "<br/>"), each where it
    first appears: all are told at once."""
    from sectorguide.validate import _ACTIVE_SCHEME, _HTML_TAG

    found = list((_HTML_TAG if code == "raw-html" else _ACTIVE_SCHEME).finditer(payload))
    assert found, (payload, code)
    kinds = {}
    for each in found:
        kinds.setdefault(re.sub(r"^</?([A-Za-z0-9-]+).*", r"\1", each.group(0)).lower(), each)
    line, column = position(root, field)
    text = (root / field.file).read_text("utf-8").splitlines()[line - 1]
    at = [text.find(each.group(0), column - 1) for each in kinds.values()]
    return [(line, spot + 1) if spot >= 0 else (line, column) for spot in at]


# --- rejected payloads ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, never built: the rejected payloads are written into copies of it."""
    return _guide_copy(tmp_path_factory.mktemp("injection-pristine") / "guide")


@pytest.mark.parametrize("payload", sorted(REJECTED))
def test_validator_refuses_markup_and_script_links_in_every_text_field(
        payload: str, pristine: Path, tmp_path: Path, runner: CliRunner) -> None:
    root = tmp_path / "guide"
    shutil.copytree(pristine, root)
    fields = text_fields(root)
    inject(root, fields, payload)
    result = runner.invoke(main, ["validate", "--format", "json", "--lang", "en",
                                  "--root", str(root)])
    assert result.exit_code == 1, result.output
    reported = {(p["file"], p["line"], p["column"], p["code"]) for p in json.loads(result.stdout)
                if p["severity"] == "error"}  # the originals changed: their translations are stale
    expected = {(f.file, *spot, code) for f in fields for code in REJECTED[payload]
                for spot in offending_positions(root, f, payload, code)}
    assert reported == expected

    build = runner.invoke(main, ["build", "--no-pdf", "--lang", "en", "--root", str(root)])
    assert build.exit_code == 1
    line, column = offending_position(root, fields[0], payload, sorted(REJECTED[payload])[0])
    assert f"{CASE}:{line}:{column}: error {sorted(REJECTED[payload])[0]}:" in build.stdout
    assert not (root / "site").exists()
    assert not list(root.glob(".site-build-*")), "a failed build left its staging folder"


# --- accepted payloads: one build holding all of them ----------------------------------------


@dataclass(frozen=True)
class Built:
    root: Path
    fields: list[Field]

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, lang: str, path: str) -> str:
        return (self.site / LANG_PREFIX[lang] / path / "index.html").read_text("utf-8")

    def expected(self, field: Field) -> str:
        return field.value(_payload_for(field, None))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = _guide_copy(tmp_path_factory.mktemp("injection") / "guide")
    fields = text_fields(root)
    inject(root, fields)
    commit_all(root)
    build_site(Project(root), pdf_languages=("en",))
    return Built(root, fields)


class _Page(HTMLParser):
    """What a reader gets from a page: the article's text and tags, the head's title and
    meta descriptions, as a browser would decode them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.in_title = False
        self.article_text: list[str] = []
        self.article_tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.title = ""
        self.descriptions: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        elif self.in_article:
            self.article_tags.append((tag, attrs))
        self.in_title = tag == "title" and not self.in_article
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.descriptions.append(dict(attrs).get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.in_article:
            self.in_article -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_article:
            self.article_text.append(data)
        if self.in_title:
            self.title += data

    @property
    def text(self) -> str:
        return squeeze("".join(self.article_text))


def squeeze(text: str) -> str:
    return " ".join(text.split())


def case_fields(built: Built, lang: str) -> Iterator[Field]:
    """The fields the case page of a language shows: its own text block, the sources, the
    organization's name and the challenges' labels in that language."""
    for field in built.fields:
        if field.file == CASE and field.shown_on in (lang, "") or field.location in (("name",), ("text", lang, "label")):
            yield field


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_accepted_payloads_show_literally_on_the_case_page(built: Built, lang: str) -> None:
    page = _Page(built.page(lang, f"cases/{CASE_ID}"))
    fields = list(case_fields(built, lang))
    assert len(fields) >= 17  # 7 narrative fields, a lesson, 2 indicators, 2 roles, ...
    for field in fields:
        assert squeeze(built.expected(field)) in page.text, field
    assert page.text.count("{{ config.extra }}") >= len(fields)
    title = next(f for f in fields if f.location == ("text", lang, "title"))
    assert page.title.startswith(built.expected(title)), "the <title> shows the title as written"
    summary = next(f for f in fields if f.location == ("text", lang, "summary"))
    assert page.descriptions == [squeeze(built.expected(summary))[:300]]


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_no_active_content_reaches_the_article(built: Built, lang: str) -> None:
    html = built.page(lang, f"cases/{CASE_ID}")
    page = _Page(html)
    article = html[html.index("<article"):html.rindex("</article>")]
    assert "<script" not in article.lower()
    for tag, attrs in page.article_tags:
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert not re.match(r"\s*(javascript|vbscript|data):", value or "", re.IGNORECASE), (tag, value)
    # An attribute list is never applied: no attribute named by a record's text appears.
    assert not [a for _, attrs in page.article_tags for a, _ in attrs if a == "onclick"]


def test_template_syntax_is_never_evaluated(built: Built) -> None:
    for lang in LANG_PREFIX:
        html = built.page(lang, f"cases/{CASE_ID}")
        text = _Page(html).text
        assert text.count("{{ 7*7 }} ${7*7}") >= 8  # 7 narrative fields and a lesson
        assert text.count("{% raw %}x {#c#}") >= 15
        assert "{{ config }}" in text


def test_names_and_labels_show_literally_on_the_browse_pages(built: Built) -> None:
    name = next(f for f in built.fields if f.location == ("name",))
    labels = [f for f in built.fields if f.location == ("text", "en", "label")]
    for path in ("browse/organizations", "browse/catalog", "browse/challenges", "browse/matrix"):
        text = _Page(built.page("en", path)).text
        if path == "browse/organizations":
            assert squeeze(built.expected(name)) in text
        else:
            for label in labels:
                assert squeeze(built.expected(label)) in text, (path, label)


def test_the_table_of_contents_of_a_list_shows_names_and_labels_as_text(built: Built) -> None:
    """The lists' tables of contents (beside the article, where the site check does not look)
    take their entries from section titles that hold records' words: those words show as
    written there too, and bring no tag or attribute."""
    name = next(f for f in built.fields if f.location == ("name",))
    labels = [f for f in built.fields if f.location == ("text", "en", "label")]
    for path, fields in (("browse/organizations", [name]), ("browse/challenges", labels)):
        html = built.page("en", path)
        toc = html[html.index("md-nav--secondary"):]
        toc = toc[:toc.index("</nav>")]
        parsed = _Page(f"<article>{toc}</article>")
        for field in fields:
            assert squeeze(built.expected(field)) in squeeze("".join(parsed.article_text)), (path, field)
        for tag, attrs in parsed.article_tags:
            assert tag in ("nav", "label", "span", "ul", "li", "a"), (path, tag)
            assert all(not n.startswith("on") and n != "style" for n, _ in attrs), (path, tag, attrs)


def test_the_built_site_passes_its_own_active_content_check(built: Built) -> None:
    assert check_site(built.site) == []


PAGE_MARGIN = 20 * 72 / 25.4  # print/guide.css: running header and footer live in the margins


def pdf_body_text(reader: PdfReader) -> str:
    """The PDF's text as a reader follows it across pages: without the running header and the
    page footer (in the margins), list bullets, or white space (lines break anywhere)."""
    pieces: list[str] = []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def keep(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if PAGE_MARGIN < y < height - PAGE_MARGIN:
                pieces.append(text)

        page.extract_text(visitor_text=keep)
    return re.sub(r"[\s\u2022]+", "", "".join(pieces))


def test_the_pdf_prints_every_payload_as_written(built: Built) -> None:
    reader = PdfReader(built.site / "pdf" / "guide-en.pdf")
    text = pdf_body_text(reader)
    shown = [f for f in built.fields if f.shown_on in ("en", "")]
    assert len(shown) >= 20
    for field in shown:
        if field.file in CHALLENGES and field.location[-1] == "description":
            continue  # the PDF prints the challenges' labels (in its matrix), not their descriptions
        assert re.sub(r"\s+", "", built.expected(field)) in text, field
    for uri in _pdf_link_targets(reader):
        assert not re.match(r"\s*(javascript|vbscript|data):", uri, re.IGNORECASE), uri
    assert "/JavaScript" not in (built.site / "pdf" / "guide-en.pdf").read_bytes().decode("latin-1")


def _pdf_link_targets(reader: PdfReader) -> list[str]:
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


# --- the site check cannot pass vacuously ----------------------------------------------------

TAMPERINGS = {  # (where, what is replaced, by what)
    "script in the article": ("<article", "<h1", "<script>alert(1)</script><h1"),
    "event handler in the article": ("<article", "<h1", '<h1 onclick="alert(1)"'),
    "event handler after a slash": ("<article", "<h1", '<img/src="x"/onerror=alert(1)><h1'),
    "javascript link in the article": ("<article", "<h1", '<a href="javascript:alert(1)">x</a><h1'),
    "scheme split by a tab reference": ("<article", "<h1", '<a href="java&#9;script:alert(1)">x</a><h1'),
    "scheme colon as a named reference": ("<article", "<h1",
                                          '<a href=" JavaScript&colon;alert(1)">x</a><h1'),
    "iframe in the article": ("<article", "<h1", "<iframe src=//evil.example></iframe><h1"),
    "script in capitals": ("<article", "<h1", "<SCRIPT>alert(1)</SCRIPT><h1"),
    "event handler in capitals": ("<article", "<h1", '<h1 OnClick="alert(1)"'),
    "scheme in capitals": ("<article", "<h1", '<a href="JAVASCRIPT:alert(1)">x</a><h1'),
    "markup in the title": ("<head", "<title>", "<title><b>x</b>"),
    "event handler on a head tag": ("<head", "<meta name=\"description\"",
                                    "<meta onload=alert(1) name=\"description\""),
}


# A page whose text looks like markup (the injected case) and one whose text does not (the
# home page, where the check's cheap first look decides whether the page is parsed at all).
TAMPERED_PAGES = (f"cases/{CASE_ID}/index.html", "index.html")


@pytest.mark.parametrize("relative", TAMPERED_PAGES)
@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_the_site_check_finds_active_content_put_into_a_built_page(
        built: Built, tmp_path: Path, tampering: str, relative: str) -> None:
    page = tmp_path / relative
    page.parent.mkdir(parents=True, exist_ok=True)
    html = (built.site / relative).read_text("utf-8")
    where, old, new = TAMPERINGS[tampering]
    at = html.index(old, html.index(where))
    page.write_text(html, "utf-8")
    assert check_site(tmp_path) == [], "the page as built has no findings"
    page.write_text(html[:at] + new + html[at + len(old):], "utf-8")
    findings = check_site(tmp_path)
    assert [f.page for f in findings] == [relative], findings
