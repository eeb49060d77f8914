"""YAML syntax mistakes are named, placed where they were made and said in the contributor's
language: libyaml's own sentence (in English, often a line late) only for the rare others."""

from __future__ import annotations

import re
import tracemalloc
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
    ("a:\n  - x\n - y\nb: 2\n", "yaml-item-indentation", 3, 2, {"column": "3", "spaces": "2"}),
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
    # a text field moved left: said on its line, not on the field after its text
    ("text:\n  es:\n    summary: x\n  context: |\n      Antes.\n      Después.\n    lessons:\n"
     "      - y\n", "yaml-indentation", 4, 3, {"found": "2", "above": "4"}),
    ("a:\n\tb: 1\n", "yaml-tab", 2, 1, {"spaces": "2"}),
    ("text:\n  en:\n    title: A title\n\tsummary: x\n", "yaml-tab", 4, 1, {"spaces": "4"}),
    ("a:\n  - x\n  -\ty\n", "yaml-tab-in-line", 3, 4, {}),
    # a field of a list item: aligned with the item's first field, after its dash
    ("sources:\n  - title: Informe\n\tpublisher: Consejo\n", "yaml-tab", 3, 1, {"spaces": "4"}),
    ("organizations:\n  - id: mihr\n\t- id: conocer\n", "yaml-tab", 3, 1, {"spaces": "2"}),
    ("sources:\n  - title:\n\tInforme\n", "yaml-tab", 3, 1, {"spaces": "6"}),
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
    # "!!", "!<...>", a lone "!" or a %TAG handle make a tag, meant as such: not text to quote
    ("a: 1\nstart: !!int 2022\nb: 2\n", "yaml-tag", 2, 8, {"tag": "!!int"}),
    ("kind: !<tag:evil.example,2024:x> pilot_project\n", "yaml-tag", 1, 7,
     {"tag": "tag:evil.example,2024:x"}),
    ("a: ! 12\n", "yaml-tag", 1, 4, {"tag": "!"}),
    ("%TAG !e! tag:evil.example,2024:\n---\nkind: !e!case pilot_project\n", "yaml-tag", 3, 7,
     {"tag": "tag:evil.example,2024:case"}),
    ("%TAG ! tag:evil.example,2024:\n---\ntitle: !Importante taller\n", "yaml-tag", 3, 8,
     {"tag": "tag:evil.example,2024:Importante"}),
    # over several lines, one line in quotes would lose the paragraph break and leave the
    # lines below behind: a block keeps the text
    (("text:\n  es:\n    summary: &Intro primer párrafo,\n      que sigue aquí.\n\n"
      "      Segundo párrafo.\n"), "yaml-special-start-lines", 3, 14,
     {"char": "&", "fixed": "summary: |", "spaces": "6"}),
    ("lessons:\n  - &Uno de\n    los aprendizajes\n", "yaml-special-start-lines", 2, 5,
     {"fixed": "- |", "spaces": "4"}),
    ("sources:\n  - title: !Informe anual\n      de 2022\n", "yaml-special-start-lines", 2, 12,
     {"char": "!", "fixed": "- title: |", "spaces": "6"}),
    ("title:  # a note\n  !Importante taller\n  de formación\n", "yaml-special-start-lines",
     2, 3, {"fixed": "title: |", "spaces": "2"}),
    # in brackets too: the item (or the value in braces) in quotes, in its line
    ("countries: [&x CL, PE]\n", "yaml-special-start", 1, 13,
     {"char": "&", "fixed": 'countries: ["&x CL", PE]'}),
    ("challenges: [*x]\n", "yaml-special-start", 1, 14,
     {"char": "*", "fixed": 'challenges: ["*x"]'}),
    ("challenges: [employability, !Importante gender-equality]  # two\n", "yaml-special-start",
     1, 29, {"char": "!", "fixed": 'challenges: [employability, "!Importante gender-equality"]  # two'}),
    ("text:\n  es:\n    lessons: [Uno, &Dos tres,\n      cuatro]\n", "yaml-special-start", 3, 20,
     {"char": "&", "fixed": 'lessons: [Uno, "&Dos tres",'}),
    ("sources: [{title: &Informe anual, publisher: x}]\n", "yaml-special-start", 1, 19,
     {"char": "&", "fixed": 'sources: [{title: "&Informe anual", publisher: x}]'}),
    ("countries: [!!str CL]\n", "yaml-tag", 1, 13, {"tag": "!!str"}),
    # an anchor on a list, a mapping or a block of text names it without changing it: removed
    ("countries: &c\n  - CL\n", "yaml-anchor", 1, 12, {"anchor": "&c", "fixed": "countries:"}),
    ("period: &p {start: 2022}\n", "yaml-anchor", 1, 9,
     {"anchor": "&p", "fixed": "period: {start: 2022}"}),
    ("organizations:\n  - &o\n    id: mihr\n", "yaml-anchor", 2, 5, {"anchor": "&o", "fixed": "-"}),
    ("context: &p |\n  Texto.\n", "yaml-anchor", 1, 10, {"anchor": "&p", "fixed": "context: |"}),
    ("a: [&x [1], 2]\n", "yaml-anchor", 1, 5, {"anchor": "&x", "fixed": "a: [[1], 2]"}),
    # an anchor alone on its line names the list, mapping or block below it: the line goes
    ("countries:\n  &c\n  - PE\n", "yaml-anchor-line", 2, 3, {"anchor": "&c"}),
    ("&doc\nid: x\n", "yaml-anchor-line", 1, 1, {"anchor": "&doc"}),
    ("context:\n  &p\n  |\n    Texto.\n", "yaml-anchor-line", 2, 3, {"anchor": "&p"}),
    ("countries:\n  &c  # la lista\n  - PE\n", "yaml-anchor", 2, 3,
     {"anchor": "&c", "fixed": "# la lista"}),
    # an anchor on a field's name names the name without changing it: removed too
    ("&k id: regional-workshop\n", "yaml-anchor", 1, 1,
     {"anchor": "&k", "fixed": "id: regional-workshop"}),
    ("organizations:\n  - &o id: mihr\n    role: lead\n", "yaml-anchor", 2, 5,
     {"anchor": "&o", "fixed": "- id: mihr"}),
    ("period: {&s start: 2022}\n", "yaml-anchor", 1, 10,
     {"anchor": "&s", "fixed": "period: {start: 2022}"}),
    # a merge key, its anchor nowhere: said as a merge key is, not as a value to quote
    ("a: 1\n<<: *defaults\n", "yaml-syntax", 2, 1,
     {"detail": "a field name must be plain text"}),
    ("items:\n  - <<: *defaults\n", "yaml-syntax", 2, 5,
     {"detail": "a field name must be plain text"}),
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
    """Where a value has no line of its own to quote (a key), an alias or a tag is said as
    such, at its own place; the items in brackets of one line are quoted together in it; an
    anchor on a key or on a block of text is removed."""
    text = ("&k id: x\ncountries: [&c CL, *c]\nsectors: !!set {a}\ncontext: &p |\n  Texto.\n"
            "*c : y\n")
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == [
        ("yaml-anchor", 1, 1), ("yaml-special-start", 2, 13), ("yaml-special-start", 2, 20),
        ("yaml-tag", 3, 10), ("yaml-anchor", 4, 10), ("yaml-alias", 6, 1)]
    assert record.problems[0].params == {"anchor": "&k", "fixed": "id: x"}
    assert [p.params["fixed"] for p in record.problems[1:3]] == ['countries: ["&c CL", "*c"]'] * 2
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


def test_an_anchor_on_a_field_name_written_twice_leaves_the_record_checked(tmp_path: Path) -> None:
    """The same anchor on a field's name and on a value ("&k") stops YAML's composer; the
    record is read again with the field's name where it was, so that its data is checked."""
    text = "organizations:\n  - &k id: mihr\n    role: &k lead\n&k status: unknown\n"
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column, p.params["fixed"]) for p in record.problems] == [
        ("yaml-anchor", 2, 5, "- id: mihr"), ("yaml-special-start", 3, 11, 'role: "&k lead"'),
        ("yaml-anchor", 4, 1, "status: unknown")]
    assert record.data == {"organizations": [{"id": "mihr", "role": "&k lead"}],
                           "status": "unknown"}
    assert record.without_tree().mark(("status",)) == (4, 12)  # the value, where written


def test_anchors_on_field_names_get_names_of_their_own_length(tmp_path: Path) -> None:
    """Each anchor on a field's name is read under a name of its own of the same length: there
    are 64 of one character, and longer anchors before them do not use those up."""
    lines = [f"&ab f{n}: {n}" for n in range(60)] + [f"&k g{n}: {n}" for n in range(10)]
    (tmp_path / "record.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [p.code for p in record.problems] == ["yaml-anchor"] * 70
    assert record.data is not None and record.data["g9"] == 9 and record.data["f59"] == 59


def test_tags_alone_on_their_line_are_said_without_a_line(tmp_path: Path) -> None:
    """A line of tags only has no line that another mark's advice shows: each tag is said as
    yaml-tag, "remove the tag and write a plain value", as a tag alone is."""
    text = "period: {start: !!int abc, end: !!float x}\n"
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column, p.params) for p in record.problems] == [
        ("yaml-tag", 1, 17, {"tag": "!!int"}), ("yaml-tag", 1, 33, {"tag": "!!float"})]


@pytest.mark.parametrize(("text", "said", "data"), [
    ("x: {?&b k: v, ?*b : w}\n", [("yaml-anchor", 1, 6), ("yaml-alias", 1, 16)], None),
    ("y: [?!!str 5]\n", [("yaml-tag", 1, 6)], None),
    ("y: [a, ?&b c]\n", [("yaml-anchor", 1, 9)], {"y": ["a", {"c": None}]}),
])
def test_a_property_right_after_the_question_mark_of_a_key_in_brackets_is_said(
        tmp_path: Path, text: str, said: list[tuple[str, int, int]],
        data: dict[str, object] | None) -> None:
    """In brackets, "?" directly followed by a node starts a key: "?&b k" is the key "k" under
    an anchor, which names it without changing it, and "?*b" an alias used as a key, which
    stops the checks. Found, so the data is not silently other than the file."""
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == said
    assert record.data == data


@pytest.mark.parametrize(("text", "said"), [
    ("a: &x v\nb: *x\n", [("yaml-alias", 2, 1)]),
    ("a: &x v\n*x : w\n", [("yaml-alias", 2, 6)]),
    ("start: !!str 2022\n", [("yaml-tag", 1, 8)]),
    ("!!str 5: x\n", [("yaml-tag", 1, 1)]),
    ("a: !!set {x}\nb: !!omap [y]\n", [("yaml-tag", 1, 4), ("yaml-tag", 2, 4)]),
])
def test_an_alias_or_a_tag_the_events_did_not_show_is_said_by_the_loader_all_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
        said: list[tuple[str, int, int]]) -> None:
    """Should the search for anchors, aliases and tags (node_properties) miss one, the node
    tree still shows an alias (a node met again) and a tag that changes a value: said where
    the tree places it, and the record, which does not hold what the file says, is not
    checked further."""
    monkeypatch.setattr("sectorguide.load.node_properties", lambda text: [])
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == said
    assert all(p.params.get("tag", "!!").startswith("!!") for p in record.problems)
    assert record.data is None


HOSTILE = Path(__file__).parent / "hostile"


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("tag-*.yaml")), ids=lambda p: p.stem)
def test_nothing_is_constructed_from_a_tag(path: Path) -> None:
    """A tag is said, never constructed, and the value under it is not checked as text (which
    would add a second problem on the same value): only "!" and a word is text to quote."""
    record = load_record_file(path, path.name)
    assert record.data is None
    assert {p.code for p in record.problems} <= {"yaml-tag", "yaml-special-start"}
    for problem in record.problems:
        if problem.code == "yaml-special-start":
            assert re.fullmatch(r'\w+: "![A-Za-z]+ \w+"', problem.params["fixed"]), problem


def test_a_value_over_several_lines_reads_with_its_paragraphs_as_it_would_without_the_sign(
        tmp_path: Path) -> None:
    """The rest of the record is checked with the text as written: over several lines, read
    as YAML reads an unquoted text, a blank line being a paragraph break."""
    text = ("summary: {sign}Intro primer párrafo,\n  que sigue aquí.\n\n  Segundo párrafo.\n"
            "lessons:\n  - {sign}Uno\n    dos\n")
    read = {}
    for sign in ("", "&", "!"):
        (tmp_path / "record.yaml").write_text(text.format(sign=sign), "utf-8")
        record = load_record_file(tmp_path / "record.yaml", "record.yaml")
        assert [p.code for p in record.problems] == ["yaml-special-start-lines"] * (2 if sign else 0)
        assert record.data is not None
        read[sign] = record.data
    assert read[""]["summary"] == "Intro primer párrafo, que sigue aquí.\n\nSegundo párrafo."
    for sign in ("&", "!"):
        assert read[sign] == {"summary": sign + read[""]["summary"],
                              "lessons": [sign + read[""]["lessons"][0]]}


@pytest.mark.parametrize(("lang", "hint"), [
    ("en", ("write a text of several lines as a block: 'summary: |' alone on its line, then every "
            "line of the text below it, indented by 6 spaces")),
    ("es", ("escriba un texto de varias líneas como un bloque: 'summary: |' solo en su línea y, "
            "debajo, todas las líneas del texto tras 6 espacios")),
    ("fr", ("écrivez un texte de plusieurs lignes comme un bloc\u00a0: 'summary: |' seul sur sa "
            "ligne, puis toutes les lignes du texte en dessous, indentées de 6 espaces")),
])
def test_a_value_over_several_lines_is_said_with_the_block_that_keeps_it(
        tmp_path: Path, lang: str, hint: str) -> None:
    text = "text:\n  es:\n    summary: &Intro primer párrafo\n      que sigue.\n"
    said = render_text([_problem(tmp_path, text)], lang)
    assert said.rstrip().endswith(f"({hint})"), said


@pytest.mark.parametrize(("text", "said"), [
    ("defaults: &d {status: unknown}\n<<: *d\n", [("yaml-anchor", 1, 11), ("yaml-syntax", 2, 1)]),
    ("a: &d x\n<<: *d\n", [("yaml-special-start", 1, 4), ("yaml-syntax", 2, 1)]),
    ("a: &d {x: 1}\nb:\n  <<: [*d, {y: 2}]\n", [("yaml-anchor", 1, 4), ("yaml-syntax", 3, 3)]),
    ("title: &A x\n<<: *undefined\n", [("yaml-special-start", 1, 8), ("yaml-syntax", 2, 1)]),
])
def test_a_merge_key_is_said_as_a_field_name_not_as_a_value_to_quote(
        tmp_path: Path, text: str, said: list[tuple[str, int, int]]) -> None:
    """"<<: *d" is YAML 1.1's merge key: a field name that is not plain text, as it was always
    said; its alias gets no advice of its own (quoting it would make "<<" a field)."""
    (tmp_path / "record.yaml").write_text(text, "utf-8")
    record = load_record_file(tmp_path / "record.yaml", "record.yaml")
    assert [(p.code, p.line, p.column) for p in record.problems] == said
    assert record.problems[-1].params == {"detail": "a field name must be plain text"}
    assert "<<" not in (record.data or {})


# "&", "!" and "*" inside a value, not at its start: text, valid without quotes
INSIDE = Path(__file__).parent / "examples" / "good" / "reserved-characters-inside.yaml"


def test_an_ampersand_or_an_exclamation_mark_inside_a_value_is_text() -> None:
    record = load_record_file(INSIDE, INSIDE.name)
    assert record.problems == []
    assert record.data is not None and record.data["text"]["es"]["title"] == "Minería & energía"
    assert record.data["text"]["es"]["lessons"] == ["Se aprendió mucho & rápido!"]


# How a value that starts with "&" is said in each language, up to the line to write
AMPERSAND_SAID = [
    ("en", "this value starts with '&', a character YAML reserves for its own use",
     "put the whole value in quotes: "),
    ("es", "este valor empieza por '&', un carácter que YAML reserva para su propio uso",
     "ponga todo el valor entre comillas: "),
    ("fr", "cette valeur commence par '&', un caractère que YAML réserve à son propre usage",
     "mettez toute la valeur entre guillemets\u00a0: "),
]


@pytest.mark.parametrize(("lang", "message", "hint"), AMPERSAND_SAID)
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


def test_the_rest_of_a_record_with_an_anchor_written_twice_is_checked_too(
        runner: CliRunner, in_repo: Path, tmp_path: Path) -> None:
    """The same first word twice ("&Asociados") stops YAML's composer ("second occurrence"):
    the record is read again with those words blanked out, each value where it was, so that
    its other problems are said in the same run, at their place."""
    text = INSIDE.read_text("utf-8").replace(
        "  - title: Minería & energía, ¡un informe!\n", "  - title: &Asociados Mineros\n").replace(
        "    title: Minería & energía\n", "    title: &Asociados Mineros\n").replace(
        "status: unknown", "status: finished")
    path = tmp_path / INSIDE.name
    path.write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", "en", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(": error ")[0].rsplit(":", 2)[1:] for line in lines] == [
        ["9", "9"], ["12", "12"], ["15", "12"]]
    assert "unknown-value" in lines[0]
    assert all(line.endswith('title: "&Asociados Mineros")') for line in lines[1:])
    record = load_record_file(path, path.name)
    assert record.data is not None
    assert record.data["sources"][0]["title"] == record.data["text"]["es"]["title"] == (
        "&Asociados Mineros")
    assert record.without_tree().mark(("status",)) == (9, 9)  # composed again, blanked


# How an anchor is said in each language, before the advice that fits where it stands
ANCHOR_SAID = {
    "en": ("the YAML anchor '{anchor}' is not allowed in a record; what follows is checked as "
           "if the anchor were not there"),
    "es": ("el ancla YAML '{anchor}' no está permitida en una ficha; lo que sigue se revisa "
           "como si el ancla no estuviera ahí"),
    "fr": ("l’ancre YAML '{anchor}' n’est pas autorisée dans une fiche\u202f; ce qui suit est "
           "vérifié comme si l’ancre n’y était pas"),
}
# and the line it says to write without it
ANCHOR_HINT = {
    "en": "remove '{anchor}', so that the line reads: {fixed}",
    "es": "quite '{anchor}', de modo que la línea quede así: {fixed}",
    "fr": "retirez '{anchor}' pour que la ligne devienne\u00a0: {fixed}",
}


def _said(runner: CliRunner, tmp_path: Path, text: str, lang: str) -> list[tuple[list[str], str]]:
    """What `sectorguide validate` says of a record: each problem's line and column, and what
    it says from its code on."""
    (tmp_path / INSIDE.name).write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", lang, str(tmp_path / INSIDE.name)])
    assert result.exit_code == 1
    return [(where.rsplit(":", 2)[1:], what)
            for where, what in (line.split(": error ") for line in result.stdout.splitlines())]


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_an_anchor_on_a_list_is_said_with_the_other_problems_of_the_record(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str) -> None:
    """"countries: &c" names the list for YAML without changing it: the anchor is said, and the
    record is checked as the list reads, so that one run says every problem."""
    text = INSIDE.read_text("utf-8").replace(
        "countries: [CL]\n", "countries: &c\n  - CL\n").replace(
        "sector: mining\n", "sector: mining\nperiod: &p\n  start: 2023-02-30\n").replace(
        "status: unknown", "status: finished")
    said = _said(runner, tmp_path, text, lang)
    assert [(where, what.split(":")[0]) for where, what in said] == [
        (["6", "12"], "yaml-anchor"), (["9", "9"], "yaml-anchor"), (["10", "10"], "impossible-date"),
        (["12", "9"], "unknown-value")]
    hint = ANCHOR_HINT[lang].format(anchor="&c", fixed="countries:")
    assert said[0][1] == f"yaml-anchor: {ANCHOR_SAID[lang].format(anchor='&c')} ({hint})"
    record = load_record_file(tmp_path / INSIDE.name, INSIDE.name)
    assert record.data is not None and record.data["countries"] == ["CL"]
    assert record.data["period"] == {"start": "2023-02-30"}


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_an_anchor_on_a_field_name_is_said_with_the_other_problems_of_the_record(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str) -> None:
    """"&k id: x" names the field's name for YAML without changing it: the anchor is said with
    the line without it, as on a value, not as an alias to write out in full, and the record
    is checked as it reads, so that one run says every problem."""
    text = INSIDE.read_text("utf-8").replace("countries: [CL]", "&k countries: [CL]").replace(
        "  - title: Minería", "  - &t title: Minería").replace(
        "status: unknown", "status: finished")
    said = _said(runner, tmp_path, text, lang)
    assert [(where, what.split(":")[0]) for where, what in said] == [
        (["6", "1"], "yaml-anchor"), (["9", "9"], "unknown-value"), (["12", "5"], "yaml-anchor")]
    for (_, what), anchor, fixed in zip(said[::2], ("&k", "&t"), (
            "countries: [CL]", "- title: Minería & energía, ¡un informe!")):
        filled = (ANCHOR_SAID[lang].format(anchor=anchor),
                  ANCHOR_HINT[lang].format(anchor=anchor, fixed=fixed))
        assert what == "yaml-anchor: {} ({})".format(*filled)
    record = load_record_file(tmp_path / INSIDE.name, INSIDE.name)
    assert record.data is not None and record.data["countries"] == ["CL"]


@pytest.mark.parametrize(("lang", "message", "hint"), AMPERSAND_SAID)
def test_an_item_in_brackets_read_as_an_anchor_is_said_with_its_line_in_quotes(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, message: str,
        hint: str) -> None:
    """"[&x CL, PE]" is the list "CL", "PE" to YAML, the first under an anchor named "x": said
    as a value starting with "&" is anywhere else, with the line as it should be written, and
    the rest of the record is checked as it will read once quoted."""
    text = INSIDE.read_text("utf-8").replace("countries: [CL]", "countries: [&x CL, PE]").replace(
        "status: unknown", "status: finished")
    (tmp_path / INSIDE.name).write_text(text, "utf-8")
    result = runner.invoke(main, ["validate", "--lang", lang, str(tmp_path / INSIDE.name)])
    lines = result.stdout.splitlines()
    assert [line.split(": error ")[0].rsplit(":", 2)[1:] + [line.split(": error ")[1].split(":")[0]]
            for line in lines] == [["6", "13", "unknown-value"], ["6", "13", "yaml-special-start"],
                                   ["9", "9", "unknown-value"]]
    assert lines[1].endswith(f'yaml-special-start: {message} ({hint}countries: ["&x CL", PE])')



@pytest.mark.parametrize(("text", "said", "fixed"), [
    ("countries: &c [PE, &x CL]\n", [("yaml-anchor", 1, 12), ("yaml-special-start", 1, 20)],
     'countries: [PE, "&x CL"]'),
    ("countries: [&x CL, &y PE]  # dos\n",
     [("yaml-special-start", 1, 13), ("yaml-special-start", 1, 20)],
     'countries: ["&x CL", "&y PE"]  # dos'),
    ("a: &c [&x [1], *x]\n",
     [("yaml-anchor", 1, 4), ("yaml-anchor", 1, 8), ("yaml-special-start", 1, 16)],
     'a: [[1], "*x"]'),
    ("lessons:\n  - &l [&Uno dos, tres]\nb: 1\n", [("yaml-anchor", 2, 5), ("yaml-special-start", 2, 9)],
     '- ["&Uno dos", tres]'),
    ("sources: &s [{title: &Informe anual, publisher: !Nota x}]\n",
     [("yaml-anchor", 1, 10), ("yaml-special-start", 1, 22), ("yaml-special-start", 1, 49)],
     'sources: [{title: "&Informe anual", publisher: "!Nota x"}]'),
    # an anchor on a key, and the value of its line
    ("&k title: !Importante taller\n", [("yaml-anchor", 1, 1), ("yaml-special-start", 1, 11)],
     'title: "!Importante taller"'),
    ("lessons:\n  - &k title: &Uno dos  # nota\n", [("yaml-anchor", 2, 5),
                                                    ("yaml-special-start", 2, 15)],
     '- title: "&Uno dos"'),
    ("&k summary: &Intro primer\n  que sigue.\n",
     [("yaml-anchor", 1, 1), ("yaml-special-start-lines", 1, 13)], "summary: |"),
    # tags, removed in the same line as the anchors and the items quoted
    ("countries: &c [!!str PE, CL]\n", [("yaml-anchor", 1, 12), ("yaml-tag-shared-line", 1, 16)],
     "countries: [PE, CL]"),
    ("a: !!seq &c [!!str x, &y [1], *y]\n",
     [("yaml-tag-shared-line", 1, 4), ("yaml-tag-shared-line", 1, 14), ("yaml-anchor", 1, 23),
      ("yaml-special-start", 1, 31)], 'a: [x, [1], "*y"]'),
    ("sources: &s [{title: !!str x, publisher: &p y}]\n",
     [("yaml-anchor", 1, 10), ("yaml-tag-shared-line", 1, 22), ("yaml-special-start", 1, 42)],
     'sources: [{title: x, publisher: "&p y"}]'),
    ("!!str &k id: &c [x]\n", [("yaml-tag-shared-line", 1, 1), ("yaml-anchor", 1, 14)],
     "id: [x]"),
])
def test_marks_on_one_line_are_each_said_with_the_line_they_all_fix(
        tmp_path: Path, text: str, said: list[tuple[str, int, int]], fixed: str) -> None:
    """Several anchors, aliases or tags on one line are each said at their own column, and
    each one's line as it should be is the line with all of them fixed: whichever advice the
    contributor follows, the line then reads without a YAML problem."""
    path = tmp_path / "record.yaml"
    path.write_text(text, "utf-8")
    problems = load_record_file(path, "record.yaml").problems
    assert [(p.code, p.line, p.column) for p in problems] == said
    assert [p.params["fixed"] for p in problems] == [fixed] * len(said)
    lines = text.splitlines(keepends=True)
    written = lines[said[0][1] - 1]
    lines[said[0][1] - 1] = written[:len(written) - len(written.lstrip())] + fixed + "\n"
    path.write_text("".join(lines), "utf-8")
    assert load_record_file(path, "record.yaml").problems == []


def test_a_line_with_thousands_of_marks_costs_its_length_not_its_length_for_each(
        tmp_path: Path) -> None:
    """A hostile line of 4,000 items starting with "&" (39 kB) gave each problem a line of
    its own, 160 MB in all; a full file's worth (250 kB) ran out of memory. One fixed line is
    made for all the marks of a line."""
    path = tmp_path / "record.yaml"
    path.write_text("countries: [" + ", ".join(f"&a{n} x" for n in range(4000)) + "]\n", "utf-8")
    tracemalloc.start()
    try:
        problems = load_record_file(path, "record.yaml").problems
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40_000_000, peak
    assert len(problems) == 4000
    assert len({p.params["fixed"] for p in problems}) == 1


# How the mark beside an anchor is said, with the line to write after the hint's words
SAID_WITH_LINE = {
    "yaml-special-start": {lang: (message, hint) for lang, message, hint in AMPERSAND_SAID},
    "yaml-tag-shared-line": {
        "en": ("the YAML tag '!!str' is not allowed in a record",
               "remove the tag, so that the line reads: "),
        "es": ("la etiqueta YAML '!!str' no está permitida en una ficha",
               "quite la etiqueta, de modo que la línea quede así: "),
        "fr": ("l’étiquette YAML '!!str' n’est pas autorisée dans une fiche",
               "retirez l’étiquette pour que la ligne devienne\u00a0: "),
    },
}


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
@pytest.mark.parametrize(("written", "fixed", "other"), [
    ("countries: &c [PE, &x CL]", 'countries: [PE, "&x CL"]', (["6", "20"], "yaml-special-start")),
    ("countries: &c [!!str CL]", "countries: [CL]", (["6", "16"], "yaml-tag-shared-line")),
])
def test_an_anchor_and_another_mark_on_one_line_are_said_with_one_line_to_write(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, written: str, fixed: str,
        other: tuple[list[str], str]) -> None:
    """"countries: &c [PE, &x CL]", "countries: &c [!!str CL]": the anchor and the item or the
    tag are two problems, at their own columns, and both show the line with the two fixed,
    not a line that keeps the other. (A tag on a line without other marks is said without a
    line, as yaml-tag.)"""
    text = INSIDE.read_text("utf-8").replace("countries: [CL]", written)
    yaml_said = [(where, what) for where, what in _said(runner, tmp_path, text, lang)
                 if what.startswith("yaml-")]
    assert [(where, what.split(":")[0]) for where, what in yaml_said] == [
        (["6", "12"], "yaml-anchor"), other]
    assert yaml_said[0][1].endswith(f"({ANCHOR_HINT[lang].format(anchor='&c', fixed=fixed)})")
    message, hint = SAID_WITH_LINE[other[1]][lang]
    assert yaml_said[1][1] == f"{other[1]}: {message} ({hint}{fixed})"


@pytest.mark.parametrize(("lang", "hint"), [
    ("en", "delete this line, which holds only '{anchor}'"),
    ("es", "borre esta línea, que solo contiene '{anchor}'"),
    ("fr", "supprimez cette ligne, qui ne contient que '{anchor}'"),
])
def test_an_anchor_alone_on_its_line_is_said_with_the_line_to_delete(
        runner: CliRunner, in_repo: Path, tmp_path: Path, lang: str, hint: str) -> None:
    """"&c" alone on its line, above the list it names (or "&doc" above the whole record): an
    anchor, named, whose line is to go; the record is checked as it reads without it, so that
    one run says every problem."""
    text = INSIDE.read_text("utf-8").replace("id: ", "&doc\nid: ").replace(
        "countries: [CL]\n", "countries:\n  &c\n  - CL\n").replace(
        "status: unknown", "status: finished")
    said = _said(runner, tmp_path, text, lang)
    assert [(where, what.split(":")[0]) for where, what in said] == [
        (["3", "1"], "yaml-anchor-line"), (["8", "3"], "yaml-anchor-line"),
        (["12", "9"], "unknown-value")]
    for (_, what), anchor in zip(said, ("&doc", "&c")):
        filled = (ANCHOR_SAID[lang].format(anchor=anchor), hint.format(anchor=anchor))
        assert what == "yaml-anchor-line: {} ({})".format(*filled)
    record = load_record_file(tmp_path / INSIDE.name, INSIDE.name)
    assert record.data is not None and record.data["countries"] == ["CL"]


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
