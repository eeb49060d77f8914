"""Stage 5, build: the whole site (and PDFs) into a fresh folder, put in place only when complete.

A build that fails, or is killed, leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path

from mkdocs.exceptions import Abort, MkDocsException

from .check import Finding, check_site
from .generate import generate_pages
from .mkdocs_jobs import PRINTED, JobFailed, SiteLanguages, run_jobs
from .model import Guide
from .opendata import publish_open_data
from .pdf import PrintFailed, print_guides
from .project import Project
from .search import SearchFailed, SearchIndexer, remove_scratch_leftovers
from .vocabulary import LANGUAGES


class BuildFailed(Exception):
    """The build stopped; the previous site is untouched. The message says why."""


@dataclass(frozen=True)
class Step:
    """A stage of the build done, as data: its label (catalog/labels.yaml) and values, said in
    the language of whoever runs the build."""

    label: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class BuildReport:
    site_dir: Path
    seconds: dict[str, float] = field(default_factory=dict)
    pdfs: list[Path] = field(default_factory=list)
    pdf_pages: int = 0


def build_site(project: Project, *, pdf_languages: Sequence[str] = LANGUAGES,
               progress: Callable[[Step], None] = lambda _: None) -> BuildReport:
    """Validate, render, build with MkDocs, index for search, print PDFs, check, then swap in.

    Raises InvalidRecords (with every problem) or BuildFailed; site/ changes only on success.
    """
    # The field reference reads the records again; MkDocs reads a relative site_dir from the
    # folder of mkdocs.yml, not from where the build runs: the build works with absolute paths.
    project = replace(project, root=project.root.absolute(), remember=True)
    guide = project.guide()  # validation first: nothing is built from invalid records
    _pin_build_date(project)
    with _exclusive(project.root / ".site-build.lock"):
        _remove_leftovers(project.root, project.site_dir)
        return _build_staged(project, guide, pdf_languages, progress)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """One build at a time per repository, so a build may clean up what a killed one left."""
    with lock_path.open("w") as lock:
        deadline = time.monotonic() + 600
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildFailed("another build of this guide has been running for ten "
                                      "minutes; stop it or wait for it to finish") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(root: Path, site_dir: Path) -> None:
    """Remove what killed builds left; a build killed between the two renames of the swap left
    no site/ but the previous one as .site-old-*: that one is put back first."""
    for leftover in root.glob(".site-build-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old_sites = sorted(root.glob(".site-old-*"), key=lambda p: p.stat().st_mtime)
    if old_sites and not site_dir.exists():
        old_sites.pop().rename(site_dir)
    for leftover in old_sites:
        shutil.rmtree(leftover, ignore_errors=True)
    remove_scratch_leftovers()


def _build_staged(project: Project, guide: Guide, pdf_languages: Sequence[str],
                  progress: Callable[[Step], None]) -> BuildReport:
    report = BuildReport(project.site_dir)
    languages = site_languages(project)
    pdf_languages = [lang for lang in pdf_languages if lang in languages.built]
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=project.root))
    try:
        started = time.perf_counter()
        generate_pages(project, guide, languages.built, workers=os.cpu_count() or 1,
                       site_url=languages.site_url)
        report.seconds["render"] = time.perf_counter() - started
        started = time.perf_counter()
        printed = pdf_languages or _printed_before(project.site_dir / "pdf", languages.built)
        with SearchIndexer(Path(f"{staging}.search")) as search, _environment(PRINTED, printed):
            _mkdocs(project, staging, languages, search)
            _sitemap(languages, staging, _fallback_pages(guide, languages))
            report.seconds["mkdocs"] = time.perf_counter() - started
            progress(Step("built_site"))
            # while the last languages are indexed for search:
            started = time.perf_counter()
            publish_open_data(project, guide, staging, languages.built)  # JSON, CSV, Atom, schema
            search.collect(staging)  # the languages indexed by now
            findings = check_site(staging)
            if findings:
                raise BuildFailed(_findings_text(findings))
            report.seconds["data_and_check"] = time.perf_counter() - started
            started = time.perf_counter()
            search.finish(staging)
            report.seconds["search"] = time.perf_counter() - started
        if not pdf_languages:
            _keep_printed(project.site_dir / "pdf", staging / "pdf")
        else:
            started = time.perf_counter()
            for lang, pages in print_guides(guide, project.docs_dir, staging / "pdf", pdf_languages,
                                            site_url=languages.site_url,
                                            site_languages=languages.built):
                report.pdfs.append(project.site_dir / "pdf" / f"guide-{lang}.pdf")
                report.pdf_pages += pages
                progress(Step("built_pdf", {"lang": lang, "pages": pages}))
            report.seconds["pdf"] = time.perf_counter() - started
        _swap_in(staging, project.site_dir)
    except (SearchFailed, PrintFailed) as failed:
        raise BuildFailed(str(failed)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(f"{staging}.search", ignore_errors=True)
    return report


def _pin_build_date(project: Project) -> None:
    """Dates in the output (sitemap, PDF edition and metadata) come from SOURCE_DATE_EPOCH; when
    it is not set, from the last commit, so two builds of one commit are byte-identical."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return
    result = subprocess.run(["git", "-C", str(project.root), "log", "-1", "--format=%ct"],
                            capture_output=True, text=True, check=False)
    if result.returncode == 0 and result.stdout.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = result.stdout.strip()


def _findings_text(findings: list[Finding]) -> str:
    lines = [str(f) for f in findings[:50]]
    more = f"\n... and {len(findings) - 50} more" if len(findings) > 50 else ""
    return "active content found in the built pages:\n" + "\n".join(lines) + more


def site_languages(project: Project) -> SiteLanguages:
    """The languages mkdocs.yml builds, and the site's address; BuildFailed when it cannot be read."""
    try:
        return SiteLanguages.of(project.mkdocs_yml)
    except (Abort, MkDocsException) as error:
        raise BuildFailed(f"mkdocs.yml: {error}") from None


def _mkdocs(project: Project, site_dir: Path, languages: SiteLanguages, search: SearchIndexer) -> None:
    """Every language built by MkDocs in parallel jobs into site_dir, each language's search
    index started as soon as its pages are there."""
    try:
        run_jobs(project.mkdocs_yml, site_dir, list(languages.built), languages.default,
                 search_input=search.input, language_built=search.start)
    except (Abort, MkDocsException, JobFailed) as error:
        raise BuildFailed(f"mkdocs build failed: {error}") from None


def _fallback_pages(guide: Guide, languages: SiteLanguages) -> set[str]:
    """The case pages that show another language's text (they point search engines at the
    original), as paths below the site."""
    return {f"{'' if lang == languages.default else lang + '/'}cases/{case.id}/"
            for case in guide.cases for lang in languages.built
            if case.shown(lang).state == "fallback"}


def _sitemap(languages: SiteLanguages, site_dir: Path, fallbacks: set[str]) -> None:
    """Every page with its translations as hreflang alternates, fallbacks left out. A sitemap
    needs absolute addresses: without a site_url (SECTORGUIDE_SITE_URL) there is none to
    publish."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)
    if not languages.site_url:
        return
    base = languages.site_url.rstrip("/") + "/"
    prefixes = {lang: "" if lang == languages.default else f"{lang}/" for lang in languages.built}
    pages = sorted(p.parent.relative_to(site_dir).as_posix() for p in site_dir.glob("**/index.html"))
    own = [p for p in pages if not any(p == x.rstrip("/") or p.startswith(x) for x in prefixes.values() if x)]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:xhtml="http://www.w3.org/1999/xhtml">')]
    for page in own:
        path = "" if page == "." else f"{page}/"
        if path.startswith(("search/", "pagefind/")):
            continue
        versions = {lang: prefix + path for lang, prefix in prefixes.items()
                    if prefix + path not in fallbacks and (site_dir / (prefix + path) / "index.html").exists()}
        for url in versions.values():
            lines.append(f"<url><loc>{escape(base + url)}</loc>")
            lines += [f'<xhtml:link rel="alternate" hreflang="{other}" href="{escape(base + link)}"/>'
                      for other, link in versions.items()]
            lines.append("</url>")
    lines.append("</urlset>")
    (site_dir / "sitemap.xml").write_text("\n".join(lines) + "\n", "utf-8")


def _printed_before(folder: Path, languages: Sequence[str]) -> list[str]:
    """The languages whose PDF a build without PDFs keeps from the site it replaces."""
    return [lang for lang in languages if (folder / f"guide-{lang}.pdf").is_file()]


@contextlib.contextmanager
def _environment(name: str, values: Sequence[str]) -> Iterator[None]:
    """An environment variable for the MkDocs jobs, which inherit it, while they run."""
    before = os.environ.get(name)
    os.environ[name] = ",".join(values)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _keep_printed(previous: Path, target: Path) -> None:
    """A build without PDFs keeps the PDFs of the site it replaces: every page links to them
    (linked, not copied: they stay on the same disk)."""
    if previous.is_dir() and not target.exists():
        shutil.copytree(previous, target, copy_function=os.link)


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames on the same file system."""
    old = site_dir.with_name(f".site-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
