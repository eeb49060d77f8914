"""Click's own texts (usage errors, --help, prompts, "Aborted!") in the contributor's language.

Click translates with the module-level ``gettext.gettext``/``ngettext``: the process's global
text domain, in the language LANGUAGE (else LC_ALL, LC_MESSAGES, LANG) names. So, rather than
replacing Click's or gettext's functions, ``click_language`` compiles catalog/click.LANG.po
with Babel into a temporary folder and, for the length of one command only, makes that private
domain the global one and sets LANGUAGE, then restores both; English changes nothing, and only
programs started during the command (git) see LANGUAGE, set to the language asked for.
"""

from __future__ import annotations

import atexit
import gettext
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
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .labels import language_from_environment
from .model import LANGUAGES

DOMAIN = "sectorguide-click"
OPTION = "--lang"  # the message-language option, as validate, build, status and new take it


@cache
def catalog_files() -> dict[str, bytes]:
    """The text of catalog/click.LANG.po for each language Click's texts are translated into."""
    folder = resources.files("sectorguide").joinpath("catalog")
    return {entry.name.removeprefix("click.").removesuffix(".po"): entry.read_bytes()
            for entry in folder.iterdir() if re.fullmatch(r"click\.\w+\.po", entry.name)}


@cache
def _folder() -> Path:
    """A temporary folder, removed at exit, where the domain's catalogs are compiled."""
    folder = Path(tempfile.mkdtemp(prefix="sectorguide-click-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    gettext.bindtextdomain(DOMAIN, str(folder))
    return folder


@cache
def _compile(lang: str) -> None:
    """LANG/LC_MESSAGES/sectorguide-click.mo, compiled from catalog/click.LANG.po."""
    target = _folder() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as mo:
        write_mo(mo, read_po(io.BytesIO(catalog_files()[lang]), locale=lang))


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
