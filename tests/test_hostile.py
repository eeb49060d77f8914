"""A corpus of hostile and broken record files, each with the outcome it must get.

Adding a case is adding two files: tests/hostile/NAME.yaml and NAME.expect, which lists the
exact set of problem codes `sectorguide validate` must report for it (one a line), or the word
`valid`; lines starting with '#' say what the case tries. Files too big to keep in the
repository are made at test time by the small generators in GENERATED below.

Every file goes through the real command (`validate --format json --lang en PATH`, run from the
repository so that references resolve against the shipped records) and must be answered with
clean problems or no problem at all, never a traceback, within a time and a memory bound.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main
from sectorguide.load import MAX_BYTES
from sectorguide.problems import problem_catalog

from .conftest import REPO, minimal_case

HOSTILE = REPO / "tests" / "hostile"
SECONDS_PER_FILE = 2.0  # CPU time, so that other work on the machine does not count
SECONDS_FOR_CORPUS = 20.0
PEAK_BYTES = 100 * 1024 * 1024

def _case(name: str, summary: str = "Generated to test the limits.", extra: str = "") -> str:
    return minimal_case(name, "A generated case", summary) + extra


def _alias_fan(name: str) -> str:
    return _case(name) + "base: &a x\n" + "".join(f"k{i}: *a\n" for i in range(20_000))


# Generated at test time: (contents, the expected codes, what the case tries).
GENERATED: dict[str, tuple[Callable[[str], str | bytes], set[str] | str, str]] = {
    "gen-deep-flow-100k": (lambda n: "a: " + "[" * 100_000 + "]" * 100_000 + "\n", {"too-deep"},
                           "100,000 nested flow sequences, closed, inside the size limit"),
    "gen-deep-flow-maps": (lambda n: "a: " + "{a: " * 60_000 + "\n", {"too-deep"},
                           "60,000 nested flow mappings, never closed"),
    "gen-deep-flow-unclosed": (lambda n: "[" * (MAX_BYTES - 10) + "\n", {"too-deep"},
                               "only opening brackets, up to the size limit"),
    "gen-too-large": (lambda n: _case(n) + "# " + "x" * MAX_BYTES + "\n", {"file-too-large"},
                      "a valid record padded over the size limit"),
    "gen-too-large-10mb": (lambda n: b"a: " + b"[" * (10 * 1024 * 1024), {"file-too-large"},
                           "ten megabytes of brackets"),
    "gen-huge-string": (lambda n: _case(n, "x" * (200 * 1024)), {"too-long"},
                        "a 200 KiB summary on one line, inside the file limit"),
    "gen-long-comment-line": (lambda n: _case(n) + "# " + "y" * (240 * 1024) + "\n", "valid",
                              "a valid record with a 240 KiB comment line"),
    "gen-many-unknown-keys": (lambda n: _case(n) + "".join(f"k{i}: v\n" for i in range(20_000)),
                              {"unknown-field", "too-many-problems"},
                              "20,000 unknown fields: the first are reported, then a cut-off"),
    "gen-many-flow-keys": (lambda n: "{" + ", ".join(f"k{i}: 1" for i in range(20_000)) + "}\n",
                           {"missing-field"}, "20,000 keys in one flow mapping, without a kind"),
    "gen-many-duplicate-keys": (lambda n: _case(n) + "status: unknown\n" * 15_000,
                                {"duplicate-key", "too-many-problems"}, "one key 15,000 times"),
    "gen-many-aliases": (_alias_fan, {"yaml-special-start", "too-many-problems"},
                         "20,000 uses of one alias"),
    "gen-many-bad-items": (lambda n: _case(n).replace("countries: [CL]", "countries: [" + ", ".join(
        f"X{i % 100:02d}" for i in range(40_000)) + "]"),
        {"unknown-value", "duplicate-item", "too-many-problems"}, "40,000 wrong countries"),
    "gen-many-documents": (lambda n: "---\na: 1\n" * 20_000, {"yaml-syntax"},
                           "20,000 YAML documents"),
    # read past a syntax mistake, the rest is checked as deeply as a file without one
    "gen-deep-flow-after-tab": (lambda n: "id: d\nkind: organization\n\tname: x\nlist: "
                                + "[" * 50_000 + "]" * 50_000 + "\n",
                                {"yaml-tab-top-level", "too-deep"},
                                "50,000 nested flow sequences below a tab that is repaired"),
    "gen-deep-dashes-after-tab": (lambda n: "id: d\nkind: organization\n\tname: x\nlist:\n"
                                  + "- " * 100_000 + "x\n", {"yaml-tab-top-level", "too-deep"},
                                  "100,000 nested list items below a tab that is repaired"),
    "gen-long-line-repaired": (lambda n: _case(n).replace("title: A generated case", "title: "
                                                          + "a: " * 60_000),
                               {"yaml-colon-in-text", "too-long"},
                               "a 180 KB line of ': ', quoted by the repair, its columns mapped"),
}


@dataclass(frozen=True)
class Outcome:
    """What the command answered for one file, and what it cost."""

    exit_code: int
    problems: list[dict[str, object]]
    cpu_seconds: float
    output: str


def expected_codes(expect: Path) -> set[str] | str:
    lines = [line.strip() for line in expect.read_text("utf-8").splitlines()]
    codes = {line for line in lines if line and not line.startswith("#")}
    return "valid" if codes == {"valid"} else codes


def committed_cases() -> list[str]:
    return sorted(p.stem for p in HOSTILE.glob("*.yaml"))


def validate(runner: CliRunner, path: str) -> Outcome:
    started = time.process_time()
    result = runner.invoke(main, ["validate", "--format", "json", "--lang", "en", path])
    seconds = time.process_time() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{path} raised {result.exception!r}")
    assert "Traceback" not in result.output
    return Outcome(result.exit_code, json.loads(result.stdout), seconds, result.output)


def check_outcome(outcome: Outcome, expected: set[str] | str, display: str) -> None:
    """The exact codes, or valid; every problem placed in the file, in the catalog, in words."""
    # warnings (a stale translation in a file written for something else) count when expected
    codes = {str(p["code"]) for p in outcome.problems
             if p["severity"] == "error" or (expected != "valid" and p["code"] in expected)}
    if expected == "valid":
        assert outcome.exit_code == 0 and codes == set(), outcome.output[:2000]
    else:
        assert outcome.exit_code == 1
        assert codes == expected, outcome.output[:2000]
    catalog = problem_catalog()
    for problem in outcome.problems:
        assert problem["file"] == display
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert isinstance(problem["column"], int) and problem["column"] >= 1
        assert problem["code"] in catalog
        assert isinstance(problem["message"], str) and problem["message"].strip()
    assert len(outcome.problems) <= 101 + 10  # the per-file cut-off, plus problems across files
    assert outcome.cpu_seconds < SECONDS_PER_FILE, f"{display}: {outcome.cpu_seconds:.2f} s"


@pytest.fixture
def in_repo_runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(REPO)
    return CliRunner()


def test_the_corpus_holds_at_least_forty_cases_each_with_its_outcome() -> None:
    names = committed_cases()
    assert len(names) + len(GENERATED) >= 40
    for name in names:
        expect = HOSTILE / f"{name}.expect"
        assert expect.is_file(), f"{name}.yaml has no .expect beside it"
        outcome = expected_codes(expect)
        assert outcome == "valid" or set(outcome) <= set(problem_catalog()), (name, outcome)
    orphans = {p.stem for p in HOSTILE.glob("*.expect")} - set(names)
    assert not orphans, f".expect files without a .yaml: {sorted(orphans)}"
    assert not set(names) & set(GENERATED)


@pytest.mark.parametrize("name", committed_cases())
def test_committed_hostile_file(name: str, in_repo_runner: CliRunner) -> None:
    display = f"tests/hostile/{name}.yaml"
    outcome = validate(in_repo_runner, display)
    check_outcome(outcome, expected_codes(HOSTILE / f"{name}.expect"), display)
    raw = (HOSTILE / f"{name}.yaml").read_bytes()
    try:  # YAML counts a few more line breaks than \n (\r, U+0085, U+2028, U+2029)
        lines = len(raw.decode("utf-8").splitlines()) + 1
    except UnicodeDecodeError:
        lines = max(raw.count(b"\n"), raw.count(b"\r")) + 1
    for problem in outcome.problems:  # each line exists, so that an editor can jump to it
        assert int(str(problem["line"])) <= lines, problem


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_file(name: str, tmp_path: Path, in_repo_runner: CliRunner) -> None:
    make, expected, _ = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    content = make(name)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    outcome = validate(in_repo_runner, str(path))
    check_outcome(outcome, expected, str(path))


def test_the_whole_corpus_is_answered_quickly_with_bounded_memory(tmp_path: Path,
                                                                   in_repo_runner: CliRunner) -> None:
    """Every file in one pass within a total time; then the peak of memory Python allocates
    for each generated file (the big ones: the committed files are all small)."""
    generated = []
    for name, (make, _, _) in GENERATED.items():
        content = make(name)
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        generated.append(str(path))
    paths = [f"tests/hostile/{name}.yaml" for name in committed_cases()] + generated
    started = time.process_time()
    for file in paths:
        validate(in_repo_runner, file)
    total = time.process_time() - started
    assert total < SECONDS_FOR_CORPUS, f"{total:.1f} s for {len(paths)} files"
    peaks = {}
    for file in generated:
        tracemalloc.start()
        try:
            validate(in_repo_runner, file)
            peaks[file] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    worst = max(peaks, key=lambda p: peaks[p])
    assert peaks[worst] < PEAK_BYTES, f"{worst}: {peaks[worst] / 2**20:.0f} MiB"
