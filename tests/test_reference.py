"""The contributor reference page, built for real from the JSON Schema, in three languages.

The schema is walked here on its own, without reference.py, so that a field the page leaves
out, a wrong required mark or a missing translation is caught.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jsonschema
import jsonschema_rs
import pytest
import yaml
from sectorguide.build import build_site
from sectorguide.labels import Labels
from sectorguide.project import Project
from sectorguide.vocabulary import KIND_ORDER, LANGUAGES

from .conftest import REPO, commit_all, copy_project

SCHEMA: dict[str, Any] = json.loads((REPO / "schema" / "sectorguide.schema.json").read_text("utf-8"))
KINDS = ("case", "organization", "challenge")
PREFIX = {"en": "", "es": "es/", "fr": "fr/"}
SITE = "https://guide.example/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("reference") / "guide")
    commit_all(root)
    project = Project(root)
    build_site(project, pdf_languages=())
    return project.site_dir


def page(site: Path, lang: str, path: str = "reference/fields") -> str:
    return (site / PREFIX[lang] / path / "index.html").read_text("utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


# --- the schema, walked independently ----------------------------------------------------


def described_nodes(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object that has a description (a property named 'description' is a
    subschema, not a description, and is walked into)."""
    if isinstance(node, dict):
        if isinstance(node.get("description"), str) or "x-description" in node:
            yield pointer, node
        for key, value in node.items():
            yield from described_nodes(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from described_nodes(value, f"{pointer}/{index}")


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in node:
        return node
    target = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return {**resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}


def schema_fields(kind: str) -> dict[str, tuple[dict[str, Any], bool]]:
    """Dotted path -> (subschema, required in its parent); language keys become <lang>."""
    fields: dict[str, tuple[dict[str, Any], bool]] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = resolve(node)
        for name, sub in node.get("properties", {}).items():
            path = f"{prefix}.{'<lang>' if name in LANGUAGES else name}".lstrip(".")
            fields.setdefault(path, (resolve(sub), name in node.get("required", [])))
            walk(sub, path)
        if isinstance(node.get("items"), dict):
            walk(node["items"], prefix + "[]")

    walk(SCHEMA["$defs"][kind], "")
    return fields


# --- the page, read back ------------------------------------------------------------------


class FieldTables(HTMLParser):
    """The reference tables of a page: kind -> rows -> cells (text, <br> as a newline)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.cell_langs: dict[tuple[str, str], str | None] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and (attributes.get("id") or "").startswith("fields-"):
            self._table = str(attributes["id"]).removeprefix("fields-")
            self.tables[self._table] = []
        elif self._table and tag == "tr":
            self._row = []
        elif self._row is not None and tag == "td":
            self._cell, self._lang = [], attributes.get("lang")
        elif self._cell is not None and tag == "br":
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._table and self._row:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "td" and self._row is not None and self._cell is not None:
            text = "".join(self._cell).strip()
            self._row.append(text)
            if len(self._row) == 4:
                self.cell_langs[(self._table or "", self._row[0].split("\n")[0])] = self._lang
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def field_tables(html: str) -> FieldTables:
    parser = FieldTables()
    parser.feed(html)
    return parser


def rows_by_path(tables: FieldTables, kind: str) -> dict[str, list[str]]:
    return {row[0].split("\n")[0]: row for row in tables.tables[kind]}


# --- tests ----------------------------------------------------------------------------------


def test_every_description_in_the_schema_has_spanish_and_french() -> None:
    nodes = list(described_nodes(SCHEMA))
    assert len(nodes) > 50
    for pointer, node in nodes:
        assert isinstance(node.get("description"), str), f"{pointer}: x-description without description"
        translations = node.get("x-description")
        assert isinstance(translations, dict), f"{pointer}: no x-description"
        assert set(translations) == {"es", "fr"}, pointer
        for lang in ("es", "fr"):
            assert isinstance(translations[lang], str) and translations[lang].strip(), (pointer, lang)


def test_the_schema_and_the_guide_know_the_same_kinds_of_case() -> None:
    """Every kind a record may declare as a case is one the guide shows (its order, labels and
    sections come from KIND_ORDER), and the record's kind field offers each of them."""
    case_kinds = SCHEMA["$defs"]["case"]["properties"]["kind"]["enum"]
    assert case_kinds == list(KIND_ORDER)
    assert SCHEMA["properties"]["kind"]["enum"] == [*KIND_ORDER, "organization", "challenge"]
    for kind in KIND_ORDER:
        labels = Labels("en")
        assert labels(f"kind_{kind}") and labels(f"kinds_{kind}") and labels(f"replication_{kind}")


def test_both_validators_accept_the_annotated_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert jsonschema_rs.meta.is_valid(SCHEMA)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_field_of_the_schema_is_on_the_page_with_its_description(site: Path,
                                                                       lang: str) -> None:
    tables = field_tables(page(site, lang))
    assert set(tables.tables) == set(KINDS)
    for kind in KINDS:
        expected = schema_fields(kind)
        rows = rows_by_path(tables, kind)
        assert sorted(rows) == sorted(expected), kind
        assert len(tables.tables[kind]) == len(expected), f"{kind}: a field is listed twice"
        for path, (node, _) in expected.items():
            wanted = node["description"] if lang == "en" else node["x-description"][lang]
            assert words(rows[path][2]) == words(wanted.replace("`", "")), (kind, path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_required_fields_are_marked_required(site: Path, lang: str) -> None:
    t = Labels(lang)
    tables = field_tables(page(site, lang))
    for kind in KINDS:
        rows = rows_by_path(tables, kind)
        for path, (_, required) in schema_fields(kind).items():
            mark = rows[path][0].split("\n")[1].strip()
            assert mark == t("reference_required" if required else "reference_optional"), path
    case = rows_by_path(tables, "case")
    assert case["text.<lang>.title"][0].endswith(t("reference_required"))
    assert case["text.<lang>.lessons"][0].endswith(t("reference_optional"))


def shipped_values() -> set[str]:
    """Every value of the shipped records as the page may show it: scalars, short lists
    written inline, and one entry of a mapping as 'key: value'."""
    values: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                collect(inner)
                if isinstance(inner, (str, int, float)):
                    values.add(words(f"{key}: {inner}"))
        elif isinstance(value, list):
            for inner in value:
                collect(inner)
            values.add("[" + ", ".join(str(v) for v in value) + "]")
        else:
            values.add(words(str(value)))

    for path in sorted((REPO / "case_studies").rglob("*.yaml")):
        collect(yaml.safe_load(path.read_text("utf-8")))
    return values


@pytest.mark.parametrize("lang", LANGUAGES)
def test_examples_are_real_values_of_shipped_records(site: Path, lang: str) -> None:
    values = shipped_values()
    tables = field_tables(page(site, lang))
    shown = 0
    for kind in KINDS:
        for row in tables.tables[kind]:
            example = words(row[3]).removeprefix("- ")
            if example == Labels(lang)("none"):
                continue
            shown += 1
            if "…" in example:
                start = example.split("…")[0].rstrip(", ").strip()
                assert any(v.startswith(start) for v in values), (kind, row[0], example)
            else:
                assert example in values, (kind, row[0], example)
    assert shown > 40


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_examples_are_in_the_page_language_when_a_record_has_it(site: Path,
                                                                      lang: str) -> None:
    tables = field_tables(page(site, lang))
    example = words(rows_by_path(tables, "case")["text.<lang>.title"][3])
    titles = {words(data["text"][lang]["title"])
              for path in (REPO / "case_studies" / "cases").glob("*.yaml")
              for data in [yaml.safe_load(path.read_text("utf-8"))] if lang in data["text"]}
    assert titles, f"no shipped case has a {lang} text"
    assert any(title.startswith(example.removesuffix(" …")) for title in titles), example
    assert tables.cell_langs[("case", "text.<lang>.title")] is None  # same language as the page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_gives_the_editor_line_and_links_the_published_schema(site: Path, lang: str) -> None:
    html = page(site, lang)
    assert "# yaml-language-server: $schema=../../schema/sectorguide.schema.json" in html
    base = SITE + PREFIX[lang] + "reference/fields/"
    hrefs = [urljoin(base, h) for h in _hrefs(html)]
    assert SITE + "data/sectorguide.schema.json" in hrefs
    published = json.loads((site / "data" / "sectorguide.schema.json").read_text("utf-8"))
    assert published == SCHEMA


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contribute_chapter_links_to_the_reference_in_its_language(site: Path, lang: str) -> None:
    html = page(site, lang, "contribute")
    base = SITE + PREFIX[lang] + "contribute/"
    target = SITE + PREFIX[lang] + "reference/fields/"
    article = html.split("<article", 1)[1]
    assert target in [urljoin(base, h) for h in _hrefs(article)]


def _hrefs(html: str) -> list[str]:
    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            href = dict(attrs).get("href")
            if tag == "a" and href:
                self.found.append(href)

    links = Links()
    links.feed(html)
    return links.found
