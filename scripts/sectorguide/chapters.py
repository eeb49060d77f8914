"""The hand-written chapters in docs/: their front matter orders the navigation and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from .problems import Problem
from .reference import REFERENCE_PAGE
from .render import BROWSE_PAGES, GENERATED_FILES
from .vocabulary import DEFAULT_LANGUAGE, LANGUAGES
from .yaml_syntax import explain
from .yamlread import LOADER


@dataclass(frozen=True)
class Chapter:
    stem: str
    lang: str
    title: str
    order: int
    summary: str
    body: str
    path: Path


def chapter_file(docs_dir: Path, stem: str, lang: str) -> Path:
    return docs_dir / (f"{stem}.md" if lang == DEFAULT_LANGUAGE else f"{stem}.{lang}.md")


def chapter_stems(docs_dir: Path) -> list[str]:
    """Chapters of the default language, in their front matter's order."""
    found = []
    for path in docs_dir.glob("*.md"):
        if path.stem.count(".") == 0 and path.stem not in GENERATED_FILES:
            post = frontmatter.load(path)
            found.append((int(str(post.get("order", 999))), path.stem))
    return [stem for _, stem in sorted(found)]


def load_chapters(docs_dir: Path, lang: str) -> list[Chapter]:
    """The chapters in one language (the default language's file when a translation is missing)."""
    chapters = []
    for stem in chapter_stems(docs_dir):
        path = chapter_file(docs_dir, stem, lang)
        shown_lang = lang
        if not path.exists():
            path, shown_lang = chapter_file(docs_dir, stem, DEFAULT_LANGUAGE), DEFAULT_LANGUAGE
        post = frontmatter.load(path)
        chapters.append(Chapter(stem, shown_lang, str(post["title"]), int(str(post.get("order", 999))),
                                str(post.get("summary", "")), post.content, path))
    return chapters


def chapter_paths(docs_dir: Path) -> list[Path]:
    """The hand-written chapters, in every language."""
    return [p for p in sorted(docs_dir.glob("*.md")) if p.name.split(".")[0] not in GENERATED_FILES]


def chapter_problems(paths: list[Path], display: Callable[[Path], str]) -> list[Problem]:
    """What is wrong in the chapters' front matter, which orders the navigation and the PDF:
    said with file, line and column, as a record's problems are (a translator's new chapter
    is checked like a new record)."""
    return [problem for path in paths for problem in _front_matter_problems(path, display(path))]


def _front_matter_problems(path: Path, display: str) -> list[Problem]:
    try:
        lines = path.read_text("utf-8").split("\n")
    except UnicodeDecodeError as error:
        return [Problem(display, 1, 1, "not-utf8", {"detail": error.reason})]
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"), 0)
    if lines[0].strip() != "---" or not end:
        return [Problem(display, 1, 1, "chapter-front-matter")]
    block = "\n".join(lines[1:end]) + "\n"
    try:
        data = yaml.load(block, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mistake = explain(block, error)
        return [Problem(display, mistake.line + 1, mistake.column, mistake.code, mistake.params)]
    if not isinstance(data, dict):
        return [Problem(display, 2, 1, "chapter-front-matter")]

    def at(key: str) -> int:  # the line of a key, or the closing ---
        return next((n + 1 for n in range(1, end) if lines[n].startswith(f"{key}:")), end + 1)

    problems = []
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(display, at("title"), 1, "chapter-title"))
    order = data.get("order", 999)
    if isinstance(order, str) and order.strip().isdigit():
        order = int(order)  # `order: "4"` is read as the chapters read it: the number 4
    if isinstance(order, bool) or not isinstance(order, int):
        problems.append(Problem(display, at("order"), 1, "chapter-order", {"value": str(order)}))
    elif (default := _default_order(path)) is not None and default != order:
        # the menu follows the default language's file; a translation that says otherwise
        # was probably meant to say the same
        problems.append(Problem(display, at("order"), 1, "chapter-order-differs",
                                {"value": str(order), "expected": str(default),
                                 "file": f"{path.name.split('.')[0]}.md"}, severity="warning"))
    if not isinstance(data.get("summary", ""), str):
        problems.append(Problem(display, at("summary"), 1, "chapter-summary"))
    return problems


def _default_order(path: Path) -> int | None:
    """The order the default language's file of a translated chapter gives, when it gives one."""
    stem, *suffixes = path.name.split(".")
    if len(suffixes) < 2:  # NAME.md: the default language itself
        return None
    default = chapter_file(path.parent, stem, DEFAULT_LANGUAGE)
    try:
        order = frontmatter.load(default).get("order")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return int(order) if isinstance(order, int) or (isinstance(order, str) and order.isdigit()) else None


def build_nav(docs_dir: Path) -> list[object]:
    """Chapters by order, the contributors' field reference after them, then the browse pages;
    records are reached through those."""
    chapters: list[object] = [f"{stem}.md" for stem in chapter_stems(docs_dir)]
    browse = {"Browse": [f"browse/{name}.md" for name in BROWSE_PAGES]}
    return chapters + [f"{REFERENCE_PAGE}.md", browse]


__all__ = ["LANGUAGES", "Chapter", "build_nav", "chapter_paths", "chapter_problems", "chapter_stems", "load_chapters"]
