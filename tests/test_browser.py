"""The built guide in a real browser (Debian's Chromium driven by Playwright) on localhost:
the catalog's filters, the language switcher, console errors, requests, accessibility (axe-core)
and phone-sized pages."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sectorguide.labels import Labels
from sectorguide.model import Case, Guide
from sectorguide.vocabulary import LANGUAGES

from .browser_support import (
    CHROMIUM_ARGS,
    PHONE,
    SITE_FOLDER,
    Watch,
    require_chromium,
    serious_violations,
    serve,
    small_tap_targets,
)

PREFIX = {"en": "", "es": "es/", "fr": "fr/"}
FACETS = ("country", "kind", "challenge", "sector", "status", "period")
SEARCH_WORD = {"en": "workshop", "es": "taller", "fr": "atelier"}
COMMON_WORD = {"en": "mining", "es": "minería", "fr": "minière"}  # in most pages


@pytest.fixture(scope="module")
def guide(built: tuple[Path, Guide]) -> Guide:
    return built[1]


@pytest.fixture(scope="module")
def base(built: tuple[Path, Guide]) -> Iterator[str]:
    with serve(built[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kept with pytest's temporary folders (the last runs stay) for a person to look at."""
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def catalog_url(base: str, lang: str, query: str = "") -> str:
    return f"{base}{PREFIX[lang]}browse/catalog/" + (f"?{query}" if query else "")


# -- what the filters should show, computed from the records ---------------------------------

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# A French word typed after an elided article ("l'atelier") is looked for without it, as the
# search page (Pagefind) looks for "l’" and "atelier" apart.
ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=\w)")


def fold(text: str) -> str:
    """As the page folds text: accents removed, lower case, œ and æ spelled out, one
    apostrophe."""
    return "".join(c for c in unicodedata.normalize("NFD", text)
                   if not "\u0300" <= c <= "\u036f").lower() \
        .replace("œ", "oe").replace("æ", "ae").translate(APOSTROPHES)


def query_words(q: str, lang: str) -> list[str]:
    words = fold(q).split()
    return [ELIDED.sub("", w) for w in words] if lang == "fr" else words


def codes(case: Case, facet: str) -> list[str]:
    return {"country": list(case.countries), "kind": [case.kind],
            "challenge": list(case.challenges), "sector": [case.sector], "status": [case.status],
            "period": [f"{case.year // 10 * 10}s" if case.year else "unknown"]}[facet]


def selected(guide: Guide, lang: str, chosen: dict[str, list[str]], q: str = "",
             leave_out: str | None = None) -> list[Case]:
    """AND across facets, OR within one, every word of q in the title or summary."""
    words = query_words(q, lang)
    found = []
    for case in guide.cases:
        shown = case.shown(lang).text
        text = fold(f"{shown['title']} {shown['summary']}")
        if all(not values or set(values) & set(codes(case, facet))
               for facet, values in chosen.items() if facet != leave_out) and \
                all(w in text for w in words):
            found.append(case)
    return found


def visible_titles(page: Page) -> list[str]:
    titles: list[str] = page.locator(".sg-card:visible .sg-card__title a").all_inner_texts()
    return [" ".join(t.split()) for t in titles]


def titles_of(cases: list[Case], lang: str) -> list[str]:
    return [" ".join(c.shown(lang).text["title"].split()) for c in cases]


def checked(page: Page) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for facet in FACETS:
        state[facet] = page.eval_on_selector_all(
            f"input[name={facet}]:checked", "boxes => boxes.map(b => b.value)")
    return state


def tick(page: Page, facet: str, value: str) -> None:
    page.locator(f"input[name={facet}][value='{value}']").click()


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# -- catalog filters ---------------------------------------------------------------------------

def test_without_javascript_the_catalog_lists_every_case_and_no_filter(
        browser: Browser, base: str, guide: Guide) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(catalog_url(base, "fr", "country=CA"))
    assert visible_titles(page) == titles_of(guide.cases, "fr")
    assert not page.locator("#sg-filters").is_visible()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_filters_narrow_the_list_and_the_url_round_trips(
        page: Page, context: BrowserContext, base: str, guide: Guide, lang: str) -> None:
    page.goto(catalog_url(base, lang))
    assert visible_titles(page) == titles_of(guide.cases, lang)
    status = page.locator(".sg-filters__status")
    assert status.get_attribute("role") == "status"
    total = len(guide.cases)
    assert status.inner_text() == Labels(lang)("filter_results", n=total, total=total)

    chosen: dict[str, list[str]] = {f: [] for f in FACETS}
    steps = [("country", "CL"), ("kind", "project_activity"), ("country", "CA"),
             ("status", "completed")]
    history = []
    for facet, value in steps:
        tick(page, facet, value)
        chosen[facet].append(value)
        expected = selected(guide, lang, chosen)
        assert visible_titles(page) == titles_of(expected, lang), (facet, value)
        assert query_of(page).get(facet, []) == chosen[facet]
        history.append((page.url, titles_of(expected, lang)))
    assert status.inner_text() == Labels(lang)("filter_results", n=len(expected), total=total)
    assert 0 < len(expected) < len(guide.cases), "the steps should narrow without emptying"

    # The same address in a fresh tab shows the same view.
    shared = context.new_page()
    shared.goto(page.url)
    assert checked(shared) == chosen
    assert visible_titles(shared) == titles_of(expected, lang)

    # The back button walks the choices back.
    for url, titles in reversed(history[:-1]):
        page.go_back()
        assert page.url == url
        assert visible_titles(page) == titles
    page.go_back()
    assert visible_titles(page) == titles_of(guide.cases, lang)
    assert checked(page) == {f: [] for f in FACETS}


def test_free_text_ignores_accents_and_case_and_lives_in_the_url(
        page: Page, context: BrowserContext, base: str, guide: Guide) -> None:
    page.goto(catalog_url(base, "es"))
    page.get_by_label(Labels("es")("filter_search")).fill("TALLER educacion")
    expected = selected(guide, "es", {}, "taller educación")
    assert expected and len(expected) < len(guide.cases)
    assert visible_titles(page) == titles_of(expected, "es")
    assert query_of(page)["q"] == ["TALLER educacion"]
    page.go_back()
    assert page.get_by_label(Labels("es")("filter_search")).input_value() == ""
    assert visible_titles(page) == titles_of(guide.cases, "es")
    shared = context.new_page()
    shared.goto(catalog_url(base, "es", "q=taller&country=CL"))
    assert shared.get_by_label(Labels("es")("filter_search")).input_value() == "taller"
    expected = selected(guide, "es", {"country": ["CL"]}, "taller")
    assert visible_titles(shared) == titles_of(expected, "es")


# French as typed on a keyboard: the straight apostrophe, "oe" for "œ", an article elided
# before the word; the text has "l’Alliance", "main-d’œuvre". (No stemming: "talleres" does not
# find "taller", on this page as in search.)
FRENCH_TYPING = [
    ("l'alliance", ["alliance"]),
    ("L'ALLIANCE", ["alliance"]),
    ("lʼalliance", ["alliance"]),   # U+02BC, the modifier letter apostrophe
    ("l‘alliance", ["alliance"]),   # U+2018
    ("d'egalite", ["d’égalité"]),
    ("d’égalité", ["d’égalité"]),
    ("l'atelier", ["atelier"]),
    ("main-d'oeuvre", ["main-d’œuvre"]),
    ("main d'oeuvre", ["main", "œuvre"]),
    ("oeuvre", ["œuvre"]),
    ("ŒUVRE", ["œuvre"]),
]


@pytest.mark.parametrize(("typed", "written"), FRENCH_TYPING)
def test_free_text_finds_french_as_typed(page: Page, base: str, guide: Guide, typed: str,
                                         written: list[str]) -> None:
    """Each query finds the cases whose French title or summary has the words as written."""
    expected = [c for c in guide.cases
                if all(w in f"{c.shown('fr').text['title']} {c.shown('fr').text['summary']}".lower()
                       for w in written)]
    assert expected and len(expected) < len(guide.cases), typed
    assert selected(guide, "fr", {}, typed) == expected  # the tests' own model agrees
    page.goto(catalog_url(base, "fr"))
    page.get_by_label(Labels("fr")("filter_search")).fill(typed)
    assert visible_titles(page) == titles_of(expected, "fr")
    assert query_of(page)["q"] == [typed]


def test_free_text_finds_the_shipped_french_cards(page: Page, base: str) -> None:
    """The cards the reviewer looked for, by their records' ids."""
    page.goto(catalog_url(base, "fr"))
    box = page.get_by_label(Labels("fr")("filter_search"))
    for typed, ids in (("d'egalite", {"regional-workshop-colombia-2023"}),
                       ("l'atelier", {"regional-workshop-chile-2022",
                                      "regional-workshop-colombia-2023"}),
                       ("oeuvre", {"mihr-national-sector-council",
                                   "sector-councils-bringing-stakeholders-together"})):
        box.fill(typed)
        shown = page.eval_on_selector_all(
            ".sg-card:visible .sg-card__title a",
            "links => links.map(a => new URL(a.href).pathname.split('/').filter(Boolean).pop())")
        assert set(shown) == ids, typed
    box.fill("l'alliance")
    assert len(visible_titles(page)) >= 8


def test_free_text_keeps_apostrophes_as_they_are_outside_french(
        page: Page, base: str, guide: Guide) -> None:
    # "l'" is not an article in English: the word is looked for whole
    page.goto(catalog_url(base, "en"))
    page.get_by_label(Labels("en")("filter_search")).fill("l'alliance")
    assert visible_titles(page) == titles_of(selected(guide, "en", {}, "l'alliance"), "en") == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_counts_follow_the_other_filters(page: Page, base: str, guide: Guide, lang: str) -> None:
    page.goto(catalog_url(base, lang, "country=CA&period=unknown"))
    chosen: dict[str, list[str]] = {f: [] for f in FACETS}
    chosen |= {"country": ["CA"], "period": ["unknown"]}
    shown = page.eval_on_selector_all(
        "fieldset[data-facet] label", """labels => labels.map(l => [
            l.closest('fieldset').dataset.facet, l.querySelector('input').value,
            Number(l.querySelector('.sg-filters__n').textContent)])""")
    assert len(shown) > 10
    for facet, value, count in shown:
        pool = selected(guide, lang, chosen, leave_out=facet)
        assert count == sum(value in codes(c, facet) for c in pool), (facet, value)
    kind_counts = {value: count for facet, value, count in shown if facet == "kind"}
    assert kind_counts["project_activity"] == 0 and kind_counts["sector_council_practice"] > 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_results_says_so_and_reset_brings_every_case_back(
        page: Page, base: str, guide: Guide, lang: str) -> None:
    labels = Labels(lang)
    page.goto(catalog_url(base, lang, "kind=sector_council_practice"))
    page.get_by_label(labels("filter_search")).fill("zzzz")
    assert visible_titles(page) == []
    status = page.locator(".sg-filters__status")
    assert status.inner_text() == labels("filter_none")
    assert status.get_attribute("aria-live") == "polite"
    assert not page.get_by_role("button", name=labels("filter_download")).is_visible()
    page.get_by_role("button", name=labels("filter_reset")).click()
    assert visible_titles(page) == titles_of(guide.cases, lang)
    assert urlsplit(page.url).query == ""
    assert page.get_by_label(labels("filter_search")).input_value() == ""
    assert checked(page) == {f: [] for f in FACETS}
    assert not page.get_by_role("button", name=labels("filter_reset")).is_visible()


def test_csv_of_the_view_has_human_labels_and_only_the_cases_shown(
        page: Page, base: str, guide: Guide) -> None:
    labels = Labels("es")
    page.goto(catalog_url(base, "es", "country=CA"))
    with page.expect_download() as download:
        page.get_by_role("button", name=labels("filter_download")).click()
    assert download.value.suggested_filename == "casos-seleccion-es.csv"  # named in Spanish
    text = Path(download.value.path()).read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    columns = ("title", "kind", "countries", "period", "status", "sector", "challenges",
               "summary", "csv_link")
    assert rows[0] == [labels(k) for k in columns]
    expected = selected(guide, "es", {"country": ["CA"]})
    assert [" ".join(r[0].split()) for r in rows[1:]] == titles_of(expected, "es")
    for row, case in zip(rows[1:], expected, strict=True):
        assert row[1] == labels("kind_" + case.kind)
        assert row[2] == "; ".join(labels.country(c) for c in case.countries)
        assert row[3] == (labels.period(case.start, case.end) if case.start or case.end
                          else labels("period_not_stated"))  # as the card says it
        assert row[4] == labels("status_" + case.status)
        assert row[6] == "; ".join(guide.challenges[c].label("es") for c in case.challenges)
        assert row[8].endswith(f"/es/cases/{case.id}/")


# -- language switcher -------------------------------------------------------------------------

def site_path(page: Page) -> str:
    """The page's address below the site's folder (browser_support.SITE_FOLDER)."""
    path = urlsplit(page.url).path
    assert path.startswith(SITE_FOLDER), f"{page.url} is outside the site"
    return path[len(SITE_FOLDER):]


def switch_language(page: Page, lang: str) -> None:
    page.locator(".md-header .md-select").hover()
    page.locator(f".md-select a[hreflang={lang}]").click()
    page.wait_for_load_state()


def test_language_switcher_keeps_the_place_in_a_list(page: Page, base: str) -> None:
    """An organization's anchor is the same in every language: the other language's list
    opens at it. A section's anchor (worded in each language) is left behind."""
    page.goto(f"{base}es/browse/organizations/#org-mihr")
    switch_language(page, "fr")
    assert site_path(page) == "fr/browse/organizations/"
    assert urlsplit(page.url).fragment == "org-mihr"
    assert page.locator("#org-mihr").is_visible()
    page.goto(f"{base}es/browse/challenges/")
    page.evaluate("location.hash = '#challenge-employability'")
    switch_language(page, "en")
    assert site_path(page) == "browse/challenges/"
    assert urlsplit(page.url).fragment == "challenge-employability"
    page.goto(f"{base}es/cases/regional-workshop-chile-2022/#resultados")
    switch_language(page, "en")
    assert site_path(page) == "cases/regional-workshop-chile-2022/"
    assert urlsplit(page.url).fragment == ""


def test_language_switcher_keeps_the_record(page: Page, base: str, guide: Guide) -> None:
    for case in (guide.cases[0], guide.cases[-1]):
        page.goto(f"{base}cases/{case.id}/")
        for lang in ("fr", "es", "en"):
            switch_language(page, lang)
            assert site_path(page) == f"{PREFIX[lang]}cases/{case.id}/"
            assert " ".join(page.locator("h1").inner_text().split()) == titles_of([case], lang)[0]


def test_language_switcher_goes_from_home_page_to_home_page(page: Page, base: str) -> None:
    # served below a folder, as a project's GitHub pages: links from the host's root would
    # leave the site
    page.goto(base)
    for lang in ("es", "fr", "en", "fr"):
        switch_language(page, lang)
        assert site_path(page) == PREFIX[lang]
        assert page.locator("html").get_attribute("lang") == lang


def test_language_switcher_keeps_the_catalog_filters_but_not_the_words(
        page: Page, base: str, guide: Guide) -> None:
    # the facets are codes, the same in every language; the words typed are of one language
    # ("taller" finds no French case): they stay behind
    page.goto(catalog_url(base, "es", "country=CL&q=taller"))
    assert visible_titles(page)
    tick(page, "kind", "project_activity")
    switch_language(page, "fr")
    assert site_path(page) == "fr/browse/catalog/"
    assert query_of(page) == {"country": ["CL"], "kind": ["project_activity"]}
    assert checked(page)["country"] == ["CL"] and checked(page)["kind"] == ["project_activity"]
    assert page.get_by_label(Labels("fr")("filter_search")).input_value() == ""
    chosen = {"country": ["CL"], "kind": ["project_activity"]}
    expected = selected(guide, "fr", chosen)
    assert expected and visible_titles(page) == titles_of(expected, "fr")
    page.get_by_label(Labels("fr")("filter_search")).fill("atelier")  # French words, then back
    switch_language(page, "en")
    assert site_path(page) == "browse/catalog/"
    assert query_of(page) == {"country": ["CL"], "kind": ["project_activity"]}
    assert visible_titles(page) == titles_of(expected, "en")


def test_language_switcher_leaves_the_search_words_behind(page: Page, base: str) -> None:
    # "taller" finds nothing in French: the switcher opens the French search page, empty
    page.goto(base + "es/search/?q=taller", wait_until="networkidle")
    page.locator("#sg-search-results li a").first.wait_for()
    switch_language(page, "fr")
    assert site_path(page) == "fr/search/" and urlsplit(page.url).query == ""
    assert page.get_by_label(Labels("fr")("search_label")).input_value() == ""
    page.get_by_label(Labels("fr")("search_label")).fill(SEARCH_WORD["fr"])
    page.locator("#sg-search-results li a").first.wait_for()
    switch_language(page, "en")
    assert site_path(page) == "search/" and urlsplit(page.url).query == ""


# -- keyboard focus ----------------------------------------------------------------------------

# The focused control's outline as drawn, and the colour behind it (the first ancestor with a
# background; the page's white without one).
_OUTLINE = """(node) => {
  const style = getComputedStyle(node);
  let behind = "rgb(255, 255, 255)";
  for (let n = node.parentElement; n; n = n.parentElement) {
    const colour = getComputedStyle(n).backgroundColor;
    if (colour !== "transparent" && !/^rgba\\(.*,\\s*0\\)$/.test(colour)) { behind = colour; break; }
  }
  return { style: style.outlineStyle, width: parseFloat(style.outlineWidth),
           colour: style.outlineColor, behind, focused: document.activeElement === node };
}"""


def _luminance(colour: str) -> float:
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3])
    def linear(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tab_to(page: Page, selector: str, backwards: bool = False, limit: int = 200) -> Any:
    """Press Tab (or Shift+Tab) until the focus is on an element that matches; that element."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return page.evaluate_handle("document.activeElement")
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_ring(node: Any) -> None:
    """WCAG 2.4.7: the focused control has an outline, 2 px at least, 3:1 against the page."""
    drawn = node.evaluate(_OUTLINE)
    assert drawn["focused"]
    assert drawn["style"] not in ("none", "hidden") and drawn["width"] >= 2, drawn
    assert contrast(drawn["colour"], drawn["behind"]) >= 3, drawn


def assert_no_ring(node: Any) -> None:
    drawn = node.evaluate(_OUTLINE)
    assert not drawn["focused"]
    assert drawn["style"] == "none" or drawn["width"] == 0, drawn


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_keyboard_focus_is_visible_on_the_catalog_filters(page: Page, base: str, lang: str) -> None:
    page.goto(catalog_url(base, lang), wait_until="networkidle")
    words = tab_to(page, "#sg-filter-q")
    assert_focus_ring(words)
    tab_to(page, "#sg-filters summary")  # the next control: the box loses its ring
    assert_no_ring(words)
    box = tab_to(page, "#sg-filters input[type=checkbox]")
    assert_focus_ring(box)
    following = tab_to(page, "#sg-filters input[type=checkbox]")
    assert_focus_ring(following)
    assert_no_ring(box)
    page.keyboard.press("Space")  # ticked from the keyboard, still showing where it is
    assert following.evaluate("(b) => b.checked")
    assert_focus_ring(following)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_keyboard_focus_is_visible_on_the_search_box(page: Page, base: str, lang: str) -> None:
    page.goto(base + PREFIX[lang] + "search/", wait_until="networkidle")
    box = page.evaluate_handle("document.getElementById('sg-search-input')")
    tab_to(page, ":not(#sg-search-input)", backwards=True)
    assert_no_ring(box)
    tab_to(page, "#sg-search-input")
    assert_focus_ring(box)


# -- every main page: console, requests, accessibility -----------------------------------------

MAIN_PAGES = ("home", "catalog", "case", "notice case", "matrix", "statistics", "search")


def page_path(name: str, lang: str, built: tuple[Path, Guide]) -> str:
    """Where a main page is in a language; the statistics page is skipped until it exists."""
    site, guide = built
    noticed = next((c for c in guide.cases if c.translation_state(lang) in ("fallback", "stale")),
                   guide.cases[-1])
    path = {"home": "", "catalog": "browse/catalog/", "case": f"cases/{guide.cases[0].id}/",
            "notice case": f"cases/{noticed.id}/", "matrix": "browse/matrix/",
            "statistics": "browse/statistics/", "search": "search/"}[name]
    if not (site / PREFIX[lang] / path / "index.html").exists():
        pytest.skip(f"{PREFIX[lang]}{path} is not built (the statistics page comes with issue 6's "
                    "figures; this test runs once the page exists)")
    return PREFIX[lang] + path


@pytest.mark.parametrize("name", MAIN_PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_main_pages_have_no_console_error_and_no_request_off_localhost(
        page: Page, base: str, built: tuple[Path, Guide], lang: str, name: str) -> None:
    path = page_path(name, lang, built)
    watch = Watch()
    watch.attach(page)
    page.goto(base + path, wait_until="networkidle")
    if name == "search":
        page.get_by_label(Labels(lang)("search_label")).fill(SEARCH_WORD[lang])
        page.locator("#sg-search-results li a").first.wait_for()
    if name == "catalog":
        tick(page, "country", "CL")
    page.wait_for_load_state("networkidle")
    assert watch.console_errors == []
    assert [u for u in watch.requests if not u.startswith(base)] == []
    assert len(watch.requests) > 3


# Rules turned off for every page, each with the reason; nothing else is excluded.
AXE_EXCLUSIONS: dict[str, str] = {}


@pytest.mark.parametrize("name", MAIN_PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_violation_on_the_main_pages(
        page: Page, base: str, built: tuple[Path, Guide], lang: str, name: str) -> None:
    page.goto(base + page_path(name, lang, built), wait_until="networkidle")
    assert serious_violations(page, AXE_EXCLUSIONS) == []


# -- phones ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_and_a_case_are_readable_on_a_phone(browser: Browser, base: str,
                                                    built: tuple[Path, Guide], screenshots: Path,
                                                    lang: str) -> None:
    guide = built[1]
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    views: dict[str, dict[str, Any]] = {
        "catalog": {"url": catalog_url(base, lang)},
        "catalog-filters-open": {"url": catalog_url(base, lang, "country=CL"), "open": True},
        "case": {"url": f"{base}{PREFIX[lang]}cases/{guide.cases[0].id}/"},
        "notice-case": {"url": f"{base}{page_path('notice case', lang, built)}"},
        "matrix": {"url": f"{base}{PREFIX[lang]}browse/matrix/"},
        "maps": {"url": f"{base}{PREFIX[lang]}browse/maps/"},
    }
    for name, view in views.items():
        page.goto(view["url"], wait_until="networkidle")
        if view.get("open"):
            page.locator("#sg-filters summary").click()
            # The filter controls are for thumbs: 44 px high at least (WCAG 2.5.5, enhanced).
            heights = page.eval_on_selector_all(
                "#sg-filters :is(fieldset label, button, input[type=search], summary)",
                "nodes => nodes.filter(n => n.offsetParent).map(n => n.offsetHeight)")
            assert len(heights) > 15 and min(heights) >= 44
        page.screenshot(path=str(screenshots / f"{lang}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        assert small_tap_targets(page) == [], name
        assert words_broken_across_lines(page, "table :is(th, td)") == [], name
        if name == "matrix":  # wider than a phone: it says it scrolls sideways
            assert page.locator(".sg-scroll-hint").is_visible()
            assert page.evaluate("(w => w.scrollWidth > w.clientWidth)"
                                 "(document.querySelector('.sg-table-wrap'))")
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = wide.new_page()
    desk.goto(f"{base}{PREFIX[lang]}browse/matrix/", wait_until="networkidle")
    assert not desk.locator(".sg-scroll-hint").is_visible()  # it fits: no hint
    wide.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_open_filters_lead_to_the_results(browser: Browser, base: str,
                                                         guide: Guide, lang: str) -> None:
    """The open panel is taller than a phone's screen (about 1,500 px): the reader ticking a
    box at its top sees the number of cases on a button kept at the screen's foot, and that
    button (a tap, or the keyboard) leads to the results' status line."""
    labels = Labels(lang)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(catalog_url(base, lang), wait_until="networkidle")
        page.locator("#sg-filters summary").click()
        tick(page, "country", "CL")
        expected = selected(guide, lang, {"country": ["CL"]})
        show = page.get_by_role("button", name=labels("filter_show", n=len(expected)))
        status = page.locator(".sg-filters__status")
        in_view = "(n) => { const r = n.getBoundingClientRect(); " \
                  "return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }"
        assert show.evaluate(in_view)
        assert not status.evaluate(in_view)  # the results are far below
        show.tap()
        page.wait_for_function("document.activeElement.classList.contains('sg-filters__status')")
        assert status.evaluate(in_view)
        assert status.inner_text() == labels("filter_results", n=len(expected),
                                             total=len(guide.cases))
        first = page.locator(".sg-card:visible").first
        assert first.evaluate("(n) => n.getBoundingClientRect().top < window.innerHeight")
        # from the keyboard: after the last box, the button; Enter leads to the results
        tab_to(page, "#sg-filters fieldset:last-of-type label:last-child input", backwards=True)
        tab_to(page, "#sg-filters button")
        assert page.evaluate("document.activeElement.textContent") == \
            labels("filter_show", n=len(expected))
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.classList.contains('sg-filters__status')")
        assert status.evaluate(in_view)
    finally:
        context.close()
    # On a wide screen the panel is open and short, the results just below: no such button.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(catalog_url(base, lang), wait_until="networkidle")
    assert page.locator("#sg-filters details").evaluate("(d) => d.open")
    assert page.locator("#sg-filters button:visible").count() == 1  # the CSV download alone
    page.close()


def words_broken_across_lines(page: Page, selector: str) -> list[str]:
    """The words in the elements that a narrow column cut in two (on two lines); a line may end
    at a hyphen ("Saint-Jean-|sur-Richelieu")."""
    broken: list[str] = page.eval_on_selector_all(selector, """cells => cells.flatMap(cell => {
        const found = [];
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.parentElement.offsetParent) continue;
          for (const match of node.data.matchAll(/[^\\s-]+/g)) {  // a hyphen may end a line
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (lines.size > 1) found.push(match[0]);
          }
        }
        return found;
      })""")
    return broken



def test_the_checks_themselves_see_small_targets_and_violations(page: Page) -> None:
    """The phone and accessibility checks above would pass on an empty page: make sure they look."""
    page.set_content('<html lang="en"><title>t</title><main><article><h1>t</h1>'
                     '<div><a href="#a">a</a><a href="#b">b</a><input type="checkbox"></div>'
                     '</article></main></html>')
    assert len(small_tap_targets(page)) == 3
    assert any(v.startswith("label (critical)") for v in serious_violations(page))


# -- search -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_records_of_the_page_language_and_says_how_many(
        page: Page, base: str, lang: str) -> None:
    labels = Labels(lang)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.goto(base + PREFIX[lang] + "search/", wait_until="networkidle")
    page.get_by_label(labels("search_label")).fill(SEARCH_WORD[lang])
    results = page.locator("#sg-search-results li a")
    results.first.wait_for()
    # exactly the files the benchmark counts as search bytes (bench._search_bytes), this
    # language's only: no full UI, no worker
    search_files = {re.sub(r"_[0-9a-f]+\.", "_*.", path.rsplit("/pagefind/", 1)[1])
                    for path in asked if "/pagefind/" in path}
    assert search_files == {"pagefind-modular-ui.js", "pagefind.js", "pagefind-entry.json",
                            f"pagefind.{lang}_*.pf_meta", f"wasm.{lang}.pagefind",
                            f"index/{lang}_*.pf_index", f"fragment/{lang}_*.pf_fragment"}
    count = page.locator("#sg-search-results li").count()
    said = labels("search_results_one" if count == 1 else "search_results_many")
    expected = said.replace("{n}", str(count)).replace("{term}", SEARCH_WORD[lang])
    assert page.locator("#sg-search-summary").inner_text() == expected
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any("/cases/" in href for href in hrefs)
    # the lists of records (catalog, indexes) are not results: search leads to the records;
    # the organizations' directory is, for their descriptions (on no other page)
    assert not [href for href in hrefs if "/browse/" in href and "/browse/organizations/" not in href]
    results.first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") in LANGUAGES
    assert site_path(page).startswith(PREFIX[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_shows_every_result_as_the_reader_scrolls(browser: Browser, base: str, lang: str) -> None:
    # each result's text loads when it scrolls into view: on a small screen most of them
    context = browser.new_context(viewport={"width": 800, "height": 420})
    page = context.new_page()
    try:
        page.goto(f"{base}{PREFIX[lang]}search/?q={COMMON_WORD[lang]}", wait_until="networkidle")
        page.locator("#sg-search-results li a").first.wait_for()
        matched = int(re.findall(r"\d+", page.locator("#sg-search-summary").inner_text())[0])
        assert matched >= 8, "too few results to need scrolling"
        for _ in range(60):
            if not page.locator("#sg-search-results [data-pfmod-loading]").count():
                break
            page.mouse.wheel(0, 400)
            page.wait_for_timeout(100)
        assert page.locator("#sg-search-results [data-pfmod-loading]").count() == 0
        assert page.locator("#sg-search-results li a").count() == matched
    finally:
        context.close()


def test_search_finds_a_record_not_yet_translated_and_not_the_search_page(
        page: Page, base: str, guide: Guide) -> None:
    # the record shown in its original language is a page of the French site: French
    # search finds it by a name in it; the search page itself is no result
    untranslated = [c for c in guide.cases if c.translation_state("fr") == "fallback"]
    assert untranslated, "the shipped content should hold a record without French"
    for word, found in (("CONOCER", f"fr/cases/{untranslated[0].id}/"), ("rechercher", None)):
        page.goto(f"{base}fr/search/?q={word}", wait_until="networkidle")
        page.locator("#sg-search-summary").filter(has_text=word).wait_for()
        results = page.locator("#sg-search-results li a")
        hrefs = [urlsplit(results.nth(i).get_attribute("href") or "").path for i in range(results.count())]
        if found:
            assert SITE_FOLDER + found in hrefs
        assert not [href for href in hrefs if href.endswith("/search/")]


def _matches(page: Page, base: str, lang: str, words: str) -> int:
    page.goto(f"{base}{PREFIX[lang]}search/?q={quote(words)}", wait_until="networkidle")
    page.locator("#sg-search-summary").filter(has_text=words).wait_for()
    return page.locator("#sg-search-results li").count()


def test_french_search_finds_a_word_after_an_elided_article(page: Page, base: str) -> None:
    """"alliance" finds "l’Alliance du Pacifique": Pagefind took "l’alliance" for one word,
    so most French nouns were found only with their article. The excerpts keep their
    spelling, and a search typed with the article finds the same pages."""
    alone = _matches(page, base, "fr", "alliance")
    excerpts = page.locator("#sg-search-results li").all_inner_texts()
    with_article = _matches(page, base, "fr", "l’alliance")
    assert alone >= with_article >= 8
    assert _matches(page, base, "fr", "l'alliance") == with_article  # the typewriter apostrophe
    assert _matches(page, base, "fr", "égalité") >= _matches(page, base, "fr", "d’égalité") >= 1
    shown = "\n".join(excerpts)
    assert "l’Alliance" in shown or "l’alliance" in shown
    assert not re.search(r"(?i)\b(?:[cdjlmnst]|qu)’ ", shown), shown
    # English keeps its apostrophes as they are
    assert _matches(page, base, "en", "sector") >= 1


@pytest.mark.parametrize("word", ["talleres", "taller", "certificacion", "mujeres", "CONOCER"])
def test_search_finds_a_word_in_another_form_or_without_its_accents(page: Page, base: str,
                                                                   word: str) -> None:
    """What the check of Pagefind's answers (above) must leave alone: a plural, a singular,
    a word without its accent, an acronym marked with its brackets ("(CONOCER)."), each on
    the guide's Spanish pages."""
    page.goto(base + "es/search/?q=" + word, wait_until="networkidle")
    page.locator("#sg-search-results li a").first.wait_for()
    page.wait_for_timeout(300)
    assert page.locator("#sg-search-results li:visible").count() >= 1
    none = Labels("es")("search_results_none").replace("{term}", word)
    assert page.locator("#sg-search-summary").inner_text() not in ("", none)
    assert not page.locator("#sg-search-browse").is_visible()


def test_search_does_not_match_what_every_record_says_of_itself(page: Page, base: str) -> None:
    """"Última actualización", "Idioma original", the curation state: every record's key
    facts end with them, so a search for them listed every record. Now the chapters that
    explain them are found, and no record."""
    page.goto(base + "es/search/?q=" + "última actualización", wait_until="networkidle")
    page.locator("#sg-search-results li a").first.wait_for()
    page.wait_for_timeout(300)
    hrefs = page.locator("#sg-search-results li a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and not [href for href in hrefs if "/cases/" in href], hrefs


def test_search_finds_an_organization_by_its_description(page: Page, base: str) -> None:
    """The organizations' descriptions are on the directory alone: Women in Mining "promueve
    la participación de las mujeres". The directory's lists of records are not indexed (a
    record's title finds the record's own page)."""
    page.goto(base + "es/search/?q=mujeres", wait_until="networkidle")
    page.locator("#sg-search-results li a").first.wait_for()
    page.locator('#sg-search-results a[href*="browse/organizations/"]').first.wait_for()
    page.goto(base + "es/search/?q=BibTeX", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert page.locator('#sg-search-results a[href*="browse/organizations/"]').count() == 0


def test_a_search_lives_in_the_address(page: Page, base: str) -> None:
    # opened from a link (or a browser's site search) with ?q=, the page searches at once;
    # typing puts the words in the address, so a search can be shared and gone back to
    labels = Labels("fr")
    page.goto(base + "fr/search/?q=" + SEARCH_WORD["fr"], wait_until="networkidle")
    page.locator("#sg-search-results li a").first.wait_for()
    assert page.get_by_label(labels("search_label")).input_value() == SEARCH_WORD["fr"]
    count = page.locator("#sg-search-results li").count()
    said = labels("search_results_one" if count == 1 else "search_results_many")
    expected = said.replace("{n}", str(count)).replace("{term}", SEARCH_WORD["fr"])
    assert page.locator("#sg-search-summary").inner_text() == expected
    page.get_by_label(labels("search_label")).fill("zzzqqq")
    page.locator("#sg-search-summary",
                 has_text=labels("search_results_none").replace("{term}", "zzzqqq")).wait_for()
    assert page.locator("#sg-search-browse").is_visible()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["zzzqqq"]}
    page.get_by_label(labels("search_label")).fill("")
    page.wait_for_function("!location.search")
    assert not page.locator("#sg-search-browse").is_visible()
    # the language switcher opens the other language's search page, without the words (of one
    # language: test_language_switcher_leaves_the_search_words_behind)
    page.get_by_label(labels("search_label")).fill("CONOCER")
    page.wait_for_function("location.search.includes('CONOCER')")
    switch_language(page, "es")
    assert site_path(page) == "es/search/" and urlsplit(page.url).query == ""


# BibTeX: only in "Cite this record"; SENATI, Sernageomin: on no page, though Pagefind gives
# the pages of their first letters ("se"), the words its index holds
@pytest.mark.parametrize("word", ["zzzqqq", "BibTeX", "SENATI", "Sernageomin"])
def test_search_says_when_nothing_matches(page: Page, base: str, word: str) -> None:
    page.goto(base + "es/search/", wait_until="networkidle")
    page.get_by_label(Labels("es")("search_label")).fill(word)
    expected = Labels("es")("search_results_none").replace("{term}", word)
    page.locator("#sg-search-summary", has_text=expected).wait_for()
    assert page.locator("#sg-search-results li:visible").count() == 0
    page.wait_for_timeout(300)  # the verdict on the first result's words is not undone
    assert page.locator("#sg-search-summary").inner_text() == expected
    # the other way to find a case, one step away: the catalog of this language
    offered = page.locator("#sg-search-browse a")
    assert offered.inner_text() == Labels("es")("catalog")
    offered.click()
    assert site_path(page) == "es/browse/catalog/"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_tables_that_scroll_on_a_phone_can_be_scrolled_with_the_keyboard(
        browser: Browser, base: str, lang: str) -> None:
    """A table wider than a phone scrolls inside its frame: the frame takes the keyboard's
    focus (arrow keys scroll it), so axe-core finds no scrollable region out of reach."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    for path in ("browse/matrix/", "reference/fields/", "browse/statistics/"):
        page.goto(f"{base}{PREFIX[lang]}{path}", wait_until="networkidle")
        scrolling = page.eval_on_selector_all(
            ".md-typeset :is(.sg-table-wrap, .md-typeset__scrollwrap, pre > code)",
            "nodes => nodes.filter(n => n.scrollWidth > n.clientWidth + 1)"
            ".map(n => n.tabIndex)")
        assert all(index == 0 for index in scrolling), (path, scrolling)
        assert scrolling or path == "browse/statistics/", path  # the matrix and the reference do
        assert serious_violations(page) == [], path
    context.close()
