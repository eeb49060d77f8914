"""The thin glue between MkDocs and the stages: generate pages, then adjust what MkDocs makes.

Listed under `hooks:` in mkdocs.yml, so a plain `mkdocs build` or `mkdocs serve` in the
repository validates and renders the records first.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from sectorguide.chapters import build_nav
from sectorguide.generate import generate_pages
from sectorguide.labels import Labels
from sectorguide.mkdocs_jobs import PAGES_READY, SHARD, SiteLanguages, in_shard
from sectorguide.project import InvalidRecords, Project
from sectorguide.render import DEFAULT_LANGUAGE
from sectorguide.report import render_text

log = logging.getLogger("mkdocs.plugins.sectorguide")
_PREPARED = "_sectorguide_prepared"
_HTML_LANG = re.compile(r'<html lang="[^"]*"')
_CANONICAL = re.compile(r'\s*<link rel="canonical"[^>]*>')
_ARTICLE = '<article class="md-content__inner md-typeset">'
_GENERATED_KINDS = ("case", "browse", "reference")
# A heading of our templates: the comment before it marks it as ours (a record cannot write "<").
_HEADING_LINE = re.compile(r"^<!--sg-heading-->\n(#{1,6} [^\n]*)$", re.MULTILINE)
_KEPT = "_sectorguide_kept"
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
            raise PluginError("invalid records:\n" + render_text(invalid.validation.errors, "en")) from None
        languages = SiteLanguages.from_config(config).built
        log.debug("sectorguide: %d generated page(s) changed", generate_pages(project, guide, languages))
    config.nav = build_nav(project.docs_dir)
    setattr(config, _PREPARED, True)
    return config


@event_priority(100)  # before static-i18n, which then sorts out the languages of fewer files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """In a sharded job, keep only this shard's case pages (in every language)."""
    shard = os.environ.get(SHARD, "0/1")
    number, total = (int(part) for part in shard.split("/"))
    if total == 1:
        return files
    for file in list(files):
        if file.src_uri.startswith("cases/") and file.src_uri.endswith(".md"):
            case_id = file.src_uri[len("cases/"):].split(".")[0]
            if not in_shard(case_id, number, total):
                files.remove(file)
    return files


def _meta(page: Page) -> dict[str, Any]:
    meta = page.meta.get("sectorguide")
    return meta if isinstance(meta, dict) else {}


def _language(config: MkDocsConfig) -> str:
    return str(config.theme.get("language") or DEFAULT_LANGUAGE)


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
    return "".join(skeleton)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    kept: list[str] = getattr(page, _KEPT, [])
    return _KEPT_MARK.sub(lambda found: kept[int(found[1])], html) if kept else html


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Any) -> dict[str, Any]:
    """Edit links to the record's YAML, the PDF of the page's language, our labels."""
    meta = _meta(page)
    if meta.get("source") and config.repo_url:
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{meta['source']}"
    lang = _language(config)
    here = posixpath.dirname(page.url.rstrip("/")) if not page.url.endswith("/") else page.url
    context["sg_pdf_url"] = posixpath.relpath(f"pdf/guide-{lang}.pdf", here or ".")
    context["sg_search_url"] = posixpath.relpath(
        f"{'' if lang == DEFAULT_LANGUAGE else lang + '/'}search/", here or ".") + "/"
    context["sg"] = Labels(lang)
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """A fallback page declares the language it shows and points search engines to its
    original; only real text of the page's language goes into the search index, and only
    pages of their own (chapters, records, the reference), not the lists that repeat them."""
    meta = _meta(page)
    if meta.get("state") == "fallback":
        shown = meta["shown_language"]
        output = _HTML_LANG.sub(f'<html lang="{shown}"', output, count=1)
        if config.site_url:
            canonical = config.site_url.rstrip("/") + "/" + meta["original_url"]
        else:
            here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
            canonical = posixpath.relpath(meta["original_url"] or ".", here or ".")
            canonical = canonical + "/" if not canonical.endswith("/") else canonical
        output = _CANONICAL.sub("", output)
        output = output.replace("</head>", f'<link rel="canonical" href="{canonical}">\n</head>', 1)
        return output
    if meta.get("kind") == "browse":  # lists of records: search leads to the records themselves
        return output
    return output.replace(_ARTICLE, _ARTICLE[:-1] + " data-pagefind-body>", 1)
