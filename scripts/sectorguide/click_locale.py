"""Click's own texts (usage errors, --help, prompts, "Aborted!") and the help of our commands
(cli.py's option help and command descriptions) in the contributor's language.

Click translates with the module-level ``gettext.gettext``/``ngettext``: the process's global
text domain, in the language LANGUAGE (else LC_ALL, LC_MESSAGES, LANG) names. So, rather than
replacing Click's or gettext's functions, ``click_language`` compiles catalog/click.LANG.po and
catalog/cli.LANG.po (those of the two that exist) with Babel into one temporary catalog and,
for the length of one command only, makes that private domain the global one and sets
LANGUAGE, then restores both; English changes nothing, and only programs started during the
command (git) see LANGUAGE, set to the language asked for.

Our help texts stay in English in cli.py, as the msgids: ``TranslatedOption``,
``TranslatedCommand`` and ``TranslatedGroup`` look them up through the same domain when the
help is shown and hand the translation to Click's own methods, on a shallow copy of the
option or command, so that Click lays it out as it lays out the English (``\\b`` paragraphs,
``\\f``, the deprecation label, "[default: ...]"). The command objects are never changed, each
command shows the language of its own run, and without a translation Click's English is shown
as Click prints it.
"""

from __future__ import annotations

import atexit
import copy
import gettext
import inspect
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Self

import click
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .labels import language_from_environment
from .vocabulary import LANGUAGES

DOMAIN = "sectorguide-click"
OPTION = "--lang"  # the message-language option, as validate, build, status and new take it
CATALOGS = ("click", "cli")  # catalog/NAME.LANG.po: Click's own texts; our commands' help


@cache
def catalog_files(name: str = "click") -> dict[str, bytes]:
    """The text of catalog/NAME.LANG.po for each language it translates into."""
    folder = resources.files("sectorguide").joinpath("catalog")
    return {entry.name.removeprefix(f"{name}.").removesuffix(".po"): entry.read_bytes()
            for entry in folder.iterdir() if re.fullmatch(rf"{name}\.\w+\.po", entry.name)}


@cache
def _folder() -> Path:
    """A temporary folder, removed at exit, where the domain's catalogs are compiled."""
    folder = Path(tempfile.mkdtemp(prefix="sectorguide-click-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    gettext.bindtextdomain(DOMAIN, str(folder))
    return folder


@cache
def _compile(lang: str) -> None:
    """LANG/LC_MESSAGES/sectorguide-click.mo, compiled from catalog/click.LANG.po and
    catalog/cli.LANG.po together; a catalog that is missing translates nothing (Click's texts,
    or ours, stay English)."""
    target = _folder() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as mo:
        write_mo(mo, _merged(read_po(io.BytesIO(catalog_files(name)[lang]), locale=lang)
                             for name in CATALOGS if lang in catalog_files(name)))


def _merged(catalogs: Iterator[Catalog]) -> Catalog:
    """The first catalog with the messages of the others added (their msgids are distinct)."""
    merged = next(catalogs)
    for catalog in catalogs:
        for message in catalog:
            if message.id:
                merged[message.id] = message
    return merged


@contextmanager
def click_language(lang: str) -> Iterator[None]:
    """Click's texts and our help in `lang` inside the block (English, as written, when there is
    no catalog)."""
    if not any(lang in catalog_files(name) for name in CATALOGS):
        yield
        return
    _compile(lang)
    saved_domain, saved_language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_language


def language_in(args: Sequence[str], command: click.Command) -> str:
    """The language of the messages, known before Click parses `args`: the last `--lang xx` or
    `--lang=xx` given to a command that takes it as such (`pdf --lang` names the PDFs to print),
    else the environment's, as the commands themselves decide it."""
    chosen = None
    for index, word in enumerate(args):
        if word == "--":
            break
        if isinstance(command, click.Group) and word in command.commands:
            command = command.commands[word]
        elif (word == OPTION or word.startswith(OPTION + "=")) and _takes_language(command):
            value = word.partition("=")[2] if "=" in word else "".join(args[index + 1:index + 2])
            chosen = value
    return chosen if chosen in LANGUAGES else language_from_environment()


def _takes_language(command: click.Command) -> bool:
    return any(isinstance(param, click.Option) and param.name == "lang" and OPTION in param.opts
               for param in command.params)


def message_id(text: str) -> str:
    """The msgid of one of our help texts: as Click cleans it (docstring indentation removed,
    cut at the form feed after which Click shows nothing), each paragraph on one line, since
    Click wraps the lines again when it shows them; a paragraph Click does not rewrap (its
    first line is ``\\b``) stays as written."""
    cleaned = inspect.cleandoc(text).partition("\f")[0].strip()
    return "\n\n".join(paragraph if paragraph.split("\n", 1)[0].strip() == "\b"
                       else " ".join(paragraph.split())
                       for paragraph in re.split(r"\n[ \t]*\n", cleaned))


def translation(text: str | None) -> str | None:
    """A help text of ours in the language of the command running; None when there is none to
    show (English, outside a command, or a text its catalog does not translate)."""
    if not text or gettext.textdomain() != DOMAIN:
        return None
    key = message_id(text)
    found = gettext.gettext(key)
    return found if found != key else None


class TranslatedOption(click.Option):
    """An option whose help is shown in the command's language, laid out by Click as the
    English is (with its "[default: ...]" and deprecation label, which Click translates)."""

    def __init__(self, *args: Any, **attrs: Any) -> None:
        super().__init__(*args, **attrs)
        #: the help as written in cli.py, the msgid: Click adds its "(DEPRECATED)" to `help`
        self.help_source: str | None = attrs.get("help")

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        text = translation(self.help_source)
        if text is None:
            return super().get_help_record(ctx)
        shown = copy.copy(self)
        # made as Click makes an option's help: the label of a deprecated one, in this language
        shown.help = click.Option(["--shown"], help=text, deprecated=self.deprecated).help
        return super(TranslatedOption, shown).get_help_record(ctx)


class TranslatedCommand(click.Command):
    """A command whose description (its docstring) is shown in the command's language, in full
    by `COMMAND --help` and shortened, as Click shortens it, in its group's list of commands."""

    def in_language(self) -> Self:
        """This command with its help and short help translated (a shallow copy), or itself
        when neither has a translation."""
        help_text, short_help = translation(self.help), translation(self.short_help)
        if help_text is None and short_help is None:
            return self
        shown = copy.copy(self)
        shown.help = help_text or self.help
        shown.short_help = short_help or self.short_help
        return shown

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super(TranslatedCommand, self.in_language()).format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return super(TranslatedCommand, self.in_language()).get_short_help_str(limit)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """Click makes a command's -h/--help option once per process, its text ("Show this
        message and exit.") in the language of the first run: said in this run's."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = gettext.gettext(HELP_OPTION_TEXT)
        return option


HELP_OPTION_TEXT = "Show this message and exit."  # Click's text, translated in catalog/click.*.po


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group whose description, commands and subgroups show their help translated."""

    command_class = TranslatedCommand


TranslatedGroup.group_class = TranslatedGroup  # its subgroups too (`sectorguide new`)
