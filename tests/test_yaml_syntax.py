"""YAML syntax mistakes are named, placed where they were made and said in the contributor's
language: libyaml's own sentence (in English, often a line late) only for the rare others."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main
from sectorguide.load import load_record_file
from sectorguide.problems import Problem
from sectorguide.report import render_text

# (file text, code, line, column, values the message must hold)
MISTAKES = [
    ("a: 1\ntext:\n  en:\n    title: Lessons: what we learned\n",
     "yaml-colon-in-text", 4, 19, {"key": "title", "fixed": 'title: "Lessons: what we learned"'}),
    ('a: 1\ntitle: The "best": way\n',
     "yaml-colon-in-text", 2, 18, {"fixed": 'title: "The \\"best\\": way"'}),
    ("text:\n  en:\n    title: A title\n   summary: x\n", "yaml-indentation", 4, 4,
     {"found": "3", "above": "4"}),
    ("text:\n  en:\n    title: A title\n      summary: x\n", "yaml-indentation", 4, 7,
     {"found": "6", "above": "4"}),
    ("countries:\n- CL\n  sector: mining\n", "yaml-indentation", 3, 3, {"found": "2", "above": "0"}),
    ("a:\n  - x\n - y\nb: 2\n", "yaml-indentation", 3, 2, {"found": "1", "above": "2"}),
    ("a: >-\n  text\n\n # a comment\n b: 1\n", "yaml-indentation", 5, 2, {"above": "2"}),
    ('a: 1\nsummary: "A summary with "quotes" inside."\nb: 2\n', "yaml-text-after-quote", 2, 27, {}),
    ("a: 1\nsummary: 'It's here'\nb: 2\n", "yaml-text-after-quote", 2, 14, {}),
    ("a: 1\nsector mining\nb: 2\n", "yaml-missing-colon", 2, 1,
     {"written": "sector mining", "fixed": "sector: mining"}),
    ("a: 1\nb:2\nc: 3\n", "yaml-missing-colon", 2, 1, {"fixed": "b: 2"}),
    ("a: [CL, PE\nb: 2\n", "yaml-unclosed", 1, 4, {"opening": "[", "closing": "]"}),
    ("a: {x: 1\nb: 2\n", "yaml-unclosed", 1, 4, {"opening": "{", "closing": "}"}),
    ("a:\n  - x\n  b: 2\n", "yaml-list-indentation", 3, 3, {"found": "2"}),
    ("organizations:\n  - id: mihr\n   role: partner\nx: 1\n", "yaml-indentation", 3, 4,
     {"found": "3", "above": "4"}),
    ("a: [b, c]]\n", "yaml-syntax", 1, 10, {}),
    ("a:\n\tb: 1\n", "yaml-tab", 2, 1, {"spaces": "2"}),
    ("text:\n  en:\n    title: A title\n\tsummary: x\n", "yaml-tab", 4, 1, {"spaces": "4"}),
    ("a:\n  - x\n  -\ty\n", "yaml-tab-in-line", 3, 4, {}),
    ('a: 1\nb: "never closed\nc: 2\n', "yaml-unclosed-quote", 2, 4,
     {"quote": '"', "fixed": 'b: "never closed"'}),
    ("text:\n  es:\n    context: Antes del taller, las empresas\n    no encontraban operadores.\n",
     "yaml-continuation", 4, 5, {"key": "context", "spaces": "6"}),
    ("text:\n  es:\n    context: |\n    Antes del taller.\n    summary: x\n",
     "yaml-continuation", 4, 5, {"key": "context"}),
    ("challenges: [employability, gender-equality\nstatus: unknown\n", "yaml-unclosed", 1, 13,
     {"fixed": "challenges: [employability, gender-equality]"}),
    # "key:value" glued, inside a block or a list item: said on its own line, not the next one
    ("text:\n  es:\n    title:Mapeo de actores\n    summary: x\n", "yaml-missing-colon", 3, 5,
     {"written": "title:Mapeo de actores", "fixed": "title: Mapeo de actores"}),
    ("organizations:\n  - id:mihr\n    role: lead\n", "yaml-missing-colon", 2, 5,
     {"fixed": "- id: mihr"}),
    ("sources:\n  - title:Resumen\n    url: https://x.org\n", "yaml-missing-colon", 2, 5,
     {"fixed": "- title: Resumen"}),
    # a value that starts with a character YAML reserves
    ("a: 1\ntitle: * Mapeo\nb: 2\n", "yaml-special-start", 2, 8,
     {"char": "*", "fixed": 'title: "* Mapeo"'}),
    ("title: *Mapeo\n", "yaml-special-start", 1, 8, {"fixed": 'title: "*Mapeo"'}),
    ("title: @Ministerio de Energía\nb: 2\n", "yaml-special-start", 1, 8,
     {"char": "@", "fixed": 'title: "@Ministerio de Energía"'}),
    ("title: > 50 personas formadas\nb: 2\n", "yaml-special-start", 1, 8,
     {"char": ">", "fixed": 'title: "> 50 personas formadas"'}),
    ("title: | separado\n", "yaml-special-start", 1, 8, {"fixed": 'title: "| separado"'}),
    ("title: & otros\n", "yaml-special-start", 1, 8, {"fixed": 'title: "& otros"'}),
    ("title: `código`\n", "yaml-special-start", 1, 8, {"fixed": 'title: "`código`"'}),
    ("title: % avance\n", "yaml-special-start", 1, 8, {"fixed": 'title: "% avance"'}),
    ("lessons:\n  - > 50 personas\n", "yaml-special-start", 2, 5,
     {"fixed": '- "> 50 personas"'}),
    # "&" and "!" read as an anchor or a tag: YAML would drop the first word without a message
    ("a: 1\ntitle: &Asociados Mineros\nb: 2\n", "yaml-special-start", 2, 8,
     {"char": "&", "fixed": 'title: "&Asociados Mineros"'}),
    ("a: 1\ntitle: !Importante taller\nb: 2\n", "yaml-special-start", 2, 8,
     {"char": "!", "fixed": 'title: "!Importante taller"'}),
    ("text:\n  es:\n    title: &Asociados Mineros\n    summary: x\n", "yaml-special-start", 3, 12,
     {"char": "&", "fixed": 'title: "&Asociados Mineros"'}),
    ("text:\n  es:\n    title: !Importante taller\n    summary: x\n", "yaml-special-start", 3, 12,
     {"char": "!", "fixed": 'title: "!Importante taller"'}),
    ("text:\n  es:\n    lessons:\n      - &Uno dos\n", "yaml-special-start", 4, 9,
     {"char": "&", "fixed": '- "&Uno dos"'}),
    ("title: &Asociados Mineros  # nota\n", "yaml-special-start", 1, 8,
     {"fixed": 'title: "&Asociados Mineros"'}),
    ("title:\n  !Importante taller\n", "yaml-special-start", 2, 3,
     {"fixed": '"!Importante taller"'}),
    # two paragraphs without "|", the second with ": "
    ("text:\n  es:\n    context: Primera parte.\n      Segundo: párrafo.\n",
     "yaml-colon-in-lines", 4, 7, {"key": "context", "spaces": "6"}),
    # a text's next line written at the start of the line
    ("text:\n  es:\n    context: Primera línea.\nSegunda línea sin sangría.\n",
     "yaml-continuation", 4, 1, {"key": "context", "spaces": "6"}),
    # the skeleton's "[]" kept above the items written below it
    ("organizations: []\n  - id: mihr\n    role: lead\n", "yaml-items-after-empty", 2, 3,
     {"key": "organizations", "empty": "[]", "fixed": "organizations:"}),
    ("a: 1\nsources: []  # none yet\n- title: x\n", "yaml-items-after-empty", 3, 1,
     {"key": "sources"}),
]


def _problem(tmp_path: Path, text: str) -> Problem:
    path = tmp_path / "record.yaml"
    path.write_text(text, "utf-8")
    problems = load_record_file(path, "record.yaml").problems
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(("text", "code", "line", "column", "values"), MISTAKES,
                         ids=[f"{m[1]}-{n}" for n, m in enumerate(MISTAKES)])
def test_a_syntax_mistake_is_named_where_it_was_made(
        tmp_path: Path, text: str, code: str, line: int, column: int,
        values: dict[str, str]) -> None:
    problem = _problem(tmp_path, text)
    assert (problem.code, problem.line, problem.column) == (code, line, column)
    assert values.items() <= problem.params.items()


@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize(("text", "code"), [(m[0], m[1]) for m in MISTAKES
                                            if m[1] != "yaml-syntax"])
def test_a_named_mistake_is_said_without_the_parser_s_english(
        tmp_path: Path, text: str, code: str, lang: str) -> None:
    said = render_text([_problem(tmp_path, text)], lang)
    for english in ("mapping values", "expected key", "could not find", "did not find",
                    "indicator", "while parsing"):
        assert english not in said, said


@pytest.mark.parametrize(("text", "where"), [
    ("title: &Asociados Mineros\nsummary: *Asociados\n", [(1, 8), (2, 10)]),
    ("text:\n  es:\n    title: &t Mapeo\n    summary: *t\n", [(3, 12), (4, 14)]),
])
def test_an_alias_is_a_value_that_starts_with_a_star_said_where_it_is_written(
        tmp_path: Path, text: str, where: list[tuple[int, int]]) -> None:
    """"*name" reads as another value's text when an anchor "&name" stands above: both are said
    on their own line, and the record, which does not hold what it says, is not checked further."""
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    said = [(p.code, p.line, p.column, p.params["char"]) for p in record.problems]
    assert said == [("yaml-special-start", *where[0], "&"), ("yaml-special-start", *where[1], "*")]
    key = "summary: "
    written = text[text.index(key) + len(key):].split("\n")[0]
    assert record.problems[1].params["fixed"] == f'summary: "{written}"'
    assert record.data is None


def test_anchors_aliases_and_tags_elsewhere_are_said_where_they_are_written(tmp_path: Path) -> None:
    """Where a value has no line of its own to quote (a key, a list in brackets, a block), an
    anchor, an alias or a tag is said as such, at its own place."""
    text = "&k id: x\ncountries: [&c CL, *c]\nsectors: !!set {a}\ncontext: &p |\n  Texto.\n"
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == [
        ("yaml-alias", 1, 1), ("yaml-alias", 2, 13), ("yaml-alias", 2, 20), ("yaml-tag", 3, 10),
        ("yaml-alias", 4, 10)]
    assert record.problems[3].params == {"tag": "!!set"}


def test_anchors_written_twice_are_all_said_at_once(tmp_path: Path) -> None:
    """The same first word twice ("&Asociados") stops YAML's reading at the second with its own
    words ("second occurrence"): every value that starts with "&", "!" or "*" is said instead."""
    text = ("text:\n  es:\n    title: &Asociados Mineros\n    summary: !Nota x\n"
            "  fr:\n    title: &Asociados Mineros\n    summary: *Asociados\n")
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column, p.params["fixed"]) for p in record.problems] == [
        ("yaml-special-start", 3, 12, 'title: "&Asociados Mineros"'),
        ("yaml-special-start", 4, 14, 'summary: "!Nota x"'),
        ("yaml-special-start", 6, 12, 'title: "&Asociados Mineros"'),
        ("yaml-special-start", 7, 14, 'summary: "*Asociados"')]


# "&", "!" and "*" inside a value, not at its start: text, valid without quotes
INSIDE = Path(__file__).parent / "examples" / "good" / "reserved-characters-inside.yaml"


def test_an_ampersand_or_an_exclamation_mark_inside_a_value_is_text() -> None:
    record = load_record_file(INSIDE, INSIDE.name)
    assert record.problems == []
    assert record.data is not None and record.data["text"]["es"]["title"] == "Minería & energía"
    assert record.data["text"]["es"]["lessons"] == ["Se aprendió mucho & rápido!"]


@pytest.mark.parametrize(("lang", "message", "hint"), [
    ("en", "this value starts with '&', a character YAML reserves for its own use",
     "put the whole value in quotes: "),
    ("es", "este valor empieza por '&', un carácter que YAML reserva para su propio uso",
     "ponga todo el valor entre comillas: "),
    ("fr", "cette valeur commence par '&', un caractère que YAML réserve à son propre usage",
     "mettez toute la valeur entre guillemets\u00a0: "),
])
def test_a_title_read_as_an_anchor_is_said_with_the_other_problems_of_the_record(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, message: str,
        hint: str) -> None:
    """YAML would publish "Mineros": the record is refused until the title is quoted, and the
    rest of the record is checked as it will read once quoted, so that one run says it all."""
    text = INSIDE.read_text("utf-8").replace("    title: Minería & energía\n",
                                             "    title: &Asociados Mineros\n").replace(
        "status: unknown", "status: finished")
    (tmp_path / INSIDE.name).write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", lang, str(tmp_path / INSIDE.name)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": error ")[0].rsplit(":", 2)[1:] for line in lines] == [["9", "9"],
                                                                               ["15", "12"]]
    assert "unknown-value" in lines[0]
    assert lines[1].endswith(f'yaml-special-start: {message} ({hint}title: "&Asociados Mineros")')


COMMENTED = """\
# A comment on its own line is fine, and so is one after a field that is not text:
id: commented
kind: pilot_project  # or project_activity
original_language: en
countries: [CO]  # Colombia
sector: mining
challenges: [employability]
status: unknown
curation: draft
sources:
  - title: Workshop report #2
text:
  en:
    title: Regional workshop #1
    summary: "Quoted, so the #hash stays in the text."  # a note for reviewers
    context: >-
      A block of text keeps its #hash signs, even at the end of a line #
    lessons:
      - Lesson one # kept out
      - "Lesson two # kept in"
"""


def test_words_yaml_reads_as_a_comment_in_a_text_are_an_error_with_the_quoted_fix(
        tmp_path: Path, runner: CliRunner) -> None:
    """'title: Regional workshop #1' is 'Regional workshop' to YAML: the '#1' would vanish from
    the published page without a word, so the record is refused until the value is quoted.
    Comments after other fields, and '#' in quoted or block texts, are left alone."""
    (tmp_path / "commented.yaml").write_text(COMMENTED, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "en", str(tmp_path / "commented.yaml")])
    assert result.exit_code == 1, result.output
    said = [line.split(": error ")[0].rsplit(":", 2)[1:] + [line] for line in
            result.stdout.splitlines()]
    assert [(row, column) for row, column, _ in said] == [("11", "12"), ("14", "12"), ("19", "9")]
    assert 'title: "Workshop report #2"' in said[0][2]
    assert "'#1' after the value of 'text.en.title'" in said[1][2]
    assert 'title: "Regional workshop #1"' in said[1][2]
    assert '- "Lesson one # kept out"' in said[2][2]
    fixed = COMMENTED.replace("title: Regional workshop #1", 'title: "Regional workshop #1"')
    (tmp_path / "commented.yaml").write_text(fixed, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "es", str(tmp_path / "commented.yaml")])
    assert "text.en.title" not in result.stdout
    assert "se lee como un comentario" in result.stdout


def test_a_text_that_starts_with_a_hash_is_said_as_read_as_a_comment(tmp_path: Path,
                                                                     runner: CliRunner) -> None:
    text = COMMENTED.replace("title: Regional workshop #1", "title: #1 Regional workshop")
    (tmp_path / "commented.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "en", str(tmp_path / "commented.yaml")])
    assert 'title: "#1 Regional workshop"' in result.stdout


def test_the_comments_sectorguide_new_writes_stay_comments(tmp_path: Path, runner: CliRunner) -> None:
    """A contributor who writes a title where the skeleton had "" keeps the skeleton's comment
    after it if the skeleton put one there: that is a comment, and nothing is lost."""
    text = COMMENTED.replace("title: Regional workshop #1",
                             "title: Regional workshop  # Obligatorio: el título que ven los lectores")
    (tmp_path / "commented.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "en", str(tmp_path / "commented.yaml")])
    assert "text.en.title" not in result.stdout


def test_a_comment_after_a_tab_is_found_too_and_a_long_line_costs_no_more(
        tmp_path: Path, runner: CliRunner) -> None:
    """YAML starts a comment after a tab as after a space; and a record with one very long
    line is read as fast as any (no pattern runs over the line)."""
    text = COMMENTED.replace("title: Regional workshop #1", "title: Regional workshop\t#1")
    text += "    approach: " + "x " * 100_000 + "\n"
    (tmp_path / "commented.yaml").write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "en", str(tmp_path / "commented.yaml")])
    assert 'title: "Regional workshop #1"' in result.stdout
