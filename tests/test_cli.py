"""The `sectorguide` command as a contributor uses it: exit codes and the exact text shown."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from sectorguide.cli import main
from sectorguide.problems import problem_catalog
from sectorguide.vocabulary import LANGUAGES

from .conftest import REPO, copy_project

UNKNOWN_REF = "tests/examples/bad/unknown-reference.yaml"


def test_shipped_records_are_valid(runner: CliRunner, in_repo: Path) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.fullmatch(r"\d+ files checked: all valid\n", result.stderr)


def test_usage_error_exits_2(runner: CliRunner, in_repo: Path) -> None:
    result = runner.invoke(main, ["validate", "does/not/exist.yaml"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert runner.invoke(main, ["validate", "--format", "xml"]).exit_code == 2


def test_github_annotations_point_at_the_lines(runner: CliRunner, in_repo: Path) -> None:
    result = runner.invoke(main, ["validate", "--lang", "en", "--format", "github", UNKNOWN_REF])
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first == (
        "::error file=tests/examples/bad/unknown-reference.yaml,line=6,col=14,"
        "title=unknown-reference::'employabilty' in 'challenges[0]' is not a known challenge "
        "(use the id of a file in case_studies/challenges/, or add that file; "
        "did you mean 'employability'?)")


@pytest.mark.parametrize(("lang", "expected"), [
    ("es", "'employabilty' en 'challenges[0]' no corresponde a ningún desafío existente "
           "(use el identificador de un archivo de case_studies/challenges/, o agregue ese "
           "archivo; ¿quiso decir 'employability'?)"),
    # French: typographic apostrophe, narrow no-break space before ";" and "?"
    ("fr", "'employabilty' dans 'challenges[0]' ne correspond à aucun défi connu (utilisez "
           "l’identifiant d’un fichier de case_studies/challenges/, ou ajoutez ce fichier\u202f; "
           "vouliez-vous dire 'employability'\u202f?)"),
])
def test_messages_in_the_contributors_language(runner: CliRunner, in_repo: Path, lang: str,
                                               expected: str) -> None:
    result = runner.invoke(main, ["validate", "--lang", lang, UNKNOWN_REF])
    assert result.stdout.splitlines()[0] == (
        f"tests/examples/bad/unknown-reference.yaml:6:14: error unknown-reference: {expected}")


def test_language_comes_from_the_environment(runner: CliRunner, in_repo: Path) -> None:
    result = runner.invoke(main, ["validate", UNKNOWN_REF], env={"LANG": "fr_CA.UTF-8", "LC_ALL": ""})
    assert "ne correspond à aucun défi connu" in result.stdout
    assert "1 fichier vérifié\u00a0: 5 erreurs" in result.stderr


def test_every_problem_code_has_three_languages_with_the_same_placeholders() -> None:
    catalog = problem_catalog()
    for code, entry in catalog.items():
        assert set(entry) == set(LANGUAGES), code
        if code == "words":
            assert set(entry["en"]) == set(entry["es"]) == set(entry["fr"])
            continue
        for part in ("message", "hint"):
            names = {lang: set(re.findall(r"\{(\w+)\}", entry[lang].get(part, ""))) for lang in LANGUAGES}
            assert names["en"] == names["es"] == names["fr"], (code, part, names)


def test_every_code_the_code_uses_is_in_the_catalog() -> None:
    """Each problem made in the stages that report problems has its three messages."""
    package = REPO / "scripts" / "sectorguide"
    source = "".join((package / name).read_text("utf-8")
                     for name in ("load.py", "validate.py", "project.py"))
    made = re.findall(r'(?:problem|Problem)\([^()]*?"([a-z]+(?:-[a-z0-9]+)+)"', source, re.DOTALL)
    assert len(set(made)) > 20
    assert sorted(set(made) - set(problem_catalog())) == []


def test_every_command_has_help(runner: CliRunner) -> None:
    for command in (["validate"], ["build"], ["pdf"], ["serve"], ["status"], ["new", "case"],
                    ["new", "organization"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert len(result.output.split("\n\n")[1].strip()) > 20, command


def test_status_reports_missing_and_stale_translations(runner: CliRunner, records: Path) -> None:
    result = runner.invoke(main, ["status", "--root", str(records), "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    missing = [(r["record"], r["lang"]) for r in rows if r["state"] == "missing"]
    assert missing == [("stakeholder-mapping-mexico", "fr")]
    assert runner.invoke(main, ["status", "--root", str(records), "--strict"]).exit_code == 1
    # the original changes: its translations become stale, and status fails
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    path.write_text(path.read_text("utf-8").replace("was held in Chile in 2022 to identify",
                                                    "was held in Chile in 2022, to identify", 1))
    result = runner.invoke(main, ["status", "--root", str(records)])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("regional-workshop-chile-2022"))
    assert line.split()[1:] == ["project_activity", "original", "stale", "stale"]
    # marking one translation as up to date edits one line and keeps the comments
    before = path.read_text("utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated",
                                  "regional-workshop-chile-2022", "es"])
    assert result.exit_code == 0, result.output
    after = path.read_text("utf-8")
    assert [a for a, b in zip(after.splitlines(), before.splitlines(), strict=True) if a != b] == [
        next(x for x in after.splitlines() if "translated_from" in x)]
    result = runner.invoke(main, ["status", "--root", str(records), "--format", "json"])
    states = {(r["record"], r["lang"]): r["state"] for r in json.loads(result.stdout)}
    assert states[("regional-workshop-chile-2022", "es")] == "complete"
    assert states[("regional-workshop-chile-2022", "fr")] == "stale"


def test_a_translation_that_leaves_texts_out_is_incomplete(runner: CliRunner, records: Path) -> None:
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    del data["text"]["fr"]["context"], data["text"]["fr"]["results"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", "fr"])
    assert result.exit_code == 0, result.output  # not an error: the site shows the original's
    line = next(x for x in result.stdout.splitlines() if x.startswith("regional-workshop-chile-2022"))
    assert line.split()[1:] == ["project_activity", "original", "complète", "incomplète"]
    assert "1 incomplète" in result.stdout
    assert runner.invoke(main, ["status", "--root", str(records), "--strict"]).exit_code == 1
    # marking it says what it leaves out
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", "en",
                                  "--mark-translated", "regional-workshop-chile-2022", "fr"])
    assert result.exit_code == 0, result.output
    assert "text.fr does not translate context; results: the site shows the original's text" in result.output


def test_mark_translated_adds_the_line_when_absent(runner: CliRunner, records: Path) -> None:
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    path.write_text(re.sub(r"\n    translated_from: \w+", "", path.read_text("utf-8")))
    assert runner.invoke(main, ["validate", "--root", str(records), str(path)]).exit_code == 1
    status = runner.invoke(main, ["status", "--root", str(records), "--format", "json"])
    states = {r["lang"]: r["state"] for r in json.loads(status.stdout)
              if r["record"] == "regional-workshop-chile-2022"}
    assert states == {"en": "original", "es": "unmarked", "fr": "unmarked"} and status.exit_code == 1
    for lang in ("es", "fr"):
        result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated",
                                      "regional-workshop-chile-2022", lang])
        assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["validate", "--root", str(records), str(path)]).exit_code == 0
    refused = runner.invoke(main, ["status", "--root", str(records), "--mark-translated",
                                   "stakeholder-mapping-mexico", "fr"])
    assert refused.exit_code == 1 and "no text.fr block" in refused.output


def test_a_translation_with_problems_is_not_marked(runner: CliRunner, records: Path) -> None:
    """A French block with "sumary:" for "summary:" is not marked as a faithful translation:
    the contributor is shown its problems, and the file is left as it was."""
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    french = data["text"]["fr"]
    french["sumary"] = french.pop("summary")
    del french["translated_from"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    before = path.read_bytes()
    result = runner.invoke(main, ["status", "--root", str(records), "--lang", "es",
                                  "--mark-translated", "regional-workshop-chile-2022", "fr"])
    assert result.exit_code == 1
    assert "missing-field" in result.output and "'sumary'" in result.output
    assert "text.fr o su original tiene los problemas indicados arriba" in result.output
    assert path.read_bytes() == before


def test_a_problem_in_another_text_does_not_stop_marking(runner: CliRunner, records: Path) -> None:
    """Marking the Spanish translation vouches for it and for the original, not for the French
    block after it (here written "Français:"), nor for a separate translation file."""
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    path.write_text(re.sub(r"\n(  es:\n)    translated_from: \w+\n", r"\n\1", path.read_text("utf-8"))
                    .replace("\n  fr:\n", "\n  Français:\n", 1), "utf-8")
    (path.parent / "regional-workshop-chile-2022.es.yaml").write_text(
        "id: regional-workshop-chile-2022\ntext:\n  es:\n    title: Taller\n", "utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated",
                                  "regional-workshop-chile-2022", "es"])
    assert result.exit_code == 0, result.output
    assert "translated_from" in path.read_text("utf-8").split("  es:\n")[1].split("\n")[0]
    status = runner.invoke(main, ["status", "--root", str(records), "--format", "json"])
    listed = {row["record"] for row in json.loads(status.stdout)}
    assert "regional-workshop-chile-2022.es" in listed  # the separate file, by its name


def test_new_case_skeleton_validates_once_its_text_is_written(runner: CliRunner, records: Path) -> None:
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--id", "pilot-in-lima",
                                  "--kind", "pilot_project", "--country", "PE", "--lang", "es",
                                  "--challenge", "employability"])
    assert result.exit_code == 0, result.output
    path = records / "case_studies/cases/pilot-in-lima.yaml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/sectorguide.schema.json\n")
    assert "Obligatorio: el título que ven los lectores" in text
    check = runner.invoke(main, ["validate", "--root", str(records), "--lang", "es", str(path)])
    assert check.exit_code == 1
    assert [line.split(" error ")[1].split(":")[0] for line in check.stdout.splitlines()] == [
        "empty-required-text", "empty-required-text"]
    path.write_text(text.replace('title: ""', "title: Un piloto en Lima").replace(
        'summary: ""', "summary: Lo que se sabe del piloto."))
    filled = runner.invoke(main, ["validate", "--root", str(records), str(path)])
    assert filled.exit_code == 0 and filled.stdout == "", filled.output  # not even a warning
    again = runner.invoke(main, ["new", "case", "--root", str(records), "--id", "pilot-in-lima",
                                 "--kind", "pilot_project", "--country", "PE", "--challenge", "employability"])
    assert again.exit_code == 2 and "already used by case_studies/cases/pilot-in-lima.yaml" in again.output


def test_new_case_asks_for_what_is_missing(runner: CliRunner, records: Path) -> None:
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "fr"],
                           input="atelier-quebec\nsector_council_practice\nCA\nemployability, gender-equality\n")
    assert result.exit_code == 0, result.output
    text = (records / "case_studies/cases/atelier-quebec.yaml").read_text("utf-8")
    assert 'countries: ["CA"]' in text and 'challenges: ["employability", "gender-equality"]' in text
    assert "Obligatoire\u00a0: le titre que voient les lecteurs" in text


# What `new` asks, in English, Spanish and French: the heading of each list of choices and the
# question after it; then a value of each list with its name, as the line that lists it says it.
ASKED = {
    "kinds": ("Kinds of case:", "Tipos de caso:", "Types de cas\u00a0:"),
    "kind": ("Kind (value or name): ", "Tipo (valor o nombre): ", "Type (valeur ou nom)\u00a0: "),
    "countries": ("Countries of the guide:", "Países de la guía:", "Pays du guide\u00a0:"),
    "country": ("Countries (codes or names, separated by commas): ",
                "Países (códigos o nombres, separados por comas): ",
                "Pays (codes ou noms, séparés par des virgules)\u00a0: "),
    "challenges": ("Challenges of the guide:", "Desafíos de la guía:", "Défis du guide\u00a0:"),
    "challenge": ("Challenges (ids or names, separated by commas): ",
                  "Desafíos (identificadores o nombres, separados por comas): ",
                  "Défis (identifiants ou noms, séparés par des virgules)\u00a0: "),
    "types": ("Types of organization:", "Tipos de organización:", "Types d’organisation\u00a0:"),
    "type": ("Type (value or name): ", "Tipo (valor o nombre): ", "Type (valeur ou nom)\u00a0: "),
}
NAMED = {
    "pilot_project": ("Pilot project", "Proyecto piloto", "Projet pilote"),
    "PE": ("Peru", "Perú", "Pérou"),
    "employability": ("Employability", "Empleabilidad", "Employabilité"),
    "government": ("Government", "Gobierno", "Gouvernement"),
}


def _in(lang: str, texts: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    return {key: said[LANGUAGES.index(lang)] for key, said in texts.items()}


def _asked(runner: CliRunner, records: Path, lang: str, command: list[str],
           answers: str) -> tuple[list[str], dict[str, str]]:
    """The lines a contributor sees when they answer `new`'s questions, and what is asked in
    their language."""
    result = runner.invoke(main, ["new", *command, "--root", str(records), "--lang", lang],
                           input=answers)
    assert result.exit_code == 0, result.output
    return result.output.splitlines(), _in(lang, ASKED)


def _listed_under(lines: list[str], heading: str, question: str) -> list[str]:
    """The values listed between a heading and its question, each the first word of a line
    indented by two spaces (a name too long for its line goes on below, further in)."""
    start = lines.index(heading)
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith(question))
    return [line.split()[0] for line in lines[start + 1:end] if re.match(r"  \S", line)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_case_lists_the_choices_one_a_line_then_asks_a_short_question(
        runner: CliRunner, records: Path, lang: str) -> None:
    lines, asked = _asked(runner, records, lang, ["case"],
                          "taller-lima\npilot_project\nPE\nemployability\n")
    assert _listed_under(lines, asked["kinds"], asked["kind"]) == [
        "pilot_project", "project_activity", "sector_council_practice"]
    assert _listed_under(lines, asked["countries"], asked["country"]) == [
        "CL", "CO", "PE", "MX", "CA"]
    assert _listed_under(lines, asked["challenges"], asked["challenge"]) == sorted(
        path.stem for path in (records / "case_studies/challenges").glob("*.yaml"))
    for value in ("pilot_project", "PE", "employability"):
        name = _in(lang, NAMED)[value]
        assert any(re.fullmatch(rf"  {value} +{name}", line) for line in lines), (value, lines)
    assert f"{asked['kind']}pilot_project" in lines
    assert f"{asked['challenge']}employability" in lines
    shown = [line for line in lines[:-1] if not line.startswith(tuple(asked.values()))]
    assert max(len(line) for line in shown) <= 80, shown  # the last line: the result


@pytest.mark.parametrize("lang", ["en", "es"])
def test_new_case_asks_the_question_again_after_a_bad_answer_not_the_list(
        runner: CliRunner, records: Path, lang: str) -> None:
    lines, asked = _asked(runner, records, lang, ["case"],
                          "taller-lima\npilot\npilot_project\nPE\nnada\nemployability\n")
    kind = lines.index(f"{asked['kind']}pilot")
    assert lines[kind + 1].startswith("Error: 'pilot' ")
    assert lines[kind + 2] == f"{asked['kind']}pilot_project"
    challenge = lines.index(f"{asked['challenge']}nada")
    assert lines[challenge + 1].startswith("Error: 'nada' ")
    assert lines[challenge + 2] == f"{asked['challenge']}employability"
    assert lines.count(asked["kinds"]) == lines.count(asked["challenges"]) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_organization_lists_the_types_with_their_names(runner: CliRunner, records: Path,
                                                           lang: str) -> None:
    lines, asked = _asked(runner, records, lang,
                          ["organization", "--id", "ministerio-x", "--name", "Ministerio X"],
                          "ministry\ngovernment\n")
    assert _listed_under(lines, asked["types"], asked["type"]) == [
        "sector_council", "education", "government", "industry", "civil_society",
        "intergovernmental"]
    government = _in(lang, NAMED)["government"]
    assert any(re.fullmatch(rf"  government +{government}", line) for line in lines)
    assert lines[lines.index(f"{asked['type']}ministry") + 2] == f"{asked['type']}government"


def test_new_prints_nothing_but_its_result_when_every_option_is_given(runner: CliRunner,
                                                                      records: Path) -> None:
    case = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "es",
                                "--id", "taller-lima", "--kind", "pilot_project", "--country", "PE",
                                "--challenge", "employability"])
    assert case.exit_code == 0 and case.output.startswith("se creó "), case.output
    assert len(case.output.splitlines()) == 1
    organization = runner.invoke(main, ["new", "organization", "--root", str(records),
                                        "--lang", "fr", "--id", "org-x", "--name", "Org",
                                        "--type", "industry"])
    assert organization.exit_code == 0, organization.output
    assert len(organization.output.splitlines()) == 1


def test_new_organization(runner: CliRunner, records: Path) -> None:
    result = runner.invoke(main, ["new", "organization", "--root", str(records), "--id", "ministry-x",
                                  "--name", "Ministerio X", "--type", "government", "--country", "CO",
                                  "--lang", "es"])
    assert result.exit_code == 0, result.output
    path = records / "case_studies/organizations/ministry-x.yaml"
    path.write_text(path.read_text("utf-8").replace('description: ""', "description: Un ministerio."))
    assert runner.invoke(main, ["validate", "--root", str(records), str(path)]).exit_code == 0
    assert runner.invoke(main, ["new", "organization", "--root", str(records), "--id", "mihr",
                                "--name", "x", "--type", "industry"]).exit_code == 2


def test_fix_repairs_what_is_mechanical_and_leaves_a_valid_file(runner: CliRunner,
                                                                records: Path) -> None:
    source = (REPO / "tests/examples/good/minimal-pilot.yaml").read_text("utf-8")
    lines = source.splitlines()
    # fields out of order, trailing spaces, CRLF endings, and a file name that is not the id
    scrambled = [lines[0], lines[1]] + [lines[9], lines[8], lines[2], lines[3] + "   "] + lines[4:8] + lines[10:]
    path = records / "case_studies/cases/wrong-name.yaml"
    path.write_bytes("\r\n".join(scrambled).encode("utf-8"))
    result = runner.invoke(main, ["validate", "--root", str(records), "--fix", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:4] == [
        "case_studies/cases/wrong-name.yaml: fixed: line endings changed to LF",
        "case_studies/cases/wrong-name.yaml: fixed: removed trailing spaces",
        "case_studies/cases/wrong-name.yaml: fixed: added the final newline",
        "case_studies/cases/wrong-name.yaml: fixed: fields put in the schema's order",
    ]
    assert "renamed to minimal-pilot.yaml" in result.stderr
    fixed = (records / "case_studies/cases/minimal-pilot.yaml").read_text("utf-8")
    assert fixed == source


def test_fix_says_what_it_changed_in_the_contributors_language(runner: CliRunner,
                                                               records: Path) -> None:
    source = (REPO / "tests/examples/good/minimal-pilot.yaml").read_text("utf-8")
    path = records / "case_studies/cases/otro-nombre.yaml"
    path.write_text(source.replace("\n", "  \n", 3), "utf-8")
    result = runner.invoke(main, ["validate", "--root", str(records), "--fix", "--lang", "es", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:2] == [
        "case_studies/cases/otro-nombre.yaml: corregido: se quitaron los espacios al final de las líneas",
        "case_studies/cases/otro-nombre.yaml: corregido: renombrado a minimal-pilot.yaml para que "
        "coincida con su id",
    ]


# -- what a contributor's mistakes (or a hostile file) must not do --------------------------------

def test_fix_leaves_files_the_loader_refuses_untouched_and_answers_at_once(
        runner: CliRunner, records: Path, tmp_path: Path) -> None:
    cases = records / "case_studies/cases"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]   \r\n"
        for i in range(9))
    deep = "a: " + "[" * 100_000 + "]" * 100_000 + "   \r\n"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"kept: as it is   \r\n")
    (cases / "linked.yaml").symlink_to(outside)
    files = {"bomb.yaml": bomb, "deep.yaml": deep}
    for name, text in files.items():
        (cases / name).write_bytes(text.encode("utf-8"))
    started = time.monotonic()
    result = runner.invoke(main, ["validate", "--root", str(records), "--fix"])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    for name, text in files.items():
        assert (cases / name).read_bytes() == text.encode("utf-8"), name
        assert f"case_studies/cases/{name}" in result.stdout
    assert outside.read_bytes() == b"kept: as it is   \r\n"  # never written through the link
    assert "case_studies/cases/linked.yaml:1:1: error symlink" in result.stdout


def test_mark_translated_refuses_a_link_and_a_block_in_braces(runner: CliRunner, records: Path,
                                                               tmp_path: Path) -> None:
    cases = records / "case_studies/cases"
    source = cases / "regional-workshop-chile-2022.yaml"
    outside = tmp_path / "outside.yaml"
    outside.write_text(source.read_text("utf-8").replace("regional-workshop-chile-2022", "linked-rec"))
    (cases / "linked-rec.yaml").symlink_to(outside)
    before = outside.read_text("utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated", "linked-rec", "es"])
    assert result.exit_code == 1 and outside.read_text("utf-8") == before
    # text.es in {...} form, with a translated_from inside: refused, the file unchanged
    braces = cases / "minimal-pilot.yaml"
    braces.write_text((REPO / "tests/examples/good/minimal-pilot.yaml").read_text("utf-8").replace(
        "\n  es:\n    title: Un caso mínimo\n    summary: Solo los campos obligatorios; todo lo demás se "
        "desconoce todavía.\n", "\n  es:\n    title: Un caso mínimo\n    summary: Solo los campos.\n"
        "  en: {translated_from: 000000000000, title: A minimal case, summary: Only the fields.}\n"))
    before = braces.read_text("utf-8")
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated", "minimal-pilot", "en"])
    assert result.exit_code == 1 and "{...}" in result.output
    assert braces.read_text("utf-8") == before


def test_a_revision_of_digits_only_is_written_so_that_it_stays_text(runner: CliRunner,
                                                                     records: Path) -> None:
    from sectorguide.revision import revision_in_yaml, text_revision

    assert revision_in_yaml("480127220669") == '"480127220669"'
    assert revision_in_yaml("0b1011011101") == '"0b1011011101"'
    assert revision_in_yaml("de9670595f89") == "de9670595f89"
    # a summary whose revision is all digits (found by trying summaries)
    summary = next(f"A summary {n}." for n in range(100_000)
                   if text_revision({"title": "T", "summary": f"A summary {n}."}).isdigit())
    path = records / "case_studies/cases/digits-only.yaml"
    path.write_text(f"id: digits-only\nkind: pilot_project\noriginal_language: en\ncountries: [PE]\n"
                    f"sector: mining\nchallenges: [employability]\nstatus: unknown\ncuration: draft\n"
                    f"text:\n  en:\n    title: T\n    summary: {summary}\n  es:\n    title: T\n"
                    f"    summary: R.\n", "utf-8")
    hint = runner.invoke(main, ["validate", "--root", str(records), str(path)])
    revision = text_revision({"title": "T", "summary": summary})
    assert f"add 'translated_from: \"{revision}\"'" in hint.stdout
    result = runner.invoke(main, ["status", "--root", str(records), "--mark-translated", "digits-only", "es"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["validate", "--root", str(records), str(path)]).exit_code == 0


def test_a_new_file_sharing_an_id_is_told_even_when_checked_alone(runner: CliRunner,
                                                                  records: Path) -> None:
    copy = records / "case_studies/cases/conocer.yaml"
    copy.write_text((records / "case_studies/organizations/conocer.yaml").read_text("utf-8"))
    result = runner.invoke(main, ["validate", "--root", str(records), str(copy)])
    assert result.exit_code == 1
    assert "case_studies/cases/conocer.yaml:" in result.stdout and "duplicate-id" in result.stdout
    # a file named twice is one file
    case = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    twice = runner.invoke(main, ["validate", "--root", str(records), str(case),
                                 str(case.parent / ".." / "cases" / case.name)])
    assert twice.exit_code == 0, twice.output


def _said(result: Any) -> list[tuple[str, str]]:
    return [(problem["file"].rsplit("/", 1)[-1], problem["code"])
            for problem in json.loads(result.stdout)]


def test_a_language_written_as_its_name_is_told_its_code(runner: CliRunner, records: Path) -> None:
    path = records / "case_studies/cases/regional-workshop-chile-2022.yaml"
    path.write_text(path.read_text("utf-8").replace("\n  es:\n", "\n  sp:\n", 1)
                    .replace("\n  fr:\n", "\n  Français:\n", 1), "utf-8")
    said = runner.invoke(main, ["validate", "--root", str(records), str(path)]).stdout
    assert "'sp' is not a field of text" in said and "did you mean 'es'?" in said
    assert "'Français' is not a field of text" in said and "did you mean 'fr'?" in said


def test_a_translation_in_a_file_of_its_own_is_told_where_it_goes(runner: CliRunner,
                                                                  records: Path) -> None:
    """A partner who writes "<id>.es.yaml", as the chapters' translations are written, gets one
    answer: the translation goes in the record's own file. Not seven missing fields, nor an
    id that the original is told to change."""
    cases = records / "case_studies/cases"
    (cases / "regional-workshop-chile-2022.es.yaml").write_text(
        "id: regional-workshop-chile-2022\ntext:\n  es:\n    title: Taller\n", "utf-8")
    (cases / "no-such-record.fr.yaml").write_text("text:\n  fr:\n    title: Atelier\n", "utf-8")
    result = runner.invoke(main, ["validate", "--root", str(records), "--format", "json"])
    assert result.exit_code == 1
    assert sorted(_said(result)) == [("no-such-record.fr.yaml", "translation-file-no-record"),
                                     ("regional-workshop-chile-2022.es.yaml", "translation-file")]
    spanish = runner.invoke(main, ["validate", "--root", str(records), "--lang", "es"]).stdout
    assert "al 'text:' de case_studies/cases/regional-workshop-chile-2022.yaml" in spanish
    # --fix does not rename it after its id, over the record it translates or as a record
    runner.invoke(main, ["validate", "--root", str(records), "--fix"])
    assert (cases / "regional-workshop-chile-2022.es.yaml").exists()
    (cases / "no-such-record.fr.yaml").write_text("id: no-such-record\ntext:\n  fr:\n    title: A\n",
                                                  "utf-8")
    runner.invoke(main, ["validate", "--root", str(records), "--fix"])
    assert (cases / "no-such-record.fr.yaml").exists() and not (cases / "no-such-record.yaml").exists()


def test_a_record_copied_under_a_new_name_is_told_to_take_its_own_id(runner: CliRunner,
                                                                      records: Path) -> None:
    """A new record started from a copy keeps the original's id: the copy is told to take the
    id its file name gives; the original, named after the id, is left alone."""
    cases = records / "case_studies/cases"
    (cases / "taller-chile.yaml").write_bytes((cases / "regional-workshop-chile-2022.yaml").read_bytes())
    result = runner.invoke(main, ["validate", "--root", str(records), "--format", "json"])
    assert _said(result) == [("taller-chile.yaml", "taken-id")]
    english = runner.invoke(main, ["validate", "--root", str(records)]).stdout
    assert "'id: taller-chile'" in english and "rename" not in english


def test_a_file_that_is_not_named_as_a_record_is_told_not_left_out(runner: CliRunner,
                                                                   records: Path) -> None:
    cases = records / "case_studies/cases"
    (cases / "upper-ext.YAML").write_bytes((cases / "regional-workshop-chile-2022.yaml").read_bytes())
    (cases / "no-extension").write_text("id: no-extension\n", "utf-8")
    (records / "case_studies/.gitkeep").write_text("")
    (records / "case_studies/README.md").write_text("Notes for partners.\n")
    result = runner.invoke(main, ["validate", "--root", str(records)])
    assert result.exit_code == 1
    told = [line.split(": error ")[0] for line in result.stdout.splitlines()]
    assert told == ["case_studies/cases/no-extension:1:1", "case_studies/cases/upper-ext.YAML:1:1"]
    assert "(rename it to upper-ext.yaml)" in result.stdout


def test_prose_that_mentions_data_is_not_taken_for_a_data_address(runner: CliRunner,
                                                                  records: Path) -> None:
    path = records / "case_studies/cases/minimal-pilot.yaml"
    source = (REPO / "tests/examples/good/minimal-pilot.yaml").read_text("utf-8")
    summary = "    summary: Solo los campos obligatorios; todo lo demás se desconoce todavía."
    assert summary in source
    path.write_text(source.replace(summary, '    summary: "The survey data: women/men ratio by site."'),
                    "utf-8")
    assert runner.invoke(main, ["validate", "--root", str(records), str(path)]).exit_code == 0
    path.write_text(source.replace(summary, '    summary: "See data: text/html,x for it."'), "utf-8")
    refused = runner.invoke(main, ["validate", "--root", str(records), str(path)])
    assert refused.exit_code == 1 and "unsafe-link" in refused.stdout


def test_status_new_and_mark_speak_the_contributors_language(runner: CliRunner, records: Path) -> None:
    table = runner.invoke(main, ["status", "--root", str(records), "--lang", "es"])
    assert table.stdout.splitlines()[0].split()[:2] == ["ficha", "tipo"]
    row = next(x for x in table.stdout.splitlines() if x.startswith("stakeholder-mapping-mexico"))
    assert row.split()[1:] == ["project_activity", "completa", "original", "faltante"]
    assert re.fullmatch(r"\d+ completas, 1 faltante, 0 desactualizadas", table.stdout.splitlines()[-1])
    refused = runner.invoke(main, ["status", "--root", str(records), "--lang", "fr",
                                   "--mark-translated", "stakeholder-mapping-mexico", "fr"])
    assert refused.exit_code == 1
    assert "il n’y a pas de bloc text.fr à marquer\u202f; traduisez-le d’abord" in refused.output
    unknown = runner.invoke(main, ["status", "--root", str(records), "--lang", "es",
                                   "--mark-translated", "no-such-record", "es"])
    assert "ninguna ficha tiene el identificador 'no-such-record'" in unknown.output
    taken = runner.invoke(main, ["new", "organization", "--root", str(records), "--id", "mihr",
                                 "--name", "x", "--type", "industry", "--lang", "fr"])
    assert taken.exit_code == 2 and "l’identifiant «\u00a0mihr\u00a0» est déjà utilisé par" in taken.output
    made = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "es"],
                         input="taller-lima\npilot_project\nPE\nemployability\n")
    assert "Países (códigos o nombres, separados por comas): PE" in made.output
    assert "se creó case_studies/cases/taller-lima.yaml: escriba su título y su resumen" in made.output


def test_only_a_required_text_left_empty_is_told_it_is_required(runner: CliRunner,
                                                                 records: Path) -> None:
    path = records / "case_studies/cases/minimal-pilot.yaml"
    source = (REPO / "tests/examples/good/minimal-pilot.yaml").read_text("utf-8")
    path.write_text(source.replace("    title: Un caso mínimo", '    title: " "\n    context: "  "')
                    .replace("status: unknown", 'status: unknown\nsources:\n  - {title: " ", publisher: " "}'),
                    "utf-8")
    result = runner.invoke(main, ["validate", "--root", str(records), "--lang", "en", str(path)])
    codes = {line.split("'")[1]: line.split(" error ")[1].split(":")[0] for line in result.stdout.splitlines()}
    assert codes == {"text.es.title": "empty-required-text", "text.es.context": "empty-text",
                     "sources[0].title": "empty-required-text", "sources[0].publisher": "empty-text"}


def test_build_says_its_stages_in_the_contributor_s_language(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "guide")
    result = runner.invoke(main, ["build", "--no-pdf", "--root", str(root), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    done = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"site généré dans site/ \(pages [\d,]+\u00a0s, site [\d,]+\u00a0s, données "
                        r"ouvertes et vérification [\d,]+\u00a0s, recherche [\d,]+\u00a0s\)", done), done


def test_new_case_asks_again_until_each_answer_reads(runner: CliRunner, records: Path) -> None:
    """Answers in the contributor's language, each checked as it is given: an id that cannot be
    one, a kind misspelt, a country by its Spanish name and one outside the guide, a country
    code where a challenge goes."""
    answers = ("Piloto Lima\npiloto-en-lima\npilot\npilot_project\nPerú, Brasil\nPerú\nPE\n"
               "employabilty\nigualdad de genero\nEmpleabilidad\n")
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "es"], input=answers)
    assert result.exit_code == 0, result.output
    assert "'Piloto Lima' no puede ser un identificador" in result.output
    assert "'pilot' no es uno de pilot_project, project_activity, sector_council_practice" in result.output
    assert "'Brasil' no es uno de los países de la guía" in result.output and "PE (Perú)" in result.output
    assert "'PE' no está en la lista" in result.output
    assert "'employabilty' no está en la lista" in result.output
    assert "¿quiso decir 'employability'?" in result.output
    # a label written short and without its accents: the challenge it is close to
    assert "'igualdad de genero' no está en la lista" in result.output
    assert "¿quiso decir 'gender-equality'?" in result.output
    data = yaml.safe_load((records / "case_studies/cases/piloto-en-lima.yaml").read_text("utf-8"))
    assert (data["id"], data["kind"], data["countries"], data["challenges"]) == (
        "piloto-en-lima", "pilot_project", ["PE"], ["employability"])


def test_new_refuses_a_used_id_before_asking_anything_else(runner: CliRunner, records: Path) -> None:
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "en",
                                  "--id", "regional-workshop-chile-2022"])
    assert result.exit_code == 2
    assert "the id 'regional-workshop-chile-2022' is already used by" in result.output
    assert "Kind" not in result.output
    named = runner.invoke(main, ["new", "organization", "--root", str(records), "--lang", "fr",
                                 "--id", "minem-peru", "--name", "Ministerio de Energía y Minas",
                                 "--type", "government", "--country", "Pérou"])
    assert named.exit_code == 0, named.output
    assert "country: PE" in (records / "case_studies/organizations/minem-peru.yaml").read_text("utf-8")


def test_root_may_be_given_once_for_the_command_and_paths_are_read_from_it(
        runner: CliRunner, records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    status = runner.invoke(main, ["--root", str(records), "status", "--format", "json"])
    assert status.exit_code == 0, status.output
    assert len(json.loads(status.stdout)) > 20
    named = runner.invoke(main, ["--root", str(records), "validate", "--lang", "en",
                                 "case_studies/cases/stakeholder-mapping-peru.yaml"])
    assert named.exit_code == 0 and "1 file checked: all valid" in named.output
    missing = runner.invoke(main, ["validate", "--root", str(records), "--lang", "es",
                                   "case_studies/cases/nope.yaml"])
    assert missing.exit_code == 2 and "'case_studies/cases/nope.yaml' no existe, ni aquí ni en" in missing.output


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "1 file checked: 1 error, 1 warning"),
    ("es", "1 archivo revisado: 1 error, 1 advertencia"),
    ("fr", "1 fichier vérifié\u00a0: 1 erreur, 1 avertissement"),
])
def test_the_summary_counts_errors_and_warnings_in_number(runner: CliRunner, in_repo: Path,
                                                          lang: str, said: str) -> None:
    result = runner.invoke(main, ["validate", "--lang", lang,
                                  "tests/examples/bad/stale-translation.yaml"])
    assert result.exit_code == 1 and result.stderr.strip() == said


@pytest.mark.parametrize("command", [
    ["validate"], ["status"], ["build", "--no-pdf"],
    ["new", "case", "--id", "taller-lima", "--kind", "pilot_project", "--country", "PE",
     "--challenge", "employability"],
    ["new", "organization", "--id", "org-lima", "--name", "Org", "--type", "government",
     "--country", "PE"]])
def test_a_folder_that_is_not_a_guide_is_said_in_the_contributor_s_language(
        runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    """Run from the wrong folder (no schema/), every command says where it looked and what to
    do, in the contributor's language: not a traceback, not English."""
    result = runner.invoke(main, [*command, "--root", str(tmp_path), "--lang", "es"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "no se encontró schema/sectorguide.schema.json" in result.output
    assert "--root" in result.output and "not found" not in result.output


def test_new_case_takes_a_kind_by_its_name_and_says_the_command_in_the_chosen_language(
        runner: CliRunner, records: Path) -> None:
    """A kind written as the prompt describes it ("proyecto piloto", "activité de projet") is
    that kind; a near miss gets the value suggested; the command printed at the end checks the
    record in the language chosen with --lang, which the environment may not say."""
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--lang", "es"],
                           input="taller-lima\npilot_proyect\nproyecto piloto\nPE\nemployability\n")
    assert result.exit_code == 0, result.output
    assert "(¿quiso decir 'pilot_project'?)" in result.output
    assert "sectorguide validate case_studies/cases/taller-lima.yaml --lang es" in result.output
    data = yaml.safe_load((records / "case_studies/cases/taller-lima.yaml").read_text("utf-8"))
    assert data["kind"] == "pilot_project"
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--id", "atelier-lima",
                                  "--kind", "Activité de projet", "--country", "PE",
                                  "--challenge", "employability"], env={"LANG": "fr_CA.UTF-8"})
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("sectorguide validate case_studies/cases/atelier-lima.yaml")
    data = yaml.safe_load((records / "case_studies/cases/atelier-lima.yaml").read_text("utf-8"))
    assert data["kind"] == "project_activity"


def test_a_record_saved_in_windows_1252_is_said_so_and_fix_converts_it(runner: CliRunner,
                                                                       records: Path) -> None:
    """Windows editors save Spanish and French in Windows-1252: the record is refused with the
    character that is not read as written, and --fix converts it to UTF-8, every character
    kept."""
    path = records / "case_studies/cases/stakeholder-mapping-peru.yaml"
    text = path.read_text("utf-8").replace("\u202f", " ").replace("\u00a0", " ")
    path.write_bytes(text.encode("cp1252"))
    said = runner.invoke(main, ["validate", "--root", str(records), "--lang", "es", str(path)])
    assert said.exit_code == 1 and "error windows-1252" in said.stdout
    assert "aquí '" in said.stdout and "validate --fix" in said.stdout
    fixed = runner.invoke(main, ["validate", "--root", str(records), "--lang", "es", "--fix", str(path)])
    assert fixed.exit_code == 0, fixed.output
    assert "convertido de Windows-1252 a UTF-8" in fixed.output
    assert path.read_text("utf-8") == text


def test_a_bad_option_value_is_said_with_the_list_it_speaks_of(runner: CliRunner, records: Path) -> None:
    """"Not in the list" given on the command line, where no question showed the list: it follows."""
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--id", "x-y", "--lang", "es",
                                  "--kind", "pilot_project", "--country", "PE", "--challenge", "employabilty"])
    assert result.exit_code == 2 and not (records / "case_studies/cases/x-y.yaml").exists()
    assert "'employabilty' no está en la lista" in result.output
    listed = result.output.split("Desafíos de la guía:\n")[1].splitlines()
    assert [line.split()[0] for line in listed if line.startswith("  ") and not line.startswith("   ")] == \
        sorted(p.stem for p in (records / "case_studies/challenges").glob("*.yaml"))


def test_a_bad_id_given_as_an_option_is_said_once(runner: CliRunner, records: Path) -> None:
    """The id's rule is in the error already: it is not repeated after it (only lists are)."""
    result = runner.invoke(main, ["new", "case", "--root", str(records), "--id", "Bad_Id",
                                  "--kind", "pilot_project", "--country", "PE", "--challenge", "employability"])
    assert result.exit_code == 2 and "'Bad_Id' cannot be an id" in result.output
    assert "is also the file's name" not in result.output
