"""Property-based tests: whatever a file holds, the answer is records or clean problems.

(a) arbitrary bytes reach the loader; (b) arbitrary YAML, dumped from random data and then
damaged (anchors, aliases, tags, tabs, brackets), reaches the loader and the validator;
(c) arbitrary records made from the schema's own vocabulary, with text full of markup and
template syntax, reach the validator and, when valid, the model, the renderer and Markdown:
nothing raises, and no text turns into a script or an event handler.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sectorguide.load import RecordFile, load_record_file
from sectorguide.model import build_guide
from sectorguide.pdf import Edition, render_print_html
from sectorguide.problems import problem_catalog
from sectorguide.render import render_guide
from sectorguide.validate import RecordSchema, validate

from .conftest import REPO

SCHEMA = RecordSchema.from_file(REPO / "schema" / "sectorguide.schema.json")
CASE_PROPERTIES = SCHEMA.schema["$defs"]["case"]["properties"]
KNOWN_CODES = set(problem_catalog())
# Every example writes one file; a module-wide folder (not a function-scoped fixture, which
# Hypothesis would share between examples) keeps them out of the repository.
_counter = itertools.count()


def shipped(kind_folder: str) -> list[RecordFile]:
    folder = REPO / "case_studies" / kind_folder
    return [load_record_file(p, f"case_studies/{kind_folder}/{p.name}")
            for p in sorted(folder.glob("*.yaml"))]


ORGANIZATIONS = shipped("organizations")
CHALLENGES = shipped("challenges")
ORGANIZATION_IDS = sorted(f.stem for f in ORGANIZATIONS)
CHALLENGE_IDS = sorted(f.stem for f in CHALLENGES)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def write(folder: Path, content: bytes, stem: str | None = None) -> Path:
    path = folder / f"{stem or 'record'}-{next(_counter)}" / f"{stem or 'record'}.yaml"
    path.parent.mkdir()
    path.write_bytes(content)
    return path


def assert_clean(record: RecordFile) -> None:
    """Data or problems; every problem placed at a real position, with a known code."""
    assert record.data is not None or record.problems
    assert record.data is None or isinstance(record.data, dict)
    for problem in record.problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.code in KNOWN_CODES, problem
        assert problem.message("en") and problem.message("es") and problem.message("fr")


# --- (a) arbitrary bytes -----------------------------------------------------------------------

YAMLISH_BYTES = st.lists(st.sampled_from([
    b"id: x\n", b"kind: pilot_project\n", b"text:\n  en:\n", b"    title: ", b"- ", b"[", b"]",
    b"{", b"}", b"&a ", b"*a", b"!!python/object:os.system ", b"\t", b"\x00", b"\xff", b"\xc3",
    b"\xef\xbb\xbf", b"\r\n", b"'", b'"', b"\\", b"---\n", b"%TAG ! x\n", b"? ", b": ", b"#",
]), max_size=40).map(b"".join)


@settings(max_examples=300, deadline=2000)
@given(content=st.one_of(st.binary(max_size=3000), YAMLISH_BYTES,
                         st.text(max_size=500).map(lambda t: t.encode("utf-8")),
                         st.text(max_size=200).map(lambda t: t.encode("utf-16"))))
def test_any_bytes_give_data_or_clean_problems(folder: Path, content: bytes) -> None:
    path = write(folder, content)
    assert_clean(load_record_file(path, "record.yaml"))


# --- (b) arbitrary YAML, then damaged ---------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=25)
FIELDS = sorted(set(SCHEMA.schema["properties"]) | set(CASE_PROPERTIES) | {"name", "type"})
RECORD_LIKE = st.fixed_dictionaries(
    {"kind": st.sampled_from(["pilot_project", "sector_council_practice", "organization",
                              "challenge", "pilot"])},
    optional={name: VALUES for name in FIELDS if name != "kind"})
DAMAGE = ["&a ", "*a", "&b [*a, *a]", "!!python/object:os.system ", "!foo ", "!!binary ", "!!int ",
          "!!float ", "!!bool ", "!!timestamp ", "!!null ", "!!str ", "!!set ", "\t",
          "[", "]", "{", "}", "- ", "? ", ": ", "<<: *a\n", "---\n", "...\n", "%TAG ! x\n", "'",
          '"', "\\", "\n", "#", "|", ">-\n", "\ufeff", "\x00", "\x1b", "\u2028", "  ", ",", "@",
          "`", "%", "*", "&"]


@settings(max_examples=400, deadline=2000)
@given(value=st.one_of(VALUES, RECORD_LIKE), flow=st.booleans(), data=st.data())
def test_any_yaml_even_damaged_gives_data_or_clean_problems(folder: Path, value: Any, flow: bool,
                                                          data: st.DataObject) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    for _ in range(data.draw(st.integers(0, 6), label="damages")):
        # anywhere, or where a value starts (where a tag or an anchor means the most)
        starts = [m.end() for m in re.finditer(r": |- |\[|, ", text)] or [0]
        at = data.draw(st.one_of(st.integers(0, len(text)), st.sampled_from(starts)), label="at")
        text = text[:at] + data.draw(st.sampled_from(DAMAGE), label="damage") + text[at:]
    record = load_record_file(write(folder, text.encode("utf-8")), "record.yaml")
    assert_clean(record)
    result = validate([record], SCHEMA)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.code in KNOWN_CODES, problem


# --- (c) records made of the schema's vocabulary ----------------------------------------------

# Text the validator accepts, though it looks like markup, templates or Markdown...
ACCEPTED = ["<", ">", "&", "&amp;", "&#34;", "&lt;script&gt;", '"', "'", "{{ config }}",
            "{{ config.extra }}", "{% raw %}", "{% for x in y %}", "{#", "}}", "%}",
            "{: onclick=alert(1) }", '{: onclick="alert(1)" }', "*em*{:onclick=alert(1)}",
            "[x](//evil.example)", "![i](//evil.example/t.png)", "https://example.org/a?b=1&c=2",
            "#", "# ", "\n", "\n\n", "```", "```{ onclick=alert(1) }", "~~~{: onfocus=alert(1) }",
            "\n```{ onclick=alert(1) }\nx\n```\n", "\n~~~ {: #x onfocus=alert(1) }\n~~~\n",
            "    ", "\t", "- ", "| a |", "!!! note", "\u202e", "\u2028", "onclick=alert(1)",
            " onmouseover=", "java&#115;cript:", "Año", "été", "—"]
# ... and text it refuses.
REFUSED = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p>", "<b>",
           "[x](javascript:alert(1))", "javascript:", "data:text/html,x", "\x00", "\x85"]
WORDS = st.text(alphabet=string.ascii_letters + " .,", max_size=12)
ACCEPTED_TEXT = st.lists(st.one_of(st.sampled_from(ACCEPTED), WORDS), min_size=1,
                         max_size=8).map("".join)
ANY_TEXT = st.lists(st.one_of(st.sampled_from(ACCEPTED + REFUSED), WORDS), min_size=1,
                    max_size=8).map("".join)
SLUGS = st.lists(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8),
                 min_size=1, max_size=4).map("-".join)
LANGS = ("en", "es", "fr")


@st.composite
def case_records(draw: st.DrawFn) -> dict[str, Any]:
    """A case built from the schema's words, with text that tests escaping: one in four may
    hold text the validator refuses, the others are mostly valid and get rendered."""
    prose = ANY_TEXT if draw(st.integers(0, 3)) == 0 else ACCEPTED_TEXT
    lang = draw(st.sampled_from(LANGS))
    organizations = draw(st.lists(st.sampled_from(ORGANIZATION_IDS), max_size=3, unique=True))
    indicator_keys = draw(st.lists(SLUGS, max_size=2, unique=True))
    text: dict[str, Any] = {"title": draw(prose), "summary": draw(prose)}
    for name in ("context", "challenge", "approach", "results", "replication"):
        if draw(st.booleans()):
            text[name] = draw(prose)
    if draw(st.booleans()):
        text["lessons"] = draw(st.lists(prose, min_size=1, max_size=2))
    if draw(st.booleans()) and organizations:
        text["roles"] = {org: draw(prose) for org in organizations}
    if indicator_keys:
        text["indicators"] = {key: draw(prose) for key in indicator_keys}
    record: dict[str, Any] = {
        "id": "gen-" + draw(SLUGS),
        "kind": draw(st.sampled_from(CASE_PROPERTIES["kind"]["enum"])),
        "original_language": lang,
        "countries": draw(st.lists(st.sampled_from(CASE_PROPERTIES["countries"]["items"]["enum"]),
                                   min_size=1, max_size=3, unique=True)),
        "sector": draw(st.sampled_from(CASE_PROPERTIES["sector"]["enum"])),
        "challenges": draw(st.lists(st.sampled_from(CHALLENGE_IDS), min_size=1, max_size=3,
                                    unique=True)),
        "status": draw(st.sampled_from(CASE_PROPERTIES["status"]["enum"])),
        "curation": draw(st.sampled_from(CASE_PROPERTIES["curation"]["enum"])),
        "organizations": [{"id": org, "role": draw(st.sampled_from(
            CASE_PROPERTIES["organizations"]["items"]["properties"]["role"]["enum"]))}
            for org in organizations],
        "indicators": [{"key": key, "value": draw(st.integers(0, 10**6))} for key in indicator_keys],
        "sources": draw(st.lists(st.fixed_dictionaries(
            {"title": prose}, optional={"publisher": prose,
                                        "url": st.sampled_from(["https://example.org/x?a=1&b=2",
                                                                "http://example.org/'\"&{{x}}"])}),
            max_size=2)),
        "text": {lang: text},
    }
    if draw(st.booleans()):
        start = draw(st.integers(1990, 2030))
        record["period"] = {"start": start, "end": draw(st.integers(start, 2031))}
    return record


class _Active(HTMLParser):
    """Script and event handlers in rendered HTML (the text of the page is not looked at)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "form", "img"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.found.append(f"{value} in <{tag}>")


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    parser.close()
    return parser.found


def as_mkdocs_would(page: str) -> str:
    """A generated page through Python-Markdown as MkDocs runs it: MkDocs always adds toc,
    tables and fenced_code; mkdocs.yml adds admonition and attr_list."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    converter = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "admonition",
                                              "attr_list"])
    return str(converter.convert(body))


def rendered(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every page of a guide holding the record (and the shipped organizations and
    challenges), after Markdown, and the print HTML of the record's language."""
    documents = [(f"case_studies/cases/{record['id']}.yaml", record)]
    documents += [(f.display, f.data) for f in ORGANIZATIONS + CHALLENGES if f.data]
    guide = build_guide(documents)
    for page in render_guide(guide):
        yield page.path, as_mkdocs_would(page.content)
    lang = record["original_language"]
    yield f"print-{lang}", render_print_html(guide, [], lang, Edition("2025-01-01", "test"))


@settings(max_examples=100, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(record=case_records())
def test_any_record_validates_and_valid_ones_render_without_active_content(
        folder: Path, record: dict[str, Any]) -> None:
    # too_slow: each example builds a record of a dozen drawn parts, text made of fragments.
    content = yaml.safe_dump(record, allow_unicode=True, sort_keys=False).encode("utf-8")
    loaded = load_record_file(write(folder, content, record["id"]), f"{record['id']}.yaml")
    assert_clean(loaded)
    result = validate([loaded, *ORGANIZATIONS, *CHALLENGES], SCHEMA)
    for problem in result.problems:
        assert problem.code in KNOWN_CODES and problem.line >= 1 and problem.column >= 1
    event("valid" if result.ok else "invalid")
    if not result.ok:
        return
    assert loaded.data is not None
    for path, html in rendered(loaded.data):
        assert not active_content(html), (path, active_content(html))
