"""A last look at the built site: no active content may reach a page through a record.

Records only land inside the page's article, its <title> and its <meta> tags, so those are
what the check reads. The theme's own scripts (outside the article) are ours.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

_FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "button",
                   "textarea", "select", "frame", "frameset", "applet", "base", "link", "meta"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
_ACTIVE_URL = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
# A browser drops spaces and control characters around a URL, and tabs and line breaks inside
# it, before it reads the scheme: "java&#9;script:" runs as "javascript:".
_URL_IGNORED = re.compile(r"[\x00-\x20]")


@dataclass(frozen=True)
class Finding:
    """Active content found in a built page."""

    page: str
    what: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what}"


class _ArticleScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # >0 while inside the content article
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.depth and tag in _FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}> in the content")
        if self.depth:
            for name, value in attrs:
                if name.startswith("on"):
                    self.findings.append(f"event handler {name}= on <{tag}>")
                elif name in _URL_ATTRS and value and _ACTIVE_URL.match(_URL_IGNORED.sub("", value)):
                    scheme = _URL_IGNORED.sub("", value).split(":")[0].lower()
                    self.findings.append(f"{scheme}: URL in {name}= on <{tag}>")
                elif name == "style" and value and "url(" in value.lower():
                    self.findings.append(f"style with url() on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "article":
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.depth:
            self.depth -= 1


# Cheap test of an article before it is parsed: anything that could be active content, with
# the forms that parsers accept and simple patterns miss ("/onerror=", a scheme hidden in
# character references inside a tag). It reads the article lowercased, which folds ASCII case
# as browsers do (and may only ever find more); a few plain searches are three times as fast as
# one case-insensitive pattern with every alternative.
_SUSPECT_WORDS = ("javascript:", "vbscript:", "data:", "url(")
_SUSPECT = (re.compile(r"<\s*(?:script|iframe|object|embed|style|form|input|button|textarea|select|"
                       r"frame|applet|base|link|meta)\b"),
            re.compile(r"<[a-z][^<>]*&(?:#|[a-z]+;)"))
# An event handler, `on...=` after a space, a slash or a quote: searched from its literal "on"
# (four times as fast as a pattern that starts with the class of characters before it).
_ON_ATTRIBUTE = re.compile(r"on[a-z]+\s*=")
_HEAD_TAG = re.compile(r"<(?:meta|link|title|base)\b[^>]*>", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.IGNORECASE)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)


def check_page(html: str) -> list[str]:
    """Findings for one page; a page whose content holds nothing suspicious is not parsed."""
    start, end = html.find("<article"), html.rfind("</article>")
    article = html[start:end] if start >= 0 else ""
    head = html[: html.find("</head>")] if "</head>" in html else ""
    findings = ["markup in the <title> or a <meta> value"] if _markup_in_head(head) else []
    if not _suspect(article):
        return findings
    scanner = _ArticleScanner()
    scanner.feed(html)
    scanner.close()
    return findings + scanner.findings


def _suspect(article: str) -> bool:
    text = article.lower()
    return (any(word in text for word in _SUSPECT_WORDS) or any(p.search(text) for p in _SUSPECT)
            or any(_after_separator(text, found.start()) for found in _ON_ATTRIBUTE.finditer(text)))


def _after_separator(text: str, at: int) -> bool:
    return at > 0 and (text[at - 1].isspace() or text[at - 1] in "/\"'")


def _markup_in_head(head: str) -> bool:
    """Record values reach the head only as the title and meta descriptions, escaped."""
    opening = head.find("<title>")
    closing = head.find("</title>", opening)
    if opening >= 0 and any(c in head[opening + 7 : closing] for c in "<>"):
        return True
    if any(_HANDLER.search(_QUOTED.sub('""', tag)) for tag in _HEAD_TAG.findall(head)):
        return True  # an event handler on a head tag (the quoted values are text)
    return any(re.search(r'content="[^"]*<', meta) for meta in _META.findall(head))


def check_site(site_dir: Path) -> list[Finding]:
    """Every finding in every HTML page of a built site (the pages shared among the cores)."""
    pages = sorted(site_dir.rglob("*.html"))
    workers = min(os.cpu_count() or 1, len(pages) // PARALLEL_CHECK_FROM)
    if workers < 2:
        found = [_check_file(page) for page in pages]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found = pool.map(_check_file, pages, chunksize=64)
    return [Finding(page.relative_to(site_dir).as_posix(), what)
            for page, whats in zip(pages, found) for what in whats]


PARALLEL_CHECK_FROM = 500  # pages per extra process


def _check_file(page: Path) -> list[str]:
    return check_page(page.read_text("utf-8", errors="replace"))
