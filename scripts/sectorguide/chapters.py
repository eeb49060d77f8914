"""The hand-written chapters in docs/: their front matter orders the navigation and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import frontmatter

from .model import LANGUAGES
from .reference import REFERENCE_PAGE
from .render import BROWSE_PAGES, DEFAULT_LANGUAGE, GENERATED_FILES


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


def build_nav(docs_dir: Path) -> list[object]:
    """Chapters by order, the contributors' field reference after them, then the browse pages;
    records are reached through those."""
    chapters: list[object] = [f"{stem}.md" for stem in chapter_stems(docs_dir)]
    browse = {"Browse": [f"browse/{name}.md" for name in BROWSE_PAGES]}
    return chapters + [f"{REFERENCE_PAGE}.md", browse]


__all__ = ["LANGUAGES", "Chapter", "build_nav", "chapter_stems", "load_chapters"]
