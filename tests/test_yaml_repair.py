"""All the problems of a record at once, YAML syntax mistakes among them.

A syntax mistake whose advice gives the line as it should be (a tab, ": " inside a text, a
list item one space off) is said, made on a working copy, and the copy is read again: every
such mistake is said in one run, and the record's other problems with them, on their real
lines. A mistake without such a line stops the reading, and says that the rest of the file
was not checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main
from sectorguide.load import load_record_file

from .conftest import minimal_case


def _load(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    path = tmp_path / "record.yaml"
    path.write_text(text, "utf-8")
    return [(p.code, p.line, p.column) for p in load_record_file(path, "record.yaml").problems]


def _validate(runner: CliRunner, tmp_path: Path, text: str, lang: str = "en",
              folder: str = "case_studies/cases", name: str = "record") -> list[str]:
    """What `sectorguide validate` says of a record, one line a problem."""
    where = tmp_path / folder
    where.mkdir(parents=True, exist_ok=True)
    (where / f"{name}.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", lang, str(where / f"{name}.yaml")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stdout.splitlines()


def _codes(said: list[str]) -> list[tuple[int, int, str]]:
    found = []
    for line in said:
        where, what = line.split(": error ", 1) if ": error " in line else line.split(": warning ", 1)
        _, number, column = where.rsplit(":", 2)
        found.append((int(number), int(column), what.split(":", 1)[0]))
    return found


def test_two_tabs_on_two_lines_are_both_said(tmp_path: Path) -> None:
    text = "a: 1\ntext:\n  en:\n\ttitle: x\n\tsummary: y\n"
    assert _load(tmp_path, text) == [("yaml-tab", 4, 1), ("yaml-tab", 5, 1)]


def test_two_colons_in_text_on_two_lines_are_both_said(tmp_path: Path) -> None:
    text = ("a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ntext:\n  en:\n"
            "    title: Lessons: what we learned\n    summary: Results: more jobs\n")
    assert _load(tmp_path, text) == [("yaml-colon-in-text", 11, 19),
                                     ("yaml-colon-in-text", 12, 21)]


def test_a_colon_in_a_list_item_keeps_its_dash(tmp_path: Path) -> None:
    path = tmp_path / "record.yaml"
    path.write_text("organizations:\n  - role: Lead: main\n    id: x\n", "utf-8")
    record = load_record_file(path, "record.yaml")
    assert [p.params.get("fixed") for p in record.problems] == ['- role: "Lead: main"']
    assert record.data == {"organizations": [{"role": "Lead: main", "id": "x"}]}


def test_syntax_and_schema_problems_are_said_in_one_run(runner: CliRunner, in_repo: Path,
                                                        tmp_path: Path) -> None:
    """A tab, a list item one space off and the record's other problems: one run says all."""
    text = ("id: record\nkind: pilot_project\noriginal_language: en\ncountries: [XX]\n"
            "sector: minning\nchallenges: [employability]\nstatus: unknown\ncuration: draft\n"
            "organizations:\n  - id: mihr\n    role: lead\n   - id: sena\n     role: partner\n"
            "text:\n  en:\n\ttitle: A title\n    summary: A summary.\n    titel: x\n")
    said = _codes(_validate(runner, tmp_path, text))
    assert said == [(4, 13, "unknown-value"), (5, 9, "unknown-value"),
                    (12, 4, "yaml-item-indentation"),
                    (12, 10, "unknown-reference"), (16, 1, "yaml-tab"),
                    (18, 5, "unknown-field")]


def test_a_problem_on_a_repaired_line_keeps_its_column(runner: CliRunner, in_repo: Path,
                                                       tmp_path: Path) -> None:
    """The value of a line said with ": " inside, read from its quoted copy, is placed where
    the file writes it."""
    text = minimal_case("record").replace("title: A title", "title: Lessons: <b>x</b>")
    said = _codes(_validate(runner, tmp_path, text))
    assert said == [(11, 19, "yaml-colon-in-text"), (11, 21, "raw-html")]


def test_a_problem_after_a_tab_is_placed_on_the_file_s_columns(runner: CliRunner, in_repo: Path,
                                                              tmp_path: Path) -> None:
    text = minimal_case("record").replace("    title: A title", "\ttitle: <b>x</b>")
    said = _codes(_validate(runner, tmp_path, text))
    assert said == [(11, 1, "yaml-tab"), (11, 9, "raw-html")]


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "the rest of the file was not checked"),
    ("es", "el resto del archivo no se revisó"),
    ("fr", "le reste du fichier n’a pas été vérifié"),
])
def test_a_mistake_without_a_fixed_line_says_the_rest_was_not_checked(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, note: str) -> None:
    text = minimal_case("record").replace("    summary", "   summary").replace(
        "countries: [CL]", "countries: [XX]")
    said = _validate(runner, tmp_path, text, lang)
    assert [c for _, _, c in _codes(said)] == ["yaml-indentation"]
    assert note in said[0]


def test_mistakes_before_one_that_stops_the_reading_are_said(tmp_path: Path) -> None:
    text = "a: 1\n\tb: 2\nc: 3\n  d: [x\n"
    found = _load(tmp_path, text)
    assert found[0] == ("yaml-tab-top-level", 2, 1)
    assert len(found) == 2


def test_a_valid_record_is_not_read_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sectorguide import load

    def never(*args: object) -> None:
        raise AssertionError("repaired a valid file")

    monkeypatch.setattr(load, "_read_past_mistakes", never)
    assert _load(tmp_path, minimal_case("record")) == []


def test_many_tabs_cost_a_bounded_number_of_readings(tmp_path: Path) -> None:
    text = "text:\n  en:\n" + "".join(f"\tk{i}: v\n" for i in range(5000))
    found = _load(tmp_path, text)
    assert 1 <= len(found) <= 101
    assert found[0] == ("yaml-tab", 3, 1)


# --- a list item one space off ---------------------------------------------------------------

@pytest.mark.parametrize(("spaces", "column"), [(3, 4), (1, 2)])
def test_a_list_item_indented_off_is_told_to_align_its_dash(tmp_path: Path, spaces: int,
                                                            column: int) -> None:
    text = ("organizations:\n  - id: x\n    role: lead\n" + " " * spaces
            + "- id: mihr\n    role: partner\nb: 1\n")
    path = tmp_path / "record.yaml"
    path.write_text(text, "utf-8")
    record = load_record_file(path, "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == [
        ("yaml-item-indentation", 4, column)]
    assert record.problems[0].params["column"] == "3"
    assert record.data == {"organizations": [{"id": "x", "role": "lead"},
                                             {"id": "mihr", "role": "partner"}], "b": 1}


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "align its '-' with the '-' of the items above (column 3)"),
    ("es", "alinee su '-' con el '-' de los elementos de arriba (columna 3)"),
    ("fr", "alignez son '-' sur le '-' des éléments au-dessus (colonne 3)"),
])
def test_a_list_item_indented_off_is_said_in_each_language(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, said: str) -> None:
    text = minimal_case("record") + "organizations:\n  - id: x\n    role: lead\n   - id: y\n"
    lines = _validate(runner, tmp_path, text, lang)
    assert any("yaml-item-indentation" in line and said in line for line in lines), lines


# --- tabs, and counts said in words ----------------------------------------------------------

@pytest.mark.parametrize(("lang", "said"), [
    ("en", "remove the tab: this field starts at the beginning of the line"),
    ("es", "quite la tabulación: este campo empieza al principio de la línea"),
    ("fr", "retirez la tabulation\u00a0: ce champ commence au début de la ligne"),
])
def test_a_tab_before_a_top_level_field_is_said_to_be_removed(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, said: str) -> None:
    text = minimal_case("record").replace("status:", "\tstatus:")
    lines = _validate(runner, tmp_path, text, lang)
    assert len(lines) == 1 and said in lines[0], lines
    assert "0 " not in lines[0]


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "by 1 space and", "with 2 spaces instead"),
    ("es", "tras 1 espacio y", "con 2 espacios en su lugar"),
    ("fr", "de 1 espace et", "par 2 espaces, alignée"),
])
def test_counts_of_spaces_are_said_in_the_singular_or_the_plural(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, one: str, two: str) -> None:
    over = minimal_case("over").replace("status: unknown", " status: unknown")
    tab = minimal_case("tab").replace("  en:", "\ten:")
    assert one in _validate(runner, tmp_path, over, lang, name="over")[0]
    assert two in _validate(runner, tmp_path, tab, lang, name="tab")[0]
    assert "(s)" not in _validate(runner, tmp_path, tab, lang, name="tab")[0]


# --- kinds -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("folder", "kinds"), [
    ("case_studies/cases", "pilot_project, project_activity, sector_council_practice"),
    ("case_studies/organizations", "organization"),
])
def test_a_missing_kind_lists_the_kinds_of_its_folder(runner: CliRunner, in_repo: Path,
                                                      tmp_path: Path, folder: str,
                                                      kinds: str) -> None:
    said = _validate(runner, tmp_path, "id: x\n", folder=folder, name="x")
    kind = [line for line in said if "'kind'" in line]
    assert len(kind) == 1 and kinds in kind[0], said
    assert "challenge" not in kind[0]


def test_an_unknown_kind_among_cases_is_checked_as_a_case(runner: CliRunner, in_repo: Path,
                                                          tmp_path: Path) -> None:
    said = _validate(runner, tmp_path, "id: x\nkind: organisation\n", name="x")
    assert not any("organization" in line or "'name'" in line for line in said), said
    assert any("unknown-value" in line and "sector_council_practice" in line for line in said)


# --- from the review of the repair: line breaks, columns, repairs that would invent problems --


def test_windows_line_endings_keep_every_line_where_it_is(tmp_path: Path) -> None:
    """A repaired line kept its "\r" and got another: "\r\r\n" read as two line breaks, and
    every problem below was said a line too low."""
    text = "a: 1\r\ntext:\r\n\ten:\r\n    description: x\r\nname: A: B\r\nb: 2\r\n"
    assert _load(tmp_path, text) == [("yaml-tab", 3, 1), ("yaml-colon-in-text", 5, 8)]


def test_a_second_mistake_on_a_repaired_line_is_said_at_the_file_s_column(tmp_path: Path) -> None:
    # the tab became four spaces: the ": " inside the value is at column 16 of the file's line
    text = "a: 1\ntext:\n  en:\n\tdescription: A: B\n"
    assert _load(tmp_path, text) == [("yaml-tab", 4, 1), ("yaml-colon-in-text", 4, 16)]


def test_an_empty_value_before_items_keeps_its_list_dash(tmp_path: Path) -> None:
    """The repair of "- tags: []" with items below dropped the item's "- ", and the next
    field of the item, written right, was said to be wrongly indented."""
    text = "a: 1\norganizations:\n  - tags: []\n    - a\n    role: lead\n"
    assert _load(tmp_path, text) == [("yaml-items-after-empty", 4, 5)]


def test_an_unclosed_bracket_whose_items_go_on_below_stops_the_reading(
        runner: CliRunner, in_repo: Path, tmp_path: Path) -> None:
    # closing it on its own line would make the lines below look wrongly indented
    said = _validate(runner, tmp_path, minimal_case("record").replace(
        "countries: [CL]", "countries: [CL,\n  CO"))
    assert _codes(said) == [(4, 12, "yaml-unclosed")]
    assert "the rest of the file was not checked" in said[0]
