"""The MkDocs hook, called the way our build jobs call it: many configurations in one process."""

from __future__ import annotations

import gc

from mkdocs.config import load_config
from sectorguide import mkdocs_hooks
from sectorguide.chapters import build_nav
from sectorguide.mkdocs_jobs import PAGES_READY
from sectorguide.project import Project

from .conftest import REPO


def test_every_configuration_loaded_in_one_process_gets_the_chapters_navigation(monkeypatch) -> None:
    # A build worker loads one configuration per job; a new one may reuse a freed one's id().
    monkeypatch.setenv(PAGES_READY, "1")
    expected = build_nav(Project(REPO).docs_dir)
    for _ in range(6):
        config = load_config(str(REPO / "mkdocs.yml"))
        mkdocs_hooks.on_config(config)
        assert config.nav == expected
        del config
        gc.collect()  # as between two jobs: the next configuration may take its place


def test_the_jobs_keep_every_core_busy_with_few_jobs() -> None:
    from sectorguide.mkdocs_jobs import plan

    def names(languages: list[str], cores: int) -> list[str]:
        return [f"{job.lang}-{job.shard}/{job.shards}" for job in plan(languages, "en", cores)]

    assert names(["en", "es", "fr"], 2) == ["en-0/1", "es-0/1", "fr-0/2", "fr-1/2"]
    assert names(["en"], 2) == ["en-0/2", "en-1/2"]
    assert names(["en", "es", "fr"], 1) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert names(["en", "es", "fr"], 3) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert len(names(["en", "es", "fr"], 4)) == 6
