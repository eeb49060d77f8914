"""A translation that lacks some of the original's texts shows the original's there, marked
with its language and said to be untranslated: a reader is never told that the record does not
document what its original does document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sectorguide.model import Guide
from sectorguide.pdf import Edition, render_print_html
from sectorguide.project import Project
from sectorguide.render import Renderer

from .conftest import copy_project

CASE = "needs-diagnosis-pacific-alliance"  # written in English, translated into French
NOTE = "Pas encore traduit\u00a0: affiché en anglais."


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The shipped guide, the French translation of CASE without its context and lessons."""
    root = copy_project(tmp_path_factory.mktemp("partial") / "guide")
    path = root / "case_studies" / "cases" / f"{CASE}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["original_language"] == "en"
    assert data["text"]["en"]["context"] and data["text"]["en"]["lessons"]
    del data["text"]["fr"]["context"], data["text"]["fr"]["lessons"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return Project(root).guide()


def _words(text: str) -> str:
    return " ".join(text.split())[:60]


def test_the_page_shows_the_original_where_the_translation_is_silent(guide: Guide) -> None:
    case = next(c for c in guide.cases if c.id == CASE)
    page = next(p for p in Renderer(guide, "fr").case_pages([case]))
    context = _words(case.texts["en"]["context"])
    at = page.content.index(context)
    before = page.content[:at]
    assert re.search(r'<div class="sg-text" lang="en">\s*<p>$', before), before[-200:]
    assert NOTE in before[-300:]
    lesson = _words(case.texts["en"]["lessons"][0])
    assert lesson in page.content
    assert '<ul class="sg-lessons" lang="en">' in page.content
    # what the translation has stays English, unmarked
    summary = _words(case.texts["fr"]["summary"])
    assert f'<p class="sg-summary">{summary}' in page.content
    assert page.content.count(NOTE) == 2
    assert "Pas encore documenté" not in page.content


def test_the_lessons_page_lists_the_original_lessons_in_their_language(guide: Guide) -> None:
    lessons = next(p for p in Renderer(guide, "fr").other_pages() if "lessons" in p.path)
    case = next(c for c in guide.cases if c.id == CASE)
    lesson = _words(case.texts["en"]["lessons"][0])
    assert lesson in lessons.content
    # marked English where it is written
    assert re.search(r'lang="en"[^<]*>\s*(<p>)?' + re.escape(lesson[:30]), lessons.content)


def test_the_printed_guide_shows_them_too(guide: Guide) -> None:
    html = render_print_html(guide, [], "fr", Edition.current())
    case = next(c for c in guide.cases if c.id == CASE)
    context = _words(case.texts["en"]["context"])
    before = html[:html.index(context)]
    assert re.search(r'<div class="sg-text" lang="en">\s*<p>$', before), before[-200:]
    assert NOTE in before[-300:]


def test_a_complete_translation_borrows_nothing(guide: Guide) -> None:
    for case in guide.cases:
        if case.id != CASE:
            for lang in ("en", "es", "fr"):
                assert not case.shown(lang).borrowed, (case.id, lang)


def test_a_shipped_record_is_unchanged_by_the_fallback() -> None:
    shipped = Path(__file__).parents[1] / "case_studies" / "cases" / f"{CASE}.yaml"
    assert "context" in yaml.safe_load(shipped.read_text("utf-8"))["text"]["en"]
