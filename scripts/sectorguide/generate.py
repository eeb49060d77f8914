"""Generated Markdown pages for a guide, written into docs/ (shared by the hook and the build)."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Guide
from .project import Project
from .reference import FieldReference
from .render import write_guide
from .vocabulary import LANGUAGES


def generate_pages(project: Project, guide: Guide, languages: Sequence[str] = LANGUAGES,
                   workers: int = 1, site_url: str | None = None) -> int:
    """Render every generated page in the site's languages; returns how many files changed.
    site_url: where the site is published (mkdocs.yml's site_url), if it is known."""
    return write_guide(guide, project.docs_dir, project.last_changed(),
                       FieldReference.from_project(project), languages, workers, site_url)
