"""A chapter's front matter (title, order, summary) orders the menu and the PDF: a translator's
mistake in it is said like a record's, with file, line and column, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main

from .conftest import copy_project

ABOUT_FR = "docs/about.fr.md"


@pytest.fixture
def guide(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "guide")


def _front(root: Path, front: str) -> None:
    path = root / ABOUT_FR
    body = path.read_text("utf-8").split("\n---\n", 1)[1]
    path.write_text(front + body, "utf-8")


def _validate(runner: CliRunner, root: Path, *paths: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["validate", "--root", str(root), "--format", "json",
                                  "--lang", "fr", *paths])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    problems: list[dict[str, object]] = json.loads(result.stdout)
    return problems


@pytest.mark.parametrize(("front", "code", "line", "column"), [
    ('---\ntitle: "À propos"\norder: trois\nsummary: "Le projet."\n---\n', "chapter-order", 3, 1),
    ('---\norder: 3\nsummary: "Le projet."\n---\n', "chapter-title", 4, 1),
    ('---\ntitle: "À propos"\norder: 3\nsummary: [Le projet]\n---\n', "chapter-summary", 4, 1),
    ('# À propos\n\n', "chapter-front-matter", 1, 1),
    ('---\ntitle: À propos : le projet A07.1\norder: 3\n---\n', "yaml-colon-in-text", 2, 17),
])
def test_a_mistake_in_a_chapter_s_front_matter_is_placed_and_explained(
        runner: CliRunner, guide: Path, front: str, code: str, line: int, column: int) -> None:
    _front(guide, front)
    problems = _validate(runner, guide)
    assert [(p["file"], p["code"], p["line"], p["column"]) for p in problems] == [
        (ABOUT_FR, code, line, column)]
    assert problems[0]["message"] and problems[0]["hint"]
    # the chapter named alone: only it is checked
    assert _validate(runner, guide, str(guide / ABOUT_FR)) == problems


def test_a_build_stops_on_a_broken_chapter_and_says_where(runner: CliRunner, guide: Path) -> None:
    _front(guide, '---\ntitle: "À propos"\norder: trois\n---\n')
    result = runner.invoke(main, ["build", "--no-pdf", "--root", str(guide), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{ABOUT_FR}:3:1: error chapter-order:" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (guide / "site").exists()


def test_the_shipped_chapters_are_valid(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_a_translated_chapter_whose_order_differs_is_warned(runner: CliRunner, guide: Path) -> None:
    _front(guide, '---\ntitle: "À propos"\norder: 7\nsummary: "Le projet."\n---\n')
    result = runner.invoke(main, ["validate", "--root", str(guide), "--format", "json", "--lang", "fr"])
    assert result.exit_code == 0, result.output  # a warning: the menu follows about.md
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["line"], problem["severity"], problem["code"]) == (
        ABOUT_FR, 3, "warning", "chapter-order-differs")
    assert "order: 3" in problem["hint"] and "about.md" in problem["message"]
