"""The `sectorguide` command: option parsing only; each command calls one stage and returns a code."""

from __future__ import annotations

import difflib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from .build import BuildFailed, build_site, site_languages
from .click_locale import TranslatedGroup, TranslatedOption, click_language, language_in
from .fixes import fix_file, schema_field_order
from .labels import (
    Labels,
    country_code,
    folded,
    label_catalog,
    language_from_environment,
    value_named,
)
from .pdf import PrintFailed, print_guides
from .load import RecordFile, translation_name
from .problems import Problem
from .project import InvalidRecords, MissingSchema, Project
from .report import RENDERERS, render_text
from .revision import TRANSLATED_FROM
from .scaffold import ScaffoldError, id_used_by, new_case, new_organization
from .status import (
    STATES,
    MarkError,
    TranslationStatus,
    check_markable,
    mark_translated,
    marked_blocks,
    status_rows_as_dicts,
    translation_status,
    untranslated_fields,
)
from .validate import SLUG, Validation, closest
from .vocabulary import LANGUAGES

FC = TypeVar("FC", bound=Callable[..., Any] | click.Command)


def option(*names: str, **attrs: Any) -> Callable[[FC], FC]:
    """click.option, its help shown in the contributor's language (catalog/cli.LANG.po)."""
    return click.option(*names, cls=TranslatedOption, **attrs)


root_option = option(
    "--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".",
    show_default=True, help="The guide's repository (holds case_studies/, schema/, docs/).")
lang_option = option(
    "--lang", type=click.Choice(LANGUAGES), default=None,
    help="Language of the messages (default: from LANG/LC_ALL, else en).")


class _Group(TranslatedGroup):
    """Turns the one expected environment problem into a message instead of a traceback; its
    commands' help is in the contributor's language (TranslatedGroup)."""

    language = "en"  # of this run's messages, known before Click parses the arguments

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Click's own texts (usage errors, help) in the contributor's language, from the start."""
        self.language = language_in(sys.argv[1:] if args is None else args, self)
        with click_language(self.language):
            return super().main(args, *rest, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MissingSchema as missing:
            raise click.ClickException(Labels(self.language)("missing_schema", path=str(missing))) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sectorguide", cls=TranslatedOption)
@option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
        help="The guide's repository, for every command (as each command's own --root).")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Build the multilingual best-practices guide from its case records."""
    if root is not None:  # `sectorguide --root X validate` as `sectorguide validate --root X`
        ctx.default_map = _root_everywhere(ctx.command, root)


def _root_everywhere(command: click.Command, root: Path) -> dict[str, Any]:
    """Click's default values for --root in every command below this one."""
    if not isinstance(command, click.Group):
        return {"root": root}
    return {name: _root_everywhere(sub, root) for name, sub in command.commands.items()}


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@option("--format", "output_format", type=click.Choice(sorted(RENDERERS)), default="text",
        show_default=True, help="text: one problem a line; json: a list; github: annotations.")
@option("--fix", is_flag=True,
        help="First repair what is mechanical (file name, trailing spaces, line endings, "
             "field order) and say what changed.")
@root_option
@lang_option
def validate_command(paths: tuple[Path, ...], output_format: str, fix: bool, root: Path,
                     lang: str | None) -> None:
    """Check records (default: everything under case_studies/) and report every problem.

    Exit status: 0 when valid, 1 when any record has an error, 2 on a usage error.
    """
    lang = lang or language_from_environment()
    project = Project(root)
    paths = tuple(_found(path, root, Labels(lang)) for path in paths)
    if fix:
        paths = tuple(_apply_fixes(project, list(paths), lang))
    result = project.validate(list(paths))
    output = RENDERERS[output_format](result.problems, lang)
    if output_format == "json" or output:
        click.echo(output)
    click.echo(_summary(result, lang), err=True)
    sys.exit(0 if result.ok else 1)


def _found(path: Path, root: Path, t: Labels) -> Path:
    """A path as named: from here, else from the guide's repository (--root)."""
    if path.exists() or path.is_absolute():
        return path if path.exists() else _missing(path, root, t)
    return root / path if (root / path).exists() else _missing(path, root, t)


def _missing(path: Path, root: Path, t: Labels) -> Path:
    raise click.BadParameter(t("path_missing", path=str(path), root=str(root.absolute())),
                             param_hint="PATHS")


def _apply_fixes(project: Project, paths: list[Path], lang: str) -> list[Path]:
    """Repair the files, report each change on stderr, and return the paths as they now are."""
    order = schema_field_order(project.schema().schema)
    targets = [p for p in project.record_paths(paths) if p.is_file()]
    fixed_paths = []
    for path in targets:
        loaded = project.load(path)
        if loaded.data is None and [p.code for p in loaded.problems] != ["windows-1252"]:
            # unreadable, refused (a link, too big, an alias bomb, too deep...): validation
            fixed_paths.append(path)  # says why; nothing to fix
            continue
        changes = fix_file(path, project.display(path), order)
        for change in changes:
            click.echo(change.text(lang), err=True)
        renamed = [c.name for c in changes if c.kind == "renamed"]
        fixed_paths.append(path.with_name(renamed[0]) if renamed else path)
    return fixed_paths if paths else []


def _summary(validation: Validation, lang: str) -> str:
    """"30 files checked: all valid", "1 file checked: 2 errors, 1 warning", in the
    contributor's language and in number."""
    t = Labels(lang)
    errors = len(validation.errors)
    warnings = len(validation.problems) - errors
    said = [t.count("summary_errors", errors) if errors else t("summary_valid")]
    if warnings:
        said.append(t.count("summary_warnings", warnings))
    return f"{t.count('summary_files', validation.checked)}{t('colon')}{', '.join(said)}"


def _invalid(invalid: InvalidRecords, lang: str, *, kept: str = "") -> None:
    """Every problem, the summary, and what was kept (the site, by a build): exit status 1."""
    click.echo(render_text(invalid.validation.problems, lang))
    click.echo(_summary(invalid.validation, lang), err=True)
    if kept:
        click.echo(kept, err=True)
    sys.exit(1)


@main.command("build")
@option("--no-pdf", is_flag=True, help="Build the site only, without the PDFs.")
@root_option
@lang_option
def build_command(no_pdf: bool, root: Path, lang: str | None) -> None:
    """Validate the records, build the site into site/ and the PDFs into site/pdf/.

    The site is built in a temporary folder and replaces site/ only when complete.
    Exit status: 0 when built, 1 when the records are invalid or the build failed.
    """
    lang = lang or language_from_environment()
    t = Labels(lang)
    project = Project(root)
    try:
        report = build_site(project, pdf_languages=() if no_pdf else LANGUAGES,
                            progress=lambda step: click.echo(f"  {t(step.label, **step.values)}",
                                                             err=True))
    except InvalidRecords as invalid:
        _invalid(invalid, lang, kept=t("build_kept"))
    except BuildFailed as failure:
        raise click.ClickException(f"{failure}\n{t('build_kept')}") from None
    timings = ", ".join(f"{t('build_stage_' + stage)} {t.number(round(seconds, 1))}{t('seconds')}"
                        for stage, seconds in report.seconds.items())
    click.echo(t("build_done", folder=project.display(report.site_dir), timings=timings))
    for pdf in report.pdfs:
        click.echo(f"  {project.display(pdf)}")


@main.command("pdf")
@option("--lang", "languages", type=click.Choice(LANGUAGES), multiple=True,
        help="Language of the PDF to build (repeatable; default: all three).")
@option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Folder for the PDFs (default: site/pdf/).")
@root_option
def pdf_command(languages: tuple[str, ...], output: Path | None, root: Path) -> None:
    """Print the whole guide to one PDF per language (site/pdf/guide-LANG.pdf).

    Each PDF replaces the previous one only once it is complete.
    """
    project = Project(root)
    try:
        guide = project.guide()
    except InvalidRecords as invalid:
        _invalid(invalid, language_from_environment())
    try:
        site = site_languages(project)  # the website's address, said on the cover
    except BuildFailed as failed:
        raise click.ClickException(str(failed)) from None
    folder = output or project.site_dir / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    t = Labels(language_from_environment())
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=folder) as partial:
        try:
            for lang, pages in print_guides(guide, project.docs_dir, Path(partial),
                                            languages or LANGUAGES, site_url=site.site_url,
                                            site_languages=site.built):
                target = folder / f"guide-{lang}.pdf"
                os.replace(Path(partial) / target.name, target)
                click.echo(t("built_pdf_file", file=project.display(target), pages=pages))
        except PrintFailed as failed:
            raise click.ClickException(str(failed)) from None


@main.command("serve", context_settings={"ignore_unknown_options": True})
@option("--full", is_flag=True,
        help="Rebuild every page after each change (slower; by default only the pages whose "
             "text changed are rebuilt, and a chapter's new title reaches the navigation of "
             "other pages at the next full build).")
@click.argument("mkdocs_args", nargs=-1, type=click.UNPROCESSED)
@root_option
def serve_command(full: bool, mkdocs_args: tuple[str, ...], root: Path) -> None:
    """Preview the site while you edit: a record's page shows its change within seconds.

    Other options go to `mkdocs serve` (for example `-a 127.0.0.1:8001`). While a record has
    errors, every page says what they are and how to fix them, until they are fixed. The
    preview is not strict: `sectorguide build` is the check.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    # --dirty: MkDocs rebuilds only the pages whose Markdown is newer than their HTML; we write
    # a generated page only when its text changes, so an edit to one record rebuilds its pages
    # and the lists it appears in. MkDocs warns about every dirty build, hence --no-strict.
    quick = [] if full else ["--dirty", "--no-strict"]
    from .preview import serve

    serve(Project(root).mkdocs_yml, [*quick, *mkdocs_args])


@main.command("status")
@option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
        show_default=True)
@option("--mark-translated", "mark", nargs=2, metavar="ID LANG", default=None,
        help="Record that the LANG text of record ID is up to date with its original.")
@option("--strict", is_flag=True,
        help="Also fail (exit 1) when a translation is missing or incomplete.")
@root_option
@lang_option
def status_command(output_format: str, mark: tuple[str, str] | None, strict: bool, root: Path,
                   lang: str | None) -> None:
    """Translation status of every record in every language: original, complete, incomplete
    (current, but leaving out texts the original has), missing, stale, unmarked (no
    translated_from yet), or invalid (a record whose text cannot be read: its problems follow
    the table).

    Exit status: 0 when no translation is stale, unmarked or invalid (with --strict: none
    missing or incomplete either), 1 otherwise.
    """
    project = Project(root)
    project.schema()  # in a folder that is not a guide's, say so rather than "0 records"
    lang = lang or language_from_environment()
    if mark:
        _mark(project, *mark, Labels(lang))
        return
    files = [project.load(p) for p in project.record_paths()]
    rows = translation_status(files)
    if output_format == "json":
        click.echo(json.dumps(status_rows_as_dicts(rows), ensure_ascii=False, indent=2))
    else:
        click.echo(_status_table(rows, Labels(lang)))
    invalid = sorted({row.file for row in rows if row.state == "invalid"})
    if invalid:  # said as validate says it, beside the table (stdout stays the table, or JSON)
        by_display = {f.display: f.path for f in files}
        problems = project.validate([by_display[name] for name in invalid]).problems
        click.echo(render_text(problems, lang), err=True)
    failing = {"stale", "unmarked", "invalid"} | ({"missing", "incomplete"} if strict else set())
    sys.exit(1 if any(row.state in failing for row in rows) else 0)


_SETTLED_BY_MARKING = frozenset({"missing-translated-from", "stale-translation"})


def _problems_marking_vouches_for(project: Project, record: RecordFile,
                                  lang: str) -> list[Problem]:
    """The errors in the texts that marking LANG says are faithful to each other (its block
    and the original's), but for what marking itself settles (the translated_from it writes)."""
    blocks = marked_blocks(record, lang)
    settled = f"text.{lang}.{TRANSLATED_FROM}"
    return [problem for problem in project.validate([record.path]).problems
            if problem.severity == "error" and problem.code not in _SETTLED_BY_MARKING
            and problem.params.get("field") != settled
            and any(first <= problem.line <= last for first, last in blocks)]


def _mark(project: Project, record_id: str, lang: str, t: Labels) -> None:
    """Mark record_id's translation: the record whose `id` it is, as `status` lists it (else
    the file of that name, for a record whose id cannot be read)."""
    try:  # Click's own message for a value not among the choices, in the run's language
        click.Choice(LANGUAGES).convert(lang, None, None)
    except click.BadParameter as error:
        raise click.BadParameter(error.message, param_hint="LANG") from None
    records = [project.load(p) for p in project.record_paths()]
    by_id = [r for r in records if (r.data or {}).get("id") == record_id
             and not translation_name(r.stem)]  # "<id>.es.yaml" is not the record
    matches = by_id or [r for r in records if r.stem == record_id]
    if not matches:
        raise click.ClickException(t("mark_no_record", id=record_id,
                                     folder=project.display(project.records_dir) + "/"))
    record = matches[0]
    try:
        check_markable(record, lang)
        problems = _problems_marking_vouches_for(project, record, lang)
        if problems:  # said as validate says them, the file left as it is
            click.echo(render_text(problems, t.lang), err=True)
            raise click.ClickException(t("mark_text_has_problems", file=record.display, lang=lang))
        revision = mark_translated(record, lang)
    except MarkError as error:
        raise click.ClickException(error.text(t.lang)) from None
    click.echo(t("mark_done", file=record.display, lang=lang, revision=revision))
    left_out = untranslated_fields(record, lang)
    if left_out:
        click.echo(t("mark_left_out", lang=lang, fields=t("list_separator").join(left_out)))


def _status_table(rows: list[TranslationStatus], t: Labels) -> str:
    """One line per record, a column per language, the states in the contributor's language
    (`--format json` gives the codes), then the totals."""
    by_record: dict[str, dict[str, str]] = {}
    for row in rows:
        by_record.setdefault(row.record, {"kind": row.kind})[row.lang] = t(f"status_{row.state}")
    width = max([len(r) for r in by_record] + [len(t("status_record"))])
    cell = max(len(t(f"status_{state}")) for state in STATES)
    lines = [(f"{t('status_record'):<{width}}  {t('status_kind'):<24}  "
              + "  ".join(f"{lang:<{cell}}" for lang in LANGUAGES)).rstrip()]
    for record, states in by_record.items():
        cells = "  ".join(f"{states.get(lang, ''):<{cell}}" for lang in LANGUAGES)
        lines.append(f"{record:<{width}}  {states['kind']:<24}  {cells}".rstrip())
    counts = {state: sum(1 for r in rows if r.state == state)
              for state in ("complete", "incomplete", "missing", "stale", "unmarked", "invalid")
              if state in ("complete", "missing", "stale") or any(r.state == state for r in rows)}
    lines.append(", ".join(t.count(f"status_total_{state}", n) for state, n in counts.items()
                           if n or state != "invalid"))
    return "\n".join(lines)


@main.group("new")
def new_group() -> None:
    """Start a new record from a skeleton that explains each field."""


T = TypeVar("T")
def _allowed(project: Project, kind: str, field: str) -> tuple[str, ...]:
    """The values the schema allows for a field (of its items, for a list): the one place that
    lists countries, kinds, sectors and types."""
    spec = project.schema().schema["$defs"][kind]["properties"][field]
    return tuple(spec.get("enum") or spec["items"]["enum"])


@new_group.command("case")
@option("--id", "record_id", default=None, help="The record's id and file name.")
@option("--kind", default=None, help="pilot_project, project_activity or sector_council_practice.")
@option("--country", "countries", multiple=True,
        help="Country concerned, by its code or its name (repeatable).")
@option("--lang", type=click.Choice(LANGUAGES), default=None,
        help="Language you write in (default: from LANG, else en).")
@option("--sector", default="extractive", show_default=True,
        help="mining, oil_and_gas or extractive.")
@option("--challenge", "challenges", multiple=True, help="Challenge id (repeatable).")
@root_option
def new_case_command(record_id: str | None, kind: str | None, countries: tuple[str, ...],
                     lang: str | None, sector: str, challenges: tuple[str, ...], root: Path) -> None:
    """Write case_studies/cases/ID.yaml, ready to fill in. What is not given as an option is
    asked, in the contributor's language; each answer is checked as it is given."""
    project = Project(root)
    named = lang is not None
    lang = lang or language_from_environment()
    t = Labels(lang)
    known = _challenges(project, lang)
    kinds, allowed = _allowed(project, "case", "kind"), _allowed(project, "case", "countries")
    record_id = _answer(record_id, "--id", _read_id(project, t), t("new_id_prompt"),
                        _shown_before(t("new_id_hint")), listed=False)
    sector = _option(sector, "--sector", _read_choice(_allowed(project, "case", "sector"), t))
    kind = _answer(kind, "--kind", _read_choice(kinds, t), t("new_kind_prompt"),
                   _shown_before(t("new_kinds_listed"), _named(kinds, "kind", t)))
    chosen_countries = _answer(",".join(countries) or None, "--country",
                               _read_countries(allowed, t), t("new_countries_prompt"),
                               _shown_before(t("new_countries_listed"),
                                             [(code, t.country(code)) for code in allowed]))
    chosen_challenges = _answer(",".join(challenges) or None, "--challenge",
                                _read_challenges(known, t), t("new_challenges_prompt"),
                                _shown_before(t("new_challenges_listed"),
                                              [(key, label if label != key else "")
                                               for key, label in known.items()]))
    try:
        path = new_case(project, record_id=record_id, kind=kind, countries=list(chosen_countries),
                        lang=lang, sector=sector, challenges=list(chosen_challenges))
    except ScaffoldError as error:  # taken meanwhile
        raise click.ClickException(t("new_id_used", id=error.record_id, file=error.file)) from None
    click.echo(t("new_case_done", file=project.display(path),
                 command=_validate_command(path, project, lang if named else None)))


@new_group.command("organization")
@option("--id", "record_id", default=None, help="The record's id and file name.")
@option("--name", default=None, help="The organization's official name.")
@option("--type", "org_type", default=None,
        help="sector_council, education, government, industry, civil_society or "
             "intergovernmental.")
@option("--country", default=None,
        help="Country, by its code or its name (leave out for a regional or international body).")
@option("--lang", type=click.Choice(LANGUAGES), default=None,
        help="Language you write in (default: from LANG, else en).")
@root_option
def new_organization_command(record_id: str | None, name: str | None, org_type: str | None,
                             country: str | None, lang: str | None, root: Path) -> None:
    """Write case_studies/organizations/ID.yaml, ready to fill in. What is not given as an
    option is asked, in the contributor's language; each answer is checked as it is given."""
    project = Project(root)
    named = lang is not None
    lang = lang or language_from_environment()
    t = Labels(lang)
    record_id = _answer(record_id, "--id", _read_id(project, t), t("new_id_prompt"),
                        _shown_before(t("new_id_hint")), listed=False)
    name = _answer(name, "--name", _read_text(t), t("new_name_prompt"))
    types = _allowed(project, "organization", "type")
    org_type = _answer(org_type, "--type", _read_choice(types, t), t("new_type_prompt"),
                       _shown_before(t("new_types_listed"), _named(types, "orgtype", t)))
    if country is not None:  # not asked: a regional or international body has none
        countries = _allowed(project, "organization", "country")
        country = _option(country, "--country", _read_countries(countries, t, most=1))[0]
    try:
        path = new_organization(project, record_id=record_id, name=name, org_type=org_type,
                                country=country, lang=lang)
    except ScaffoldError as error:  # taken meanwhile
        raise click.ClickException(t("new_id_used", id=error.record_id, file=error.file)) from None
    click.echo(t("new_organization_done", file=project.display(path),
                 command=_validate_command(path, project, lang if named else None)))


def _answer(given: str | None, option: str, read: Callable[[str], T], question: str,
            before: str = "", *, listed: bool = True) -> T:
    """An option's value, read as an answer would be; when it was not given, what to know
    before answering (the choices, or the rule an answer follows), then a short question,
    asked again until the answer reads (click.prompt says why, and asks the question again,
    not what was shown before it). A bad value given as an option is said with the list
    after it (its message speaks of "the list"); a rule (listed=False) its message says."""
    if given is not None:
        return _option(given, option, read, before if listed else "")
    if before:
        click.echo(before)
    answer: T = click.prompt(question, value_proc=read, prompt_suffix=" ")
    return answer


def _option(given: str, option: str, read: Callable[[str], T], shown: str = "") -> T:
    """An option's value, read as an answer would be; a bad one is an error of that option,
    followed by what the question would have shown before it."""
    try:
        return read(given)
    except click.UsageError as error:
        message = f"{error.message}\n\n{shown}" if shown else error.message
        raise click.BadParameter(message, param_hint=option) from None


def _shown_before(text: str, choices: Sequence[tuple[str, str]] = ()) -> str:
    """What is shown before a question: a text, then the values the answer takes, one a line,
    each beside its name, as --help lists the options: in columns, wrapped within the
    terminal's width."""
    formatter = click.HelpFormatter()
    formatter.write_text(text)
    if choices:
        with formatter.indentation():
            formatter.write_dl(choices)
    return formatter.getvalue().rstrip("\n")


def _named(values: Sequence[str], group: str, t: Labels) -> list[tuple[str, str]]:
    """Each value beside its name in the contributor's language (kind_pilot_project: "Proyecto
    piloto"); no name where the catalog has none."""
    return [(value, t(f"{group}_{value}") if f"{group}_{value}" in label_catalog() else "")
            for value in values]


def _read_id(project: Project, t: Labels) -> Callable[[str], str]:
    def read(answer: str) -> str:
        record_id = answer.strip()
        if not SLUG.fullmatch(record_id):
            raise click.UsageError(t("new_bad_id", value=record_id))
        used = id_used_by(project, record_id)
        if used:
            raise click.UsageError(t("new_id_used", id=record_id, file=used))
        return record_id
    return read


def _validate_command(path: Path, project: Project, lang: str | None) -> str:
    """The command that checks a new record, with the language the contributor chose by
    --lang (their environment may not say it)."""
    return f"sectorguide validate {project.display(path)}" + (f" --lang {lang}" if lang else "")


def _read_choice(choices: Sequence[str], t: Labels) -> Callable[[str], str]:
    """A value of a list, as written or by its name in any language ("proyecto piloto" for
    pilot_project); a near miss gets the closest value suggested."""
    def read(answer: str) -> str:
        written = answer.strip()
        if written in choices:
            return written
        named = value_named(written, choices)
        if named:
            return named
        said = t("new_bad_choice", value=written, choices=", ".join(choices))
        close = closest(written, list(choices))
        raise click.UsageError(said + (t("new_did_you_mean", value=close) if close else ""))
    return read


def _read_text(t: Labels) -> Callable[[str], str]:
    def read(answer: str) -> str:
        if not answer.strip():
            raise click.UsageError(t("new_empty"))
        return answer.strip()
    return read


def _read_countries(allowed: Sequence[str], t: Labels,
                    most: int = 0) -> Callable[[str], tuple[str, ...]]:
    """Countries by their codes or their names in any language ("PE, Chile, México")."""
    def read(answer: str) -> tuple[str, ...]:
        written = [part.strip() for part in answer.split(",") if part.strip()]
        codes = tuple(country_code(part, allowed) for part in written)
        wrong = [part for part, code in zip(written, codes, strict=True) if not code]
        if wrong or not codes or len(codes) > (most or len(allowed)):
            named = ", ".join(f"{code} ({t.country(code)})" for code in allowed)
            raise click.UsageError(t("new_bad_country", value=", ".join(wrong) or answer, codes=named))
        return codes
    return read


def _challenges(project: Project, lang: str) -> dict[str, str]:
    """The taxonomy's challenges: id and label in the contributor's language (the id when the
    file cannot tell it)."""
    found = {}
    for path in sorted((project.records_dir / "challenges").glob("*.yaml")):
        data = project.load(path).data or {}
        texts = data.get("text")
        texts = texts if isinstance(texts, dict) else {}
        block = texts.get(lang) or texts.get(data.get("original_language")) or {}
        label = block.get("label") if isinstance(block, dict) else None
        found[path.stem] = label if isinstance(label, str) else path.stem
    return found


def _read_challenges(known: dict[str, str], t: Labels) -> Callable[[str], tuple[str, ...]]:
    """Challenges by their ids or their labels ("employability, Igualdad de género")."""
    by_label = {folded(label): key for key, label in known.items()}

    def read(answer: str) -> tuple[str, ...]:
        written = [part.strip() for part in answer.split(",") if part.strip()]
        chosen = tuple(part if part in known else by_label.get(folded(part), "") for part in written)
        wrong = [part for part, key in zip(written, chosen, strict=True) if not key]
        if wrong or not chosen:
            # close to an id, or to a label in the contributor's language, accents aside
            # ("igualdad de genero" for "Igualdad de género en la minería")
            candidates = {**{key: key for key in known}, **by_label}
            close = difflib.get_close_matches(folded(wrong[0]), list(candidates), n=1) if wrong else []
            suggestion = t("new_did_you_mean", value=candidates[close[0]]) if close else ""
            raise click.UsageError(t("new_bad_challenge", value=", ".join(wrong) or answer)
                                   + suggestion)
        return chosen
    return read


@main.command("bench")
@option("--records", default="100,300,1000", show_default=True,
        help="Comma-separated sizes of the synthetic guides to measure.")
@option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Also write the figures as JSON to this file.")
@option("--no-pdf", is_flag=True, help="Skip the PDFs (faster).")
@root_option
def bench_command(records: str, json_path: Path | None, no_pdf: bool, root: Path) -> None:
    """Measure validation, rendering, the site build, plain MkDocs and the PDFs on synthetic
    records generated into a temporary folder (never into case_studies/)."""
    from .bench import run_bench, table

    try:
        sizes = [int(part) for part in records.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter("use numbers separated by commas, e.g. 100,300", param_hint="--records") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("each size is at least 1 record, e.g. 100,300", param_hint="--records")
    report = run_bench(root.resolve(), sizes, with_pdf=not no_pdf,
                       progress=lambda message: click.echo(message, err=True))
    click.echo(table(report))
    if json_path:
        json_path.write_text(json.dumps(report, indent=2), "utf-8")
