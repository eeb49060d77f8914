"""Click's own texts (usage errors, --help, prompts) and the help of our commands in the
contributor's language, and the catalogs that translate them: complete for the installed Click
and for every option and command of cli.py, with Click's placeholders, and written as a Spanish
or French reader expects."""

from __future__ import annotations

import copy
import gettext
import os
import re
import string
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import partial
from io import BytesIO
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner, Result
from sectorguide import click_locale
from sectorguide.cli import main
from sectorguide.click_locale import (
    TranslatedCommand,
    TranslatedGroup,
    TranslatedOption,
    catalog_files,
    click_language,
    language_in,
    message_id,
)

from .conftest import REPO

NB, NNB = "\u00a0", "\u202f"  # no-break space (before ":"), narrow no-break space (before ";!?")


def environment(lang: str) -> dict[str, str | None]:
    """A contributor whose system speaks `lang` (and nothing else set that could say otherwise)."""
    return {"LANG": lang, "LC_ALL": None, "LC_MESSAGES": None, "LANGUAGE": None}


def sectorguide(runner: CliRunner, args: list[str], lang: str | None = None,
                input: str | None = None) -> Result:
    """The command as a contributor whose system speaks `lang` runs it (as `sectorguide`)."""
    return runner.invoke(main, args, input=input, prog_name="sectorguide",
                         env=environment(lang) if lang else None)


def flat(text: str) -> str:
    """Help without Click's line wrapping (ordinary spaces and newlines; no-break spaces stay)."""
    return re.sub(r"[ \n]+", " ", text)


# What a contributor sees


@pytest.mark.parametrize("how", ["environment", "option", "option="])
def test_a_mistyped_option_is_explained_in_spanish(runner: CliRunner, how: str) -> None:
    args = {"environment": ["validate", "--contry", "x"],
            "option": ["validate", "--contry", "x", "--lang", "es"],
            "option=": ["validate", "--lang=es", "--contry", "x"]}[how]
    result = sectorguide(runner, args, "es_ES.UTF-8" if how == "environment" else "en_US.UTF-8")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Uso: sectorguide validate [OPTIONS] [PATHS]...",
        "Para obtener ayuda, ejecute 'sectorguide validate --help'.",
        "",
        "Error: No existe la opción '--contry'.",
    ]


def test_a_mistyped_option_is_explained_in_french(runner: CliRunner) -> None:
    result = sectorguide(runner, ["validate", "--form", "json"], "fr_CA.UTF-8")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Utilisation{NB}: sectorguide validate [OPTIONS] [PATHS]...",
        f"Pour obtenir de l’aide, lancez «{NB}sectorguide validate --help{NB}».",
        "",
        f"Erreur{NB}: L’option '--form' n’existe pas. Vouliez-vous dire '--format'{NNB}?",
    ]


def test_a_mistyped_command_and_a_wrong_value(runner: CliRunner) -> None:
    es = "es_MX.UTF-8"
    result = sectorguide(runner, ["valdate"], es)
    assert "Error: No existe el comando 'valdate'. ¿Quiso decir 'validate'?" in result.stderr
    result = sectorguide(runner, ["validate", "--format", "xml"], es)
    assert ("Error: Valor no válido para '--format': 'xml' no es uno de 'github', 'json', 'text'."
            in result.stderr)
    result = sectorguide(runner, ["validate", "--format"], "fr_FR.UTF-8")
    assert f"Erreur{NB}: L’option '--format' attend une valeur." in result.stderr
    # a language not among the guide's, as the second value of --mark-translated
    result = sectorguide(runner, ["status", "--root", str(REPO), "--mark-translated",
                                  "regional-workshop-chile-2022", "de"], es)
    assert result.exit_code == 2
    assert ("Error: Valor no válido para LANG: 'de' no es uno de 'en', 'es', 'fr'."
            in result.stderr)


def test_our_message_inside_clicks_sentence(runner: CliRunner) -> None:
    """`new case --kind` is checked by sectorguide (labels.yaml) and framed by Click."""
    result = sectorguide(runner, ["new", "case", "--root", str(REPO), "--lang", "es",
                                  "--id", "a-new-record-id", "--kind", "nope"], "en_US.UTF-8")
    assert result.exit_code == 2
    assert "Error: Valor no válido para --kind: 'nope' no es uno de " in result.stderr


def test_the_help_options_line_follows_each_runs_language(runner: CliRunner) -> None:
    """Click makes a command's -h/--help option once per process, with its text in the language
    of the first run: it said Spanish to the French run after it, in one process (a test
    session, a tool driving the command)."""
    lines = {"es": "-h, --help Muestra este mensaje y sale.",
             "fr": "-h, --help Affiche ce message et quitte.",
             "en": "-h, --help Show this message and exit."}
    for lang in ("es", "fr", "en", "es"):
        result = runner.invoke(main, ["validate", "--lang", lang, "--help"])
        assert result.exit_code == 0
        assert lines[lang] in flat(result.stdout), (lang, result.stdout)


@pytest.mark.parametrize(("lang", "words"), [
    ("es_ES.UTF-8", ["Uso: sectorguide [OPTIONS] COMMAND [ARGS]...", "Opciones:", "Comandos:"]),
    ("fr_FR.UTF-8", [f"Utilisation{NB}: sectorguide [OPTIONS] COMMAND [ARGS]...",
                     f"Options{NB}:", f"Commandes{NB}:"]),
])
def test_help_in_the_contributors_language(runner: CliRunner, lang: str, words: list[str]) -> None:
    result = sectorguide(runner, ["--help"], lang)
    assert result.exit_code == 0
    for word in words:
        assert word in result.stdout, word


@pytest.mark.parametrize(("lang", "help_line", "error"), [
    ("fr_FR.UTF-8", "-h, --help Affiche ce message et quitte.",
     f"Erreur{NB}: L’option '--contry' n’existe pas."),
    ("es_PE.UTF-8", "-h, --help Muestra este mensaje y sale.",
     "Error: No existe la opción '--contry'."),
    ("en_US.UTF-8", "-h, --help Show this message and exit.", "Error: No such option '--contry'."),
])
def test_the_real_command(lang: str, help_line: str, error: str) -> None:
    command = Path(sys.executable).with_name("sectorguide")
    if not command.exists():
        pytest.skip("the sectorguide command is not installed beside this Python")
    env = {**os.environ, **environment(lang)}
    run = partial(subprocess.run, capture_output=True, text=True, encoding="utf-8",
                  env={name: value for name, value in env.items() if value is not None})
    shown = run([str(command), "validate", "--help"])
    assert shown.returncode == 0 and help_line in flat(shown.stdout)
    refused = run([str(command), "validate", "--contry", "x"])
    assert refused.returncode == 2 and refused.stderr.splitlines()[-1] == error


def test_help_of_a_command_with_lang(runner: CliRunner) -> None:
    """`--help` is handled before `--lang` is read: the language comes from the arguments first."""
    result = sectorguide(runner, ["validate", "--help", "--lang", "fr"], "es_ES.UTF-8")
    assert f"[par défaut{NB}: text]" in flat(result.stdout)
    assert f"Options{NB}:" in result.stdout
    result = sectorguide(runner, ["new", "case", "--lang", "es", "--help"], "C")
    assert "[por defecto: extractive]" in flat(result.stdout)
    assert "Opciones:" in result.stdout


def test_a_prompt_left_unanswered(runner: CliRunner) -> None:
    """The answer is checked by sectorguide, Click says "Error:" and, in the end, "Aborted!"."""
    result = sectorguide(runner, ["new", "case", "--root", str(REPO), "--lang", "fr"],
                         "en_US.UTF-8", input="Bad Id!\n")
    assert result.exit_code == 1
    assert f"Erreur{NB}: " in result.output
    assert result.stderr.splitlines()[-1] == f"Opération annulée{NNB}!"


@pytest.mark.parametrize("args", [["validate", "--contry", "x"], ["--help"],
                                  ["validate", "--contry", "x", "--lang", "en"]])
def test_english_is_unchanged(runner: CliRunner, args: list[str]) -> None:
    result = sectorguide(runner, args, "es_ES.UTF-8" if "--lang" in args else "en_GB.UTF-8")
    text = result.stderr if result.exit_code else result.stdout
    if result.exit_code:
        assert text.splitlines() == [
            "Usage: sectorguide validate [OPTIONS] [PATHS]...",
            "Try 'sectorguide validate --help' for help.",
            "",
            "Error: No such option '--contry'.",
        ]
    else:
        assert "Usage: sectorguide [OPTIONS]" in text and "Options:" in text and "Commands:" in text


def test_the_language_is_only_changed_for_the_command(runner: CliRunner) -> None:
    """Nothing is left behind for the rest of the process (other tests, other Click programs)."""
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    sectorguide(runner, ["validate", "--contry", "x", "--lang", "fr"])
    assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == (domain, language)

    @click.command()
    def other() -> None:
        """Another program."""

    assert "No such option '--x'." in runner.invoke(other, ["--x"]).stderr


def test_english_changes_nothing() -> None:
    before = gettext.textdomain(), os.environ.get("LANGUAGE")
    with click_language("en"):
        assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == before
        assert gettext.gettext("Usage:") == "Usage:"
    with click_language("es"):
        assert gettext.gettext("Usage:") == "Uso:"
        assert gettext.ngettext("Option {name!r} requires an argument.",
                                "Option {name!r} requires {nargs} arguments.", 2) == (
            "La opción {name!r} requiere {nargs} valores.")
    assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == before


@pytest.fixture
def spanish_system(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_CO.UTF-8")
    yield


@pytest.mark.parametrize(("args", "lang"), [
    (["validate", "--lang", "fr"], "fr"),
    (["validate", "--lang=fr", "--lang", "en"], "en"),  # Click keeps the last one
    (["new", "case", "--id", "x", "--lang=fr"], "fr"),
    (["validate"], "es"),
    (["validate", "--lang"], "es"),
    (["validate", "--lang", "de"], "es"),  # refused by Click, in the environment's language
    (["pdf", "--lang", "fr"], "es"),  # there, the languages of the PDFs to print
    (["--lang", "fr", "validate"], "es"),  # not an option of `sectorguide` itself
    (["validate", "--", "--lang", "fr"], "es"),
])
def test_the_language_is_known_before_parsing(spanish_system: None, args: list[str],
                                              lang: str) -> None:
    assert language_in(args, main) == lang


# Our own help (cli.py): the options' help and the commands' descriptions


def test_build_help_in_spanish_then_english(runner: CliRunner) -> None:
    spanish = flat(sectorguide(runner, ["build", "--help", "--lang", "es"], "en_US.UTF-8").stdout)
    assert "Verifica las fichas y genera el sitio en site/ y los PDF en site/pdf/." in spanish
    assert "Código de salida: 0 si se generó, 1 si las fichas no son válidas" in spanish
    assert "--no-pdf Genera solo el sitio, sin los PDF." in spanish
    assert ("--root DIRECTORY El repositorio de la guía (contiene case_studies/, schema/, docs/). "
            "[por defecto: .]") in spanish
    assert ("--lang [en|es|fr] Idioma de los mensajes (por defecto: el de LANG/LC_ALL; si no, "
            "inglés (en)).") in spanish
    assert "Build the site only" not in spanish
    english = flat(sectorguide(runner, ["build", "--help"], "en_US.UTF-8").stdout)
    assert "Validate the records, build the site into site/ and the PDFs into site/pdf/." in english
    assert "--no-pdf Build the site only, without the PDFs." in english
    assert "Language of the messages (default: from LANG/LC_ALL, else en)." in english
    assert "Genera" not in english


def test_new_case_help_in_french(runner: CliRunner) -> None:
    shown = flat(sectorguide(runner, ["new", "case", "--help"], "fr_CA.UTF-8").stdout)
    assert (f"Écrit case_studies/cases/ID.yaml, prêt à remplir. Ce que vous ne donnez pas en "
            f"option vous est demandé, dans votre langue{NNB}; chaque réponse est vérifiée"
            ) in shown
    assert "--id TEXT L’identifiant de la fiche et le nom de son fichier." in shown
    assert f"--sector TEXT mining, oil_and_gas ou extractive. [par défaut{NB}: extractive]" in (
        shown)
    assert "--country TEXT Pays concerné, par son code ou son nom (option répétable)." in shown
    assert (f"--lang [en|es|fr] Langue dans laquelle vous écrivez (par défaut{NB}: celle de LANG, "
            "sinon l’anglais (en)).") in shown


def test_the_list_of_commands_and_the_version_in_french(runner: CliRunner) -> None:
    shown = flat(sectorguide(runner, ["--help"], "fr_FR.UTF-8").stdout)
    assert ("Génère le guide multilingue de bonnes pratiques à partir des fiches de ses cas."
            in shown)
    assert "--version Affiche la version et quitte." in shown
    assert "new Crée une nouvelle fiche à partir d’un modèle qui explique..." in shown  # cut
    assert "validate Vérifie les fiches" in shown
    listed = flat(sectorguide(runner, ["new", "--help"], "fr_FR.UTF-8").stdout)
    assert "case Écrit case_studies/cases/ID.yaml, prêt à remplir. organization" in listed
    english = flat(sectorguide(runner, ["--help"], "en_US.UTF-8").stdout)
    assert "--version Show the version and exit." in english
    assert "new Start a new record from a skeleton that explains each field." in english


def commands(command: click.Command = main,
             path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command of `sectorguide`, itself first, with the words that name it."""
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))


def our_texts(command: click.Command) -> list[str]:
    """A command's description and its parameters' help, as written in cli.py (Click's --help
    option, made by Click, is not among its params)."""
    helps = [command.help, command.short_help,
             *(getattr(param, "help_source", getattr(param, "help", None))
               for param in command.params)]
    return [text for text in helps if text]


def in_language(text: str, lang: str) -> str:
    with click_language(lang):
        return gettext.gettext(message_id(text))


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_option_and_command_has_its_help_translated(lang: str) -> None:
    """Fails when an option or a command is added, or its English changed, without its Spanish
    and French in catalog/cli.LANG.po (a msgid: the text, a paragraph on each line)."""
    missing = {(" ".join(path), text) for path, command in commands()
               for text in our_texts(command) if in_language(text, lang) == message_id(text)}
    assert missing == set()


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_every_help_is_shown_translated(runner: CliRunner, lang: str) -> None:
    """Each command's --help shows its description and every option's help in `lang`, and a
    group lists its commands by their translated descriptions (cut where Click cuts them)."""
    def squeezed(text: str) -> str:  # Click may wrap a line after a hyphen
        return re.sub(r"[ \n]+", "", text)

    for path, command in commands():
        shown = squeezed(sectorguide(runner, [*path, "--help"], lang).stdout)
        for text in our_texts(command):
            assert squeezed(in_language(text, lang)) in shown, (path, text)
        for name, sub in getattr(command, "commands", {}).items():
            start = " ".join(in_language(sub.help or "", lang).split()[:3])
            assert squeezed(name + start) in shown, (path, name)


def test_no_translation_is_left_over() -> None:
    """An entry of catalog/cli.LANG.po is a text of cli.py, not one of Click's own (those are
    in click.LANG.po)."""
    ours = {message_id(text) for _, command in commands() for text in our_texts(command)}
    for lang in ("es", "fr"):
        entries = {m.id for m in read_po(BytesIO(catalog_files("cli")[lang]), locale=lang) if m.id}
        assert entries - ours == set(), "no longer in cli.py: remove them"
        assert entries & {m.id for m in catalog(lang) if m.id} == set()


# Click lays out our help: what it shows of the English, it shows of a translation


def sample_program() -> click.Group:
    """A program with what Click lays out itself: a paragraph not to rewrap (``\\b``), text
    after ``\\f`` (for documentation tools only), a deprecated command and option, a default and
    a short help. Made anew for each test: Click keeps a command's --help option once made."""
    @click.group(cls=TranslatedGroup)
    def sample() -> None:
        """Shows how Click lays out a help text.

        \b
        Kept as written:
          one line
          another line
        \f
        For documentation tools only: never shown.
        """

    @sample.command(deprecated=True)
    @click.option("--old", cls=TranslatedOption, deprecated=True,
                  help="An option on its way out.")
    @click.option("--size", cls=TranslatedOption, default=3, show_default=True, help="How many.")
    def old(old: str | None, size: int) -> None:
        """Do it the old way, as before the new one existed. Kept for older scripts.

        \b
        Step one
        Step two
        \f
        Hidden from --help.
        """

    @sample.command(short_help="Do it the new way.")
    def new() -> None:
        """Do it the new way, with all that has been learnt since the old one."""

    return sample


SAMPLE_IN_GERMAN = {
    "Shows how Click lays out a help text.\n\n\b\nKept as written:\n  one line\n  another line":
        "Zeigt, wie Click einen Hilfetext setzt.\n\n"
        "\b\nWie geschrieben:\n  eine Zeile\n  noch eine Zeile",
    "Do it the old way, as before the new one existed. Kept for older scripts.\n\n"
    "\b\nStep one\nStep two":
        "Macht es auf die alte Art, wie vor der neuen. Bleibt für ältere Skripte.\n\n"
        "\b\nSchritt eins\nSchritt zwei",
    "An option on its way out.": "Eine Option, die bald wegfällt.",
    "How many.": "Wie viele.",
    "Do it the new way.": "Macht es auf die neue Art.",
}
CLICK_IN_GERMAN = {"Usage:": "Aufruf:", "Options": "Optionen", "Commands": "Befehle",
                   "deprecated": "veraltet", "default: {default}": "Standard: {default}"}


def po(lang: str, messages: dict[str, str]) -> bytes:
    """The text of a catalog/NAME.LANG.po that translates `messages`."""
    written = BytesIO()
    translations = Catalog(locale=lang)
    for key, text in messages.items():
        translations.add(key, text)
    write_po(written, translations)
    return written.getvalue()


@pytest.fixture
def more_catalogs(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str, dict[str, str]], None]:
    """Adds a catalog/NAME.LANG.po to those shipped. A language's catalogs are compiled once a
    process: each test takes a language of its own."""
    added: dict[str, dict[str, bytes]] = {name: {} for name in click_locale.CATALOGS}

    def shipped_and_added(name: str = "click") -> dict[str, bytes]:
        return {**catalog_files(name), **added[name]}

    monkeypatch.setattr(click_locale, "catalog_files", shipped_and_added)

    def add(name: str, lang: str, messages: dict[str, str]) -> None:
        added[name][lang] = po(lang, messages)
    return add


def plain(command: click.Command) -> click.Command:
    """The same command made of Click's own classes: what Click prints without our translation."""
    twin = copy.copy(command)
    twin.params = [copy.copy(param) for param in command.params]
    for param in twin.params:
        if isinstance(param, TranslatedOption):
            param.__class__ = click.Option
    if isinstance(twin, click.Group):
        twin.__class__ = click.Group
        twin.commands = {name: plain(sub) for name, sub in twin.commands.items()}
    else:
        twin.__class__ = click.Command
    return twin


def test_the_sample_is_made_of_our_classes() -> None:
    sample = sample_program()
    assert isinstance(sample.commands["old"], TranslatedCommand)
    assert all(isinstance(param, TranslatedOption) for param in sample.commands["old"].params)
    assert not isinstance(plain(sample).commands["old"], TranslatedCommand)


@pytest.mark.parametrize("words", [("sectorguide", *path) for path, _ in commands()]
                         + [("sample", *path) for path, _ in commands(sample_program())],
                         ids=" ".join)
def test_english_help_is_clicks_own(runner: CliRunner, words: tuple[str, ...]) -> None:
    """Byte for byte what Click prints of the same commands without our classes: ``\\b``
    paragraphs, ``\\f``, "(DEPRECATED)", "[default: ...]" and the list of commands."""
    program, path = (main if words[0] == "sectorguide" else sample_program()), list(words[1:])
    ours = runner.invoke(program, [*path, "--help"], prog_name=words[0],
                         env=environment("en_US.UTF-8"))
    clicks = runner.invoke(plain(program), [*path, "--help"], prog_name=words[0],
                           env=environment("en_US.UTF-8"))
    assert ours.exit_code == clicks.exit_code == 0
    assert ours.stdout == clicks.stdout


def test_the_sample_in_english(runner: CliRunner) -> None:
    """What Click does with the sample, as the test above compares it."""
    listed = runner.invoke(sample_program(), ["--help"]).stdout
    assert "  Kept as written:\n    one line\n    another line\n" in listed
    assert "documentation" not in listed and "\b" not in listed
    assert "  old  Do it the old way, as before the new one existed. (DEPRECATED)" in listed
    shown = runner.invoke(sample_program(), ["old", "--help"]).stdout
    assert "  Step one\n  Step two\n" in shown and "(DEPRECATED)" in shown
    assert "Hidden" not in shown
    assert "--old TEXT An option on its way out. (DEPRECATED)" in flat(shown)


def test_a_translation_is_laid_out_as_click_lays_out_the_english(
        runner: CliRunner, more_catalogs: Callable[[str, str, dict[str, str]], None]) -> None:
    more_catalogs("cli", "de", SAMPLE_IN_GERMAN)
    more_catalogs("click", "de", CLICK_IN_GERMAN)
    with click_language("de"):
        listed = runner.invoke(sample_program(), ["--help"]).stdout
        shown = runner.invoke(sample_program(), ["old", "--help"]).stdout
    assert listed.startswith("Aufruf: sample [OPTIONS] COMMAND [ARGS]...\n\n"
                             "  Zeigt, wie Click einen Hilfetext setzt.\n\n"
                             "  Wie geschrieben:\n    eine Zeile\n    noch eine Zeile\n\n"
                             "Optionen:\n")
    assert "  new  Macht es auf die neue Art.\n" in listed
    assert "  old  Macht es auf die alte Art, wie vor der neuen. (VERALTET)\n" in listed
    assert shown.startswith("Aufruf: sample old [OPTIONS]\n\n"
                            "  Macht es auf die alte Art, wie vor der neuen. Bleibt für ältere "
                            "Skripte.\n\n  Schritt eins\n  Schritt zwei (VERALTET)\n\nOptionen:\n")
    assert "--old TEXT Eine Option, die bald wegfällt. (VERALTET)" in flat(shown)
    assert "--size INTEGER Wie viele. [Standard: 3]" in flat(shown)
    for english in ("Hidden", "documentation", "\b", "Step", "DEPRECATED", "default", "Usage"):
        assert english not in listed + shown


@pytest.mark.parametrize(("text", "msgid"), [
    ("One paragraph,\n   on two lines.", "One paragraph, on two lines."),
    ("Indented as a docstring is.\n\n    Second paragraph.\n    \f\n    Hidden.",
     "Indented as a docstring is.\n\nSecond paragraph."),
    ("Before.\n\n\b\nKept\n  as written\n\nAfter,\nrewrapped.",
     "Before.\n\n\b\nKept\n  as written\n\nAfter, rewrapped."),
])
def test_the_msgid_is_the_text_click_shows(text: str, msgid: str) -> None:
    """Docstring indentation removed, cut at \\f, each paragraph on one line but \\b's."""
    assert message_id(text) == msgid


def test_no_private_click_name() -> None:
    """A Click upgrade may remove what it keeps private: every command would then fail."""
    source = Path(click_locale.__file__).read_text("utf-8")
    assert re.findall(r"click[\w.]*\._\w+|from click[\w.]* import[^\n]*\b_\w+", source) == []


def test_a_missing_catalog_translates_nothing(
        runner: CliRunner, more_catalogs: Callable[[str, str, dict[str, str]], None]) -> None:
    """Click's catalog without ours, or ours without Click's: what has a catalog is
    translated, the rest is English, never a traceback."""
    more_catalogs("click", "it", {"Usage:": "Utilizzo:"})
    more_catalogs("cli", "pt", {"How many.": "Quantos."})
    with click_language("it"):
        italian = runner.invoke(sample_program(), ["old", "--help"])
    with click_language("pt"):
        portuguese = runner.invoke(sample_program(), ["old", "--help"])
    assert italian.exit_code == portuguese.exit_code == 0
    assert "Utilizzo: sample old" in italian.stdout and "How many." in italian.stdout
    assert "Usage: sample old" in portuguese.stdout and "Quantos." in portuguese.stdout


# The catalogs


def clicks_messages() -> dict[str, tuple[str, ...]]:
    """Every text the installed Click marks for translation: msgid -> (msgid[, msgid_plural])."""
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(Path(click.__file__).parent), method_map=[("**.py", "python")]):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[ids[0]] = ids
    return found


def catalog(lang: str) -> Catalog:
    return read_po(BytesIO(catalog_files()[lang]), locale=lang)


def fields(text: str) -> set[str]:
    """The names a text gets from Click: {name!r} and %(prog)s."""
    braces = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return braces | set(re.findall(r"%\((\w+)\)s", text))


def literal(text: str) -> str:
    """A text without its {placeholders}."""
    return "".join(part for part, _, _, _ in string.Formatter().parse(text))


def forms_of(message: Message) -> tuple[str, ...]:
    """A translation's text, or its texts for each plural form."""
    text = message.string
    return (text,) if isinstance(text, str) else tuple(text or ())


def translations() -> Iterator[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(lang, msgid, ids, translated forms) of every entry of every catalog."""
    for lang in ("es", "fr"):
        for message in catalog(lang):
            if message.id:
                ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
                yield lang, ids[0], ids, forms_of(message)


def test_there_is_a_catalog_for_each_language_but_english() -> None:
    assert sorted(catalog_files()) == ["es", "fr"]


@pytest.mark.parametrize(("lang", "rule"), [("es", "(n != 1)"), ("fr", "(n > 1)")])
def test_every_text_click_marks_is_translated(lang: str, rule: str) -> None:
    """Fails after a Click upgrade that adds or changes texts: translate them (the msgids are in
    the installed click package; `pybabel extract` lists them)."""
    translated = catalog(lang)
    assert translated.plural_expr == rule and translated.num_plurals == 2
    messages = clicks_messages()
    assert len(messages) > 60
    missing = []
    for key, ids in messages.items():
        entry = translated.get(ids[0])
        forms = () if entry is None else forms_of(entry)
        if entry is None or entry.fuzzy or len(forms) != len(ids) or not all(forms):
            missing.append(key)
    assert missing == []
    unused = [m.id for m in translated if m.id and
              (m.id if isinstance(m.id, str) else m.id[0]) not in messages]
    assert unused == [], "no longer in Click: remove them"


def test_translations_use_only_the_placeholders_click_gives() -> None:
    """A placeholder Click does not pass would fail while showing an error; the count, the
    option and the value must not be lost either (Click's English words may be: see the notes)."""
    may_leave_out = {"name", "param_type", "number_type", "len"}
    for lang, key, ids, forms in translations():
        given = set().union(*(fields(text) for text in ids))
        for form in forms:
            assert fields(form) <= given, (lang, key, form)
            needed = fields(ids[min(forms.index(form), len(ids) - 1)]) - may_leave_out
            if key.startswith("{name} {filename!r}"):
                needed = {"filename"}
            assert needed <= fields(form), (lang, key, form)


def test_french_typography() -> None:
    """A no-break space before ":" and inside « », a narrow one before ";", "!" and "?",
    the typographic apostrophe."""
    checked = 0
    for lang, key, _, forms in translations():
        if lang != "fr":
            continue
        for form in forms:
            text = literal(form)
            assert re.search(r"(?<!\u00a0):", text) is None, (key, form)
            assert re.search(r"(?<!\u202f)[;!?]", text) is None, (key, form)
            assert re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text) is None, (key, form)
            assert "'" not in text, (key, form)
            checked += text.count(":")
    assert checked > 10


def test_french_headings_end_with_a_no_break_space() -> None:
    """Click writes the colon after "Options", "Commands"...: French needs the space before it."""
    french = catalog("fr")
    for heading in ("Options", "Commands", "Positional arguments"):
        translated = french.get(heading)
        assert translated is not None and str(translated.string).endswith(NB), heading


def test_spanish_opening_marks() -> None:
    for lang, key, _, forms in translations():
        if lang == "es":
            for form in forms:
                text = literal(form)
                assert text.count("¿") == text.count("?") and text.count("¡") == text.count("!"), (
                    key, form)
