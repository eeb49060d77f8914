"""`sectorguide serve`: MkDocs' development server, told of changes as they happen.

MkDocs' server looks for changed files every half second (a polling observer); here it gets
the operating system's file events instead (inotify, FSEvents or ReadDirectoryChangesW
through watchdog, which MkDocs already uses), so an edit starts a rebuild at once, and it
does not rebuild a second time for the generated pages that the build itself wrote.
Everything else is `mkdocs serve` as it comes.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from .project import Project
from .render import GENERATED_DIRS, GENERATED_FILES

log = logging.getLogger("mkdocs.commands.serve")


class _Changes(FileSystemEventHandler):
    """Passes on changes only: the system also reports files opened and closed, and a build
    reads many files (MkDocs rebuilds on any event it hears)."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type in _CHANGES and not _GENERATED.match(os.fsdecode(event.src_path)):
            self.handler.dispatch(event)


# The generated pages change only when a build (already under way) writes them.
_GENERATED = re.compile(r"(?!)")


_CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED}


class _ChangesObserver(Observer):  # type: ignore[misc,valid-type]
    def schedule(self, event_handler: FileSystemEventHandler, path: str, *args: Any,
                 **kwargs: Any) -> Any:
        return super().schedule(_Changes(event_handler), path, *args, **kwargs)


class _EventDrivenServer(LiveReloadServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer = _ChangesObserver()  # the paths are scheduled after this
        self.builder = partial(_keep_serving, self.builder)


def _keep_serving(builder: Callable[[], None]) -> None:
    """A rebuild that fails (a record with errors) says why, in a few lines, and the pages
    built before stay up: MkDocs' own loop printed a Python traceback and held every request
    until the next successful build (the browser hung)."""
    try:
        builder()
    except MkDocsException as error:
        log.error("%s\nThe pages built before stay up; they change when the records are valid.",
                  error)


def serve(mkdocs_yml: Path, arguments: list[str]) -> None:
    """Run `mkdocs serve -f mkdocs_yml ARGUMENTS` in this process (static-i18n reads the
    command line to know a build is dirty, so the arguments are put there too)."""
    from mkdocs.__main__ import cli

    global _GENERATED
    docs = re.escape(str(Project(mkdocs_yml.parent).docs_dir.absolute()) + os.sep)
    _GENERATED = re.compile(docs + "(?:" + "|".join(
        [re.escape(folder + os.sep) for folder in GENERATED_DIRS] +
        [re.escape(name) + r"(?:\.[a-z]{2})?\.md$" for name in GENERATED_FILES]) + ")")
    mkdocs_serve.LiveReloadServer = _EventDrivenServer  # type: ignore[attr-defined]
    sys.argv = ["mkdocs", "serve", "-f", str(mkdocs_yml), *arguments]
    try:
        cli(prog_name="mkdocs")
    except OSError as error:  # the address is taken, or not this machine's
        raise click.ClickException(f"cannot serve there: {error.strerror or error}") from None
