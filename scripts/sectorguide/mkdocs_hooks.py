"""The thin glue between MkDocs and the stages: generate pages, then adjust what MkDocs makes.

Listed under `hooks:` in mkdocs.yml, so a plain `mkdocs build` or `mkdocs serve` in the
repository validates and renders the records first.
"""

from __future__ import annotations

import copy
import logging
import os
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import material.templates
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from sectorguide.chapters import build_nav
from sectorguide.generate import generate_pages
from sectorguide.jinja_cache import THEME_TEMPLATES
from sectorguide.labels import Labels, language_from_environment
from sectorguide.mkdocs_jobs import PAGES_READY, PRINTED, SHARD, SiteLanguages, in_shard
from sectorguide.page_skeleton import PageSkeletons, send_through_skeleton
from sectorguide.project import InvalidRecords, Project
from sectorguide.report import render_text
from sectorguide.search import SEARCH_INPUT, search_document
from sectorguide.vocabulary import DEFAULT_LANGUAGE

log = logging.getLogger("mkdocs.plugins.sectorguide")
_PREPARED = "_sectorguide_prepared"
_HTML_LANG = re.compile(r'<html lang="([^"]*)"')
_TITLE = re.compile(r"<title>[^<]*</title>")
# On a line of its own. Both patterns start with plain text, which the search looks for first
# (four times as fast as a pattern that starts with a class or an anchor).
_HREFLANG_LINK = re.compile(r'\n[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">(?=\n)')
_CANONICAL = re.compile(r'\s*<link rel="canonical"[^>]*>')
_ARTICLE = '<article class="md-content__inner md-typeset">'
_INDEXED = '<article class="md-content__inner md-typeset" data-pagefind-body>'
_GENERATED_KINDS = ("case", "browse", "reference")
# A heading of our templates: the comment before it, on a line of its own, marks it as ours (a
# record cannot write "<").
_HEADING_LINE = re.compile(r"<!--sg-heading-->\n(#{1,6} [^\n]*)$", re.MULTILINE)
_KEPT = "_sectorguide_kept"
_CASE_FILES = "_sectorguide_case_files"
_IN_NAV = "_sectorguide_in_nav"
FULL_PAGES = "SECTORGUIDE_FULL_PAGES"
_KEPT_MARK = re.compile(r"<!--sg-kept (\d+)-->")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate and render the records once per loaded configuration (static-i18n calls this
    again for each language), then lay out the navigation from the chapters' front matter."""
    if getattr(config, _PREPARED, False):  # a mark on the object: an id() can be reused
        return config
    project = Project(Path(config.config_file_path).parent, remember=True)  # serve: after every edit
    if not os.environ.get(PAGES_READY):  # `sectorguide build` generates them once for all jobs
        try:
            guide = project.guide()
        except InvalidRecords as invalid:
            lang = language_from_environment()
            raise PluginError(Labels(lang)("serve_invalid") + "\n"
                              + render_text(invalid.validation.errors, lang)) from None
        site = SiteLanguages.from_config(config)
        changed = generate_pages(project, guide, site.built, site_url=site.site_url)
        log.debug("sectorguide: %d generated page(s) changed", changed)
    else:  # a job of `sectorguide build`, which writes the sitemap itself, with every language
        config.theme.static_templates.discard("sitemap.xml")
    config.nav = build_nav(project.docs_dir)
    setattr(config, _PREPARED, True)
    return config


@dataclass(frozen=True)
class _CasePage:
    """A case page's file, as set aside by _case_pages_aside."""

    case_id: str
    lang: str  # the language it is written in (the default's file stands in for a missing one)
    file: File


@dataclass(frozen=True)
class _CasePages:
    building: str
    pages: list[_CasePage]


@event_priority(100)  # before static-i18n
def _case_pages_aside(files: Files, config: MkDocsConfig) -> Files:
    """Set the case pages aside, for _case_pages_back: static-i18n sorted the case files of
    every language for each language built, and found each page's translations by trying
    the files it had, one language after another: at a thousand records, 15% of a
    language's MkDocs work when three are built, nothing when one is. Only the pages this
    build makes are kept: in the language being built (and, in a build job with a share of
    the cases, those of its share)."""
    number, total = _shard()
    languages = SiteLanguages.from_config(config)
    building = getattr(config.plugins.get("i18n"), "current_language", None) or languages.default
    others, cases = [], {}
    for file in files:
        if not (file.src_uri.startswith("cases/") and file.src_uri.endswith(".md")):
            others.append(file)
            continue
        case_id, *suffix = file.src_uri[len("cases/"):-len(".md")].split(".")
        lang = suffix[0] if suffix else languages.default
        if in_shard(case_id, number, total) and (lang == building or (
                lang == languages.default and case_id not in cases)):
            cases[case_id] = _CasePage(case_id, lang, file)  # else the default's, as static-i18n
    setattr(config, _CASE_FILES, _CasePages(building, list(cases.values())))
    return Files(others)


@event_priority(-110)  # after static-i18n (-100)
def _case_pages_back(files: Files, config: MkDocsConfig) -> Files:
    """The case pages set aside, where static-i18n puts a page of the language built (below
    its folder, the language's suffix dropped), each with its translations at the same
    address in every language's folder (every case has a page in every language), and with
    the attributes static-i18n gives a page and reads on every page (its language switcher)
    and in its sitemap template (the pages of each language)."""
    aside: _CasePages | None = getattr(config, _CASE_FILES, None)
    if aside is None:
        return files
    languages = SiteLanguages.from_config(config)
    prefixes = {lang: "" if lang == languages.default else f"{lang}/" for lang in languages.built}
    for case in aside.pages:
        address = (f"cases/{case.case_id}/index.html" if config.use_directory_urls
                   else f"cases/{case.case_id}.html")
        alternates = {lang: _case_file(case.file, config, prefix + address)
                      for lang, prefix in prefixes.items()}
        page = alternates[aside.building]
        page.name = case.case_id
        for attribute, value in (
                ("alternates", alternates), ("locale_alternate_of", aside.building),
                ("locale", case.lang),
                ("localization", None if case.lang == languages.default else case.lang),
                ("norm_src_uri", f"cases/{case.case_id}.md")):
            setattr(page, attribute, value)
        files.append(page)
    i18n = config.plugins.get("i18n")
    pages_per_language = getattr(i18n, "i18n_files_per_language", None)
    if isinstance(pages_per_language, dict):  # set by static-i18n's on_files, before the cases
        pages_per_language[aside.building] = files.documentation_pages()
    return files


on_files = CombinedEvent(_case_pages_aside, _case_pages_back)


def _case_file(file: File, config: MkDocsConfig, dest_uri: str) -> File:
    return File(file.src_uri, config.docs_dir, config.site_dir, config.use_directory_urls,
                dest_uri=dest_uri, inclusion=file.inclusion)


def _shard() -> tuple[int, int]:
    """This job's share of the case pages: (number, of how many)."""
    number, total = os.environ.get(SHARD, "0/1").split("/")
    return int(number), int(total)


def _meta(page: Page) -> dict[str, Any]:
    meta = page.meta.get("sectorguide")
    return meta if isinstance(meta, dict) else {}


def _language(config: MkDocsConfig) -> str:
    return str(config.theme.get("language") or DEFAULT_LANGUAGE)


@event_priority(60)  # before static-i18n's, which then reads the few lines left, not every line
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A generated page is HTML that we wrote, with Markdown headings (they make the table of
    contents), each after an `<!--sg-heading-->` line: Python-Markdown gets those headings only,
    and each stretch of HTML between them waits aside until on_page_content puts it back. Text
    of a record never reaches Python-Markdown. Parsing that HTML to set it aside again was
    most of MkDocs' time. The stand-ins are HTML comments, which no record text can write (a
    "<" in a record is always escaped)."""
    if _meta(page).get("kind") not in _GENERATED_KINDS:
        return markdown
    skeleton: list[str] = []
    kept: list[str] = []
    for number, chunk in enumerate(_HEADING_LINE.split(markdown)):
        if number % 2:  # the captured heading line
            skeleton.append(chunk)
        elif chunk.strip():
            skeleton.append(f"\n\n<!--sg-kept {len(kept)}-->\n\n")
            kept.append(chunk.strip("\n"))
        else:
            skeleton.append("\n\n")
    setattr(page, _KEPT, kept)
    setattr(page, "render", partial(_render_skeleton, page))  # this page only, see below
    if _meta(page).get("kind") == "case":  # the theme's page around it: see page_skeleton.py
        send_through_skeleton(page)
    return "".join(skeleton)


@dataclass(frozen=True)
class _Converted:
    """What Python-Markdown made of one skeleton."""

    content: str
    toc: TableOfContents
    anchors: frozenset[str]
    links_to_anchors: dict[Any, dict[str, str]] | None
    title: str | None


# Skeletons already converted in this build, by source folder (links resolve from there) and text.
_CONVERTED: dict[tuple[str, str], _Converted] = {}


def _render_skeleton(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render for a generated page. Its skeleton (headings and stand-ins) is the same for
    every record of a kind in a language, so Python-Markdown converts it once per build and
    folder, with MkDocs' own Page.render; the other pages take copies of that result."""
    key = (posixpath.dirname(page.file.src_uri), page.markdown or "")
    done = _CONVERTED.get(key)
    if done is None:
        Page.render(page, config, files)
        _CONVERTED[key] = _Converted(page.content or "", _toc_copy(page.toc),
                                     frozenset(page.present_anchor_ids or ()),
                                     _links_copy(page.links_to_anchors),
                                     page._title_from_render)
        return
    page.content = done.content
    page.toc = _toc_copy(done.toc)
    page.present_anchor_ids = set(done.anchors)
    page.links_to_anchors = _links_copy(done.links_to_anchors)
    page._title_from_render = done.title


def _toc_copy(toc: TableOfContents) -> TableOfContents:
    return TableOfContents([_link_copy(link) for link in toc])


def _link_copy(link: AnchorLink) -> AnchorLink:
    twin = AnchorLink(link.title, link.id, link.level)
    twin.__dict__.update({k: v for k, v in vars(link).items() if k != "children"})  # "active"
    twin.children = [_link_copy(child) for child in link.children]
    return twin


def _links_copy(links: dict[Any, dict[str, str]] | None) -> dict[Any, dict[str, str]] | None:
    return None if links is None else {file: dict(anchors) for file, anchors in links.items()}


def on_pre_build(config: MkDocsConfig) -> None:
    """Each build (each language): no conversions of an earlier one (`serve` builds again in
    the same process, perhaps with other extensions), and the headings' permalinks titled in
    the language built (Python-Markdown's own title is English)."""
    _CONVERTED.clear()
    toc = config.mdx_configs.get("toc")
    if isinstance(toc, dict) and toc.get("permalink"):
        toc["permalink_title"] = Labels(_language(config))("permalink")


def on_pre_template(template: jinja2.Template, template_name: str,
                    config: MkDocsConfig) -> jinja2.Template:
    """The 404 page's language switcher leads to each language's home page, as configured:
    static-i18n sets the switcher's links for each page it renders (an attribute of
    config.extra, which the theme reads before the configured item), and the 404 page,
    rendered after them, got the last page's (a plain `mkdocs build` linked it to a record's
    translations)."""
    configured = config.extra.get("alternate")
    if template_name == "404.html" and configured:
        setattr(config.extra, "alternate", copy.deepcopy(configured))
    return template


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page, too, without the hreflang links Material's script fetches a sitemap below
    (see on_post_page)."""
    return _without_hreflang_links(output) if template_name == "404.html" else output


class Fragments:
    """Pieces of the theme's HTML that many pages share, made once per build and language:
    overrides/partials/nav.html keeps the navigation of the pages outside it here."""

    def __init__(self) -> None:
        self._made: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self._made.get(key)

    def keep(self, key: str, html: str) -> str:
        self._made[key] = html
        return html


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Material's own templates stay reachable as "material/..." from the overrides that wrap
    them, a fresh Fragments per build (each build makes a new environment), and the templates
    compiled by earlier builds in this process (see jinja_cache.py), the skeletons of the
    case pages (see page_skeleton.py; SECTORGUIDE_FULL_PAGES=1 renders every page in full),
    and our labels in the language being built, as `sg` (the 404 page, too, has a footer),
    and in every language built, as `sg_languages` (the 404 page speaks them all)."""
    material_dir = str(Path(material.templates.__file__).parent)
    env.loader = jinja2.ChoiceLoader([
        env.loader or jinja2.FileSystemLoader(material_dir),
        jinja2.PrefixLoader({"material": jinja2.FileSystemLoader(material_dir)})])
    env.globals["sg_fragments"] = Fragments()
    skeletons = PageSkeletons(env, enabled=not os.environ.get(FULL_PAGES))
    env.globals["sg_case_page"] = skeletons.function()
    env.globals["sg"] = Labels(_language(config))
    env.globals["sg_languages"] = [(code, Labels(code))
                                   for code in SiteLanguages.from_config(config).built]
    env.bytecode_cache = THEME_TEMPLATES
    return env


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    setattr(config, _IN_NAV, {page.file.src_uri for page in nav.pages})
    return nav


def _nav_key(page: Page, config: MkDocsConfig) -> str | None:
    """Pages outside the navigation see it all inactive; in one folder, its relative links are
    the same too. None: a page in the navigation, which marks itself in it."""
    if page.file.src_uri in getattr(config, _IN_NAV, ()):
        return None
    return posixpath.dirname(page.url.rstrip("/")) + "/"


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    kept: list[str] = getattr(page, _KEPT, [])
    html = _KEPT_MARK.sub(lambda found: kept[int(found[1])], html) if kept else html
    if _meta(page).get("kind") == "browse" and not page.toc.items:
        page.toc = _toc_of_sections(html)
    return html


# A section of a list of records, as our templates write it: its title is escaped text (a
# record's words among them) and may hold our own markup; data-toc-label, when the title holds
# more than its name ("Chile 6 cases"), is the name alone.
_SECTION = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.DOTALL)
_SECTION_ATTRIBUTE = re.compile(r'(?:^|\s)(id|data-toc-label)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def _toc_of_sections(html: str) -> TableOfContents:
    """The table of contents of a list of records, from the sections our templates write as
    HTML (their titles hold records' words, which never go through Python-Markdown): the
    theme then shows it beside the page, and the link that skips to the content before the
    navigation, as on the chapters and the records' pages."""
    links = []
    for attributes, title in _SECTION.findall(html):
        found = dict(_SECTION_ATTRIBUTE.findall(attributes))
        if "id" in found:
            label = found.get("data-toc-label") or _TAG.sub("", title).strip()
            links.append(AnchorLink(label, found["id"], 2))
    return TableOfContents(links)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Any) -> dict[str, Any]:
    """Edit links to the record's YAML (none on the lists of records, which are made from the
    records and have no file of their own), the PDF (when there is one) and the search page
    of its language."""
    meta = _meta(page)
    if meta.get("source") and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{meta['source']}"
    elif meta.get("kind") == "browse":
        page.edit_url = None
    lang = _language(config)
    here = posixpath.dirname(page.url.rstrip("/")) if not page.url.endswith("/") else page.url
    if _printed(config, lang):
        context["sg_pdf_url"] = posixpath.relpath(f"pdf/guide-{lang}.pdf", here or ".")
    context["sg_search_url"] = posixpath.relpath(
        f"{'' if lang == DEFAULT_LANGUAGE else lang + '/'}search/", here or ".") + "/"
    context["sg_nav_key"] = _nav_key(page, config)
    _relative_alternates(config)
    return context


def _printed(config: MkDocsConfig, lang: str) -> bool:
    """Whether the site holds the language's PDF: as `sectorguide build` says (it prints them
    or keeps the previous site's), else as the site folder shows (`mkdocs build` empties it
    first and `mkdocs serve` builds into a folder of its own: neither has PDFs)."""
    said = os.environ.get(PRINTED)
    if said is not None:
        return lang in said.split(",")
    return (Path(config.site_dir) / "pdf" / f"guide-{lang}.pdf").is_file()


def _relative_alternates(config: MkDocsConfig) -> None:
    """The language switcher's links as addresses within the site, which the theme makes
    relative to each page: static-i18n gives the home pages' links from the host's root
    ("/es/"), which lead nowhere when the site is published below a folder (a GitHub
    project's pages) or opened from files. Runs after static-i18n, which sets the links
    again for every page."""
    root = urlsplit(config.site_url or "").path.rstrip("/") + "/"
    for alternate in getattr(config.extra, "alternate", None) or []:
        link = alternate.get("link") or ""
        if link.startswith(root) and not link.startswith("//"):
            alternate["link"] = link[len(root):] or "./"


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A fallback page (a record not yet translated, shown in its original language) points
    search engines to its original; it stays a page of its language (its interface is, and
    its record's text is marked with the language it is in), so screen readers read each part
    in its own language, and the language's search finds it (by its name, its
    organizations...). Search covers pages of their own (chapters, records, the reference),
    not the lists that repeat them.

    The head loses Material's <link rel="alternate" hreflang> tags: Material's script fetches
    a sitemap.xml below each of them, taking them for languages' roots, while static-i18n
    points them at this page's translations (two requests ending in 404 on every page view);
    and relative addresses, all MkDocs writes there, are not valid hreflang links anyway. The
    language switcher keeps its links to the translations; the sitemap, written when the site
    has an address, lists them with absolute addresses."""
    output = _without_hreflang_links(output)
    meta = _meta(page)
    if meta.get("state") == "fallback":
        if config.site_url:
            canonical = config.site_url.rstrip("/") + "/" + meta["original_url"]
        else:
            here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
            canonical = posixpath.relpath(meta["original_url"] or ".", here or ".")
            canonical = canonical + "/" if not canonical.endswith("/") else canonical
        head_end = output.find("</head>")  # the theme's canonical link is in the head
        if head_end >= 0:
            output = (_CANONICAL.sub("", output[:head_end])
                      + f'<link rel="canonical" href="{canonical}">\n' + output[head_end:])
    # Lists of records: search leads to the records themselves; the search page would match
    # "search" first. The organizations' directory is indexed: their descriptions are on no
    # other page (its lists of records are not: data-pagefind-ignore, organizations.md.j2).
    if meta.get("kind") == "search" or (meta.get("kind") == "browse"
                                        and meta.get("page") != "organizations"):
        return output
    output = output.replace(_ARTICLE, _INDEXED, 1)
    if os.environ.get(SEARCH_INPUT):
        _write_search_document(output, page, config, Path(os.environ[SEARCH_INPUT]))
    return output


def _without_hreflang_links(output: str) -> str:
    head_end = output.find("</head>")
    if head_end < 0:
        return output
    return _HREFLANG_LINK.sub("", output[:head_end]) + output[head_end:]


def _write_search_document(output: str, page: Page, config: MkDocsConfig, folder: Path) -> None:
    """The page's text for Pagefind (see search.py), below the folder of this job's language.
    Pages other than the case pages are in every share of a language: the first writes them."""
    if not page.file.src_uri.startswith("cases/") and _shard()[0] != 0:
        return
    start, end = output.find(_INDEXED), output.rfind("</article>")
    lang, title = _HTML_LANG.search(output), _TITLE.search(output)
    if start < 0 or end < start or not lang:
        return
    document = search_document(lang[1], title[0] if title else "", output[start:end + len("</article>")])
    path = folder / _language(config) / page.file.dest_uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, "utf-8")
