"""Data-driven: every bad example reports exactly the lines kept beside it; good ones pass.

Adding a case is adding a file: tests/examples/bad/NAME.yaml (or a folder NAME/) with
NAME.expected holding the exact `sectorguide validate --lang en` output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main

from .conftest import REPO

EXAMPLES = REPO / "tests" / "examples"
BAD = sorted(p for p in (EXAMPLES / "bad").iterdir() if p.suffix == ".yaml" or p.is_dir())
GOOD = sorted((EXAMPLES / "good").glob("*.yaml"))


def _expected(example: Path) -> Path:
    return example.with_suffix(".expected") if example.suffix else example.with_name(
        example.name + ".expected")


@pytest.mark.parametrize("example", BAD, ids=lambda p: p.stem)
def test_bad_example_reports_exactly_its_problems(example: Path, runner: CliRunner,
                                                  in_repo: Path) -> None:
    relative = example.relative_to(REPO).as_posix()
    result = runner.invoke(main, ["validate", "--lang", "en", relative])
    assert result.exit_code == 1, result.output
    assert result.stdout == _expected(example).read_text("utf-8")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("example", BAD, ids=lambda p: p.stem)
def test_bad_example_json_has_every_problem_with_a_position(example: Path, runner: CliRunner,
                                                            in_repo: Path) -> None:
    relative = example.relative_to(REPO).as_posix()
    result = runner.invoke(main, ["validate", "--lang", "en", "--format", "json", relative])
    problems = json.loads(result.stdout)
    expected_lines = _expected(example).read_text("utf-8").splitlines()
    assert len(problems) == len(expected_lines)
    for problem, line in zip(problems, expected_lines, strict=True):
        assert set(problem) == {"file", "line", "column", "severity", "code", "message", "hint"}
        assert line.startswith(f"{problem['file']}:{problem['line']}:{problem['column']}: "
                               f"{problem['severity']} {problem['code']}: {problem['message']}")


@pytest.mark.parametrize("example", GOOD, ids=lambda p: p.stem)
def test_good_example_is_valid(example: Path, runner: CliRunner, in_repo: Path) -> None:
    result = runner.invoke(main, ["validate", example.relative_to(REPO).as_posix()])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_every_bad_example_has_its_expected_output() -> None:
    assert BAD, "no bad examples found"
    for example in BAD:
        assert _expected(example).is_file(), f"{example.name} has no .expected file"
