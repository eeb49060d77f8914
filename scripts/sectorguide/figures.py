"""Figures drawn at build time: stakeholder maps and bar charts, as inline SVG without script.

The site and the PDF include the same SVG, so a figure looks the same on screen and on paper.
Each SVG is built as an element tree (xml.etree), never by pasting strings together, so any
contributed text (an organization's name) is escaped as XML text. Every figure carries a
<title> and a <desc> and is announced as one image; the pages put a table beside it as its
text alternative. Layouts are computed from sorted data: the same records give the same bytes.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace

from markupsafe import Markup

from .labels import Labels
from .model import Guide, Organization, collation_key, one_line

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 400  # viewBox units; the SVG scales to the column (width 100%), text stays readable on a phone
TEXT_COLOUR = "#1a1a1a"
TYPE_ORDER = ("government", "education", "industry", "sector_council", "civil_society",
              "intergovernmental")
RELATIONSHIP_KINDS = ("existing", "to_strengthen", "to_forge")
# Each kind differs by dash pattern first (readable in black and white), then by colour.
LINE_STYLES: dict[str, dict[str, str]] = {
    "existing": {"stroke": "#1d4f91", "stroke-width": "2.2"},
    "to_strengthen": {"stroke": "#9a4a00", "stroke-width": "2.2", "stroke-dasharray": "8 5"},
    "to_forge": {"stroke": "#2a6b3a", "stroke-width": "2.6", "stroke-dasharray": "0.1 5.5",
                 "stroke-linecap": "round"},
}
BAR_COLOUR = "#3949ab"

# Stakeholder map geometry: two columns of nodes in a band per organization type. Lines between
# the columns stay in the central gap; lines within a column bow into its outer gutter, so no
# line crosses a node.
_GUTTER = 26
_GAP = 44
_NODE_W = (WIDTH - 2 * _GUTTER - _GAP) // 2
_NODE_LINE = 15
_NODE_LINES = 4
_NODE_H = _NODE_LINES * _NODE_LINE + 12
_NODE_PAD = 6  # room kept between a node's label and its border, on each side
# A node's label: tried at each (font size, line height, lines) in turn, until the name and
# the acronym fit whole. A name too long even for the last is shortened, with an ellipsis,
# and the acronym kept: the table under the map names organizations by their acronym.
_NODE_FITS = ((12, 15.0, _NODE_LINES), (11, 14.0, _NODE_LINES), (10, 12.0, _NODE_LINES + 1))
_ROW_GAP = 14
_BAND_GAP = 20
_HEADING_LINE = 17


@dataclass(frozen=True)
class Link:
    """A relationship between two stakeholders, as one or more cases state it."""

    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Stakeholders:
    """The organizations taking part in the cases concerning one country, and their links."""

    country: str
    groups: tuple[tuple[str, tuple[Organization, ...]], ...]  # (type, organizations), in TYPE_ORDER
    links: tuple[Link, ...]

    @property
    def organizations(self) -> list[Organization]:
        return [org for _, orgs in self.groups for org in orgs]

    def links_of(self, organization: str) -> list[tuple[str, str]]:
        """(other organization, kind) for each link of one organization, in map order."""
        found = []
        for link in self.links:
            if organization in (link.source, link.target):
                other = link.target if link.source == organization else link.source
                found.append((other, link.kind))
        return found

    def count(self, kind: str) -> int:
        return sum(1 for link in self.links if link.kind == kind)


def stakeholders(guide: Guide, country: str) -> Stakeholders:
    """Who takes part in the cases concerning a country, grouped by type, with every stated link."""
    cases = guide.cases_in(country)
    ids = {p.organization for case in cases for p in case.organizations}
    ids |= {end for case in cases for r in case.relationships for end in (r.source, r.target)}
    links: dict[tuple[str, str, str], Link] = {}
    for case in cases:
        for r in case.relationships:
            a, b = sorted((r.source, r.target))
            links.setdefault((a, b, r.kind), Link(r.source, r.target, r.kind))
    ordered = [org for org in guide.organizations.values() if org.id in ids]
    groups = tuple((kind, tuple(o for o in ordered if o.type == kind))
                   for kind in _type_order(o.type for o in ordered))
    return Stakeholders(country, tuple(g for g in groups if g[1]),
                        tuple(links[key] for key in sorted(links, key=_link_order)))


def country_stakeholders(guide: Guide) -> list[Stakeholders]:
    """The countries whose cases name organizations, in the guide's order, with who takes part."""
    found = [stakeholders(guide, country) for country in guide.countries]
    return [country for country in found if country.organizations]


def _type_order(types: Iterable[str]) -> list[str]:
    present = set(types)
    return [t for t in TYPE_ORDER if t in present] + sorted(present - set(TYPE_ORDER))


def _link_order(key: tuple[str, str, str]) -> tuple[str, str, int]:
    a, b, kind = key
    rank = RELATIONSHIP_KINDS.index(kind) if kind in RELATIONSHIP_KINDS else len(RELATIONSHIP_KINDS)
    return a, b, rank


# --- SVG building blocks -------------------------------------------------------------------


def _num(value: float) -> str:
    """Coordinates with at most one decimal, so output is short and identical across runs."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _svg(figure_id: str, height: float, title: str, description: str,
         max_width: str = "40rem") -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH} {_num(height)}", "width": "100%",
        "role": "img", "aria-labelledby": f"{figure_id}-title",
        "aria-describedby": f"{figure_id}-desc", "id": figure_id, "class": "sg-svg",
        "style": f"max-width:{max_width};height:auto;display:block",
    })
    ET.SubElement(svg, "title", {"id": f"{figure_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{figure_id}-desc"}).text = description
    return svg


def _text(parent: ET.Element, x: float, y: float, lines: list[str], *, size: int,
          line_height: float, anchor: str = "start", bold: bool = False) -> ET.Element:
    """A block of text lines; the first line's baseline is at y. Lines but the last end with a
    space, so the text reads (and is copied, and indexed) as words, not glued together."""
    attrs = {"x": _num(x), "y": _num(y), "font-size": str(size), "fill": TEXT_COLOUR}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if bold:
        attrs["font-weight"] = "bold"
    text = ET.SubElement(parent, "text", attrs)
    for index, line in enumerate(lines):
        span = ET.SubElement(text, "tspan", {"x": _num(x), "dy": "0" if index == 0 else
                                             _num(line_height)})
        span.text = line if index == len(lines) - 1 else line + " "
    return text


def _wrap(text: str, width_units: float, size: int, max_lines: int,
          break_words: bool = True) -> list[str]:
    """Lines that fit a width, the last one ellipsized. An average glyph is taken as 0.6 em,
    which holds for the wide fonts of the PDF (DejaVu Sans) as for the site's system fonts."""
    chars = max(4, int(width_units / (size * 0.6)))
    return textwrap.wrap(one_line(text), width=chars, max_lines=max_lines,
                         placeholder=" …", break_long_words=break_words) or [""]


def _markup(svg: ET.Element) -> Markup:
    # ElementTree escapes &, < and > in text and quotes in attributes: the result is safe HTML.
    return Markup(ET.tostring(svg, encoding="unicode", short_empty_elements=True))


# --- stakeholder maps ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    x: float
    y: float


def stakeholder_map(guide: Guide, country: str, t: Labels) -> Markup:
    """The stakeholder map of one country as inline SVG, in the language of `t`."""
    return stakeholder_map_svg(stakeholders(guide, country), t)


def stakeholder_map_svg(found: Stakeholders, t: Labels) -> Markup:
    """Organizations in bands by type, relationships as lines whose pattern says their kind."""
    figure_id = f"map-{found.country.lower()}"
    country = t.country(found.country)
    counts = {kind: found.count(kind) for kind in RELATIONSHIP_KINDS}
    description = t("map_desc", country=country, organizations=len(found.organizations),
                    **counts)
    nodes, bands, height = _map_layout(found, t)
    legend_top = height + 10
    total = legend_top + 26 + 22 * len(RELATIONSHIP_KINDS)
    svg = _svg(figure_id, total, t("map_title", country=country), description, "44rem")
    for index, (kind, lines, y) in enumerate(bands):
        if index:  # a rule between bands shows which type a node in either column belongs to
            ET.SubElement(svg, "path", {"d": f"M{_GUTTER} {_num(y - 21)} H{WIDTH - _GUTTER}",
                                        "stroke": "#b0b0b0", "stroke-width": "1",
                                        "class": "sg-map__band"})
        heading = _text(svg, _GUTTER, y, lines, size=12, line_height=_HEADING_LINE, bold=True)
        heading.set("class", "sg-map__type")
        heading.set("data-type", kind)
    links = ET.SubElement(svg, "g", {"class": "sg-map__links", "fill": "none"})
    for link, path in _link_paths(found, nodes):
        ET.SubElement(links, "path", {"d": path, "class": f"sg-link sg-link--{link.kind}",
                                      "data-kind": link.kind, **LINE_STYLES.get(link.kind, {})})
    for org in found.organizations:
        _draw_node(svg, org, nodes[org.id], t)
    _draw_legend(svg, legend_top, counts, t)
    return _markup(svg)


def _map_layout(found: Stakeholders, t: Labels
                ) -> tuple[dict[str, _Node], list[tuple[str, list[str], float]], float]:
    """Node positions, band headings (type, lines, baseline) and the height used."""
    nodes: dict[str, _Node] = {}
    bands: list[tuple[str, list[str], float]] = []
    y = 8.0
    placed = 0  # columns alternate across bands, so more lines run between the columns
    for kind, orgs in found.groups:
        lines = _wrap(t(f"orgtype_{kind}"), _NODE_W, 12, 2, break_words=False)
        bands.append((kind, lines, y + 13))
        y += len(lines) * _HEADING_LINE + 8
        first = placed % 2
        for index, org in enumerate(orgs):
            slot = first + index
            column, row = slot % 2, slot // 2
            nodes[org.id] = _Node(_GUTTER + column * (_NODE_W + _GAP), y + row * (_NODE_H + _ROW_GAP))
        placed += len(orgs)
        rows = (first + len(orgs) + 1) // 2
        y += rows * _NODE_H + (rows - 1) * _ROW_GAP + _BAND_GAP
    return nodes, bands, y


def _column(node: _Node) -> int:
    return 0 if node.x < WIDTH / 2 else 1


def _link_paths(found: Stakeholders, nodes: dict[str, _Node]) -> list[tuple[Link, str]]:
    """One path per link. Ends are spread along a node's side, sorted by where the line goes."""
    ends: dict[tuple[str, str], list[tuple[float, int, int]]] = {}  # (org, side) -> entries

    def side(org: str, other: str) -> str:
        a, b = nodes[org], nodes[other]
        if _column(a) != _column(b):
            return "right" if _column(a) == 0 else "left"
        return "left" if _column(a) == 0 else "right"

    drawn = [(i, link) for i, link in enumerate(found.links)
             if link.source in nodes and link.target in nodes]
    for index, link in drawn:
        for end, (org, other) in enumerate(((link.source, link.target), (link.target, link.source))):
            ends.setdefault((org, side(org, other)), []).append((nodes[other].y, index, end))
    offsets: dict[tuple[int, int], float] = {}
    for (org, _), entries in ends.items():
        entries.sort()
        for k, (_, index, end) in enumerate(entries):
            offsets[(index, end)] = nodes[org].y + _NODE_H * (k + 1) / (len(entries) + 1)
    paths = []
    for index, link in drawn:
        a, b = nodes[link.source], nodes[link.target]
        ya, yb = offsets[(index, 0)], offsets[(index, 1)]
        paths.append((link, _curve(a, ya, b, yb)))
    return paths


def _curve(a: _Node, ya: float, b: _Node, yb: float) -> str:
    if _column(a) != _column(b):
        left, yl, right, yr = (a, ya, b, yb) if _column(a) == 0 else (b, yb, a, ya)
        x1, x2 = left.x + _NODE_W, right.x
        mid = (x1 + x2) / 2
        return (f"M{_num(x1)} {_num(yl)} C{_num(mid)} {_num(yl)} "
                f"{_num(mid)} {_num(yr)} {_num(x2)} {_num(yr)}")
    edge = a.x if _column(a) == 0 else a.x + _NODE_W
    outward = -1 if _column(a) == 0 else 1
    # A cubic curve bulges 3/4 of its control offset: keep it inside the gutter.
    bow = min(_GUTTER * 1.2, 10 + 0.12 * abs(yb - ya))
    cx = edge + outward * bow
    return (f"M{_num(edge)} {_num(ya)} C{_num(cx)} {_num(ya)} "
            f"{_num(cx)} {_num(yb)} {_num(edge)} {_num(yb)}")


def _draw_node(svg: ET.Element, org: Organization, node: _Node, t: Labels) -> None:
    group = ET.SubElement(svg, "g", {"class": "sg-node", "data-organization": org.id})
    ET.SubElement(group, "rect", {
        "x": _num(node.x), "y": _num(node.y), "width": str(_NODE_W), "height": str(_NODE_H),
        "rx": "6", "fill": "#ffffff", "stroke": "#5c5c5c", "stroke-width": "1.2"})
    lines, size, line_height = node_label(org, t.lang)
    first = node.y + _NODE_H / 2 - (len(lines) - 1) * line_height / 2 + size / 3
    _text(group, node.x + _NODE_W / 2, first, lines, size=size, line_height=line_height,
          anchor="middle")


def node_label(org: Organization, lang: str) -> tuple[list[str], int, float]:
    """A node's label: (lines, font size, line height). The name in the page's language
    and, on a line of its own, the acronym the map's table uses for the organization.

    The first of _NODE_FITS that holds both whole is used, so a long name is written smaller
    rather than cut; a name that fits none is shortened with an ellipsis, never the acronym.
    """
    name = org.name_in(lang)
    own = org.acronym_in(lang)
    acronym = f"({own})" if own and own not in name else ""
    width = _NODE_W - 2 * _NODE_PAD
    for size, line_height, max_lines in _NODE_FITS:
        tail = _wrap(acronym, width, size, 2) if acronym else []
        room = max_lines - len(tail)
        lines = _wrap(name, width, size, room + 1)
        if len(lines) <= room:
            return lines + tail, size, line_height
    # none holds it whole: the smallest size, the name shortened (the last try's tail and room)
    return _wrap(name, width, size, room) + tail, size, line_height


def _draw_legend(svg: ET.Element, top: float, counts: dict[str, int], t: Labels) -> None:
    legend = ET.SubElement(svg, "g", {"class": "sg-map__legend"})
    _text(legend, _GUTTER, top + 13, [t("relationships")], size=13, line_height=_HEADING_LINE,
          bold=True)
    for index, kind in enumerate(RELATIONSHIP_KINDS):
        y = top + 32 + 22 * index
        ET.SubElement(legend, "path", {"d": f"M{_GUTTER} {_num(y)} h44", "fill": "none",
                                       "class": f"sg-legend--{kind}", "data-kind": kind,
                                       **LINE_STYLES[kind]})
        label = f"{t('relationship_' + kind)} ({counts[kind]})"
        _text(legend, _GUTTER + 56, y + 4.5, [label], size=13, line_height=_HEADING_LINE)


# --- bar charts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    detail: str = ""  # what the value counts, for the table beside the chart
    anchor: str = ""  # where the label leads on the chart's index page


@dataclass(frozen=True)
class Chart:
    """One bar chart of the statistics page, labelled in one language."""

    id: str
    title: str
    intro: str
    key_heading: str
    value_heading: str
    bars: tuple[Bar, ...]
    page: str  # the index page the labels link to ('browse/countries')
    detail_heading: str = ""
    colon: str = ": "  # between a label and its value, and between values, in its language
    separator: str = "; "


def statistics(guide: Guide, t: Labels) -> list[Chart]:
    """The guide's figures: cases by country, by challenge, by kind; challenges shared."""
    countries = tuple(Bar(c, t.country(c), len(guide.cases_in(c)), anchor=f"country-{c.lower()}")
                      for c in guide.countries)
    challenges = _by_value(Bar(ch.id, ch.label(t.lang), len(guide.cases_with(ch.id)),
                               anchor=f"challenge-{ch.id}") for ch in guide.used_challenges())
    kinds = tuple(Bar(k, t(f"kinds_{k}"), len(guide.cases_of_kind(k)),
                      anchor=f"kind-{k.replace('_', '-')}") for k in guide.kinds())
    shared = []
    for ch in guide.used_challenges():
        where = [c for c in guide.countries if guide.cases_with(ch.id, c)]
        shared.append(Bar(ch.id, ch.label(t.lang), len(where),
                          ", ".join(t.country(c) for c in where), anchor=f"challenge-{ch.id}"))
    cases = t("number_of_cases")
    charts = [
        Chart("chart-countries", t("chart_countries"), t("chart_countries_intro"),
              t("country"), cases, countries, "browse/countries"),
        Chart("chart-challenges", t("chart_challenges"), t("chart_challenges_intro"),
              t("challenge_name"), cases, challenges, "browse/challenges"),
        Chart("chart-kinds", t("chart_kinds"), t("chart_kinds_intro"), t("kind"), cases, kinds,
              "browse/kinds"),
        Chart("chart-shared", t("chart_shared"), t("chart_shared_intro"), t("challenge_name"),
              t("number_of_countries"), _by_value(shared), "browse/challenges", t("countries")),
    ]
    return [replace(chart, colon=t("colon"), separator=t("list_separator")) for chart in charts]


def _by_value(bars: Iterable[Bar]) -> tuple[Bar, ...]:
    return tuple(sorted(bars, key=lambda b: (-b.value, collation_key(b.label), b.key)))


_BAR_H = 20
_LABEL_SIZE = 14
_LABEL_LINE = 17
_VALUE_ROOM = 44


def bar_chart(chart: Chart) -> Markup:
    """A horizontal bar chart: each label above its bar, the value written after the bar."""
    top = max((bar.value for bar in chart.bars), default=0) or 1
    rows = []
    y = 4.0
    for bar in chart.bars:
        lines = _wrap(bar.label, WIDTH, _LABEL_SIZE, 2)
        rows.append((bar, lines, y))
        y += len(lines) * _LABEL_LINE + _BAR_H + 14
    description = chart.separator.join(f"{bar.label}{chart.colon}{bar.value}" for bar in chart.bars)
    # at most 26rem wide: its labels then print at about the text's size (at 40rem, twice it)
    svg = _svg(chart.id, y, chart.title, f"{chart.value_heading}. {description}.", max_width="26rem")
    for bar, lines, row_top in rows:
        group = ET.SubElement(svg, "g", {"class": "sg-bar", "data-key": bar.key})
        _text(group, 0, row_top + _LABEL_SIZE, lines, size=_LABEL_SIZE, line_height=_LABEL_LINE)
        bar_top = row_top + len(lines) * _LABEL_LINE + 4
        length = (WIDTH - _VALUE_ROOM) * bar.value / top
        ET.SubElement(group, "rect", {"x": "0", "y": _num(bar_top), "width": _num(length),
                                      "height": str(_BAR_H), "fill": BAR_COLOUR,
                                      "data-value": str(bar.value)})
        _text(group, length + 6, bar_top + _BAR_H - 5, [str(bar.value)], size=_LABEL_SIZE,
              line_height=_LABEL_LINE, bold=True)
    return _markup(svg)
