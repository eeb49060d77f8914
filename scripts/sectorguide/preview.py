"""`sectorguide serve`: MkDocs' development server, told of changes as they happen.

MkDocs' server looks for changed files every half second (a polling observer); here it gets
the operating system's file events instead (inotify, FSEvents or ReadDirectoryChangesW
through watchdog, which MkDocs already uses), so an edit starts a rebuild at once, and it
does not rebuild a second time for the generated pages that the build itself wrote.
Everything else is `mkdocs serve` as it comes.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from html import escape
from pathlib import Path
from types import FrameType
from typing import Any

import click
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer
from mkdocs.utils import DuplicateFilter
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from .labels import Labels, language_from_environment
from .mkdocs_jobs import LogCollector
from .project import Project
from .render import GENERATED_DIRS, GENERATED_FILES
from .scratch import remove_leftovers, remove_scratch, scratch_folder

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
    """A rebuild that fails for another reason than the records (those are said in the
    browser, see _start_anyway) says why in a few lines, and serving goes on: MkDocs' own loop
    printed a Python traceback and held every request until the next successful build."""
    try:
        builder()
    except MkDocsException as error:
        log.error("%s", error)


WAITING = "sectorguide-waiting.txt"  # marks a site folder that holds only the waiting page


def _start_anyway(build: Callable[..., None]) -> Callable[..., None]:
    """MkDocs' build, as `serve` calls it. When it fails (a record with errors), every address
    answers with a page that says why, in the contributor's language, and reloads itself;
    the browser, told of the rebuild, shows it at once, where the contributor is looking
    (before, the pages built before stayed up, unchanged, and only the terminal said why).
    The next edit builds again; a build after a failure builds every page."""

    def building(config: Any, **options: Any) -> None:
        site = Path(config.site_dir)
        whole = not (site.is_dir() and any(site.iterdir())) or (site / WAITING).exists()
        said = LogCollector(logging.ERROR)
        logging.getLogger("mkdocs").addHandler(said)
        _forget_messages_logged()
        try:  # a dirty build would write only the pages whose source changed
            build(config, **({**options, "dirty": False} if whole else options))
        except MkDocsException as error:  # MkDocs logged why, then raised
            _write_waiting_page(site, "\n".join(said.messages) or str(error))
        else:
            (site / WAITING).unlink(missing_ok=True)
        finally:
            logging.getLogger("mkdocs").removeHandler(said)

    return building


def _forget_messages_logged() -> None:
    """Each rebuild says its problems anew: MkDocs' filter against repeated messages, made for
    one build, drops a message logged by an earlier one, and a record's problems left as
    they were after an edit went unsaid (the browser's page said "Aborted with a
    BuildError!", the terminal nothing)."""
    for kept in logging.getLogger("mkdocs.commands.build").filters:
        if isinstance(kept, DuplicateFilter):
            kept.msgs.clear()


def _write_waiting_page(site: Path, said: str) -> None:
    """The page served while the records cannot be built: what the build said (escaped)."""
    t = Labels(language_from_environment())
    if site.is_dir():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    (site / WAITING).write_text(said, "utf-8")
    # every address answers with this page (as the 404 page below a language folder too),
    # which reloads itself: the live-reload script is added to pages that exist only
    page = (f'<!DOCTYPE html>\n<html lang="{t.lang}">\n<head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="3">'
            f"<title>{escape(t('serve_waiting_title'))}</title></head>\n<body>\n"
            f"<p>{escape(t('serve_waiting'))}</p>\n<pre>{escape(said)}</pre>\n</body>\n</html>\n")
    (site / "index.html").write_text(page, "utf-8")
    (site / "404.html").write_text(page, "utf-8")


def _not_about_dirty_builds(record: logging.LogRecord) -> bool:
    """MkDocs warns on every quick rebuild that links may be wrong and that the folder holds
    "stale files": not so here (the generated pages are rewritten when they change, and
    navigation comes from the chapters), and contributors read "stale" as their translations."""
    said = record.getMessage()
    return not said.startswith(("A 'dirty' build is being performed",
                                "The directory contains stale files"))


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
    logging.getLogger("mkdocs.commands.build").addFilter(_not_about_dirty_builds)
    # static-i18n says, on every rebuild, each language it builds and each setting it
    # overrides, in English: a contributor looks for their record's problems among them
    logging.getLogger("mkdocs.plugins.mkdocs_static_i18n").setLevel(logging.WARNING)
    mkdocs_serve.build = _start_anyway(mkdocs_serve.build)  # type: ignore[attr-defined]
    sys.argv = ["mkdocs", "serve", "-f", str(mkdocs_yml), *arguments]
    # MkDocs builds the site it serves in a temporary folder, removed when Ctrl-C stops it. A
    # stop asked by another program (SIGTERM: a process manager, a CI timeout, `kill`; SIGHUP:
    # its terminal closed) left that whole site behind, as did a stop while the records were
    # still being read: those signals now stop it as Ctrl-C does, and the folder is made
    # inside one of ours, removed however `serve` ends (after a SIGKILL, by the next `serve`).
    temporary = Path(tempfile.gettempdir())
    remove_leftovers(temporary, SERVE_SCRATCH_PREFIX)
    scratch = scratch_folder(temporary, SERVE_SCRATCH_PREFIX)
    previous = tempfile.tempdir
    try:
        tempfile.tempdir = str(scratch)
        with _stopped_as_by_ctrl_c():
            cli(prog_name="mkdocs")
    except OSError as error:  # the address is taken, or not this machine's
        raise click.ClickException(_cannot_serve(error)) from None
    finally:
        tempfile.tempdir = previous
        remove_scratch(scratch)


def _cannot_serve(error: OSError) -> str:
    """Why serve cannot listen where asked, in the contributor's language."""
    t = Labels(language_from_environment())
    reason = {errno.EADDRINUSE: "serve_address_taken",
              errno.EADDRNOTAVAIL: "serve_address_elsewhere"}.get(error.errno or 0)
    return t("serve_cannot", reason=t(reason) if reason else error.strerror or str(error))


SERVE_SCRATCH_PREFIX = "sectorguide-serve-"
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _stopped_as_by_ctrl_c() -> Iterator[None]:
    """While serving, SIGTERM and SIGHUP stop `serve` as Ctrl-C does: MkDocs shuts down and
    removes its temporary site. The handlers in place before come back after."""
    previous = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop(signum: int, frame: FrameType | None) -> None:
    """A stop signal: a second one ends the process at once (the next `serve` removes what it
    leaves)."""
    for stop_signal in _STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_DFL)
    raise KeyboardInterrupt


def _default_in_child() -> None:
    """A process forked while serving ends on those signals as by default: validation's pool
    ends its workers with SIGTERM, and a worker interrupted as `serve` is printed a traceback
    (or, in a lock, hung its pool)."""
    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) is _stop:
            signal.signal(signum, signal.SIG_DFL)


os.register_at_fork(after_in_child=_default_in_child)
