"""Builds are atomic and reproducible, and records cannot reach outside case_studies/."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sectorguide import pdf, search
from sectorguide.build import build_site
from sectorguide.cli import main
from sectorguide.project import InvalidRecords, Project
from sectorguide.search import MEMORY_FOLDER, MEMORY_FOLDER_ROOM, SCRATCH_PREFIX

from .conftest import REPO, commit_all, copy_project


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("builds") / "guide")
    commit_all(root)
    build_site(Project(root), pdf_languages=())
    return root


def test_invalid_records_leave_the_previous_site_untouched(built_copy: Path, runner: CliRunner) -> None:
    before = tree_digest(built_copy / "site")
    record = built_copy / "case_studies/cases/regional-workshop-chile-2022.yaml"
    original = record.read_text("utf-8")
    try:
        record.write_text(original.replace("countries: [CL, CO, PE, MX]", "countries: [CL, XX]"))
        result = runner.invoke(main, ["build", "--no-pdf", "--root", str(built_copy), "--lang", "en"])
        assert result.exit_code == 1
        assert "case_studies/cases/regional-workshop-chile-2022.yaml:8:" in result.stdout
        assert "error unknown-value: 'XX'" in result.stdout
        assert tree_digest(built_copy / "site") == before
        assert result.stderr.splitlines()[-1] == "The previous site/ was left as it was."
    finally:
        record.write_text(original)


def test_a_build_with_a_relative_root_builds_the_same_site(built_copy: Path) -> None:
    # `sectorguide build --root guide` from the folder above: MkDocs reads a relative site_dir
    # from the folder of mkdocs.yml, so the build must not hand it relative paths.
    before = tree_digest(built_copy / "site")
    result = subprocess.run([sys.executable, "-m", "sectorguide", "build", "--no-pdf", "--root",
                             built_copy.name], cwd=built_copy.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(built_copy / "site") == before
    assert not list(built_copy.glob(".site-build-*")) and not (built_copy / built_copy.name).exists()


def test_without_room_in_memory_search_copies_go_to_disk(
        built_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a container's /dev/shm is often 64 MB: the build then writes Pagefind's input to disk.
    # The site is the same, and so is the index, but for the order Pagefind numbers the pages
    # in (the order the file system lists them) and so its files' names.
    def entry(site: Path) -> dict[str, int]:
        listed = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
        return {lang: index["page_count"] for lang, index in listed["languages"].items()}

    before = tree_digest(built_copy / "site")
    pages_before = entry(built_copy / "site")
    monkeypatch.setattr(search, "MEMORY_FOLDER_ROOM", 1 << 62)
    build_site(Project(built_copy), pdf_languages=())
    after = tree_digest(built_copy / "site")
    assert {k: v for k, v in after.items() if not k.startswith("pagefind/")} == {
        k: v for k, v in before.items() if not k.startswith("pagefind/")}
    assert entry(built_copy / "site") == pages_before and set(pages_before) == {"en", "es", "fr"}
    assert not list(MEMORY_FOLDER.glob(f"{SCRATCH_PREFIX}{os.getpid()}-*"))


@contextlib.contextmanager
def broken_theme(root: Path) -> Iterator[None]:
    """A theme error half-way through the MkDocs build, while the block runs."""
    template = root / "overrides/main.html"
    original = template.read_text("utf-8")
    template.write_text(original.replace("{{ super() }}", "{{ super() }}{{ undefined_call() }}"))
    try:
        yield
    finally:
        template.write_text(original)


def test_a_failing_build_leaves_the_previous_site_untouched(built_copy: Path, runner: CliRunner) -> None:
    before = tree_digest(built_copy / "site")
    with broken_theme(built_copy):
        result = runner.invoke(main, ["build", "--no-pdf", "--root", str(built_copy), "--lang", "fr"])
    assert result.exit_code == 1
    assert "Le site précédent (site/) est resté tel quel." in result.output  # said in French
    assert tree_digest(built_copy / "site") == before
    assert not list(built_copy.glob(".site-build-*"))


def test_a_build_killed_half_way_leaves_the_previous_site_untouched(built_copy: Path) -> None:
    before = tree_digest(built_copy / "site")
    process = subprocess.Popen([sys.executable, "-m", "sectorguide", "build", "--root", str(built_copy)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the build is writing its staging folder
        staging = list(built_copy.glob(".site-build-*"))
        if staging and any(staging[0].rglob("*.html")):
            break
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_digest(built_copy / "site") == before
    assert list(built_copy.glob(".site-build-*")), "the killed build left its staging folder"
    in_memory = list(MEMORY_FOLDER.glob(f"{SCRATCH_PREFIX}{process.pid}-*"))  # search's copies
    if MEMORY_FOLDER.is_dir() and shutil.disk_usage(MEMORY_FOLDER).free >= MEMORY_FOLDER_ROOM:
        assert in_memory, "the killed build kept its search copies in memory"
    build_site(Project(built_copy), pdf_languages=())  # the next build cleans it up
    assert not list(built_copy.glob(".site-build-*"))
    assert not list(MEMORY_FOLDER.glob(f"{SCRATCH_PREFIX}{process.pid}-*"))
    assert not list(MEMORY_FOLDER.glob(f"{SCRATCH_PREFIX}{os.getpid()}-*")), "a build left its own"


def test_a_build_killed_between_the_two_renames_of_the_swap_gets_its_site_back(
        built_copy: Path, runner: CliRunner) -> None:
    # killed after site/ became .site-old-PID and before the new site became site/: the next
    # build puts the previous site back before anything else (here that build fails)
    before = tree_digest(built_copy / "site")
    (built_copy / "site").rename(built_copy / ".site-old-99999999")
    with broken_theme(built_copy):
        result = runner.invoke(main, ["build", "--no-pdf", "--root", str(built_copy), "--lang", "en"])
    assert result.exit_code == 1
    assert tree_digest(built_copy / "site") == before
    assert not list(built_copy.glob(".site-old-*"))


def test_a_build_without_pdfs_links_to_the_pdfs_it_keeps_and_no_others(built_copy: Path) -> None:
    site = built_copy / "site"
    # built without PDFs into an empty folder: a "PDF" button would lead to a missing file
    assert not (site / "pdf").exists()
    for page in [site / "index.html", site / "es" / "index.html",
                 site / "fr" / "browse" / "organizations" / "index.html",
                 next((site / "es" / "cases").glob("*/index.html"))]:
        assert "sg-pdf-link" not in page.read_text("utf-8"), page
    printed = built_copy / "site" / "pdf" / "guide-es.pdf"
    printed.parent.mkdir(exist_ok=True)
    printed.write_bytes(b"%PDF-1.7 a guide printed by an earlier build")
    try:
        build_site(Project(built_copy), pdf_languages=())
        assert printed.read_bytes() == b"%PDF-1.7 a guide printed by an earlier build"
        page = (built_copy / "site" / "es" / "index.html").read_text("utf-8")
        assert 'href="../pdf/guide-es.pdf"' in page
        # the languages without a PDF kept: no link that leads nowhere
        assert "guide-en.pdf" not in (built_copy / "site" / "index.html").read_text("utf-8")
        assert not (built_copy / "site" / "pdf" / "guide-fr.pdf").exists()
        assert "sg-pdf-link" not in (built_copy / "site" / "fr" / "index.html").read_text("utf-8")
    finally:
        shutil.rmtree(printed.parent)


def test_a_pdf_that_cannot_be_printed_stops_the_build_with_a_message(
        built_copy: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    # the printing process fails with a long error (more than a pipe holds): the build says
    # why in a few lines, without a traceback or a hang, and keeps the previous site
    before = tree_digest(built_copy / "site")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("the font is gone " + "x" * 200_000)

    monkeypatch.setattr(pdf, "write_pdf", broken)
    result = runner.invoke(main, ["build", "--root", str(built_copy), "--lang", "en"])
    assert result.exit_code == 1
    # the languages print side by side: whichever fails first is said
    assert re.search(r"printing the (en|es|fr) PDF failed: ValueError: the font is gone",
                     result.output), result.output[:500]
    assert "Traceback" not in result.output and len(result.output) < 10_000
    assert tree_digest(built_copy / "site") == before


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_pagefind_ends_when_the_build_that_started_it_is_killed(tmp_path: Path) -> None:
    # Pagefind runs while MkDocs still builds; a killed build must not leave it writing into
    # folders the next build cleans up. `--serve` keeps it running until it is stopped.
    (tmp_path / "index.html").write_text(
        '<html lang="en"><body><main data-pagefind-body><p>hello</p></main></body></html>')
    build = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys\n"
         "from sectorguide.search import _PAGEFIND_TIED\n"
         "p = subprocess.Popen([sys.executable, '-c', _PAGEFIND_TIED, '--site', sys.argv[1], "
         "'--serve', '--silent'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
         "print(p.pid, flush=True)\np.wait()\n", str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    pagefind = int(build.stdout.readline())
    time.sleep(1)
    assert _running(pagefind), "Pagefind runs while the build does"
    build.kill()
    build.wait()
    build.stdout.close()
    deadline = time.monotonic() + 10
    while _running(pagefind) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pagefind)


def test_two_builds_of_one_commit_are_byte_identical(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "guide")
    commit_all(root)
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    build_site(Project(root))  # site and the three PDFs
    first = tree_digest(root / "site")
    _every_page_links_to_the_pdf_of_its_language(root / "site")
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    time.sleep(1.1)  # a clock-derived date would now differ
    build_site(Project(root))
    second = tree_digest(root / "site")
    assert {name for name in first if name.startswith("pdf/")} == {
        "pdf/guide-en.pdf", "pdf/guide-es.pdf", "pdf/guide-fr.pdf"}
    different = sorted(name for name in first if first[name] != second.get(name))
    assert different == []
    assert first.keys() == second.keys()


def _every_page_links_to_the_pdf_of_its_language(site: Path) -> None:
    for lang, home in (("en", site), ("es", site / "es"), ("fr", site / "fr")):
        for page in [home / "index.html", next((home / "cases").glob("*/index.html")),
                     home / "browse" / "lessons" / "index.html", home / "search" / "index.html"]:
            links = re.findall(r'<a href="([^"]+)" class="[^"]*sg-pdf-link', page.read_text("utf-8"))
            assert len(links) == 1, page
            target = (page.parent / links[0]).resolve()
            assert target == (site / "pdf" / f"guide-{lang}.pdf").resolve() and target.is_file()


def test_a_language_shared_among_jobs_builds_byte_identical_twice(tmp_path: Path) -> None:
    # One language on several cores: its case pages are shared among MkDocs jobs running at
    # once, which write Pagefind's input side by side; the index must not depend on which
    # job wrote first (Pagefind numbers pages in the order the folder lists them).
    from sectorguide.bench import _one_language_copy, make_workspace

    alone = _one_language_copy(make_workspace(REPO, tmp_path / "guide", 300), tmp_path / "one")
    digests = []
    for _ in range(2):
        build_site(alone, pdf_languages=())
        digests.append(tree_digest(alone.site_dir))
    different = sorted(name for name in digests[0] if digests[0][name] != digests[1].get(name))
    assert different == [] and digests[0].keys() == digests[1].keys()


def test_a_page_written_for_search_but_not_indexed_stops_the_build(tmp_path: Path) -> None:
    # a page left out of the index would never be found: the build says so instead
    with search.SearchIndexer(tmp_path / "work") as indexer:
        for name, marked in (("a", " data-pagefind-body"), ("b", "")):
            page = indexer.input / "en" / name / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f'<html lang="en"><body><main{marked}><p>hello {name}</p></main>'
                            "</body></html>", "utf-8")
        indexer.start("en")
        with pytest.raises(search.SearchFailed, match=r"en: 2 page\(s\) written for search, 1 indexed"):
            indexer.finish(tmp_path / "site")


def _search_page(indexer: search.SearchIndexer, lang: str) -> None:
    page = indexer.input / lang / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<html lang="{lang}"><body><main data-pagefind-body><p>hello</p>'
                    "</main></body></html>", "utf-8")


def _collect_until_merged(indexer: search.SearchIndexer, site: Path, lang: str) -> None:
    """collect() until a language's bundle is in the site (at most 30 s)."""
    started = time.monotonic()
    while not list((site / "pagefind").glob(f"pagefind.{lang}_*.pf_meta")):
        assert time.monotonic() - started < 30, f"{lang} was never merged"
        indexer.collect(site)
        time.sleep(0.05)


def test_languages_indexed_early_are_merged_early_and_a_failed_one_stops_the_build(
        tmp_path: Path) -> None:
    # collect() merges the languages Pagefind has finished while the build goes on; a
    # language whose indexing failed is named when the build finishes
    site = tmp_path / "site"
    with search.SearchIndexer(tmp_path / "work") as indexer:
        _search_page(indexer, "en")
        _search_page(indexer, "fr")
        (tmp_path / "work" / "bundles").mkdir(parents=True)
        (tmp_path / "work" / "bundles" / "fr").write_text("a file where the bundle goes")
        indexer.start("en")
        indexer.start("fr")
        _collect_until_merged(indexer, site, "en")
        assert not (indexer.input / "en").exists()  # its copies are dropped once indexed
        with pytest.raises(search.SearchFailed, match=r"search indexing failed:\nfr: "):
            indexer.finish(site)


def test_collecting_search_bundles_never_waits_for_a_language_still_indexed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # French's indexing stands for a slow one: a process that sleeps
    launch = subprocess.Popen

    def slow_french(args: list[str], **options: object) -> subprocess.Popen[str]:
        if any(str(arg).endswith("/fr") for arg in args):
            args = [sys.executable, "-c", "import time; time.sleep(60)"]
        return launch(args, **options)

    monkeypatch.setattr(search.subprocess, "Popen", slow_french)
    site = tmp_path / "site"
    with search.SearchIndexer(tmp_path / "work") as indexer:
        for lang in ("en", "fr"):
            _search_page(indexer, lang)
            indexer.start(lang)
        started = time.monotonic()
        _collect_until_merged(indexer, site, "en")
        assert (indexer.input / "fr").is_dir()  # still being indexed: left alone
    assert time.monotonic() - started < 30  # the sleeping process was not waited for


def test_search_bundles_whose_shared_scripts_differ_stop_the_build(tmp_path: Path) -> None:
    # languages finish in no fixed order and the first script merged is kept: scripts that
    # differ would make the site depend on that order
    merged, bundle = tmp_path / "site" / "pagefind", tmp_path / "fr"
    merged.mkdir(parents=True)
    bundle.mkdir()
    for folder, script in ((merged, "one();"), (bundle, "one();")):
        (folder / "pagefind.js").write_text(script)
        (folder / search.ENTRY).write_text(f'{{"languages": {{"{folder.name}": {{}}}}}}')
    search._same_shared_files("fr", bundle, merged)  # the same, and entries are merged apart
    (bundle / "pagefind.js").write_text("another();")
    with pytest.raises(search.SearchFailed, match=r"fr: Pagefind wrote another pagefind.js"):
        search._same_shared_files("fr", bundle, merged)


def test_symlinks_and_files_outside_case_studies_are_refused(tmp_path: Path, runner: CliRunner) -> None:
    root = copy_project(tmp_path / "guide")
    outside = tmp_path / "outside"
    outside.mkdir()
    source = root / "case_studies/cases/regional-workshop-chile-2022.yaml"
    (outside / "evil.yaml").write_text(source.read_text("utf-8").replace(
        "id: regional-workshop-chile-2022", "id: evil"))
    (root / "case_studies/cases/evil.yaml").symlink_to(outside / "evil.yaml")
    (root / "case_studies/linked").symlink_to(outside, target_is_directory=True)
    result = runner.invoke(main, ["validate", "--root", str(root), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "case_studies/cases/evil.yaml:1:1: error symlink: the file is a symbolic link, which is "
        "not accepted in case_studies/ (replace the link with the file itself)",
        "case_studies/linked:1:1: error symlink: the file is a symbolic link, which is not "
        "accepted in case_studies/ (replace the link with the file itself)",
    ]
    with pytest.raises(InvalidRecords):
        Project(root).guide()


def test_with_a_site_url_the_sitemap_lists_every_page_and_its_translations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_project(tmp_path / "guide")
    # as GitHub publishes a project's pages: below a folder of the host
    monkeypatch.setenv("SECTORGUIDE_SITE_URL", "https://guide.example.org/sectorguide/")
    build_site(Project(root), pdf_languages=())
    sitemap = (root / "site/sitemap.xml").read_text("utf-8")
    guide = Project(root).guide()
    for case in guide.cases:
        for lang in ("en", "es", "fr"):
            prefix = "" if lang == "en" else f"{lang}/"
            url = f"https://guide.example.org/sectorguide/{prefix}cases/{case.id}/"
            listed = f"<loc>{url}</loc>" in sitemap
            assert listed == (case.translation_state(lang) != "fallback"), (case.id, lang)
    fallback = (root / "site/fr/cases/stakeholder-mapping-mexico/index.html").read_text("utf-8")
    assert ('<link rel="canonical" href="https://guide.example.org/sectorguide/es/cases/'
            'stakeholder-mapping-mexico/">' in fallback)
    # the 404 page, shown at any address, links from the site's folder: styles, scripts,
    # every language's home page and search
    missing = (root / "site/404.html").read_text("utf-8")
    local = [link for link in re.findall(r'(?:href|src)="([^"#]+)"', missing)
             if not link.startswith(("https:", "mailto:", "data:"))]
    assert local and all(link.startswith("/sectorguide/") for link in local), local
    for home in ("/sectorguide/", "/sectorguide/es/", "/sectorguide/fr/search/"):
        assert f'href="{home}"' in missing
    # the home pages' language switcher is relative, as on every other page
    home = (root / "site/es/index.html").read_text("utf-8")
    switcher = home.split('class="md-select__list"')[1].split("</ul>")[0]
    links = {lang: href for href, lang in re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher)}
    assert links == {"en": "../", "es": "./", "fr": "../fr/"}
    # a citation gives the page's address where the site is published, not its path in it
    case = (root / "site/es/cases/regional-workshop-chile-2022/index.html").read_text("utf-8")
    cited = case.split('class="sg-cite__text"')[1].split("</pre>")[0]
    assert "https://guide.example.org/sectorguide/es/cases/regional-workshop-chile-2022/" in cited
