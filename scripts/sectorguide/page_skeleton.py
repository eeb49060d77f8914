"""The theme's page around every case page of a language, rendered once per shape, not per page.

Material's templates cost about as much per page as the rest of MkDocs' work; a thousand case
pages of a language differ in them only by a few values: the page's address (its case id), its
title and description, its content, its edit link and the links of the language switcher. For
each shape of case page (folder, table of contents, front matter, switcher languages, ...) the
theme renders a stand-in page once, whose values are markers; each case page is then that
skeleton with the markers replaced by its own values, inserted as they are (the theme inserts
them unchanged: the markers come out whole, which is checked).

It is checked as it runs: the first pages of every shape are rendered by the theme as well and
compared with their skeleton; when they differ, that shape is rendered by the theme for every
page. tests/test_hooks.py builds a site both ways and compares every page.
"""

from __future__ import annotations

import copy
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

log = logging.getLogger("mkdocs.plugins.sectorguide")

TEMPLATE = "sg-case.html"  # overrides/sg-case.html: calls PageSkeletons.function()
CHECKED_PAGES = 2  # per shape, rendered both ways and compared
_ORIGINAL = "_sectorguide_template"  # the template the page would have had


def send_through_skeleton(page: Any) -> None:
    """Have MkDocs render this case page through overrides/sg-case.html (set before MkDocs
    picks the page's template, from its front matter)."""
    setattr(page, _ORIGINAL, page.meta.get("template", "main.html"))
    page.meta["template"] = TEMPLATE


class _StandIn:
    """The page as the theme sees it, with some values replaced by markers."""

    def __init__(self, page: Any, **values: Any) -> None:
        self._page = page
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class _Skeleton:
    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces  # text, marker name, text, marker name, ..., text
        self.unchecked = CHECKED_PAGES
        self.broken = False

    def fill(self, values: dict[str, str]) -> str:
        pieces = self.pieces
        return "".join(values[piece] if number % 2 else piece for number, piece in enumerate(pieces))


class PageSkeletons:
    """The skeletons of one build (a new set for each: `serve` builds again with new values)."""

    def __init__(self, env: jinja2.Environment, enabled: bool = True) -> None:
        self.env = env
        self.enabled = enabled
        self.token = secrets.token_hex(6)
        self._marker = re.compile(rf"sg{self.token}(ID|TITLE|DESC|EDIT|CONTENT|H1CONTENT)x")
        self._made: dict[tuple[Any, ...], _Skeleton] = {}

    def function(self) -> Callable[[jinja2.runtime.Context], Markup]:
        """The template function of overrides/sg-case.html."""

        @jinja2.pass_context
        def render_case_page(context: jinja2.runtime.Context) -> Markup:
            return Markup(self.render(dict(context.get_all())))

        return render_case_page

    def render(self, context: dict[str, Any]) -> str:
        page = context["page"]
        template = getattr(page, _ORIGINAL, "main.html")
        values = self._values(page, context) if self.enabled else None
        if values is None:
            return self._theme(template, context)
        key = self._shape(page, context, template, values)
        skeleton = self._made.get(key)
        if skeleton is None:
            skeleton = self._made[key] = self._skeleton(template, page, context, values)
        if skeleton.broken:
            return self._theme(template, context)
        output = skeleton.fill(values)
        if skeleton.unchecked:
            skeleton.unchecked -= 1
            full = self._theme(template, context)
            if full != output:
                log.debug("sectorguide: page skeleton differs for %s; rendering its shape in full",
                          page.file.src_uri)
                skeleton.broken = True
                return full
        return output

    def _theme(self, template: str, context: dict[str, Any]) -> str:
        return self.env.get_template(template).render(context)

    def _values(self, page: Any, context: dict[str, Any]) -> dict[str, str] | None:
        """What a case page puts into the theme's page; None for other pages."""
        meta = page.meta.get("sectorguide")
        case_id = meta.get("id") if isinstance(meta, dict) and meta.get("kind") == "case" else None
        content = page.content or ""
        if not case_id or f"/{case_id}/" not in f"/{page.url}":
            return None
        return {"ID": case_id, "TITLE": str(page.meta.get("title") or ""),
                "DESC": str(page.meta.get("description") or ""), "EDIT": page.edit_url or "",
                "CONTENT": content, "H1CONTENT": content}

    def _mark(self, name: str) -> str:
        return f"sg{self.token}{name}x"

    def _marked_url(self, url: str | None, case_id: str) -> str | None:
        """An address with the case id, as a path segment, replaced by its marker."""
        if url is None:
            return None
        segment, marked = f"{case_id}/", f"{self._mark('ID')}/"
        if url.startswith(segment):
            url = marked + url[len(segment):]
        return url.replace(f"/{segment}", f"/{marked}")

    def _shape(self, page: Any, context: dict[str, Any], template: str,
               values: dict[str, str]) -> tuple[Any, ...]:
        """Everything of a page that shapes the theme's page apart from the values."""
        case_id = values["ID"]
        meta = {k: v for k, v in page.meta.items() if k not in ("title", "description", "sectorguide")}
        ours = {k: v for k, v in page.meta["sectorguide"].items()
                if k not in ("id", "source", "original_url")}
        simple = tuple(sorted((k, v) for k, v in context.items()
                              if k != "page" and isinstance(v, str | int | float | bool | type(None))))
        alternates = _alternates(context) or []
        return (template, self._marked_url(page.url, case_id), repr(sorted(meta.items())),
                repr(sorted(ours.items())), _toc_shape(page.toc), simple,
                tuple((a.get("name"), a.get("lang"), self._marked_url(a.get("link"), case_id))
                      for a in alternates),
                bool(values["TITLE"]), bool(values["DESC"]), bool(values["EDIT"]),
                "\u003ch1" in values["CONTENT"], page.previous_page is None, page.next_page is None,
                self._marked_url(page.canonical_url, case_id), page.is_homepage)

    def _skeleton(self, template: str, page: Any, context: dict[str, Any],
                  values: dict[str, str]) -> _Skeleton:
        case_id = values["ID"]
        meta = dict(page.meta)
        meta["title"], meta["description"] = self._mark("TITLE"), self._mark("DESC")
        content = self._mark("H1CONTENT") + "<h1" if "\u003ch1" in values["CONTENT"] else self._mark("CONTENT")
        stand_in = _StandIn(page, meta=meta, title=self._mark("TITLE"), content=content,
                            url=self._marked_url(page.url, case_id),
                            canonical_url=self._marked_url(page.canonical_url, case_id),
                            abs_url=self._marked_url(page.abs_url, case_id),
                            edit_url=self._mark("EDIT") if values["EDIT"] else page.edit_url)
        extra = context["config"].extra
        alternates = _alternates(context)
        if alternates:  # static-i18n sets them for each page, as an attribute the theme reads
            extra.alternate = [{**a, "link": self._marked_url(a.get("link"), case_id)}
                               for a in copy.deepcopy(alternates)]
        try:
            output = self.env.get_template(template).render({**context, "page": stand_in})
        finally:
            if alternates:
                extra.alternate = alternates
        return _split(self._marker.split(output), self.token)


def _alternates(context: dict[str, Any]) -> list[dict[str, str]] | None:
    """The language switcher's links, as the theme reads them (config.extra.alternate)."""
    alternates: list[dict[str, str]] | None = getattr(context["config"].extra, "alternate", None)
    return alternates


def _split(pieces: list[str], token: str) -> _Skeleton:
    """The skeleton from the stand-in page's text split at its markers. A content that holds
    an <h1> stands in as its marker and "<h1" (the theme adds a title to a page without one)."""
    skeleton = _Skeleton(pieces)
    for number in range(1, len(pieces), 2):
        if pieces[number] == "H1CONTENT":
            if not pieces[number + 1].startswith("<h1"):
                skeleton.broken = True
            pieces[number + 1] = pieces[number + 1][len("<h1"):]
    if any(token in piece for piece in pieces[::2]):  # a marker the theme changed
        skeleton.broken = True
    return skeleton


def _toc_shape(toc: Any) -> tuple[Any, ...]:
    return tuple((item.level, item.id, item.title, _toc_shape(item.children)) for item in toc)
