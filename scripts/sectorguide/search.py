"""Stage 5b, index for search: Pagefind, one index per language, started as soon as that
language's pages are built, while MkDocs still builds the others.

During a build the MkDocs hook writes, for every page that search covers, a small copy holding
only its text (the article, in a page that declares its language) below input/<language>/,
at the page's own path, so addresses in the index are the site's. Pagefind reads those instead
of whole pages: the theme's navigation around every page, and the catalog pages that are not
indexed at all, were a third of its work. The index is the same (its files are named by a hash
of their content, and come out identical). Each language is its own bundle; they are merged
into site/pagefind/: their files have distinct names (language and hash), apart from
Pagefind's scripts, which are the same in every bundle, and the entry file, which lists the
languages and is merged here.

Those copies are scratch, written once and read once: they go to a folder in memory (tmpfs,
/dev/shm) when the machine has one with room, not to the disk, where each file and folder
created costs system time, and the disk's writing back slows the rest of the build (measured
at 1,000 records: both builds 3 to 6% faster). A build that is killed leaves its folder
there; the next build removes it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from .scratch import remove_leftovers, remove_scratch, scratch_folder
from .trees import merge_tree

SEARCH_INPUT = "SECTORGUIDE_SEARCH_INPUT"
# Not indexed: heading permalinks (a "¶" in every excerpt), translation notices, and "Cite this
# record" (the guide's name and "BibTeX" on every record's page matched every search for them).
IGNORED = (".headerlink", ".sg-notice", ".sg-translated", ".sg-borrowed", ".sg-cite")
ENTRY = "pagefind-entry.json"
MEMORY_FOLDER = Path("/dev/shm")
# Below this much free room in MEMORY_FOLDER (a container's is often 64 MB), the disk; the
# copies take about 15 MB per language and thousand records.
MEMORY_FOLDER_ROOM = 1 << 30
SCRATCH_PREFIX = "sectorguide-search-"


# Pagefind (`python -m pagefind`, which becomes the binary), killed when the build is.
_PAGEFIND_TIED = """
import runpy, sys
from sectorguide.lifetime import die_with_parent
die_with_parent()
sys.argv[0] = "pagefind"
runpy.run_module("pagefind", run_name="__main__")
"""


class SearchFailed(Exception):
    """Pagefind failed; the message says for which language and why."""


def search_document(lang: str, title: str, article: str) -> str:
    """What Pagefind reads for one page: its language, its title and its text."""
    if lang == "fr":
        article = elisions_apart(article)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{title}\n'
            f"</head>\n<body>\n{article}\n</body>\n</html>\n")


# French elides an article, a pronoun or "que" before a vowel: "l’alliance", "d’égalité",
# "qu’il". Pagefind takes what lies between two spaces as one word, so "alliance" did not find
# "l’alliance" (most French nouns were found only with their article). In the text it
# indexes, a space follows each elision; the search page takes it out of the excerpts it
# shows, and puts it into what the reader types (overrides/sg-search.html).
# looked for first, a character at a time (three times as fast as the entities among them):
# a page has few; "&" stands for the entities "&#39;" and "&#x27;"
_APOSTROPHE = re.compile(r"[’'&]")
_ENTITIES = ("&#39;", "&#x27;")
_ELIDED_WORD = re.compile(r"(?:^|\W)(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)$",
                          re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")


def elisions_apart(html: str) -> str:
    """French text with a space after each elision ("l’ alliance"), in the text of html only
    (not in its tags and their attributes), an elision before a tag too ("l’ <em>x</em>").
    A page holds few apostrophes: each is looked at, the rest of the page is not."""
    pieces, last = [], 0
    for found in _APOSTROPHE.finditer(html):
        start, end = found.span()
        if found[0] == "&":
            entity = next((e for e in _ENTITIES if html.startswith(e, start)), "")
            if not entity:
                continue
            end = start + len(entity)
        if html.rfind("<", 0, start) > html.rfind(">", 0, start):
            continue  # inside a tag
        elided = _ELIDED_WORD.search(html[max(0, start - 8):start])
        if elided and _LETTER.match(_next_text(html, end)):
            pieces.append(html[last:end] + " ")
            last = end
    return "".join(pieces) + html[last:] if pieces else html


def _next_text(html: str, at: int) -> str:
    """The character of text at `at`, or after the tags that start there."""
    while html.startswith("<", at) and (close := html.find(">", at)) >= 0:
        at = close + 1
    return html[at:at + 1]


class SearchIndexer:
    """Pagefind processes, one per language, that run beside the rest of the build; used as a
    context manager, so that none outlives a build that fails."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.input = work / "input"  # in memory instead once entered, when there is room
        self._running: dict[str, subprocess.Popen[str]] = {}
        self._collected: dict[str, dict[str, Any] | str] = {}  # an entry, or what failed

    def __enter__(self) -> Self:
        self.input = _scratch_folder() or self.input
        self.input.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        for process in self._running.values():
            if process.poll() is None:
                process.kill()
            if process.stdout and not process.stdout.closed:  # not collected: a build that failed
                process.communicate()  # waits for it, and closes its pipe
        remove_scratch(self.input)  # in memory, or the disk's work folder

    def start(self, lang: str) -> None:
        """Index one language's pages, all written by now (none: nothing to search)."""
        source = self.input / lang
        if not source.is_dir():
            return
        ignored = [part for selector in IGNORED for part in ("--exclude-selectors", selector)]
        self._running[lang] = subprocess.Popen(
            [sys.executable, "-c", _PAGEFIND_TIED, "--site", str(source), "--output-path",
             str(self._bundle(lang)), "--silent", *ignored],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def collect(self, site_dir: Path) -> None:
        """Merge into site_dir/pagefind/ the bundles of the languages indexed by now, and drop
        their copies: the build then ends with the last language's only. Raises SearchFailed
        when a language's index lacks pages; a language Pagefind failed on is said by finish."""
        for lang in sorted(self._running):
            if lang not in self._collected and self._running[lang].poll() is not None:
                self._collect(lang, site_dir)

    def finish(self, site_dir: Path) -> None:
        """Wait for every language, merge their bundles into site_dir/pagefind/ and write the
        entry file that lists them all."""
        for lang in sorted(self._running):
            if lang not in self._collected:
                self._collect(lang, site_dir)
        collected = [self._collected[lang] for lang in sorted(self._collected)]
        failed = [said for said in collected if isinstance(said, str)]
        entries = [entry for entry in collected if not isinstance(entry, str)]
        if failed:
            raise SearchFailed("search indexing failed:\n" + "\n".join(failed))
        if entries:
            (site_dir / "pagefind" / ENTRY).write_text(_merged_entry(entries), "utf-8")

    def _collect(self, lang: str, site_dir: Path) -> None:
        """Wait for one language; keep its entry (or what failed), merge its bundle."""
        process = self._running[lang]
        said, _ = process.communicate()
        if process.returncode != 0:
            self._collected[lang] = f"{lang}: {said.strip() or f'exit status {process.returncode}'}"
            return
        try:
            entry = json.loads((self._bundle(lang) / ENTRY).read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise SearchFailed(f"search indexing failed: {lang}: no index entry ({error})") from None
        _check_count(lang, entry, self.input / lang)
        _same_shared_files(lang, self._bundle(lang), site_dir / "pagefind")
        merge_tree(self._bundle(lang), site_dir / "pagefind")  # its entry is replaced in finish
        shutil.rmtree(self.input / lang, ignore_errors=True)
        self._collected[lang] = entry

    def _bundle(self, lang: str) -> Path:
        return self.work / "bundles" / lang


def _check_count(lang: str, entry: dict[str, Any], source: Path) -> None:
    """Every page written for search is in the index: a page left out would simply never be
    found, so a build that lost some stops instead."""
    written = sum(1 for _ in source.rglob("*.html"))
    indexed = sum(index.get("page_count", 0) for index in entry.get("languages", {}).values())
    if indexed != written:
        raise SearchFailed(f"search indexing failed: {lang}: {written} page(s) written for "
                           f"search, {indexed} indexed")


def _same_shared_files(lang: str, bundle: Path, target: Path) -> None:
    """Pagefind's scripts are the same in every language's bundle, and the first merged is
    kept: the languages finish in no fixed order, so a difference would make the site depend
    on which finished first. The build stops instead."""
    for file in bundle.iterdir():
        kept = target / file.name
        if (file.name != ENTRY and file.is_file() and kept.is_file()
                and kept.read_bytes() != file.read_bytes()):
            raise SearchFailed(f"search indexing failed: {lang}: Pagefind wrote another "
                               f"{file.name} than for the languages before")


def _scratch_folder() -> Path | None:
    """A new folder in memory for this build's copies, or None (none with room here)."""
    try:
        if not MEMORY_FOLDER.is_dir() or shutil.disk_usage(MEMORY_FOLDER).free < MEMORY_FOLDER_ROOM:
            return None
        return scratch_folder(MEMORY_FOLDER, SCRATCH_PREFIX)
    except OSError:  # not writable
        return None


def remove_scratch_leftovers() -> None:
    """Remove what killed builds left in memory (the process named in the folder has ended)."""
    remove_leftovers(MEMORY_FOLDER, SCRATCH_PREFIX)


def _merged_entry(entries: list[dict[str, Any]]) -> str:
    """One entry file listing every language (in a fixed order, for reproducible builds)."""
    merged = dict(entries[0])
    languages: dict[str, Any] = {}
    for entry in entries:
        if entry.get("version") != merged.get("version"):
            raise SearchFailed("search indexing failed: Pagefind versions differ between languages")
        for lang, index in entry["languages"].items():
            if lang in languages:
                raise SearchFailed(f"search indexing failed: pages in {lang} were indexed twice")
            languages[lang] = index
    merged["languages"] = languages
    return json.dumps(merged, sort_keys=True)
