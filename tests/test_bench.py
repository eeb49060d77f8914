"""The benchmark at a tiny size, so that it keeps working (the full run is not part of CI)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.bench import make_workspace
from sectorguide.cli import main
from sectorguide.render import BROWSE_PAGES

from .conftest import REPO

PER_SIZE = ("records", "validate_records_per_s", "build_s", "baseline_mkdocs_s", "overhead_ratio",
            "one_language_build_s", "languages_ratio", "case_page_html_bytes_median",
            "search_bytes_before_first_result", "pdf_ms_per_page", "peak_rss_mb", "serve_edit_s")


def test_bench_measures_every_stage_at_two_tiny_sizes(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    cases_before = sorted(p.name for p in (REPO / "case_studies" / "cases").iterdir())
    result = CliRunner().invoke(main, ["bench", "--records", "3,6", "--json", str(out),
                                       "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text("utf-8"))
    assert [size["records"] for size in report["sizes"]] == [3, 6]
    for size in report["sizes"]:
        missing = [key for key in PER_SIZE if key not in size]
        assert missing == []
        assert size["files_validated"] > size["records"]  # the cases, organizations, challenges
        assert len(size["validate_runs_s"]) == 3 and size["validate_s"] == min(size["validate_runs_s"])
        assert size["build_s"] > 0 and size["baseline_mkdocs_s"] > 0 and size["pdf_ms_per_page"] > 0
        assert 0 < size["serve_edit_s"] < 60
        # each build as a user runs it, twice, interleaved with the other: the faster counts
        assert len(size["build_runs_s"]) == len(size["one_language_build_runs_s"]) == 2
        assert size["build_s"] == min(size["build_runs_s"])
        assert size["one_language_build_s"] == min(size["one_language_build_runs_s"])
        assert abs(size["overhead_ratio"] - size["build_s"] / size["baseline_mkdocs_s"]) < 0.05
        assert size["search_bytes_before_first_result"] < size["search_bytes_uncompressed"]
        # the heaviest list of records, as stored and as a static host sends it
        assert size["list_page_largest"] in BROWSE_PAGES
        assert 0 < size["list_page_gzip_bytes_max"] < size["list_page_html_bytes_max"]
    assert report["scaling_ratio"] > 0
    assert report["shipped_pdf"]["pdf_pages"] > 100
    assert "| overhead_ratio |" in result.output and "scaling_ratio:" in result.output
    # generated into a temporary workspace, never into the repository's records
    assert sorted(p.name for p in (REPO / "case_studies" / "cases").iterdir()) == cases_before
    # the preview servers it started are gone
    left = subprocess.run(["pgrep", "-f", "sectorguide-bench-"], capture_output=True, text=True)
    assert left.stdout.split() == []


@pytest.mark.parametrize("records", ["0", "10,0", ",", "ten"])
def test_bench_refuses_sizes_that_measure_nothing(records: str) -> None:
    result = CliRunner().invoke(main, ["bench", "--records", records])
    assert result.exit_code == 2 and "--records" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_synthetic_records_are_translated_as_partners_translate(tmp_path: Path) -> None:
    """Current translations and a share of missing ones, none stale: a translation's
    `translated_from` matches its original as the loader reads the file back."""
    from collections import Counter

    from sectorguide.bench import make_workspace

    guide = make_workspace(REPO, tmp_path / "guide", 40).guide()
    states = Counter(case.shown(lang).state for case in guide.cases for lang in ("en", "es", "fr"))
    assert states["original"] == 40 and states["stale"] == 0
    assert states["fallback"] > 0 and states["translation"] > 2 * states["fallback"]


def test_pages_rendered_on_every_core_are_the_pages_one_process_renders(tmp_path: Path) -> None:
    # From PARALLEL_RENDER_FROM cases, forked processes render the pages in shares, the lists
    # first (render._in_parallel): every page, byte for byte, is what one process renders,
    # with one language or three.
    from sectorguide.render import PARALLEL_RENDER_FROM, render_guide

    project = make_workspace(REPO, tmp_path / "guide", PARALLEL_RENDER_FROM + 7)
    guide = project.guide()
    for languages in (("en",), ("en", "es", "fr")):
        alone = {page.path: page.content for page in render_guide(guide, {}, None, languages)}
        shared = render_guide(guide, {}, None, languages, workers=2)
        assert len(shared) == len(alone) > len(languages) * len(guide.cases)
        assert {page.path: page.content for page in shared} == alone
