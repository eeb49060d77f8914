"""YAML syntax mistakes are named, placed where they were made and said in the contributor's
language: libyaml's own sentence (in English, often a line late) only for the rare others."""

from __future__ import annotations

from pathlib import Path

import pytest
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
    ("a: `code`\n", "yaml-syntax", 1, 4, {}),
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
