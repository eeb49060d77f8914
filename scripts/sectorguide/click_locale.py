"""Click's own texts (usage errors, --help, prompts, "Aborted!") and the help of our commands
(cli.py's option help and command descriptions) in the contributor's language.

Click translates with the module-level ``gettext.gettext``/``ngettext``: the process's global
text domain, in the language LANGUAGE (else LC_ALL, LC_MESSAGES, LANG) names. So, rather than
replacing Click's or gettext's functions, ``click_language`` compiles catalog/click.LANG.po and
catalog/cli.LANG.po with Babel into one temporary catalog and, for the length of one command
only, makes that private domain the global one and sets LANGUAGE, then restores both; English
changes nothing, and only programs started during the command (git) see LANGUAGE, set to the
language asked for.

Our help texts stay in English in cli.py, as the msgids: ``TranslatedOption``,
``TranslatedCommand`` and ``TranslatedGroup`` look them up through the same domain when the
help is shown, so the command objects are never changed and each command shows the language
of its own run.
"""

from __future__ import annotations

import atexit
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

import click
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.utils import _make_default_short_help  # Click's own; private, but Click is pinned

from .labels import language_from_environment
from .model import LANGUAGES

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
    catalog/cli.LANG.po together."""
    target = _folder() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as mo:
        write_mo(mo, _merged(read_po(io.BytesIO(catalog_files(name)[lang]), locale=lang)
                             for name in CATALOGS))


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
    """Click's texts in `lang` inside the block (English, Click's own, when there is no catalog)."""
    if lang not in catalog_files():
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
    """The msgid of one of our help texts: as Click cleans it (docstring indentation removed),
    each paragraph on one line, since Click wraps the lines again when it shows them."""
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text).strip())
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def translated(text: str) -> str:
    """A help text of ours in the language of the command running (the English as written in
    cli.py when its catalog has no translation, or outside a command)."""
    return gettext.gettext(message_id(text))


class TranslatedOption(click.Option):
    """An option whose help is shown in the command's language, before Click's own
    "[default: ...]" (which Click translates)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None or not self.help:
            return record
        names, text = record
        return names, translated(self.help) + text.removeprefix(self.help)


class TranslatedCommand(click.Command):
    """A command whose description (its docstring) is shown in the command's language, in full
    by `COMMAND --help` and as its first sentence in its group's list of commands."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not self.help:
            return super().format_help_text(ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(translated(self.help))

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return translated(self.short_help)
        # the first sentence, cut to the width left, as Click shortens the English
        return _make_default_short_help(translated(self.help), limit) if self.help else ""


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group whose description, commands and subgroups show their help translated."""

    command_class = TranslatedCommand


TranslatedGroup.group_class = TranslatedGroup  # its subgroups too (`sectorguide new`)
