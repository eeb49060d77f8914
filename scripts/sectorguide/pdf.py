"""Stage 5, print: the whole guide in one language as one paginated, print-quality PDF.

We write our own print HTML (templates/print/) and CSS (print/guide.css) and hand them to
WeasyPrint: the site's HTML does not paginate, and the MkDocs PDF plugins either print one
language only or have no page numbers in their table of contents.

Trust boundaries are the same as for the site. Contributed record text is escaped by
Jinja2's autoescape and never read as Markdown or as a template. Chapters are Markdown
written by the team: converted with Python-Markdown, then sanitized with nh3, their links
rewritten to point inside the PDF. WeasyPrint may only read `data:` URIs and files under
the folder the print HTML is resolved against, never the network nor the rest of the disk.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import posixpath
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from importlib import metadata, resources
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import markdown
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import figures
from .chapters import Chapter, load_chapters
from .history import build_date
from .labels import Labels
from .lifetime import die_with_parent
from .model import NARRATIVE, Case, Guide, Organization, country_rank
from .render import organization_name, page_url, paragraphs
from .vocabulary import KIND_ORDER

MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "tables", "toc", "fenced_code")
CONSORTIUM_TYPES = ("education", "sector_council")
CONSORTIUM_COUNTRY = "CA"
REGIONAL = "regional"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")
_ID_ATTR = re.compile(r'\bid="([^"]*)"')
_BARE_LINK = re.compile(r'<a href="(https?://[^"]+)"([^>]*)>\1</a>')
_TAG_OR_PARENTHESIS = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|[()]")
_BLOCK_TAGS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div",
                         "blockquote", "pre", "ul", "ol", "table", "tr", "dd", "dt"})
_LANG_SUFFIX = re.compile(r"\.(en|es|fr)$")

# Where a site page lives in the PDF. A page that has no counterpart (lessons, search)
# is not listed: links to it are printed as plain text.
BROWSE_TARGETS = {
    "catalog": "catalog", "kinds": "catalog", "countries": "catalog",
    "challenges": "matrix", "matrix": "matrix", "organizations": "organizations",
}


@dataclass(frozen=True)
class Edition:
    """Which edition of the guide a PDF is: printed on the cover and stored as its dates."""

    date: str  # YYYY-MM-DD
    version: str
    site_url: str | None = None  # where the website is published, when it has an address
    site_languages: tuple[str, ...] = ()  # the languages the website has

    def __post_init__(self) -> None:
        if not _DATE.fullmatch(self.date):
            raise ValueError(f"edition date must be YYYY-MM-DD, got {self.date!r}")

    @classmethod
    def current(cls, site_url: str | None = None, site_languages: Sequence[str] = ()) -> Edition:
        """This build's edition: its date (SOURCE_DATE_EPOCH when set, else today, UTC),
        the version of sectorguide that printed it and the website's address and languages."""
        return cls(build_date(), _package_version(), site_url or None, tuple(site_languages))

    def web_address(self, lang: str) -> str | None:
        """The address of the website's home page in a language, said on the cover (a reader
        of the paper has no other way to find the website); None when the site has no address
        or is not built in that language."""
        if not self.site_url or lang not in self.site_languages:
            return None
        return f"{self.site_url.rstrip('/')}/{page_url('index', lang)}"


@dataclass(frozen=True)
class PdfReport:
    """What a PDF build produced, and how long it took."""

    path: Path
    lang: str
    pages: int
    seconds: float

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages if self.pages else 0.0


@dataclass(frozen=True)
class CaseGroup:
    """The cases of one kind about one country (or several: "regional"), as printed."""

    kind: str
    key: str  # a country code, or "regional"
    cases: tuple[Case, ...]

    @property
    def anchor(self) -> str:
        return f"group-{self.kind}-{self.key}".replace("_", "-").lower()


def case_groups(guide: Guide) -> list[CaseGroup]:
    """The guide's cases by kind, then regional cases, then by country.

    Guide.cases puts the regional cases of a kind first; on paper they get a heading of their
    own, so that no country's heading stands above a case about four countries.
    """
    def key(case: Case) -> str:
        return case.countries[0] if len(case.countries) == 1 else REGIONAL

    def rank(group_key: str) -> tuple[int, str]:
        return (-1, "") if group_key == REGIONAL else country_rank(group_key)

    groups: list[CaseGroup] = []
    for kind in KIND_ORDER:
        cases = [c for c in guide.cases if c.kind == kind]
        for group_key in sorted({key(c) for c in cases}, key=rank):
            members = tuple(c for c in cases if key(c) == group_key)
            groups.append(CaseGroup(kind, group_key, members))
    return groups


def consortium(guide: Guide) -> list[Organization]:
    """The Canadian consortium that carried out the project, as listed on the cover."""
    return [org for org in guide.organizations.values()
            if org.type in CONSORTIUM_TYPES and org.country == CONSORTIUM_COUNTRY]


# --- chapters -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkTargets:
    """The anchors the print HTML has, so chapter links can be pointed at them."""

    chapters: dict[str, frozenset[str]]  # chapter stem -> ids of its headings (unprefixed)
    cases: frozenset[str]
    organizations: frozenset[str]
    challenges: frozenset[str]
    kinds: frozenset[str]  # the kinds of case printed (a kind without cases has no heading)

    def resolve(self, href: str, stem: str) -> str | None:
        """The href a chapter link gets in the PDF; None prints the link text as plain text."""
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            return href if parts.netloc or parts.scheme == "mailto" else None
        if parts.scheme or parts.netloc:
            return None
        fragment = unquote(parts.fragment)
        if not parts.path:
            return self._chapter(stem, fragment)
        path = posixpath.normpath(unquote(parts.path)).strip("/")
        path = _LANG_SUFFIX.sub("", path.removesuffix(".md").removesuffix("/index"))
        if path in self.chapters:
            return self._chapter(path, fragment)
        folder, _, name = path.rpartition("/")
        if folder == "cases" and name in self.cases:
            return f"#case-{name}"
        if folder == "browse" and name in BROWSE_TARGETS:
            return self._browse(name, fragment)
        return None

    def _chapter(self, stem: str, fragment: str) -> str | None:
        if stem not in self.chapters:
            return None
        if fragment and fragment in self.chapters[stem]:
            return f"#{chapter_anchor(stem, fragment)}"
        return f"#{chapter_anchor(stem)}"

    def _browse(self, name: str, fragment: str) -> str:
        known = {"organizations": ("org-", self.organizations),
                 "challenges": ("challenge-", self.challenges),
                 "matrix": ("challenge-", self.challenges)}
        if name in known and fragment:
            prefix, ids = known[name]
            if fragment.startswith(prefix) and fragment.removeprefix(prefix) in ids:
                return f"#{fragment}"
        if name == "kinds" and fragment.removeprefix("kind-").replace("-", "_") in self.kinds:
            return f"#{fragment}"
        return f"#{BROWSE_TARGETS[name]}"


def chapter_anchor(stem: str, fragment: str = "") -> str:
    """A chapter's id in the print HTML; its headings' ids are prefixed with it."""
    return f"chapter-{stem}--{fragment}" if fragment else f"chapter-{stem}"


_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
         "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li",
         "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
         "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_ATTRIBUTES = {"*": {"id", "lang", "title"}, "a": {"href", "hreflang"},
               "td": {"style", "colspan", "rowspan"}, "th": {"style", "colspan", "rowspan"},
               "ol": {"start"}}
_CLASSES = {"div": {"admonition", "note", "abstract", "info", "tip", "success", "question",
                    "warning", "failure", "danger", "bug", "example", "quote"},
            "p": {"admonition-title"}}


def _markdown_to_html(body: str) -> str:
    return str(markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS)).convert(body))


def sanitize_chapter(html: str, stem: str, targets: LinkTargets) -> str:
    """Team-written chapter HTML made safe for print: an allow-list of tags and attributes,
    ids namespaced under the chapter, links pointed inside the PDF, headings moved down
    when needed so that the body starts at h2 (the chapter title is the h1)."""
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return chapter_anchor(stem, value)
        if tag == "a" and attribute == "href":
            return targets.resolve(value, stem)
        return value

    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
                      attribute_filter=attribute_filter, link_rel=None,
                      url_schemes={"http", "https", "mailto"},
                      filter_style_properties={"text-align"})
    levels = [int(m[2]) for m in _HEADING_TAG.finditer(clean)]
    shift = max(0, 2 - min(levels)) if levels else 0
    if shift:
        clean = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}", clean)
    return _mark_references_in_parentheses(
        _BARE_LINK.sub(r'<a href="\1" class="sg-external"\2>\1</a>', clean))


def _mark_references_in_parentheses(html: str) -> str:
    """Links within the PDF that stand inside parentheses get the class sg-in-parentheses,
    so that the page they lead to is printed after a comma, not in a second pair:
    "(see also Organizations, p. 45)". html: well-formed, as nh3 writes it."""
    pieces, copied, depth, code = [], 0, 0, False
    for found in _TAG_OR_PARENTHESIS.finditer(html):
        if found[0] in "()":
            if not code:  # a parenthesis in code is not the text's
                depth = depth + 1 if found[0] == "(" else max(0, depth - 1)
        elif found[2] == "code":
            code = not found[1]
        elif found[2] in _BLOCK_TAGS:
            depth = 0
        elif found[2] == "a" and not found[1] and depth and 'href="#' in found[3]:
            pieces += [html[copied:found.start()], '<a class="sg-in-parentheses"', found[3], ">"]
            copied = found.end()
    return "".join(pieces) + html[copied:]


# What a chapter says of the website only (the search box, the links on every page), marked
# in its Markdown with `{: .sg-web-only }` after a heading (its whole section) or a paragraph.
_WEB_ONLY_HEADING = re.compile(r'<h([2-6])\b[^>]*class="[^"]*\bsg-web-only\b[^"]*"[^>]*>')
_ANY_HEADING = re.compile(r"<h([2-6])\b")
_WEB_ONLY_BLOCK = re.compile(r'<(p|ul|ol)\b[^>]*class="[^"]*\bsg-web-only\b[^"]*"[^>]*>.*?</\1>',
                             re.DOTALL)


def _for_print(html: str) -> str:
    """A chapter's HTML without what it says of the website only: a marked heading goes with
    its section (up to the next heading of its level or above), a marked block alone."""
    while found := _WEB_ONLY_HEADING.search(html):
        level = int(found[1])
        end = next((m.start() for m in _ANY_HEADING.finditer(html, found.end())
                    if int(m[1]) <= level), len(html))
        html = html[:found.start()] + html[end:]
    return _WEB_ONLY_BLOCK.sub("", html)


def chapter_bodies(chapters: list[Chapter], guide: Guide) -> dict[str, Markup]:
    """Each chapter's body as sanitized HTML, by stem, without what it says of the website
    only."""
    converted = {c.stem: _for_print(_markdown_to_html(c.body)) for c in chapters}
    targets = LinkTargets(
        chapters={stem: frozenset(_ID_ATTR.findall(html)) for stem, html in converted.items()},
        cases=frozenset(c.id for c in guide.cases),
        organizations=frozenset(guide.organizations),
        challenges=frozenset(guide.challenges),
        kinds=frozenset(case.kind for case in guide.cases),
    )
    # Markup: sanitized by nh3 just now.
    return {stem: Markup(sanitize_chapter(html, stem, targets)) for stem, html in converted.items()}


# --- print HTML ---------------------------------------------------------------------------

def css_string(text: str) -> str:
    """A CSS string literal that is safe inside <style>: everything but letters, digits and
    spaces is written as a hex escape."""
    escaped = "".join(ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):x} "
                      for ch in text)
    return f'"{escaped}"'


def page_counter_content(template: str, page: str = "counter(page)") -> str:
    """The CSS `content` value of a label such as "Page {page} of {pages}"; `page` is what
    stands for {page} (a link's target page: "target-counter(attr(href url), page)")."""
    counters = {"{page}": page, "{pages}": "counter(pages)"}
    pieces = []
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if part in counters:
            pieces.append(counters[part])
        elif part:
            pieces.append(css_string(part))
    return " ".join(pieces)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("sectorguide", "templates"), autoescape=True,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


@cache
def print_css() -> str:
    return resources.files("sectorguide").joinpath("print/guide.css").read_text("utf-8")


def _package_version() -> str:
    try:
        return metadata.version("sectorguide")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def _generator() -> str:
    return f"sectorguide {_package_version()}"


def render_print_html(guide: Guide, chapters: list[Chapter], lang: str, edition: Edition) -> str:
    """The whole guide in one language as one HTML document laid out for paper."""
    t = Labels(lang)

    def lang_attr(shown_lang: str) -> Markup:
        return Markup(' lang="{}"').format(shown_lang) if shown_lang != lang else Markup("")

    # Markup: our own stylesheet, and a rule whose only words went through css_string().
    # A cross-reference in a chapter gets the page it leads to, as the contents do.
    footer = page_counter_content(t("page_of"))
    target = "target-counter(attr(href url), page)"
    page_ref = page_counter_content(t("page_ref"), target)
    in_parentheses = page_counter_content(t("page_ref_in_parentheses"), target)
    page_rules = Markup(f"@page {{ @bottom-center {{ content: {footer}; }} }}\n"
                        f'.sg-chapter__body a[href^="#"]::after {{ content: " " {page_ref}; }}\n'
                        f'.sg-chapter__body a.sg-in-parentheses[href^="#"]::after '
                        f"{{ content: {in_parentheses}; }}")
    context: dict[str, Any] = {
        "guide": guide, "lang": lang, "t": t, "edition": edition, "chapters": chapters,
        "bodies": chapter_bodies(chapters, guide), "groups": case_groups(guide),
        "consortium": consortium(guide), "narrative": NARRATIVE, "paras": paragraphs,
        "org_name": partial(organization_name, lang=lang),
        "lang_attr": lang_attr, "number": t.number, "generator": _generator(),
        "chapter_anchor": chapter_anchor, "figures": figures,
        "css": Markup(print_css()), "page_rules": page_rules, "maps": _maps(guide),
    }
    return _environment().get_template("print/guide.html.j2").render(context)


def _maps(guide: Guide) -> list[figures.Stakeholders]:
    """The countries the maps part shows; none when the records state no relationship at all:
    each country's map would be its list of organizations, which the directory already gives
    (on paper, pages that repeat the same list under "maps")."""
    found = figures.country_stakeholders(guide)
    return found if any(country.links for country in found) else []


# --- fetching -----------------------------------------------------------------------------

def _url_fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher
    return URLFetcher  # type: ignore[no-any-return]


class ConfinedFetcher:
    """WeasyPrint's URL fetcher, allowed `data:` URIs and files under one folder, nothing else.

    Built on weasyprint.urls.URLFetcher with allowed_protocols=("data", "file"), so no
    request ever leaves the machine; a `file:` URL must also resolve (symlinks followed)
    inside `root`. A refused URL raises ValueError, which WeasyPrint logs and skips.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._inner = _url_fetcher_class()(allowed_protocols=("data", "file"),
                                           allow_redirects=False, timeout=5)
        # WeasyPrint reads these private flags from the fetcher it is given.
        self._fail_on_errors = False

    def allows(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return True
        parts = urlsplit(url)
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        return path == self.root or self.root in path.parents

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if not self.allows(url):
            raise ValueError(f"refused to fetch {url[:200]!r}: only data: URIs and files "
                             f"under {self.root} may be read")
        return self._inner.fetch(url, headers)

    def __call__(self, url: str) -> Any:
        return self.fetch(url)


# --- PDF ----------------------------------------------------------------------------------

@contextmanager
def _collector_paused(process_ends: bool) -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one document.

    WeasyPrint keeps large trees of boxes alive for the whole layout, and each full
    collection walks all of them again. Measured here: the shipped guide's PDFs 30 to 50 %
    faster, a 670-page one about 8 % faster, with the same peak memory (the boxes are
    freed by reference counting, and one collection at the end takes the rest). In a process
    that ends with the document (print_guides), the collector stays off: that last collection
    took 2 s for 700 pages, and the memory goes back with the process anyway.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and not process_ends:
            gc.enable()
            gc.collect()  # this document's cycles, before the next one starts


def build_pdf(html: str, out_path: Path, base_dir: Path, *, process_ends: bool = False) -> int:
    """Lay out print HTML and write it to out_path; returns the number of pages.

    Relative URLs resolve against base_dir, and only files under it can be read.
    process_ends: this process does nothing else afterwards (see _collector_paused).
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with _collector_paused(process_ends):
        return _render(html, out_path, base_dir)


def _render(html: str, out_path: Path, base_dir: Path) -> int:
    # A function of its own, so that the document is freed before the collector runs.
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                    url_fetcher=ConfinedFetcher(base_dir)).render()
    document.write_pdf(out_path)
    return len(document.pages)


def print_chapters(docs_dir: Path, lang: str) -> list[Chapter]:
    """The chapters that belong in print: the hand-written ones, not generated pages."""
    return load_chapters(docs_dir, lang)


def write_pdf(guide: Guide, docs_dir: Path, lang: str, out_path: Path,
              edition: Edition, *, process_ends: bool = False) -> PdfReport:
    """The guide's PDF in one language, with its chapters read from docs_dir.

    The same records, chapters and edition give the same bytes: the PDF's dates are the
    edition's, and nothing else in it depends on the clock.
    """
    start = time.perf_counter()
    html = render_print_html(guide, print_chapters(docs_dir, lang), lang, edition)
    pages = build_pdf(html, out_path, docs_dir, process_ends=process_ends)
    return PdfReport(out_path, lang, pages, time.perf_counter() - start)


def print_guides(guide: Guide, docs_dir: Path, folder: Path, languages: Sequence[str],
                 workers: int | None = None, *, site_url: str | None = None,
                 site_languages: Sequence[str] = ()) -> Iterator[tuple[str, int]]:
    """One PDF per language into folder, side by side on the cores, each printed by a forked
    process of its own that ends with it: the guide and WeasyPrint, loaded here, are
    inherited rather than copied, and a document's memory goes back with its process.
    Yields (language, pages) as each is done; a language that fails raises its error.
    site_url, site_languages: where the website is published and in which languages, said
    on the cover."""
    import weasyprint  # noqa: F401  (loaded once, here, for every process; only when printing)

    folder.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("fork")
    edition = Edition.current(site_url, site_languages)
    waiting = list(languages)
    workers = workers or min(len(languages), os.cpu_count() or 1)
    running: dict[int, tuple[str, Connection, BaseProcess]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                lang = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                started: BaseProcess = context.Process(
                    target=_print_one, daemon=True,
                    args=(guide, docs_dir, folder, lang, edition, sender))
                started.start()
                sender.close()
                running[started.sentinel] = (lang, receiver, started)
            for sentinel in wait(list(running)):
                lang, receiver, process = running.pop(cast(int, sentinel))
                said = receiver.recv() if receiver.poll() else None
                receiver.close()
                process.join()
                if isinstance(said, str):
                    raise PrintFailed(f"printing the {lang} PDF failed: {said}")
                if not isinstance(said, int):
                    raise PrintFailed(f"printing the {lang} PDF stopped "
                                      f"(its process ended with status {process.exitcode})")
                yield lang, said
    finally:
        for _, unread, unfinished in running.values():  # the build stopped: so do they
            unfinished.kill()
            unfinished.join()
            unread.close()


class PrintFailed(Exception):
    """A language's PDF could not be printed; the message says which and why."""


_MAX_SAID = 4000  # characters of an error sent back from a printing process


def _print_one(guide: Guide, docs_dir: Path, folder: Path, lang: str, edition: Edition,
               sender: Connection) -> None:
    """In the forked process: print one language, send its page count (or its error)."""
    die_with_parent()
    try:
        report = write_pdf(guide, docs_dir, lang, folder / f"guide-{lang}.pdf", edition,
                           process_ends=True)
        sender.send(report.pages)
    except Exception as error:  # said to the parent, which stops the build  # noqa: BLE001
        # as short text: the parent reads it once the process has ended, and a process
        # whose message fills the pipe would never end
        sender.send(f"{type(error).__name__}: {error}"[:_MAX_SAID])
    finally:
        sender.close()
