"""The `sectorguide` command: option parsing only; each command calls one stage and returns a code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from .build import BuildFailed, build_site
from .problems import LANGUAGES
from .project import InvalidRecords, Project
from .report import RENDERERS, render_text


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


def _invalid(invalid: InvalidRecords, lang: str) -> None:
    click.echo(render_text(invalid.validation.problems, lang))
    click.echo(_summary(len(invalid.validation.files), len(invalid.validation.errors), lang), err=True)
    sys.exit(1)


@main.command("build")
@click.option("--no-pdf", is_flag=True, help="Build the site only, without the PDFs.")
@root_option
@lang_option
def build_command(no_pdf: bool, root: Path, lang: str | None) -> None:
    """Validate the records, build the site into site/ and the PDFs into site/pdf/.

    The site is built in a temporary folder and replaces site/ only when complete.
    Exit status: 0 when built, 1 when the records are invalid or the build failed.
    """
    lang = lang or language_from_environment()
    project = Project(root)
    try:
        report = build_site(project, pdf_languages=() if no_pdf else LANGUAGES,
                            progress=lambda step: click.echo(f"  {step}", err=True))
    except InvalidRecords as invalid:
        _invalid(invalid, lang)
    except BuildFailed as failure:
        raise click.ClickException(f"{failure}\nThe previous site/ was left as it was.") from None
    timings = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in report.seconds.items())
    click.echo(f"built {project.display(report.site_dir)}/ ({timings})")
    for pdf in report.pdfs:
        click.echo(f"  {project.display(pdf)}")


@main.command("pdf")
@click.option("--lang", "languages", type=click.Choice(LANGUAGES), multiple=True,
              help="Language of the PDF to build (repeatable; default: all three).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the PDFs (default: site/pdf/).")
@root_option
def pdf_command(languages: tuple[str, ...], output: Path | None, root: Path) -> None:
    """Print the whole guide to one PDF per language (site/pdf/guide-LANG.pdf)."""
    from .pdf import Edition, write_pdf

    project = Project(root)
    try:
        guide = project.guide()
    except InvalidRecords as invalid:
        _invalid(invalid, language_from_environment())
    folder = output or project.site_dir / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    edition = Edition.current()
    for lang in languages or LANGUAGES:
        target = folder / f"guide-{lang}.pdf"
        partial = target.with_name(f".{target.name}.partial")
        report = write_pdf(guide, project.docs_dir, lang, partial, edition)
        os.replace(partial, target)
        click.echo(f"{project.display(target)}: {report.pages} pages")


@main.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("mkdocs_args", nargs=-1, type=click.UNPROCESSED)
@root_option
def serve_command(mkdocs_args: tuple[str, ...], root: Path) -> None:
    """Preview the site while you edit: rebuilds when a record or chapter changes."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(Project(root).mkdocs_yml),
               *mkdocs_args]
    sys.exit(subprocess.call(command))
