"""The MkDocs hook, called the way our build jobs call it: many configurations in one process."""

from __future__ import annotations

import gc

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

    assert names(["en", "es", "fr"], 2) == ["en-0/1", "es-0/1", "fr-0/2", "fr-1/2"]
    assert names(["en"], 2) == ["en-0/2", "en-1/2"]
    assert names(["en", "es", "fr"], 1) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert names(["en", "es", "fr"], 3) == ["en-0/1", "es-0/1", "fr-0/1"]
    assert len(names(["en", "es", "fr"], 4)) == 6


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
