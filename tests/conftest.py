"""Shared fixtures: the repository, a copy of it to build in, and the command runner."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.build import build_site
from sectorguide.model import Guide
from sectorguide.project import Project

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "case_studies", "schema", "overrides",
                 "scripts/sectorguide/mkdocs_hooks.py")


def copy_project(target: Path) -> Path:
    """A buildable copy of the guide (records, schema, chapters, theme) without generated pages."""
    for part in PROJECT_PARTS:
        source = REPO / part
        destination = target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            shutil.copy2(source, destination)
    shutil.copytree(REPO / "docs", target / "docs",
                    ignore=shutil.ignore_patterns("cases", "browse", "search.md", "search.*.md"))
    untranslated(target)
    return target


# The shipped guide is translated in full; the tests' copies keep one record without its
# French text, as a partner's record waits for a translator, so that every test of a missing
# translation (the page shown in the original, its notice, status) has one to look at.
UNTRANSLATED = ("stakeholder-mapping-mexico", "fr")


def untranslated(root: Path) -> None:
    """Remove the French text block of the UNTRANSLATED record in a copy of the guide."""
    record, lang = UNTRANSLATED
    path = root / "case_studies" / "cases" / f"{record}.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = lines.index(f"  {lang}:\n")
    end = next((n for n in range(start + 1, len(lines))
                if lines[n].strip() and not lines[n].startswith("    ")), len(lines))
    path.write_text("".join(lines[:start] + lines[end:]), "utf-8")


def commit_all(root: Path, date: str = "2025-03-04T12:00:00+00:00") -> None:
    """Make the copy a git repository, as a real guide is, so pages get last-updated dates."""
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "test",
           "GIT_AUTHOR_EMAIL": "test@localhost", "GIT_COMMITTER_NAME": "test",
           "GIT_COMMITTER_EMAIL": "test@localhost", "PATH": "/usr/bin:/bin"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "copy"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=env)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(REPO)
    yield REPO


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "guide")


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A copy of the records and the schema alone (what `validate` and `status` read)."""
    root = tmp_path / "guide"
    shutil.copytree(REPO / "case_studies", root / "case_studies")
    shutil.copytree(REPO / "schema", root / "schema")
    untranslated(root)
    return root


MINIMAL_CASE = """\
id: {id}
kind: pilot_project
original_language: en
countries: [CL]
sector: mining
challenges: [employability]
status: unknown
curation: draft
text:
  en:
    title: {title}
    summary: {summary}
"""


def minimal_case(record_id: str, title: str = "A title", summary: str = "A summary.") -> str:
    """The text of a valid case with only the required fields, for tests to spoil."""
    return MINIMAL_CASE.format(id=record_id, title=title, summary=summary)


LANG_PREFIX = {"en": "", "es": "es/", "fr": "fr/"}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Guide]:
    """The shipped guide built once for the tests that only read the site (no PDFs)."""
    root = copy_project(tmp_path_factory.mktemp("shipped") / "guide")
    commit_all(root)
    project = Project(root)
    build_site(project, pdf_languages=())
    return project.site_dir, project.guide()


def page(site: Path, lang: str, path: str) -> str:
    return (site / LANG_PREFIX[lang] / path / "index.html").read_text("utf-8")
