"""The shipped guide built for real (MkDocs, static-i18n, Pagefind) and read back as HTML."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from sectorguide.labels import Labels
from sectorguide.model import Guide
from sectorguide.vocabulary import KIND_ORDER, LANGUAGES

from .conftest import LANG_PREFIX, REPO, page


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_case_page_exists_with_its_title_in_that_language(built: tuple[Path, Guide],
                                                                lang: str) -> None:
    site, guide = built
    for case in guide.cases:
        html = page(site, lang, f"cases/{case.id}")
        shown = case.shown(lang)
        assert f">{_escaped(shown.text['title'])}</h1>" in html
        if shown.state != "fallback":
            assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_facts_name_the_original_language_as_a_value(built: tuple[Path, Guide],
                                                        lang: str) -> None:
    """Spanish and French write language names in lowercase in a sentence ("traducido del
    inglés"); alone in a table cell, like every other value of the key facts, capitalized."""
    site, guide = built
    t = Labels(lang)
    for case in guide.cases:
        html = page(site, lang, f"cases/{case.id}")
        name = t.language(case.original_language)
        row = f'<th scope="row">{t("original_language")}</th><td>{name[0].upper()}{name[1:]}</td>'
        assert row in html, (lang, case.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_challenges_page_lists_the_whole_shared_list(built: tuple[Path, Guide],
                                                         lang: str) -> None:
    """Every challenge of the taxonomy has its section, as every kind has one on the list by
    kind: those no case addresses yet say so (three of the shipped list appeared nowhere)."""
    site, guide = built
    t = Labels(lang)
    html = page(site, lang, "browse/challenges")
    sections = dict(re.findall(r'<h2 id="challenge-([^"]+)"[^>]*>.*?</h2>(.*?)(?=<h2|</article>)',
                               html, re.DOTALL))
    assert set(sections) == set(guide.challenges)
    unused = set(guide.challenges) - {c.id for c in guide.used_challenges()}
    assert unused, "the shipped list has challenges no case addresses yet"
    for key, section in sections.items():
        assert (t("no_cases_for_challenge") in section) == (key in unused), (lang, key)


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_lists_say_when_a_record_is_shown_in_another_language(built: tuple[Path, Guide],
                                                             lang: str) -> None:
    """A record not yet translated shows its original text on the list pages too: its card or
    line says the language it is in ("en anglais"), before the reader opens it."""
    site, guide = built
    t = Labels(lang)
    shown = {case.id: case.shown(lang) for case in guide.cases}
    fallback = {cid for cid, s in shown.items() if s.state == "fallback"}
    if lang == "fr":
        assert fallback, "the tests' copy leaves a record without French"
    said = [t("in_language", language=t.language(other)) for other in LANGUAGES if other != lang]
    for listing in ("browse/catalog", "browse/countries", "browse/challenges",
                    "browse/matrix", "browse/organizations"):
        html = page(site, lang, listing)
        for cid in shown:
            for found in re.finditer(f'href="../../cases/{cid}/"', html):
                if listing == "browse/organizations" or html.rfind("<td", 0, found.start()) > \
                        html.rfind("<li", 0, found.start()):  # among other titles: its link
                    item = html[found.start():html.index("</a>", found.end()) + 60]
                else:  # its card or line
                    item = html[html.rindex("<li", 0, found.start()):html.index("</li>", found.end())]
                noted = any(re.search(rf"[(·]\s*{re.escape(words)}\)", text_of(item))
                            for words in said)
                assert noted == (cid in fallback), (lang, listing, cid, text_of(item))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lists_of_records_have_a_table_of_contents_and_a_skip_link(built: tuple[Path, Guide],
                                                                   lang: str) -> None:
    """The long lists (organizations, challenges, countries, lessons...) have their sections
    in the theme's table of contents, and the link a keyboard user takes to skip the
    navigation, as the chapters and the records' pages have."""
    site, _ = built
    for listing in ("browse/organizations", "browse/challenges", "browse/countries",
                    "browse/lessons", "browse/kinds"):
        html = page(site, lang, listing)
        article = html[html.index("<article"):html.index("</article>")]
        sections = re.findall(r'<h2\b[^>]*\sid="([^"]+)"', article)
        assert sections, listing
        assert f'<a href="#{sections[0]}" class="md-skip">' in html, (lang, listing)
        toc = html[html.index('md-nav--secondary'):]
        for anchor in sections:
            assert f'href="#{anchor}" class="md-nav__link"' in toc, (lang, listing, anchor)
    # a country's entry is its name, without the count its heading shows
    countries = page(site, lang, "browse/countries")
    toc = countries[countries.index('md-nav--secondary'):]
    entry = toc[toc.index('href="#country-cl"'):]
    assert re.match(r'[^>]*>\s*<span class="md-ellipsis">\s*' + re.escape(Labels(lang).country("CL"))
                    + r'\s*</span>', entry), entry[:200]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&#34;").replace("'", "&#39;")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_and_kind_index_list_every_case(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    for index in ("browse/catalog", "browse/kinds", "browse/matrix"):
        html = page(site, lang, index)
        for case in guide.cases:
            assert f'href="../../cases/{case.id}/"' in html, (index, case.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kind_index_has_every_kind_and_says_which_have_no_case_yet(
        built: tuple[Path, Guide], lang: str) -> None:
    """A reader told there are pilot projects, project activities and sector-council
    practices finds a section for each, with its cases or a line saying there are none yet."""
    site, guide = built
    labels = Labels(lang)
    html = page(site, lang, "browse/kinds")
    sections = re.split(r'<h2 id="kind-', html)[1:]
    assert [s.split('"')[0] for s in sections] == [k.replace("_", "-") for k in KIND_ORDER]
    for kind, section in zip(KIND_ORDER, sections, strict=True):
        assert labels(f"kinds_{kind}") in section
        listed = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', section))
        assert listed == {c.id for c in guide.cases_of_kind(kind)}
        assert (labels("no_cases_of_kind") in section) == (not listed)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_index_lists_the_cases_of_each_country(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    html = page(site, lang, "browse/countries")
    sections = re.split(r'<h2 id="country-', html)[1:]
    found = {section[:2].upper(): section for section in sections}
    assert set(found) == {"CL", "CO", "PE", "MX", "CA"}
    labels = Labels(lang)
    for country, section in found.items():
        assert labels.country(country) in section
        listed = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', section))
        assert listed == {c.id for c in guide.cases_in(country)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_challenge_index_and_matrix_follow_the_records(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    html = page(site, lang, "browse/challenges")
    for challenge in guide.used_challenges():
        section = html.split(f'<h2 id="challenge-{challenge.id}">')[1].split("<h2")[0]
        listed = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', section))
        assert listed == {c.id for c in guide.cases_with(challenge.id)}
    matrix = page(site, lang, "browse/matrix")
    rows = matrix.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    # every challenge of the shared list, those no case addresses yet with empty cells
    assert len(rows) == len(guide.challenges)
    for row, challenge in zip(rows, guide.all_challenges(lang), strict=True):
        cells = row.split("<td")[1:-1]
        for cell, country in zip(cells, guide.countries, strict=True):
            listed = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', cell))
            assert listed == {c.id for c in guide.cases_with(challenge.id, country)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_directory_and_lessons(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    html = page(site, lang, "browse/organizations")
    for org in guide.organizations.values():
        section = html.split(f'<h2 id="org-{org.id}">')[1].split("<h2")[0]
        assert _escaped(org.name_in(lang)) in html
        listed = set(re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', section))
        assert listed == {c.id for c in guide.cases_of_organization(org.id)}
    lessons = text_of(page(site, lang, "browse/lessons"))
    for case in guide.cases:
        for lesson in case.shown(lang).text.get("lessons", []):
            assert " ".join(lesson.split())[:60] in " ".join(lessons.split())
    # under each challenge, a lesson several records state alike is listed once, from them all
    html = page(site, lang, "browse/lessons")
    for challenge in guide.used_challenges(lang):
        section = html.split(f'<h2 id="challenge-{challenge.id}">')[1].split("<h2")[0]
        items = re.findall(r"<li><div[^>]*>(.*?)</div><p class=\"sg-from\">(.*?)</p></li>", section, re.S)
        texts = [" ".join(text_of(text).split()) for text, _ in items]
        assert len(texts) == len(set(texts)), challenge.id
        sources = {case for _, cited in items
                   for case in re.findall(r'href="\.\./\.\./cases/([a-z0-9-]+)/"', cited)}
        assert sources == {c.id for c in guide.cases_with(challenge.id)
                           if c.shown(lang).text.get("lessons")}, challenge.id


def test_missing_translation_shows_the_notice_and_marks_the_text_with_its_language(
        built: tuple[Path, Guide]) -> None:
    # the page stays one of its language (its interface is; screen readers switch voices on
    # the record's text, marked with the language it is in), and that language's search finds it
    site, guide = built
    fallbacks = [(c, lang) for c in guide.cases for lang in LANGUAGES
                 if c.translation_state(lang) == "fallback"]
    assert fallbacks, "the shipped content should exercise a missing translation"
    for case, lang in fallbacks:
        html = page(site, lang, f"cases/{case.id}")
        assert "sg-notice--fallback" in html
        notice = Labels(lang)("notice_fallback", shown=Labels(lang).language(case.original_language))
        assert _escaped(notice) in html
        assert f'<html lang="{lang}"' in html
        title = case.texts[case.original_language]["title"]
        assert f'<h1 class="sg-title" lang="{case.original_language}">{_escaped(title)}</h1>' in html
        assert f'<div class="sg-text" lang="{case.original_language}">' in html
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
        assert canonical and canonical.group(1).rstrip("/").endswith(f"cases/{case.id}")
        assert "contribute/" in html.split("sg-notice--fallback")[1][:600]
        assert "data-pagefind-body" in html


def test_edit_links_point_at_the_yaml_records(built: tuple[Path, Guide]) -> None:
    site, guide = built
    for case in guide.cases:
        for lang in LANGUAGES:
            html = page(site, lang, f"cases/{case.id}")
            edit = re.search(r'href="([^"]+)" title="[^"]*" class="md-content__button md-icon"', html)
            assert edit and edit.group(1).endswith(f"/edit/main/case_studies/cases/{case.id}.yaml")


def test_every_edit_link_opens_a_file_of_the_repository(built: tuple[Path, Guide]) -> None:
    # The lists of records are generated (docs/browse/ is not in the repository): no edit link;
    # a chapter's opens its Markdown, a record's its YAML, the field reference the schema.
    site, _ = built
    tracked = set(subprocess.run(["git", "-C", str(REPO), "ls-files"], capture_output=True,
                                 text=True, check=True).stdout.split())
    edit = re.compile(r'href="[^"]*/edit/main/([^"]+)" title="([^"]*)" class="md-content__button')
    seen = 0
    for html_file in site.rglob("*.html"):
        for path, title in edit.findall(html_file.read_text("utf-8")):
            seen += 1
            assert path in tracked, (html_file.relative_to(site), path)
            assert title != "Editer cette page"  # Material's French; ours says "Modifier"
    assert seen > 50
    for lang in LANGUAGES:
        assert 'rel="edit"' not in page(site, lang, "browse/catalog")
    assert 'title="Modifier cette page"' in page(site, "fr", "about")


@pytest.mark.parametrize(("lang", "said"), [("en", "Made with"), ("es", "Hecho con"),
                                           ("fr", "Réalisé avec")])
def test_the_footer_speaks_the_page_language(built: tuple[Path, Guide], lang: str, said: str) -> None:
    site, _ = built
    pages = [page(site, lang, name) for name in ("about", "browse/catalog", "search")]
    if lang == "en":
        pages.append((site / "404.html").read_text("utf-8"))
    for html in pages:
        footer = html.split('<div class="md-copyright">')[1].split("</div>")[0]
        assert " ".join(footer.split()).startswith(said + " <a"), (lang, footer)


def test_every_case_page_shows_a_last_updated_date(built: tuple[Path, Guide]) -> None:
    site, guide = built
    for case in guide.cases:
        html = page(site, "es", f"cases/{case.id}")
        expected = case.updated or "2025-03-04"
        assert f'<time datetime="{expected}">' in html, case.id


def test_no_page_references_a_third_party_host(built: tuple[Path, Guide]) -> None:
    site, _ = built
    loads = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(https?:)?//', re.IGNORECASE)
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        assert not loads.search(html), path
        assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html, path
    for path in site.rglob("*.css"):
        assert "@import url(http" not in path.read_text("utf-8"), path


def test_each_language_has_its_own_search_index(built: tuple[Path, Guide]) -> None:
    site, _ = built
    for lang in LANGUAGES:
        assert list((site / "pagefind").glob(f"pagefind.{lang}_*.pf_meta")), lang
    assert not (site / "search" / "search_index.json").exists()


def test_the_search_index_holds_every_indexed_page_of_each_language(built: tuple[Path, Guide]) -> None:
    # Each language is indexed on its own and the bundles merged: the entry lists them all,
    # each with as many pages as the site has pages of that language marked for search.
    site, _ = built
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    marked: dict[str, int] = {}
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8")
        if "data-pagefind-body" in html:
            lang = re.search(r'<html lang="([^"]+)"', html)[1]
            marked[lang] = marked.get(lang, 0) + 1
    assert {lang: index["page_count"] for lang, index in entry["languages"].items()} == marked
    assert set(marked) == set(LANGUAGES)
    for lang, index in entry["languages"].items():
        assert (site / "pagefind" / f"pagefind.{index['hash']}.pf_meta").exists(), lang
    assert not list(site.parent.glob(".site-build-*")), "the build's work folders are gone"


def test_the_navigation_of_a_case_page_is_the_one_for_pages_outside_it(
        built: tuple[Path, Guide]) -> None:
    # Made once per language and folder for every case page: nothing in it is active, and
    # its links work from there, as on a chapter page, where its own entry is active.
    site, guide = built

    def nav(html: str) -> str:
        return html.split('<nav class="md-nav md-nav--primary"', 1)[1].split('<div class="md-sidebar md-sidebar--secondary"')[0]

    for lang in LANGUAGES:
        first, last = (nav(page(site, lang, f"cases/{case.id}")) for case in (guide.cases[0], guide.cases[-1]))
        assert first == last
        assert "md-nav__link--active" not in first and "md-nav__item--active" not in first
        chapter = nav(page(site, lang, "about"))
        assert "md-nav__link--active" in chapter
        for href in re.findall(r'href="([^"#]+)"', first):
            if not href.startswith(("http", "mailto:")):
                target = (site / LANG_PREFIX[lang] / "cases" / guide.cases[0].id / href).resolve()
                assert (target / "index.html").exists() or target.is_file(), (lang, href)


def test_language_switcher_keeps_the_reader_on_the_same_record(built: tuple[Path, Guide]) -> None:
    site, guide = built
    case = guide.cases[0]
    html = page(site, "fr", f"cases/{case.id}")
    switcher = html.split('class="md-select__list"')[1].split("</ul>")[0]
    links = dict((lang, href) for href, lang in re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher))
    assert links == {"en": f"../../../cases/{case.id}/", "es": f"../../../es/cases/{case.id}/",
                     "fr": "./"}
    # and no <link rel="alternate" hreflang> in the head: Material's script would fetch a
    # sitemap.xml below each (404s on every page view; see mkdocs_hooks.on_post_page)
    for path in (f"cases/{case.id}", "", "about"):
        head = page(site, "fr", path).split("</head>")[0]
        assert not re.search(r"<link rel=\"alternate\"[^>]*hreflang", head), path


def test_an_organization_named_in_another_language_is_marked_with_it(built: tuple[Path, Guide]) -> None:
    """Screen readers read MiHR's English name on a Spanish page as English, CONOCER's Spanish
    name on an English page as Spanish; a name in the page's own language is not marked."""
    site, _ = built
    spanish = page(site, "es", "browse/organizations")
    assert ('<h2 id="org-mihr"><span lang="en">Mining Industry Human Resources Council (MiHR)'
            '</span></h2>') in spanish
    assert re.search(r'<h2 id="org-conocer">Consejo Nacional', spanish)
    english = page(site, "en", "browse/organizations")
    assert '<h2 id="org-conocer"><span lang="es">Consejo Nacional' in english
    assert re.search(r'<h2 id="org-pa-gtl">Pacific Alliance Technical Group on Labour', english)
    french = page(site, "fr", "browse/organizations")
    assert re.search(r'<h2 id="org-mihr">Conseil des ressources humaines', french)
    case = page(site, "es", "cases/regional-workshop-chile-2022")
    assert '<span lang="en">Mining Industry Human Resources Council (MiHR)</span></a>' in case


def test_an_official_name_in_another_language_than_the_record_is_marked_with_its_own() -> None:
    from sectorguide.model import Organization
    from sectorguide.render import organization_name

    ministry = Organization(id="minem", name="Ministerio de Energía y Minas", acronym="MINEM",
                            type="government", country="PE", website=None, original_language="en",
                            texts={"en": {"description": "Peru's ministry."}}, source_path="x",
                            name_language="es")
    assert organization_name(ministry, "en") == \
        '<span lang="es">Ministerio de Energía y Minas (MINEM)</span>'
    assert organization_name(ministry, "es", acronym=False) == "Ministerio de Energía y Minas"
    unsaid = Organization(id="minem", name="Ministry", acronym=None, type="government",
                          country="PE", website=None, original_language="en",
                          texts={"en": {"description": "x"}}, source_path="x")
    assert organization_name(unsaid, "fr") == '<span lang="en">Ministry</span>'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_search_page_without_javascript_leads_to_the_catalog(built: tuple[Path, Guide],
                                                                  lang: str) -> None:
    site, _ = built
    html = page(site, lang, "search")
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    assert Labels(lang)("search_needs_js") in noscript.replace("&#39;", "'")
    target = re.search(r'<a href="([^"]+)">' + re.escape(Labels(lang)("catalog")), noscript)
    assert target, noscript
    assert (site / LANG_PREFIX[lang] / "search" / target[1] / "index.html").resolve().is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_case_page_lists_its_sections_under_on_this_page(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    html = page(site, lang, f"cases/{guide.cases[0].id}")
    toc = html.split('data-md-component="toc"', 1)[1].split("</nav>", 1)[0]
    t = Labels(lang)
    for label in (t("facts"), t("sources"), t("cite_record")):
        assert re.search(r">\s*" + re.escape(_escaped(label)) + r"\s*<", toc), label


def test_the_404_page_says_so_in_every_language_from_the_site_root(built: tuple[Path, Guide]) -> None:
    # one page for every missing address in every language's folder (a host has one)
    site, _ = built
    html = (site / "404.html").read_text("utf-8")
    article = html.split("<article")[1].split("</article>")[0]
    for lang in LANGUAGES:
        labels = Labels(lang)
        assert labels("not_found") in article and labels("not_found_text") in article
        home = "/" + LANG_PREFIX[lang]
        assert f'href="{home}">{labels("not_found_home")}</a>' in article
        assert f'href="{home}search/">{labels("not_found_search")}</a>' in article
        if lang != "en":
            assert f'<h2 lang="{lang}">{labels("not_found")}</h2>' in article
    head = html.split("</head>")[0]  # no alternate links for Material's script to fetch
    assert not re.search(r"<link rel=\"alternate\"[^>]*hreflang", head)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_heading_permalinks_are_titled_in_the_page_language(built: tuple[Path, Guide], lang: str) -> None:
    site, guide = built
    for path in ("about", f"cases/{guide.cases[0].id}"):
        titles = set(re.findall(r'class="headerlink" href="#[^"]+" title="([^"]+)"', page(site, lang, path)))
        assert titles == {Labels(lang)("permalink")}, (lang, path, titles)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_challenges_and_organizations_are_listed_in_the_order_of_their_names(
        built: tuple[Path, Guide], lang: str) -> None:
    # as a reader of the language looks them up: accents and case aside ("Éxito" among the E)
    from sectorguide.model import collation_key

    site, guide = built

    def in_order(names: list[str]) -> bool:
        return names == sorted(names, key=collation_key)

    facet = page(site, lang, "browse/catalog").split('<fieldset data-facet="challenge">')[1]
    labels = [unescape(x) for x in re.findall(r'<label data-value="[^"]+">([^<]+)</label>',
                                              facet.split("</fieldset>")[0])]
    assert len(labels) == len(guide.used_challenges()) and in_order(labels), labels
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*#challenge-[^"]+">([^<]+)</a></th>',
                      page(site, lang, "browse/matrix"))
    assert len(rows) == len(guide.challenges) and in_order([unescape(r) for r in rows]), rows
    headings = re.findall(r'<h2 id="org-[^"]+">(.*?)</h2>', page(site, lang, "browse/organizations"))
    names = [text_of(h).split("<a")[0].strip() for h in headings]
    assert len(names) == len(guide.organizations) and in_order(names), names


def test_french_no_break_spaces_of_the_records_reach_every_section(built: tuple[Path, Guide]) -> None:
    """French puts a no-break space before ":" ";" "!" "?" and inside « » so that they never
    start a line; the records write them, and no section's text may turn them into spaces."""
    site, guide = built
    checked = 0
    for case in guide.cases:
        shown = case.shown("fr")
        if shown.lang != "fr":
            continue
        html = page(site, "fr", f"cases/{case.id}")
        for section in ("context", "challenge", "approach", "results", "replication"):
            text = shown.text.get(section) or ""
            for marked in re.findall(r"\S+[\u00a0\u202f][:;!?»]", text):
                assert marked in html, (case.id, section, marked)
                checked += 1
    assert checked > 10


def test_a_page_shown_in_its_original_language_links_the_translations_there_are(
        built: tuple[Path, Guide]) -> None:
    """A French reader of a case with no French text reads its Spanish original, and is
    offered the English translation too, where there is one."""
    site, guide = built
    found = 0
    for case in guide.cases:
        for lang in LANGUAGES:
            shown = case.shown(lang)
            if shown.state != "fallback":
                continue
            notice = page(site, lang, f"cases/{case.id}").split("sg-notice--fallback")[1].split("</div>")[0]
            labels = Labels(lang)
            for other in LANGUAGES:
                offered = labels("read_in", language=labels.language(other)) in notice
                translated = other not in (lang, shown.lang) and \
                    case.shown(other).state in ("translation", "stale")
                assert offered == translated, (case.id, lang, other)
                found += offered
    assert found
