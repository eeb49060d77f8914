"""The MkDocs hook, called the way our build jobs call it: many configurations in one process."""

from __future__ import annotations

import gc
import os
from typing import Any

import pytest
from mkdocs.config import load_config
from sectorguide import mkdocs_hooks
from sectorguide.chapters import build_nav
from sectorguide.mkdocs_jobs import PAGES_READY
from sectorguide.project import Project

from .conftest import REPO


def test_every_configuration_loaded_in_one_process_gets_the_chapters_navigation(monkeypatch) -> None:
    # A build worker loads one configuration per job; a new one may reuse a freed one's id().
    monkeypatch.setenv(PAGES_READY, "1")
    expected = build_nav(Project(REPO).docs_dir)
    for _ in range(6):
        config = load_config(str(REPO / "mkdocs.yml"))
        mkdocs_hooks.on_config(config)
        assert config.nav == expected
        del config
        gc.collect()  # as between two jobs: the next configuration may take its place


def test_the_jobs_keep_every_core_busy_with_few_jobs() -> None:
    from sectorguide.mkdocs_jobs import plan

    def names(languages: list[str], cores: int) -> list[str]:
        return [f"{job.lang}-{job.shard}/{job.shards}" for job in plan(languages, "en", cores)]

    assert names(["en", "es", "fr"], 2) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert names(["en"], 2) == ["en-0/2", "en-1/2"]
    assert names(["en", "es", "fr"], 1) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert names(["en", "es", "fr"], 3) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert names(["en", "es", "fr"], 4) == ["en-0/2", "en-1/2", "es-0/2", "es-1/2", "fr-0/2", "fr-1/2"]
    assert names(["en", "es"], 3) == ["en-0/2", "en-1/2", "es-0/2", "es-1/2"]


def _generated_page(name: str, text: str, config, files, tmp_path):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    page = Page("T", File(f"cases/{name}.md", str(tmp_path), str(tmp_path / "site"), True), config)
    page.meta = {"sectorguide": {"kind": "case"}}
    skeleton = (f"<h1>{text}</h1>\n\n<!--sg-heading-->\n## Key facts\n\n<table><tr><td>{text}</td></tr></table>\n\n"
                f"<!--sg-heading-->\n## Lessons learned\n\n<p>{text}</p>\n")
    page.markdown = mkdocs_hooks.on_page_markdown(skeleton, page=page, config=config, files=files)
    page.render(config, files)
    page.content = mkdocs_hooks.on_page_content(page.content, page=page, config=config, files=files)
    return page


def test_a_generated_page_from_a_skeleton_converted_before_is_what_markdown_makes_of_it(tmp_path) -> None:
    # Python-Markdown converts the headings of our generated pages once per skeleton; the
    # next page with the same skeleton takes a copy: its own text, the same headings and table
    # of contents as a conversion of its own, and nothing shared with the first page.
    from mkdocs.structure.files import Files

    config = load_config(str(REPO / "mkdocs.yml"))
    files = Files([])
    mkdocs_hooks.on_pre_build(config)
    first = _generated_page("a", "alpha", config, files, tmp_path)
    second = _generated_page("b", "beta", config, files, tmp_path)
    mkdocs_hooks.on_pre_build(config)  # forgets the skeletons: a conversion of its own
    alone = _generated_page("b", "beta", config, files, tmp_path)
    assert second.content == alone.content
    assert "<td>beta</td>" in second.content and "alpha" not in second.content
    assert '<h2 id="lessons-learned">Lessons learned' in second.content
    assert [(link.id, link.title, link.level) for link in second.toc] == \
        [(link.id, link.title, link.level) for link in alone.toc] == \
        [("key-facts", "Key facts", 2), ("lessons-learned", "Lessons learned", 2)]
    assert second.present_anchor_ids == alone.present_anchor_ids == {"key-facts", "lessons-learned"}
    assert second.toc.items[0] is not first.toc.items[0]
    second.toc.items[0].title = "changed"
    assert first.toc.items[0].title == "Key facts"


def test_templates_compiled_by_an_earlier_build_are_reused_until_their_source_changes() -> None:
    # MkDocs makes a new environment for every build (and static-i18n builds once per
    # language); compiled templates carry over, but an edited template is compiled again.
    import jinja2
    from sectorguide.jinja_cache import MemoryBytecodeCache

    cache = MemoryBytecodeCache()
    compiled: list[str] = []

    class Counting(jinja2.Environment):
        def _compile(self, source: str, filename: str):  # type: ignore[override]
            compiled.append(filename)
            return super()._compile(source, filename)

    def render(source: str) -> str:
        env = Counting(loader=jinja2.DictLoader({"page.html": source}), bytecode_cache=cache)
        return env.get_template("page.html").render(name="x")

    assert render("Hello {{ name }}") == "Hello x"
    assert render("Hello {{ name }}") == "Hello x"
    assert len(compiled) == 1, "the second environment took the compiled template"
    assert render("Bye {{ name }}") == "Bye x"
    assert len(compiled) == 2, "an edited template is compiled again"


def test_case_pages_filled_into_the_themes_page_are_the_pages_the_theme_renders(tmp_path, monkeypatch) -> None:
    # The theme's page around a case page is made once per shape and filled in (see
    # page_skeleton.py). Every page of a guide built that way must be, byte for byte, the page
    # Material renders for it; records with markup-like titles and ids that template filters
    # could touch included. The filled path must really have been taken.
    import random

    import yaml
    from sectorguide import page_skeleton
    from sectorguide.bench import synthetic_case
    from sectorguide.generate import generate_pages
    from sectorguide.mkdocs_jobs import Job, _run
    from sectorguide.vocabulary import LANGUAGES

    from .conftest import copy_project

    root = copy_project(tmp_path / "guide")
    cases = root / "case_studies" / "cases"
    challenges = sorted(p.stem for p in (root / "case_studies/challenges").glob("*.yaml"))
    organizations = sorted(p.stem for p in (root / "case_studies/organizations").glob("*.yaml"))
    rng = random.Random(8)
    for index in range(1, 25):
        data = synthetic_case(rng, index, challenges, organizations)
        if index == 1:
            data["id"] = "edit-credit-blob"
        if index == 2:
            data["text"][data["original_language"]]["title"] = 'Tom & "Jerry" 3 < 4 \'y\' {{ 7 }}'
        (cases / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    project = Project(root)
    generate_pages(project, project.guide(), LANGUAGES)
    for name in (PAGES_READY, "SECTORGUIDE_SHARD", mkdocs_hooks.FULL_PAGES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(PAGES_READY, "1")
    filled = []
    fill = page_skeleton._Skeleton.fill
    monkeypatch.setattr(page_skeleton._Skeleton, "fill",
                        lambda self, values: filled.append(values["ID"]) or fill(self, values))
    for way in ("filled", "theme"):
        if way == "theme":
            monkeypatch.setenv(mkdocs_hooks.FULL_PAGES, "1")
        for lang in LANGUAGES:
            said = _run(str(root / "mkdocs.yml"), Job(lang, lang == "en", 0, 1), str(tmp_path / way / lang), "")
            assert said == ""
    case_pages = sorted(p.relative_to(tmp_path / "theme") for p in (tmp_path / "theme").rglob("cases/*/index.html"))
    assert len(case_pages) >= 3 * 30
    pages = sorted(p.relative_to(tmp_path / "theme") for p in (tmp_path / "theme").rglob("*.html"))
    assert pages == sorted(p.relative_to(tmp_path / "filled") for p in (tmp_path / "filled").rglob("*.html"))
    for page in pages:
        assert (tmp_path / "filled" / page).read_bytes() == (tmp_path / "theme" / page).read_bytes(), page
    assert len(filled) == len(case_pages)  # every case page was filled in, none rendered instead
    assert {"edit-credit-blob", "synthetic-case-0002"} <= set(filled)
    tricky = (tmp_path / "filled/en/cases/synthetic-case-0002/index.html").read_text("utf-8")
    assert "<title>Tom &amp; &#34;Jerry&#34; 3 &lt; 4 &#39;y&#39; {{ 7 }} - " in tricky


def _placed(files: Any) -> dict[str, tuple[str, str, str, dict[str, str]]]:
    """Each case page of a build: its address, where it is written, its language and its
    translations' addresses (what static-i18n's language switcher links to)."""
    return {file.norm_src_uri: (file.url, file.dest_uri, file.locale,
                                {lang: alternate.url for lang, alternate in file.alternates.items()})
            for file in files if file.src_uri.startswith("cases/")}


@pytest.mark.parametrize("directory_urls", [True, False])
def test_case_pages_are_placed_where_static_i18n_places_them(tmp_path, monkeypatch,
                                                             directory_urls: bool) -> None:
    # The hook sets the case pages aside from static-i18n and places them itself (see
    # mkdocs_hooks._case_pages_aside): in every language, each page must get the address, the
    # language and the translations' addresses static-i18n gives it, a record without a
    # Spanish page (the default language's page stands in) included; and static-i18n's list
    # of each language's pages, which its sitemap template reads, must hold them.
    from mkdocs.structure.files import get_files
    from sectorguide.generate import generate_pages
    from sectorguide.vocabulary import LANGUAGES

    from .conftest import copy_project

    root = copy_project(tmp_path / "guide")
    project = Project(root)
    generate_pages(project, project.guide(), LANGUAGES)
    untranslated = sorted((root / "docs" / "cases").glob("*.es.md"))[0]
    untranslated.unlink()
    monkeypatch.setenv(PAGES_READY, "1")
    monkeypatch.delenv("SECTORGUIDE_SHARD", raising=False)
    checked = 0
    for lang in LANGUAGES:
        placed = []
        for hooked in (True, False):
            config = load_config(str(root / "mkdocs.yml"), use_directory_urls=directory_urls)
            i18n: Any = config.plugins["i18n"]
            i18n.current_language, i18n.building = lang, True  # as a build job sets them
            config = config.plugins.on_config(config)
            files = get_files(config)
            files = config.plugins.on_files(files, config=config) if hooked else i18n.on_files(files, config)
            placed.append(_placed(files))
            if hooked:
                listed = {f.src_uri for f in i18n.i18n_files_per_language[lang]}
                assert {f.src_uri for f in files if f.src_uri.startswith("cases/")} <= listed
        ours, theirs = placed
        assert ours == theirs, lang
        assert len(ours) == len(project.guide().cases)
        checked += len(ours)
    missing = untranslated.name.replace(".es.md", "")
    page = ours[f"cases/{missing}.md"]  # the last language's (fr); es was checked the same way
    assert page[3]["es"] == ("es/cases/" + missing + ("/" if directory_urls else ".html"))
    assert checked == 3 * len(project.guide().cases)


def test_a_plain_mkdocs_build_lists_the_case_pages_and_sends_the_404_switcher_home(tmp_path) -> None:
    # `mkdocs build` in the repository (static-i18n building each language in one process)
    # works too: its sitemap lists every case page in every language, and the 404 page's
    # language switcher leads to each language's home page, not to the last page built.
    import re
    import subprocess
    import sys

    from .conftest import copy_project

    root = copy_project(tmp_path / "guide")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SECTORGUIDE_")}
    env.update(SECTORGUIDE_SITE_URL="https://example.org/guide/", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                            cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    guide = Project(root).guide()
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text("utf-8")
    for prefix in ("", "es/", "fr/"):
        for case in guide.cases:
            assert f"https://example.org/guide/{prefix}cases/{case.id}/" in sitemap, (prefix, case.id)
    case = (tmp_path / "site" / "fr" / "cases" / guide.cases[0].id / "index.html").read_text("utf-8")
    assert f"https://example.org/guide/fr/cases/{guide.cases[0].id}/" in case.split("sg-cite__bibtex")[1]
    page = (tmp_path / "site" / "404.html").read_text("utf-8")
    switcher = page.split('class="md-select__list"')[1].split("</ul>")[0]
    assert re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher) == [
        ("/guide/", "en"), ("/guide/es/", "es"), ("/guide/fr/", "fr")]
