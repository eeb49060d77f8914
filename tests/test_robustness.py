"""A contributor's wrong record gets an answer, never a traceback; the commands agree with
each other and with the guide's documents.

- Any field of a valid record, at any depth, replaced by a value of any YAML type: the
  validator answers with problems that have a file, a line and a column.
- Numbers YAML reads as infinite or not-a-number are refused (JSON has no such numbers).
- `status` on records it cannot read, the files each command takes as records, read errors
  that are not encodings, and the wording of states and hints.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sectorguide.cli import main
from sectorguide.load import Location, RecordFile, load_record_file
from sectorguide.problems import Problem, problem_texts
from sectorguide.validate import RecordSchema, check_file, validate
from sectorguide.vocabulary import LANGUAGES

from .conftest import REPO

FULL = REPO / "tests" / "examples" / "good" / "full-practice.yaml"
SCHEMA = RecordSchema.from_file(REPO / "schema" / "sectorguide.schema.json")
_counter = itertools.count()


# --- any field replaced by any value ---------------------------------------------------------


def _locations(value: Any, location: Location = ()) -> Iterator[Location]:
    """Every place in a record that holds a value, at every depth."""
    if location:
        yield location
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _locations(item, location + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _locations(item, location + (index,))


def _replaced(data: Any, location: Location, new: Any) -> Any:
    if not location:
        return new
    head, rest = location[0], location[1:]
    if isinstance(data, dict):
        return {k: _replaced(v, rest, new) if k == head else v for k, v in data.items()}
    return [_replaced(v, rest, new) if i == head else v for i, v in enumerate(data)]


def _at(data: Any, location: Location) -> Any:
    for part in location:
        data = data[part]
    return data


FULL_DATA = yaml.safe_load(FULL.read_text("utf-8"))
LOCATIONS = list(_locations(FULL_DATA))
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(max_size=12) | st.sampled_from(["", " ", "mihr", "2022-13", "<b>x</b>", "1e400"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8) | st.sampled_from(["id", "key", "en", "fr"]),
                                        inner, max_size=3), max_leaves=8)
# One value of every YAML type, nested too: the sweep tries each at every place.
EVERY_TYPE: list[Any] = [None, True, 0, -7, 2.5, float("inf"), float("nan"), "", "text", [],
                         [1, "a"], {}, {"key": []}, [{"id": [], "value": {}}], {"a": {"b": [None]}}]


@pytest.fixture(scope="module")
def context() -> tuple[list[RecordFile], dict[str, list[Problem]]]:
    """The shipped records (the ones the replaced record refers to), loaded and checked once."""
    files = [load_record_file(p, p.relative_to(REPO).as_posix())
             for p in sorted((REPO / "case_studies").rglob("*.yaml"))]
    return files, {f.display: check_file(f, SCHEMA) for f in files}


def _validate_text(folder: Path, text: str,
                   context: tuple[list[RecordFile], dict[str, list[Problem]]]) -> list[Problem]:
    path = folder / f"r{next(_counter)}" / "full-practice.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    record = load_record_file(path, "case_studies/cases/full-practice.yaml")
    files, own = context
    own = {**own, record.display: check_file(record, SCHEMA)}
    problems = validate([record, *files], SCHEMA, own).problems
    return [p for p in problems if p.file == record.display]


def _must_be_refused(old: Any, new: Any) -> bool:
    """Replacements no schema of ours accepts: nothing (null), a container for a single value
    or the other way round, a list for a mapping, a number that is not finite."""
    if new is None or isinstance(new, bool) != isinstance(old, bool):
        return True
    if isinstance(new, float) and not math.isfinite(new):
        return True
    containers = (dict, list)
    return isinstance(new, containers) != isinstance(old, containers) or (
        isinstance(new, containers) and type(new) is not type(old))


def _check_answer(folder: Path, location: Location, new: Any,
                  context: tuple[list[RecordFile], dict[str, list[Problem]]]) -> None:
    data = _replaced(FULL_DATA, location, new)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    problems = _validate_text(folder, text, context)  # raises nothing
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.file == "case_studies/cases/full-practice.yaml"
        assert 1 <= problem.line <= lines and problem.column >= 1, problem
        for lang in LANGUAGES:  # every blank of the message and the hint is filled
            texts = problem_texts(problem.code, lang)
            blanks = set(re.findall(r"\{(\w+)\}", texts["message"] + texts.get("hint", "")))
            assert blanks <= set(problem.params), (problem, blanks)
            assert problem.message(lang) and problem.hint(lang) is not None
    if _must_be_refused(_at(FULL_DATA, location), new):
        assert problems, (location, new)


@pytest.mark.parametrize("location", LOCATIONS, ids=lambda loc: ".".join(map(str, loc)))
def test_every_field_replaced_by_every_type_is_answered_with_positions(
        location: Location, tmp_path: Path,
        context: tuple[list[RecordFile], dict[str, list[Problem]]]) -> None:
    for new in EVERY_TYPE:
        _check_answer(tmp_path, location, new, context)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robustness")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(location=st.sampled_from(LOCATIONS), new=VALUES)
def test_any_field_replaced_by_any_value_is_answered_with_positions(
        location: Location, new: Any, folder: Path,
        context: tuple[list[RecordFile], dict[str, list[Problem]]]) -> None:
    _check_answer(folder, location, new, context)


# --- numbers ------------------------------------------------------------------------------


def _with_indicator(records: Path, value: str) -> Path:
    """The Mexico mapping with its first indicator's value written as `value`."""
    path = records / "case_studies/cases/stakeholder-mapping-pacific-alliance.yaml"
    text = path.read_text("utf-8")
    assert "    value: 131\n" in text
    path.write_text(text.replace("    value: 131\n", f"    value: {value}\n", 1), "utf-8")
    return path


@pytest.mark.parametrize("written", [".inf", "-.inf", ".NaN", "1.0e+400"])
def test_a_number_that_is_not_finite_is_refused_before_the_build(
        runner: CliRunner, records: Path, written: str) -> None:
    path = _with_indicator(records, written)
    result = runner.invoke(main, ["validate", "--root", str(records), "--lang", "en",
                                  "--format", "json", str(path)])
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem["code"] == "not-finite-number" and problem["column"] == 12
    assert f"must be a finite number, found {written}" in problem["message"]
    built = runner.invoke(main, ["build", "--root", str(records), "--no-pdf", "--lang", "es"])
    assert built.exit_code == 1 and "Traceback" not in built.output
    assert "debe ser un número finito" in built.stdout


def test_open_data_never_writes_what_json_cannot_read(tmp_path: Path, records: Path) -> None:
    from sectorguide.model import build_guide
    from sectorguide.opendata import SiteAddress, write_open_data
    from sectorguide.project import Project

    project = Project(records)
    files = project.validate().files
    data = {f.display: f.data for f in files if f.data is not None}
    mapping = "case_studies/cases/stakeholder-mapping-pacific-alliance.yaml"
    data[mapping] = {**data[mapping], "indicators": [{"key": "organizations", "value": math.nan}]}
    guide = build_guide(data.items())  # as if the validator had let it through
    with pytest.raises(ValueError, match="JSON"):
        write_open_data(guide, tmp_path / "data", schema_path=project.schema_path,
                        dates={case.id: "2025-01-02" for case in guide.cases},
                        address=SiteAddress(), edition="1.0", languages=("en",))


@pytest.mark.parametrize(("lang", "shown"), [("en", "1,250.5"), ("es", "1.250,5"),
                                             ("fr", "1\u202f250,5")])
def test_figures_are_written_as_readers_of_each_language_write_them(
        records: Path, lang: str, shown: str) -> None:
    from sectorguide.labels import Labels
    from sectorguide.pdf import Edition, print_chapters, render_print_html
    from sectorguide.project import Project
    from sectorguide.render import Renderer

    _with_indicator(records, "1250.5")
    guide = Project(records).guide()
    case = next(c for c in guide.cases if c.id == "stakeholder-mapping-pacific-alliance")
    page = next(p for p in Renderer(guide, lang).case_pages([case]))
    figures = re.findall(r"<strong>([^<]*)</strong>", page.content.split('class="sg-indicators"')[1]
                         .split("</ul>")[0])
    assert figures == [shown, "96", "4"]
    html = render_print_html(guide, print_chapters(REPO / "docs", lang), lang, Edition("2026-12-01", "1.0"))
    assert f"<strong>{shown}</strong>" in html
    assert Labels(lang).number(3.0) == "3" and Labels(lang).number(0.35) in ("0.35", "0,35")


# --- status: records it cannot read, records found by their id ---------------------------------

PERU = "case_studies/cases/stakeholder-mapping-peru.yaml"


def _with_texts(records: Path, texts: str) -> Path:
    """The Peru mapping with its `text:` replaced (it is the last field of the file)."""
    path = records / PERU
    source = path.read_text("utf-8")
    path.write_text(source[: source.index("\ntext:\n")] + "\ntext:\n" + texts, "utf-8")
    return path


@pytest.mark.parametrize(("texts", "block"), [
    ('  en: "just a string"\n  es: {title: hola}\n', "en"),
    ("  en: {title: Peru, summary: A mapping.}\n  es: hola\n", "es"),
])
def test_mark_translated_refuses_texts_that_are_not_blocks(runner: CliRunner, records: Path,
                                                           texts: str, block: str) -> None:
    path = _with_texts(records, texts)
    before = path.read_text("utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", "en",
                                  "--mark-translated", "stakeholder-mapping-peru", "es"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # not a crash
    assert f"text.{block} must be a block of fields (title:, summary: ...), not a single value" in result.output
    assert path.read_text("utf-8") == before


def test_mark_translated_finds_the_record_by_the_id_status_lists(runner: CliRunner,
                                                                 records: Path) -> None:
    cases = records / "case_studies/cases"
    (cases / "regional-workshop-chile-2022.yaml").rename(cases / "taller-chile.yaml")
    path = cases / "taller-chile.yaml"
    path.write_text(re.sub(r"\n    translated_from: \w+", "", path.read_text("utf-8"), count=1), "utf-8")
    rows = json.loads(runner.invoke(main, ["status", "--root", str(records), "--format", "json"]).stdout)
    assert {r["record"] for r in rows if r["file"].endswith("taller-chile.yaml")} == {
        "regional-workshop-chile-2022"}
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated",
                                  "regional-workshop-chile-2022", "es"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("case_studies/cases/taller-chile.yaml: text.es marked")
    # a file whose id is not what its name says is still found by its name
    again = runner.invoke(main, ["status", "--root", str(records), "--mark-translated", "taller-chile", "fr"])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize(("lang", "invalid"), [("en", "invalid"), ("es", "inválida"), ("fr", "invalide")])
def test_status_lists_a_record_it_cannot_read_as_invalid_and_says_why(
        runner: CliRunner, records: Path, lang: str, invalid: str) -> None:
    (records / "case_studies/cases/broken.yaml").write_text("id: broken\nkind: [\n", "utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", lang])
    assert result.exit_code == 1
    row = next(x for x in result.stdout.splitlines() if x.startswith("broken "))
    assert row.split() == ["broken", invalid, invalid, invalid]
    assert re.search(r"^case_studies/cases/broken\.yaml:3:1: error yaml-syntax: ", result.stderr, re.MULTILINE)
    as_json = runner.invoke(main, ["status", "--root", str(records), "--format", "json"])
    assert as_json.exit_code == 1
    states = {(r["record"], r["lang"]): r["state"] for r in json.loads(as_json.stdout)}
    assert {states[("broken", code)] for code in LANGUAGES} == {"invalid"}
    assert len(states) == 3 * (len(list((records / "case_studies").rglob("*.yaml"))))


def test_status_lists_a_record_whose_texts_are_not_blocks_as_invalid(runner: CliRunner,
                                                                     records: Path) -> None:
    _with_texts(records, '  en: "just a string"\n  es: {title: hola}\n')
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", "en"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    row = next(x for x in result.stdout.splitlines() if x.startswith("stakeholder-mapping-peru "))
    assert row.split()[1:] == ["project_activity", "invalid", "invalid", "invalid"]
    assert f"{PERU}:29:7: error wrong-type: 'text.en' must be a set of fields" in result.stderr


# --- status: its words, and the documents that quote them ----------------------------------------

@pytest.mark.parametrize(("lang", "totals"), [
    ("en", r"\d+ complete, 1 missing, 0 stale"),
    ("es", r"\d+ completas, 1 faltante, 0 desactualizadas"),
    ("fr", r"\d+ complètes, 1 manquante, 0 périmée"),  # French: 0 and 1 are singular
])
def test_status_totals_agree_with_their_numbers(runner: CliRunner, records: Path, lang: str,
                                                totals: str) -> None:
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", lang])
    assert re.fullmatch(totals, result.stdout.splitlines()[-1]), result.stdout.splitlines()[-1]
    # one more missing translation, and two stale ones: the plural
    mapping = records / "case_studies/cases/stakeholder-mapping-chile.yaml"
    source = mapping.read_text("utf-8")
    mapping.write_text(re.sub(r"\n  fr:\n(    .*\n|\n)*", "\n", source), "utf-8")
    workshop = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    workshop.write_text(workshop.read_text("utf-8").replace(
        "was held in Chile in 2022 to identify", "was held in Chile in 2022, to identify", 1), "utf-8")
    plural = {"en": "2 missing, 2 stale", "es": "2 faltantes, 2 desactualizadas",
              "fr": "2 manquantes, 2 périmées"}[lang]
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", lang])
    assert result.stdout.splitlines()[-1].endswith(plural), result.stdout.splitlines()[-1]


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_contributing_names_the_states_as_status_prints_them(lang: str) -> None:
    from sectorguide.labels import Labels

    t = Labels(lang)
    text = (REPO / f"CONTRIBUTING.{lang}.md").read_text("utf-8")
    line = next(x for x in text.splitlines() if x.startswith("| `.venv/bin/sectorguide status` |"))
    for state in ("complete", "missing", "stale", "invalid"):
        assert f"`{state}` ({t(f'status_{state}')}" in line, (state, t(f"status_{state}"))


# --- the files each command takes as records ----------------------------------------------------

@pytest.mark.parametrize("named", [[], ["case_studies/"], ["case_studies/cases"]])
@pytest.mark.parametrize("fix", [[], ["--fix"]])
def test_every_command_takes_the_same_files_as_records(runner: CliRunner, records: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       named: list[str], fix: list[str]) -> None:
    monkeypatch.chdir(records)
    cases = records / "case_studies/cases"
    (cases / "foo.YAML").write_bytes((REPO / "tests/examples/good/minimal-pilot.yaml").read_bytes())
    result = runner.invoke(main, ["validate", "--lang", "en", *fix, *named])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("case_studies/cases/foo.YAML:1:1: error not-a-record-name: ")
    status = runner.invoke(main, ["status"])
    assert status.exit_code == 1 and "case_studies/cases/foo.YAML:1:1: error not-a-record-name" in status.stderr


# --- a file that cannot be read is not said to be in the wrong encoding --------------------------

def test_a_folder_is_unreadable_not_badly_encoded(tmp_path: Path) -> None:
    record = load_record_file(tmp_path, "case_studies/cases/folder.yaml")
    [problem] = record.problems
    assert problem.code == "unreadable-file"
    assert problem.message("en") == "the file cannot be read: Is a directory"
    assert "UTF-8" not in problem.hint("en")


def test_a_file_without_permission_is_unreadable_not_badly_encoded(
        runner: CliRunner, records: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = records / PERU
    opened = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == locked.name:  # root reads any file: a lock it would ignore, simulated
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    for lang, said in (("en", "the file cannot be read: Permission denied (check that it is a file"),
                       ("es", "no se puede leer el archivo: Permission denied (compruebe"),
                       ("fr", "le fichier ne peut pas être lu\u00a0: Permission denied (vérifiez")):
        result = runner.invoke(main, ["validate", "--root", str(records), "--lang", lang, str(locked)])
        assert result.exit_code == 1
        assert result.stdout.startswith(f"{PERU}:1:1: error unreadable-file: {said}"), result.stdout
        assert "UTF-8" not in result.stdout
