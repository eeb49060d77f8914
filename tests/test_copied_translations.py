"""A translation block copied from the original to be translated, and translated only in
part, is said field by field: each text still in the original's words would be shown under
the other language. Short texts that two languages share (a name, a figure, a one-word title)
are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide.cli import main

PARTLY_COPIED = """\
id: partly-copied
kind: pilot_project
original_language: es
countries: [PE]
sector: mining
challenges: [employability]
status: unknown
curation: draft
indicators:
  - key: participants
    value: 40
text:
  es:
    title: Taller de formación en Lima
    summary: Un taller reunió a empleadores e institutos técnicos para alinear la formación con la demanda.
    context: Las empresas mineras de Lima no encontraban operadores con la formación que pedían.
    lessons:
      - Los empleadores deben participar desde el diseño del programa de formación.
      - Un diagnóstico compartido facilita los acuerdos entre empresas e institutos.
    indicators:
      participants: personas participaron en el taller de formación de Lima
  fr:
    translated_from: 000000000000
    title: Taller de formación en Lima
    summary: Un atelier a réuni des employeurs et des instituts techniques pour aligner la formation sur la demande.
    context: Las empresas mineras de Lima no encontraban operadores con la formación que pedían.
    lessons:
      - Les employeurs doivent participer dès la conception du programme de formation.
      - Un diagnóstico compartido facilita los acuerdos entre empresas e institutos.
    indicators:
      participants: personas participaron en el taller de formación de Lima
"""


def _copies(runner: CliRunner, path: Path, lang: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["validate", "--lang", lang, "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return [p for p in json.loads(result.stdout) if p["code"] == "untranslated-copy"]


@pytest.fixture
def partly_copied(tmp_path: Path) -> Path:
    path = tmp_path / "partly-copied.yaml"
    path.write_text(PARTLY_COPIED, "utf-8")
    return path


def test_each_copied_text_of_a_partly_translated_block_is_said_where_it_is(
        runner: CliRunner, in_repo: Path, partly_copied: Path) -> None:
    """The summary and a lesson were translated, the context, the second lesson and an
    indicator's label were not: three problems, each at its own value, every one an error."""
    said = _copies(runner, partly_copied, "en")
    assert [(p["line"], p["column"], p["severity"]) for p in said] == [
        (26, 14, "error"), (29, 9, "error"), (31, 21, "error")]
    assert [p["file"] for p in said] == [str(partly_copied)] * 3
    context, lesson, label = said
    assert context["message"] == ("'text.fr.context' repeats the original ('text.es.context') "
                                  "word for word: it was copied but not translated")
    assert context["hint"] == ("translate it, or remove 'text.fr.context' until it is "
                               "translated: the page then shows the original text in its "
                               "place and says so")
    assert "'text.fr.lessons[1]' repeats the original ('text.es.lessons[1]')" in lesson["message"]
    assert "remove 'text.fr.lessons' until" in lesson["hint"]
    assert "'text.fr.indicators.participants'" in label["message"]
    assert "remove 'text.fr.indicators.participants' until" in label["hint"]


@pytest.mark.parametrize(("lang", "message", "hint"), [
    ("es", ("'text.fr.context' reproduce palabra por palabra el texto original "
            "('text.es.context'): se copió pero no se tradujo"),
     ("tradúzcalo, o quite 'text.fr.context' mientras no esté traducido: la página mostrará "
      "entonces el texto original en su lugar y lo indicará")),
    ("fr", ("'text.fr.context' reprend mot pour mot le texte original "
            "('text.es.context')\u00a0: il a été copié mais pas traduit"),
     ("traduisez-le, ou retirez 'text.fr.context' en attendant sa traduction\u00a0: la page "
      "affichera alors le texte original à sa place en le signalant")),
])
def test_a_copied_text_is_said_in_the_contributor_s_language(
        runner: CliRunner, in_repo: Path, partly_copied: Path, lang: str, message: str,
        hint: str) -> None:
    context = _copies(runner, partly_copied, lang)[0]
    assert (context["message"], context["hint"]) == (message, hint)


def _said(runner: CliRunner, path: Path, code: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    return [p for p in json.loads(result.stdout) if p["code"] == code]


def test_a_copied_summary_is_removed_with_its_block(
        runner: CliRunner, in_repo: Path, partly_copied: Path) -> None:
    """A summary cannot be left out of a block: the block goes until it is translated, as it
    always did for a copied summary."""
    summary = "Un taller reunió a empleadores e institutos técnicos para alinear la formación con la demanda."
    text = PARTLY_COPIED.replace(
        "Un atelier a réuni des employeurs et des instituts techniques pour aligner la formation sur la demande.",
        summary)
    partly_copied.write_text(text, "utf-8")
    said = _copies(runner, partly_copied, "en")
    assert [(p["line"], p["column"]) for p in said] == [(25, 14), (26, 14), (29, 9), (31, 21)]
    assert said[0]["message"].startswith("'text.fr.summary' repeats the original ('text.es.summary')")
    assert "remove 'text.fr' until it is translated" in str(said[0]["hint"])


def test_a_long_copied_title_is_a_warning_since_it_may_be_a_name(
        runner: CliRunner, in_repo: Path, partly_copied: Path) -> None:
    """A long title in the original's words is said, as a warning: it may be a programme's
    name, which stays as it is; the advice is to translate it, not to drop the block. A short
    one (a name two languages share) is not said at all."""
    assert _said(runner, partly_copied, "untranslated-title") == []
    title = "Taller de formación técnica para operadores mineros en la región de Lima"
    partly_copied.write_text(PARTLY_COPIED.replace("title: Taller de formación en Lima",
                                                   f"title: {title}"), "utf-8")
    [said] = _said(runner, partly_copied, "untranslated-title")
    assert (said["line"], said["column"], said["severity"]) == (24, 12, "warning")
    assert said["message"] == "'text.fr.title' repeats the original ('text.es.title') word for word"
    assert said["hint"] == ("translate it, unless it is a name that stays the same in every "
                            "language: then leave it as it is")
    assert [(p["line"], p["column"]) for p in _copies(runner, partly_copied, "en")] == [
        (26, 14), (29, 9), (31, 21)]


def test_a_copied_challenge_label_is_never_answered_by_dropping_its_block(
        runner: CliRunner, in_repo: Path, tmp_path: Path) -> None:
    """A challenge needs its text in every language: a long label in the original's words is
    a warning whose advice is to translate it (removing the Spanish block, the advice for a
    copied required text of a case, would make the record invalid)."""
    label = "Employability of young people and women in the mining regions of the Andes"
    source = (in_repo / "case_studies" / "challenges" / "employability.yaml").read_text("utf-8")
    path = tmp_path / "employability.yaml"
    path.write_text(source.replace("label: Employability", f"label: {label}").replace(
        "label: Empleabilidad", f"label: {label}"), "utf-8")
    result = runner.invoke(main, ["validate", "--format", "json", str(path)])
    said = [p for p in json.loads(result.stdout) if p["code"] in ("untranslated-copy", "untranslated-title")]
    assert [(p["code"], p["severity"], p["line"]) for p in said] == [("untranslated-title", "warning", 17)]
    assert "remove" not in str(said[0]["hint"])


def test_names_figures_and_addresses_shared_by_two_languages_are_not_copies(
        runner: CliRunner, in_repo: Path, tmp_path: Path) -> None:
    """An organization's name is the same in every language, and so is a lesson that is only
    an address: neither is said, however long."""
    path = tmp_path / "consejo-minero.yaml"
    path.write_text("""\
id: consejo-minero
kind: organization
name: Consejo de Competencias Mineras de Chile y de la Región de Antofagasta
type: sector_council
country: CL
original_language: es
text:
  es:
    name: Consejo de Competencias Mineras de Chile y de la Región de Antofagasta
    description: Organismo del sector minero chileno que estudia las competencias laborales.
  fr:
    name: Consejo de Competencias Mineras de Chile y de la Región de Antofagasta
    description: Organisme du secteur minier chilien qui étudie les compétences du travail.
""", "utf-8")
    assert _copies(runner, path, "en") == []
    address = "https://www.minem.gob.pe/informes/2022/taller-de-formacion-lima.pdf"
    path = tmp_path / "partly-copied.yaml"
    for shared in (address, f"{address} (2022)"):
        text = PARTLY_COPIED.replace(
            "Los empleadores deben participar desde el diseño del programa de formación.", shared
        ).replace("Les employeurs doivent participer dès la conception du programme de formation.",
                  shared)
        path.write_text(text, "utf-8")
        assert [(p["line"], p["column"]) for p in _copies(runner, path, "en")] == [
            (26, 14), (29, 9), (31, 21)], shared
