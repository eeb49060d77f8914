"""MkDocs run as parallel jobs: one per language and shard of the case pages, then merged.

static-i18n builds its languages one after another in one process; here each language (and,
on a machine with several cores, each share of the case pages) is built in its own forked
process with the same configuration, so three languages cost about what the slowest job
costs on each core. The generated pages are written once, before the jobs start.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from .lifetime import die_with_parent
from .search import SEARCH_INPUT
from .trees import merge_tree

PAGES_READY = "SECTORGUIDE_PAGES_READY"
SHARD = "SECTORGUIDE_SHARD"
# The languages whose PDF the finished site holds (comma-separated), set by `sectorguide build`
# for its jobs: the pages link to a language's PDF only when there is one.
PRINTED = "SECTORGUIDE_PRINTED"


@dataclass(frozen=True)
class Job:
    lang: str
    default: bool
    shard: int
    shards: int

    @property
    def name(self) -> str:
        return f"{self.lang}-{self.shard}"


@dataclass(frozen=True)
class SiteLanguages:
    """The languages the site's configuration builds (static-i18n's list), the default first."""

    default: str
    built: tuple[str, ...]
    site_url: str | None

    @classmethod
    def of(cls, mkdocs_yml: Path) -> SiteLanguages:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        return cls.from_config(load_config(str(mkdocs_yml)))

    @classmethod
    def from_config(cls, config: MkDocsConfig) -> SiteLanguages:
        i18n = config.plugins["i18n"].config
        default = next(lang.locale for lang in i18n.languages if lang.default)
        built = [lang.locale for lang in i18n.languages if lang.build]
        return cls(default, tuple(sorted(built, key=lambda lang: lang != default)), config.site_url)


class JobFailed(Exception):
    """A MkDocs job failed; the message says which and why."""


def in_shard(case_id: str, shard: int, shards: int) -> bool:
    """Whether a case page belongs to a shard: stable across runs and machines."""
    return zlib.crc32(case_id.encode("utf-8")) % shards == shard


def plan(languages: list[str], default: str, cores: int) -> list[Job]:
    """As few jobs as keep every core busy (each job loads the configuration, sorts the files
    and builds the lists of records again). With at least as many languages as cores, one job
    per language: a language's search index (search.py) is made beside the jobs still running,
    which fills the cores a finished job leaves. With fewer, each language's cases are shared
    among jobs, so that every core builds. Three languages on two cores: en, es and fr whole;
    one language on two cores: two shares."""
    if len(languages) >= cores:
        return [Job(lang, lang == default, 0, 1) for lang in languages]
    shards = -(-cores // len(languages))
    return [Job(lang, lang == default, shard, shards) for lang in languages for shard in range(shards)]


def _started() -> None:
    """A job process: it ends with the build, and its garbage collections leave alone what it
    inherited from the build (the records and pages, which it only reads)."""
    die_with_parent()
    gc.freeze()


def _run(config_file: str, job: Job, out: str, search_input: str) -> str:
    """One MkDocs build of one language (and one shard of its cases); '' when it succeeded."""
    os.environ[PAGES_READY] = "1"
    os.environ[SHARD] = f"{job.shard}/{job.shards}"
    if search_input:
        os.environ[SEARCH_INPUT] = search_input
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    warnings = LogCollector()
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.WARNING)
    logger.addHandler(warnings)
    try:
        config = load_config(config_file, site_dir=out, strict=True)
        i18n: Any = config.plugins["i18n"]  # static-i18n's own attributes
        i18n.current_language = job.lang  # this job's language only:
        i18n.building = True  # static-i18n then skips its loop over the other languages
        mkdocs_build(config)
    except BaseException as error:  # reported to the parent, which stops the build
        said = "".join(f"\n  {message}" for message in warnings.messages)
        return f"{job.name}: {type(error).__name__}: {error}{said}"
    return ""


def _merge_search_input(search_input: Path, jobs: list[Job]) -> None:
    """A language's search input from its jobs' folders, in the jobs' order. Pagefind numbers
    pages in the order the folder lists them, which on some file systems (tmpfs) is the order
    they were created: jobs writing into one folder at once would make the index differ from
    build to build; merged job after job, each in the order it wrote, it does not."""
    for job in jobs:
        if (search_input / job.name).is_dir():
            merge_tree(search_input / job.name, search_input)


class LogCollector(logging.Handler):
    """Keeps what MkDocs logs at a level and above (warnings, which strict mode turns into the
    build's failure; errors, which it logs before it aborts), to show them."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_jobs(config_file: Path, staging: Path, languages: list[str], default: str, *,
             search_input: Path | None = None,
             language_built: Callable[[str], None] = lambda _: None) -> None:
    """Build every language into staging/ (the default at its root, the others below it).
    With search_input, each job writes what search indexes (see search.py) into a folder of
    its own there, and they are merged into search_input/<lang> when the language is done;
    language_built(lang) is called then."""
    jobs = plan(languages, default, os.cpu_count() or 1)
    work = staging.parent / f"{staging.name}.jobs"
    context = multiprocessing.get_context("fork")
    left = Counter(job.lang for job in jobs)
    # Outputs are merged in this order (a file shared by several jobs comes from the first), each
    # as soon as it and those before it are done, while the later jobs still run.
    order = sorted(jobs, key=lambda j: (not j.default, j.lang, j.shard))
    done: set[Job] = set()
    errors = []
    try:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=context,
                                 initializer=_started) as pool:
            futures = {pool.submit(_run, str(config_file), job, str(work / job.name),
                                   str(search_input / job.name) if search_input else ""): job
                       for job in jobs}
            for future in as_completed(futures):
                job = futures[future]
                if message := future.result():
                    errors.append(message)
                    continue
                done.add(job)
                left[job.lang] -= 1
                if not left[job.lang] and not errors:
                    if search_input:
                        _merge_search_input(search_input, [j for j in jobs if j.lang == job.lang])
                    language_built(job.lang)
                while order and order[0] in done and not errors:
                    merge_tree(work / order.pop(0).name, staging)
        if errors:
            raise JobFailed("\n".join(errors))
    finally:
        shutil.rmtree(work, ignore_errors=True)
