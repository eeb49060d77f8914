"""The contributor reference: every field of the JSON Schema, as rows a contributor can read.

The schema is the one description of the fields (validate.py checks records against it), so the
reference page is generated from it rather than written by hand: it cannot drift from the
checks. Descriptions are the schema's own, in English or from its `x-description` annotation
(Spanish, French). Examples are values taken from the shipped records, never made up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from .labels import Labels, plain_number
from .model import one_line
from .validate import SLUG
from .vocabulary import KIND_ORDER, LANGUAGES

if TYPE_CHECKING:
    from .project import Project

REFERENCE_PAGE = "reference/fields"
SCHEMA_DOWNLOAD = "data/sectorguide.schema.json"  # where the built site publishes the schema
EDITOR_LINE = "# yaml-language-server: $schema=../../schema/sectorguide.schema.json"
LANG = "<lang>"  # stands for a language code in a field's path
ITEM = "[]"  # stands for each item of a list in a field's path
EXAMPLE_LENGTH = 90
_DATE_PATTERN = "^[0-9]{4}"
_URL_PATTERN = "^https?://"


@dataclass(frozen=True)
class Kind:
    """A kind of record file: the schema definition that describes it and where it lives."""

    name: str  # the $defs entry: case, organization, challenge
    label: str  # its heading's key in the label catalog
    folder: str
    record_kinds: tuple[str, ...]  # values of the field 'kind' that select it


KINDS = (
    Kind("case", "cases", "case_studies/cases/", KIND_ORDER),
    Kind("organization", "organizations", "case_studies/organizations/", ("organization",)),
    Kind("challenge", "challenges", "case_studies/challenges/", ("challenge",)),
)


@dataclass(frozen=True)
class FieldSpec:
    """One field as the schema states it, in no language yet."""

    path: tuple[str, ...]  # ("text", LANG, "summary"), ("organizations", ITEM, "role")
    node: dict[str, Any]  # its subschema, $ref resolved
    required: bool  # required within its parent

    @property
    def dotted(self) -> str:
        return dotted(self.path)

    @property
    def shape(self) -> str:
        return _shape(self.node)


@dataclass(frozen=True)
class FieldRow:
    """One line of the reference table, in the page's language."""

    path: str
    anchor: str
    required: bool
    type: str
    values: tuple[str, ...]  # allowed values, shown as code after the type words
    limits: tuple[str, ...]
    description: str
    example: str
    example_is_code: bool
    example_lang: str | None  # language of an example taken from a record's text


@dataclass(frozen=True)
class Section:
    """The fields of one kind of record file."""

    kind: Kind
    description: str
    rows: list[FieldRow]


def dotted(path: Sequence[str]) -> str:
    """A field's path as contributors write it: text.<lang>.summary, organizations[].role."""
    text = ""
    for part in path:
        text += part if part == ITEM or not text else f".{part}"
    return text


def described(node: dict[str, Any], lang: str) -> str:
    """A description in one language: the schema's English, or its x-description translation."""
    english = str(node.get("description", ""))
    if lang == "en":
        return english
    return str(node.get("x-description", {}).get(lang) or english)


def with_code(text: str, **codes: str | Sequence[str]) -> Markup:
    """A label whose {placeholders} become code (a sequence becomes a list of codes), escaped."""
    def code(value: str | Sequence[str]) -> Markup:
        values = [value] if isinstance(value, str) else list(value)
        return Markup(", ").join(Markup("<code>{}</code>").format(v) for v in values)

    return escape(text).format(**{name: code(value) for name, value in codes.items()})


def code_spans(text: str) -> Markup:
    """A schema description with its `backquoted` parts as code, everything escaped."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backquote: show the text as it is
        return escape(text)
    return Markup("").join(Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
                           for i, part in enumerate(parts))


class FieldReference:
    """Every field of every kind of record, with examples from the given records."""

    def __init__(self, schema: dict[str, Any], records: Sequence[dict[str, Any]]) -> None:
        self.schema = schema
        self.records = [r for r in records if isinstance(r, dict)]

    @classmethod
    def from_project(cls, project: Project) -> FieldReference:
        schema = json.loads(project.schema_path.read_text("utf-8"))
        records = [f.data for f in project.validate().files]  # loaded once, remembered
        return cls(schema, [r for r in records if r is not None])

    @cached_property
    def fields(self) -> dict[str, list[FieldSpec]]:
        """The fields of each kind of file, in the schema's order."""
        return {kind.name: list(self._walk(self.schema["$defs"][kind.name], ())) for kind in KINDS}

    def context(self, lang: str) -> dict[str, Any]:
        """What the page template needs, besides the link to the published schema."""
        return {"sections": self.sections(lang), "editor_line": EDITOR_LINE,
                "languages": LANGUAGES, "lang_placeholder": LANG, "item_placeholder": ITEM,
                "with_code": with_code, "code_spans": code_spans}

    def sections(self, lang: str) -> list[Section]:
        """One table per kind of file, worded in the page's language."""
        t = Labels(lang)
        sections = []
        for kind in KINDS:
            records = [r for r in self.records if r.get("kind") in kind.record_kinds]
            rows = [self._row(kind, spec, records, lang, t) for spec in self.fields[kind.name]]
            sections.append(Section(kind, described(self.schema["$defs"][kind.name], lang), rows))
        return sections

    # --- the schema ----------------------------------------------------------------------

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """A subschema with its $ref followed; keywords beside the $ref win."""
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node
        target = self.schema
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        rest = {key: value for key, value in node.items() if key != "$ref"}
        return {**self._resolve(target), **rest}

    def _walk(self, node: dict[str, Any], path: tuple[str, ...]) -> Iterator[FieldSpec]:
        node = self._resolve(node)
        required = set(node.get("required", []))
        properties: dict[str, Any] = node.get("properties", {})
        if _per_language(node):  # en, es, fr share one definition: document it once
            child = self._resolve(next(iter(properties.values())))
            spec = FieldSpec(path + (LANG,), child, required >= set(properties))
            yield spec
            yield from self._walk(child, spec.path)
            return
        for name, sub in properties.items():
            spec = FieldSpec(path + (name,), self._resolve(sub), name in required)
            yield spec
            yield from self._walk(spec.node, spec.path)
        items = node.get("items")
        if isinstance(items, dict) and self._resolve(items).get("properties"):
            yield from self._walk(items, path + (ITEM,))

    # --- one row -------------------------------------------------------------------------

    def _row(self, kind: Kind, spec: FieldSpec, records: list[dict[str, Any]], lang: str,
             t: Labels) -> FieldRow:
        type_words, values = _type_words(spec.node, t)
        example, example_lang = self._example(spec, records, lang)
        prose = spec.shape in ("text", "list:text", "map:text")
        return FieldRow(
            path=spec.dotted, anchor=_anchor(kind.name, spec.path), required=spec.required,
            type=type_words, values=values, limits=_limits(spec.node, t),
            description=described(spec.node, lang), example=example,
            example_is_code=not prose, example_lang=example_lang if prose else None,
        )

    def _example(self, spec: FieldSpec, records: list[dict[str, Any]],
                 lang: str) -> tuple[str, str | None]:
        """The first value a shipped record gives this field, preferring text in the page's
        language; groups of fields get none (their fields have theirs)."""
        if spec.shape in ("group", "by_language", "list:group"):
            return "", None
        passes = [lang, None] if LANG in spec.path else [None]
        for wanted in passes:
            for record in records:
                for value, found_lang in _values(record, spec.path, wanted):
                    if value not in (None, "", [], {}):
                        return _example_text(value), found_lang
        return "", None


def _per_language(node: dict[str, Any]) -> bool:
    properties = node.get("properties", {})
    refs = {p.get("$ref") for p in properties.values() if isinstance(p, dict)}
    return (len(properties) > 1 and set(properties) <= set(LANGUAGES)
            and len(refs) == 1 and None not in refs)


def _shape(node: dict[str, Any]) -> str:
    """What a field holds, in one word: text, identifier, date, one_of, group, list:text..."""
    if "enum" in node:
        return "one_of"
    if "const" in node:
        return "const"
    types = node.get("type")
    pattern = str(node.get("pattern", ""))
    if pattern.startswith(_DATE_PATTERN):
        return "date"
    if types == "string":
        if pattern == SLUG.pattern:
            return "identifier"
        return "url" if pattern.startswith(_URL_PATTERN) else "text"
    if types in ("number", "integer"):
        return str(types)
    if types == "array":
        return "list:" + _shape(node.get("items", {}))
    if types == "object" or "properties" in node:
        if _per_language(node):
            return "by_language"
        extra = node.get("additionalProperties")
        if not node.get("properties") and isinstance(extra, dict):
            return "map:" + _shape(extra)
        return "group"
    return "text"


def _type_words(node: dict[str, Any], t: Labels) -> tuple[str, tuple[str, ...]]:
    shape = _shape(node)
    if shape == "one_of":
        return t("ref_type_one_of"), tuple(str(v) for v in node["enum"])
    if shape == "const":
        return t("ref_type_const"), (str(node["const"]),)
    if shape == "list:one_of":
        return t("ref_type_list_one_of"), tuple(str(v) for v in node["items"]["enum"])
    return t("ref_type_" + shape.replace(":", "_")), ()


def _limits(node: dict[str, Any], t: Labels, *, each: bool = False) -> tuple[str, ...]:
    """The schema's limits on a value, in words; a list's or map's items get 'each: ...'."""
    found: list[str] = []
    if node.get("minLength", 0) == 1:
        found.append(t("ref_limit_not_empty"))
    elif node.get("minLength", 0) > 1:
        found.append(t("ref_limit_min_length", n=node["minLength"]))
    if "maxLength" in node:
        found.append(t("ref_limit_max_length", n=node["maxLength"]))
    if "minimum" in node and "maximum" in node:
        key = "ref_limit_years" if _shape(node) == "date" else "ref_limit_range"
        found.append(t(key, min=node["minimum"], max=node["maximum"]))
    if node.get("minItems", 0) == 1:
        found.append(t("ref_limit_min_items_one"))
    elif node.get("minItems", 0) > 1:
        found.append(t("ref_limit_min_items", n=node["minItems"]))
    if "maxItems" in node:
        found.append(t("ref_limit_max_items", n=node["maxItems"]))
    if node.get("uniqueItems"):
        found.append(t("ref_limit_unique"))
    if node.get("minProperties", 0) >= 1:
        one = node["minProperties"] == 1 and _per_language(node)
        found.append(t("ref_limit_min_one_language") if one
                     else t("ref_limit_min_entries", n=node["minProperties"]))
    if each:
        return tuple(t("ref_limit_each", limit=limit) for limit in found)
    for inner in (node.get("items"), node.get("additionalProperties")):
        if isinstance(inner, dict) and not inner.get("properties"):
            found.extend(_limits(inner, t, each=True))
    return tuple(found)


def _anchor(kind: str, path: tuple[str, ...]) -> str:
    words = [re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in path]
    return "-".join(["field", kind, *[w for w in words if w]])


def _values(data: Any, path: tuple[str, ...], lang: str | None,
            found_lang: str | None = None) -> Iterator[tuple[Any, str | None]]:
    """Every value a record holds at a path, with the language of the text it came from."""
    if not path:
        yield data, found_lang
        return
    part, rest = path[0], path[1:]
    if part == ITEM:
        for item in data if isinstance(data, list) else []:
            yield from _values(item, rest, lang, found_lang)
    elif part == LANG:
        if isinstance(data, dict):
            for code in [lang] if lang else list(data):
                if code in data:
                    yield from _values(data[code], rest, lang, code)
    elif isinstance(data, dict) and part in data:
        yield from _values(data[part], rest, lang, found_lang)


def _example_text(value: Any) -> str:
    """A record's value as a contributor would write it in YAML, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return plain_number(value)  # written as in YAML: a contributor copies it
    if isinstance(value, dict):
        key, first = next(iter(value.items()))
        return _shorten(f"{key}: {_example_text(first)}")
    if isinstance(value, list):
        if all(isinstance(v, (str, int, float)) and len(str(v)) <= 30 for v in value):
            shown = ", ".join(_example_text(v) for v in value[:5])
            return f"[{shown}{', …' if len(value) > 5 else ''}]"
        return "- " + _example_text(value[0])
    return _shorten(str(value))


def _shorten(text: str) -> str:
    text = one_line(text)
    if len(text) <= EXAMPLE_LENGTH:
        return text
    return text[:EXAMPLE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + " …"
