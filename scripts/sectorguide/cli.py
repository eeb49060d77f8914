"""The `sectorguide` command: option parsing only; each command calls one stage and returns a code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .problems import LANGUAGES
from .project import Project
from .report import RENDERERS


def language_from_environment() -> str:
    """The contributor's language from the usual locale variables, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        value = os.environ.get(name, "")
        code = value.split(":")[0][:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


root_option = click.option(
    "--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".",
    show_default=True, help="The guide's repository (holds case_studies/, schema/, docs/).")
lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None,
    help="Language of the messages (default: from LANG/LC_ALL, else en).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sectorguide")
def main() -> None:
    """Build the multilingual best-practices guide from its case records."""


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="text",
              show_default=True, help="text: one problem a line; json: a list; github: annotations.")
@root_option
@lang_option
def validate_command(paths: tuple[Path, ...], output_format: str, root: Path, lang: str | None) -> None:
    """Check records (default: everything under case_studies/) and report every problem.

    Exit status: 0 when valid, 1 when any record has an error, 2 on a usage error.
    """
    lang = lang or language_from_environment()
    project = Project(root)
    result = project.validate(list(paths))
    output = RENDERERS[output_format](result.problems, lang)
    if output_format == "json" or output:
        click.echo(output)
    click.echo(_summary(len(result.files), len(result.errors), lang), err=True)
    sys.exit(0 if result.ok else 1)


_SUMMARY = {
    "en": ("{files} file(s) checked: all valid", "{files} file(s) checked: {errors} error(s)"),
    "es": ("{files} archivo(s) revisado(s): todo válido", "{files} archivo(s) revisado(s): {errors} error(es)"),
    "fr": ("{files} fichier(s) vérifié(s) : tout est valide", "{files} fichier(s) vérifié(s) : {errors} erreur(s)"),
}


def _summary(files: int, errors: int, lang: str) -> str:
    template = _SUMMARY[lang][1 if errors else 0]
    return template.format(files=files, errors=errors)
