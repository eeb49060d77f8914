"""Stage 4, render: the guide's pages in one language, as Markdown files for MkDocs.

Contributed text only ever lands inside HTML that we write, escaped by Jinja2's autoescape:
it is never read as Markdown or as a template, so it cannot add markup, attributes or code.
Headings are ours (from the label catalog), which gives MkDocs its table of contents.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from . import figures
from .citation import cite
from .labels import Labels
from .model import NARRATIVE, Case, Guide, Organization, Shown, one_line
from .reference import REFERENCE_PAGE, SCHEMA_DOWNLOAD, FieldReference
from .vocabulary import DEFAULT_LANGUAGE, KIND_ORDER, LANGUAGES

GENERATED_DIRS = ("cases", "browse", "reference")
GENERATED_FILES = ("search",)
BROWSE_PAGES = ("catalog", "countries", "challenges", "kinds", "matrix", "organizations", "lessons",
                "maps", "statistics", "data")
_CASE_PAGES: dict[tuple[Any, ...], Page] = {}  # the last guide's record pages, by their inputs
_BLANK_LINE = re.compile(r"\n\s*\n")
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
# Our hook keeps the HTML of generated pages away from Python-Markdown (mkdocs_hooks.py). Should
# a page be read without it, MkDocs' fenced_code would read ``` and ~~~ lines even inside our
# own <p> or <pre>, with an attribute list on the fence line (```{ onclick=... }). Our templates
# never write a fence, so one in a generated page comes from a record's line breaks: its first
# character is written as a character reference.
_FENCE = re.compile(r"^([ \t]*)([`~])(?=[`~]{2})", re.MULTILINE)


def page_url(page: str, lang: str) -> str:
    """Site-relative URL of a page ('cases/x') in a language, with directory URLs."""
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    return prefix if page == "index" else f"{prefix}{page}/"


def relative_url(from_page: str, from_lang: str, to_page: str, to_lang: str | None = None,
                 anchor: str = "") -> str:
    """Link from one generated page to another; within a language it stays language-relative."""
    to_lang = to_lang or from_lang
    depth = 0 if from_page == "index" else from_page.count("/") + 1
    if to_lang == from_lang:
        target = "" if to_page == "index" else f"{to_page}/"
    else:
        depth += 0 if from_lang == DEFAULT_LANGUAGE else 1
        target = page_url(to_page, to_lang)
    link = "../" * depth + target or "./"
    return f"{link}#{anchor}" if anchor else link


def organization_name(org: Organization, lang: str, *, acronym: bool = True) -> Markup:
    """An organization's name as a reader of `lang` is shown it (with its acronym), marked
    with its own language when that is another ("Mining Industry Human Resources Council" on
    a Spanish page): screen readers then read it as it is written."""
    text = org.named_in(lang) if acronym else org.name_in(lang)
    own = org.name_lang(lang)
    return Markup('<span lang="{}">{}</span>').format(own, text) if own != lang else escape(text)


@lru_cache(maxsize=1 << 16)  # a lesson shows on its record's page and under each of its challenges
def paragraphs(text: str | None) -> Markup:
    """Plain contributed text as escaped HTML paragraphs; bare http(s) addresses become links."""
    if not text:
        return Markup("")
    blocks = [one_line(b) for b in (block.strip() for block in _BLANK_LINE.split(text)) if b]
    # each block is escaped here, once (Markup.format, which checks its values again and
    # goes through string.Formatter, took half the time)
    return Markup("\n".join(f"<p>{_linkify(b) if 'http' in b else escape(b)}</p>" for b in blocks))


def _linkify(text: str) -> Markup:
    parts, last = [], 0
    for match in _URL.finditer(text):
        url, end = match.group(0), match.end()
        # a closing bracket ends an address only when the address opened none:
        # "(see https://example.org)" but "https://en.wikipedia.org/wiki/Lima_(Peru)."
        while url.count("(") > url.count(")") and text.startswith(")", end):
            url, end = url + ")", end + 1
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup('<a href="{0}" class="sg-external">{0}</a>').format(url))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@dataclass(frozen=True)
class Page:
    """One generated Markdown file: where it goes and what it holds."""

    path: str  # relative to docs/, with the language suffix
    content: str


class Renderer:
    """Renders every generated page of the guide in one language."""

    def __init__(self, guide: Guide, lang: str, edition: dict[str, str] | None = None,
                 reference: FieldReference | None = None, *, remember: bool = True,
                 site_url: str | None = None) -> None:
        self.guide = guide
        self.site_url = site_url
        # keep the record pages for the next render in this process (`serve`); a forked
        # process, which ends with its share, does not: the key (a record's repr) was a sixth
        # of the time of a record's page
        self.remember = remember
        self.lang = lang
        self.reference = reference
        self.t = Labels(lang)
        self.env = _environment()
        self.edition = edition or {}
        self.rendered: dict[tuple[Any, ...], Page] = {}
        self._titles: dict[tuple[str, str], Markup] = {}
        self._pieces: dict[tuple[str, str, str], Markup] = {}

    def pages(self) -> list[Page]:
        return self.case_pages(self.guide.cases) + self.other_pages()

    def case_pages(self, cases: Sequence[Case]) -> list[Page]:
        return [self._case_page(case) for case in cases]

    def other_pages(self) -> list[Page]:
        """The lists of cases, the field reference and the search page."""
        pages = [self._browse_page(name) for name in BROWSE_PAGES]
        if self.reference is not None:
            pages.append(self._reference_page(self.reference))
        search = {"title": str(escape(self.t("search"))), "template": "sg-search.html",
                  "sectorguide": {"kind": "search"}}
        return pages + [Page(self._file("search"), _front(search) + "\n")]

    def _file(self, page: str) -> str:
        return f"{page}.md" if self.lang == DEFAULT_LANGUAGE else f"{page}.{self.lang}.md"

    def _context(self, page: str, **extra: Any) -> dict[str, Any]:
        def link(target: str, anchor: str = "", lang: str | None = None) -> str:
            return relative_url(page, self.lang, target, lang, anchor)

        # Pages that reach the records by the same relative address ("../../cases/") share
        # the pieces made for a record (its linked title, its card, its line): made once
        cases = link("cases")

        def case_title(case: Case) -> Markup:
            """A record's title, linked to its page (the lists repeat it)."""
            title = self._titles.get((cases, case.id))
            if title is None:
                shown = case.shown(self.lang)
                title = Markup('<a href="{}"{}>{}</a>').format(
                    link(f"cases/{case.id}"), self._lang_attr(shown.lang), shown.text["title"])
                self._titles[(cases, case.id)] = title
            return title

        def piece(template: str, case: Case) -> Markup:
            """A record's piece of a list (its card, its line), made from a template once (with
            the variables of the first page that shows it; all it uses of them are the same on
            the other pages): the catalog and the list by kind show the same cards, the lists by
            country and by challenge a record's line under each of its countries or
            challenges."""
            made = self._pieces.get((cases, template, case.id))
            if made is None:
                made = Markup(self.env.get_template(template).render(variables, case=case)
                              .removesuffix("\n"))
                self._pieces[(cases, template, case.id)] = made
            return made

        variables = {"guide": self.guide, "lang": self.lang, "t": self.t, "link": link,
                     "lang_attr": self._lang_attr, "paras": paragraphs, "narrative": NARRATIVE,
                     "org_name": partial(organization_name, lang=self.lang),
                     "case_link": lambda case: link(f"cases/{case.id}"), "case_title": case_title,
                     "piece": piece, "countries": self._countries,
                     "page_path": page_url(page, self.lang),
                     "page_address": self._address(page_url(page, self.lang)), **extra}
        return variables

    def _address(self, path: str) -> str:
        """A page's address as a citation gives it: absolute where the site is published
        (site_url), else its path in the site."""
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path

    def _lang_attr(self, shown_lang: str) -> Markup:
        return Markup(' lang="{}"').format(shown_lang) if shown_lang != self.lang else Markup("")

    def _countries(self, case: Case) -> Markup:
        """A record's countries, named in the page's language."""
        return Markup(", ").join(self.t.country(code) for code in case.countries)

    def _render(self, template: str, page: str, meta: dict[str, Any], **extra: Any) -> Page:
        body = self.env.get_template(template).render(self._context(page, **extra))
        if "`" in body or "~" in body:  # a plain search first: the pattern cost 30 µs a page
            body = _FENCE.sub(lambda m: f"{m[1]}&#{ord(m[2])};", body)
        return Page(self._file(page), f"{_front(meta)}\n{body.strip()}\n")

    def _case_page(self, case: Case) -> Page:
        """A record's page, or the same page rendered before in this process from equal inputs
        (`sectorguide serve` renders the whole guide after every edit)."""
        if not self.remember:
            return self._render_case(case)
        key = (self.lang, repr(case), self.edition.get(case.source_path, ""), self._shared,
               self.site_url, id(self.env.get_template("case.md.j2")))
        page = _CASE_PAGES.get(key) or self._render_case(case)
        self.rendered[key] = page
        return page

    @cached_property
    def _shared(self) -> str:
        """What a record's page shows of other records: organizations and challenges."""
        return repr((self.guide.organizations, self.guide.challenges))

    def _render_case(self, case: Case) -> Page:
        shown: Shown = case.shown(self.lang)
        title, summary = shown.text["title"], shown.text["summary"]
        meta = {
            "title": str(escape(title)),
            "description": str(escape(one_line(summary)[:300])),
            "sectorguide": {
                "kind": "case", "id": case.id, "source": case.source_path,
                "shown_language": shown.lang, "state": shown.state,
                "original_url": page_url(f"cases/{case.id}", case.original_language),
            },
        }
        return self._render("case.md.j2", f"cases/{case.id}", meta, case=case, shown=shown,
                            updated=case.updated or self.edition.get(case.source_path, ""))

    def _browse_page(self, name: str) -> Page:
        titles = {"catalog": "catalog", "countries": "by_country", "challenges": "by_challenge",
                  "kinds": "by_kind", "matrix": "matrix", "organizations": "organizations",
                  "lessons": "lessons", "maps": "maps", "statistics": "statistics",
                  "data": "open_data"}
        meta = {"title": str(escape(self.t(titles[name]))),
                "sectorguide": {"kind": "browse", "page": name}}
        return self._render(f"{name}.md.j2", f"browse/{name}", meta)

    def _reference_page(self, reference: FieldReference) -> Page:
        """The contributor reference; its edit link opens the schema it is generated from."""
        meta = {"title": str(escape(self.t("reference_title"))),
                "sectorguide": {"kind": "reference", "source": "schema/sectorguide.schema.json"}}
        schema_url = "../" * page_url(REFERENCE_PAGE, self.lang).count("/") + SCHEMA_DOWNLOAD
        return self._render("reference.md.j2", REFERENCE_PAGE, meta, schema_url=schema_url,
                            **reference.context(self.lang))


def _front(meta: dict[str, Any]) -> str:
    """YAML front matter; each value written as JSON, which YAML reads as it is."""
    lines = [f"{key}: {json.dumps(meta[key], ensure_ascii=False, sort_keys=True)}" for key in sorted(meta)]
    return "---\n" + "\n".join(lines) + "\n---\n"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sectorguide", "templates"), autoescape=True,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.globals.update(figures=figures, cite=cite, languages=LANGUAGES, kind_order=KIND_ORDER)
    return env


PARALLEL_RENDER_FROM = 100  # cases: below that, forking costs more than it saves
_RENDER_JOB: tuple[Guide, dict[str, str] | None, FieldReference | None, Path | None,
                  str | None] | None = None


def write_guide(guide: Guide, docs_dir: Path, edition: dict[str, str] | None = None,
                reference: FieldReference | None = None, languages: Sequence[str] = LANGUAGES,
                workers: int = 1, site_url: str | None = None) -> int:
    """Render every generated page and write it under docs/ (see write_pages); with several
    workers, each writes the pages it renders. Returns how many files changed."""
    if workers > 1 and len(guide.cases) >= PARALLEL_RENDER_FROM:
        parts = _in_parallel(guide, edition, reference, languages, workers, docs_dir, site_url)
        _remove_stale(docs_dir, {docs_dir / path for paths, _ in parts for path in paths})
        return sum(written for _, written in parts)
    return write_pages(render_guide(guide, edition, reference, languages, site_url=site_url),
                       docs_dir)


def render_guide(guide: Guide, edition: dict[str, str] | None = None,
                 reference: FieldReference | None = None,
                 languages: Sequence[str] = LANGUAGES, workers: int = 1, *,
                 site_url: str | None = None) -> list[Page]:
    """All generated pages in the given languages (the field reference when one is given);
    with several workers, in forked processes that share the guide without copying it.
    site_url: where the site is published, for the addresses that must be absolute."""
    if workers > 1 and len(guide.cases) >= PARALLEL_RENDER_FROM:
        return [page for pages, _ in _in_parallel(guide, edition, reference, languages, workers,
                                                  site_url=site_url)
                for page in pages]
    pages: list[Page] = []
    rendered: dict[tuple[Any, ...], Page] = {}
    for lang in languages:
        renderer = Renderer(guide, lang, edition, reference, site_url=site_url)
        pages.extend(renderer.pages())
        rendered.update(renderer.rendered)
    _CASE_PAGES.clear()  # keep the pages of this guide only
    _CASE_PAGES.update(rendered)
    return pages


def _in_parallel(guide: Guide, edition: dict[str, str] | None, reference: FieldReference | None,
                 languages: Sequence[str], workers: int, docs_dir: Path | None = None,
                 site_url: str | None = None) -> list[Any]:
    """Each language's pages in parts (the lists and reference, and two shares of the case
    pages per worker), rendered by forked processes, the longest parts (the lists) first, so
    that no worker ends long after the others (at 1,000 records, rendering one language took
    0.88 s with halves in order, 0.72 s so; three 1.91 s and 1.77 s): as pages, or, with
    docs_dir, written there by the process, as (paths, files changed)."""
    global _RENDER_JOB
    shares = 2 * workers
    units = [(lang, None, 1) for lang in languages] + [
        (lang, share, shares) for lang in languages for share in range(shares)]
    _RENDER_JOB = (guide, edition, reference, docs_dir, site_url)
    try:
        # each process's garbage collections leave alone what it inherited (the guide)
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze) as pool:
            return pool.map(_render_unit, units, chunksize=1)
    finally:
        _RENDER_JOB = None


def _render_unit(unit: tuple[str, int | None, int]) -> Any:
    assert _RENDER_JOB is not None
    guide, edition, reference, docs_dir, site_url = _RENDER_JOB
    lang, share, shares = unit
    # This process ends with its share: no template can change under it, so its templates are
    # not looked up on disk again for every page (`serve`'s own process does, and shows an
    # edited template).
    _environment().auto_reload = False
    renderer = Renderer(guide, lang, edition, reference, remember=False, site_url=site_url)
    pages = (renderer.other_pages() if share is None
             else renderer.case_pages(guide.cases[share::shares]))
    if docs_dir is None:
        return pages, 0
    return [page.path for page in pages], sum(_write(docs_dir / page.path, page.content) for page in pages)


def write_pages(pages: list[Page], docs_dir: Path) -> int:
    """Write pages under docs/, touching only files whose content changed (so `mkdocs serve`
    does not reload in a loop), and remove generated files that no longer have a record."""
    written = sum(_write(docs_dir / page.path, page.content) for page in pages)
    _remove_stale(docs_dir, {docs_dir / page.path for page in pages})
    return written


def _write(path: Path, content: str) -> bool:
    """Write a page unless the file already holds it; whether it was written."""
    try:
        if path.read_text("utf-8") == content:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, "utf-8")
    return True


def _remove_stale(docs_dir: Path, wanted: set[Path]) -> None:
    for folder in GENERATED_DIRS:
        for path in (docs_dir / folder).rglob("*.md"):
            if path not in wanted:
                path.unlink()
