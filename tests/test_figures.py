"""Stakeholder maps and bar charts: well-formed SVG, labelled in each language, faithful to the data.

The shipped records state few relationships, so these tests build a richer guide in memory.
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from itertools import combinations
from typing import Any

import pytest
from sectorguide.figures import (
    LINE_STYLES,
    RELATIONSHIP_KINDS,
    bar_chart,
    stakeholder_map,
    stakeholders,
    statistics,
)
from sectorguide.labels import Labels
from sectorguide.model import Guide, build_guide
from sectorguide.vocabulary import LANGUAGES

SVG = "{http://www.w3.org/2000/svg}"
UNTRUSTED = "<script>alert('x')</script> & \"Sons\""


def _org(id: str, name: str, type: str, country: str | None = "CL",
         acronym: str | None = None) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"id": id, "kind": "organization", "name": name, "type": type,
                            "original_language": "es", "text": {"es": {"description": name}}}
    if country:
        data["country"] = country
    if acronym:
        data["acronym"] = acronym
    return f"case_studies/organizations/{id}.yaml", data


def _case(id: str, countries: list[str], orgs: list[str], links: list[tuple[str, str, str]],
          challenges: list[str], kind: str = "pilot_project") -> tuple[str, dict[str, Any]]:
    return f"case_studies/cases/{id}.yaml", {
        "id": id, "kind": kind, "original_language": "es", "countries": countries,
        "sector": "mining", "challenges": challenges, "status": "ongoing",
        "curation": "draft", "updated": "2024-05-06",
        "organizations": [{"id": o, "role": "partner"} for o in orgs],
        "relationships": [{"from": a, "to": b, "kind": k} for a, b, k in links],
        "text": {"es": {"title": f"Caso {id}", "summary": f"Resumen de {id}."}},
    }


def _challenge(id: str, label: str) -> tuple[str, dict[str, Any]]:
    return f"case_studies/challenges/{id}.yaml", {
        "id": id, "kind": "challenge",
        "text": {lang: {"label": f"{label} ({lang})"} for lang in LANGUAGES}}


def richer_documents() -> list[tuple[str, dict[str, Any]]]:
    """Chile with every kind of relationship (one stated twice), Peru with one, Canada with none."""
    return [
        _org("ministry", "Ministerio de Minería", "government"),
        _org("college", "Centro de Formación Técnica", "education", acronym="CFT"),
        _org("miner", UNTRUSTED, "industry"),
        _org("union", "Sindicato Minero", "civil_society"),
        _org("council", "Consejo Minero de Competencias", "sector_council"),
        _org("peru-school", "Escuela Minera del Perú", "education", country="PE"),
        _org("regional", "Red Regional", "intergovernmental", country=None),
        _challenge("skills", "Skills <b>gap</b>"),
        _challenge("gender", "Gender"),
        _case("chile-a", ["CL"], ["ministry", "college", "miner", "union"], [
            ("ministry", "college", "existing"),
            ("college", "miner", "to_strengthen"),
            ("ministry", "miner", "to_forge"),
            ("union", "miner", "to_forge"),
        ], ["skills"]),
        # The same existing link again, once reversed: drawn once.
        _case("chile-b", ["CL"], ["college", "council"], [
            ("college", "ministry", "existing"), ("ministry", "college", "existing"),
            ("council", "college", "existing"),
        ], ["skills", "gender"]),
        _case("peru", ["PE"], ["peru-school", "regional"], [
            ("peru-school", "regional", "to_strengthen")], ["skills"]),
        _case("canada", ["CA"], ["council"], [], ["gender"], kind="sector_council_practice"),
    ]


def richer_guide() -> Guide:
    return build_guide(richer_documents())


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def words(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def link_paths(root: ET.Element) -> list[ET.Element]:
    group = root.find(f"{SVG}g[@class='sg-map__links']")
    assert group is not None
    return group.findall(f"{SVG}path")


def test_map_draws_each_stated_relationship_once_in_the_style_of_its_kind() -> None:
    root = parse(stakeholder_map(richer_guide(), "CL", Labels("en")))
    drawn = [path.get("data-kind") for path in link_paths(root)]
    assert sorted(drawn) == sorted(["existing", "existing", "to_strengthen", "to_forge", "to_forge"])
    for path in link_paths(root):
        style = LINE_STYLES[str(path.get("data-kind"))]
        assert path.get("stroke-dasharray") == style.get("stroke-dasharray")
    patterns = {kind: LINE_STYLES[kind].get("stroke-dasharray") for kind in RELATIONSHIP_KINDS}
    assert len(set(patterns.values())) == 3, "each kind needs its own line pattern"
    assert patterns["existing"] is None  # solid


def test_map_shows_only_the_country_s_stakeholders() -> None:
    guide = richer_guide()
    chile = stakeholders(guide, "CL")
    assert {o.id for o in chile.organizations} == {"ministry", "college", "miner", "union",
                                                    "council"}
    root = parse(stakeholder_map(guide, "PE", Labels("en")))
    nodes = {g.get("data-organization") for g in root.iter(f"{SVG}g") if g.get("data-organization")}
    assert nodes == {"peru-school", "regional"}
    assert [p.get("data-kind") for p in link_paths(root)] == ["to_strengthen"]
    canada = parse(stakeholder_map(guide, "CA", Labels("en")))
    assert link_paths(canada) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_is_labelled_in_the_page_language(lang: str) -> None:
    t = Labels(lang)
    root = parse(stakeholder_map(richer_guide(), "CL", t))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == t("map_title", country=t.country("CL"))
    assert t.country("CL") in str(desc.text)
    headings = [words(e) for e in root.iter(f"{SVG}text") if e.get("class") == "sg-map__type"]
    assert headings == [t(f"orgtype_{kind}") for kind in
                        ("government", "education", "industry", "sector_council", "civil_society")]
    legend = root.find(f"{SVG}g[@class='sg-map__legend']")
    assert legend is not None
    legend_text = words(legend)
    for kind in RELATIONSHIP_KINDS:
        assert t(f"relationship_{kind}") in legend_text, kind
    assert f"{t('relationship_to_forge')} (2)" in legend_text
    assert root.get("viewBox", "").startswith("0 0 400 ") and root.get("width") == "100%"


def test_untrusted_organization_names_stay_text() -> None:
    svg = str(stakeholder_map(richer_guide(), "CL", Labels("fr")))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    node = next(g for g in root.iter(f"{SVG}g") if g.get("data-organization") == "miner")
    shown = "".join(node.itertext()).replace(" ", "")
    assert shown == UNTRUSTED.replace(" ", "")


def test_map_nodes_do_not_overlap_and_stay_inside_the_picture() -> None:
    root = parse(stakeholder_map(richer_guide(), "CL", Labels("es")))
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    boxes = []
    for rect in root.iter(f"{SVG}rect"):
        x, y, w, h = (float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
        boxes.append((x, y, x + w, y + h))
    assert len(boxes) == 5
    for a, b in combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_figures_do_not_depend_on_the_order_records_are_read_in() -> None:
    documents = richer_documents()
    first = stakeholder_map(build_guide(documents), "CL", Labels("en"))
    random.Random(7).shuffle(documents)
    again = build_guide(documents)
    assert stakeholder_map(again, "CL", Labels("en")) == first
    assert [bar_chart(c) for c in statistics(again, Labels("en"))] == [
        bar_chart(c) for c in statistics(richer_guide(), Labels("en"))]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_charts_count_cases_and_are_labelled_in_the_page_language(lang: str) -> None:
    guide, t = richer_guide(), Labels(lang)
    charts = {chart.id: chart for chart in statistics(guide, t)}
    assert set(charts) == {"chart-countries", "chart-challenges", "chart-kinds", "chart-shared"}
    root = parse(bar_chart(charts["chart-countries"]))
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == t("chart_countries")
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "sg-bar"]
    assert [g.get("data-key") for g in bars] == ["CL", "PE", "CA"]
    labels = [words(g.findall(f"{SVG}text")[0]) for g in bars]
    assert labels == [t.country(c) for c in ("CL", "PE", "CA")]
    values = {g.get("data-key"): g.find(f"{SVG}rect") for g in bars}
    assert {k: int(str(r.get("data-value"))) for k, r in values.items() if r is not None} == {
        "CL": 2, "PE": 1, "CA": 1}
    widths = {k: float(str(r.get("width"))) for k, r in values.items() if r is not None}
    assert widths["CL"] == pytest.approx(2 * widths["PE"])
    shared = {bar.key: bar.value for bar in charts["chart-shared"].bars}
    assert shared == {"skills": 2, "gender": 2}  # skills: Chile and Peru; gender: Chile and Canada
    kinds = parse(bar_chart(charts["chart-kinds"]))
    assert t("kinds_pilot_project") in words(kinds)


def test_chart_labels_from_records_stay_text() -> None:
    chart = next(c for c in statistics(richer_guide(), Labels("en")) if c.id == "chart-challenges")
    svg = str(bar_chart(chart))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "Skills <b>gap</b> (en)" in words(parse(svg))


def test_a_records_countries_are_listed_in_the_guides_order() -> None:
    """A record may list its countries in any order; every page lists them in the guide's
    (Chile, Colombia, Mexico, Peru, then Canada), as the filters, the matrix and the charts do."""
    documents = richer_documents() + [_case("peru-first", ["CA", "PE", "CL"], [], [], ["gender"])]
    case = next(c for c in build_guide(documents).cases if c.id == "peru-first")
    assert case.countries == ("CL", "PE", "CA")

