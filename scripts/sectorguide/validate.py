"""Stage 2, validate: schema first, then the checks across fields and across records.

Every check adds problems to one list; none stops the others. The JSON Schema file is the
single description of the fields; this module only turns its verdicts into problems a
contributor can act on, and adds what a schema cannot say (dates that exist, references,
translations, markup in text).
"""

from __future__ import annotations

import calendar
import difflib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources
from itertools import chain, islice
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from .labels import country_code, language_named, value_named
from .load import Location, RecordFile, translation_name
from .problems import Problem, problem_texts
from .revision import TRANSLATED_FROM, revision_in_yaml, text_revision
from .vocabulary import KIND_ORDER as CASE_KINDS
from .vocabulary import LANGUAGES
from .yaml_syntax import quoted
from .yamlread import load_catalog

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Markup as HTML reads it: "<" right before a tag name (or "</", "<!--"). An opening tag holds
# no attributes or at least one "name=value": "a<b and c>d" and "3 < 5 and 7 > 2" are prose.
_HTML_TAG = re.compile(r"<!--|</[A-Za-z][A-Za-z0-9-]*\s*>"
                       r"|<[A-Za-z][A-Za-z0-9-]*(?:\s*/?>|[\s/][^<>=]*=[^<>]*>)")
# C0 and C1 control characters other than tab and line breaks: YAML lets "\0" or "\e" escapes
# put them in a quoted value, yet they cannot be shown, and break the XML of feeds and figures.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A data: address is a media type then "," or ";" ("data:text/html,..."): "the survey data:
# women/men ratio" is prose.
_ACTIVE_SCHEME = re.compile(r"(?i)\b(javascript|vbscript)\s*:|\b(data)\s*:\s*[a-z]+/[a-z0-9.+-]+\s*[;,]")
MAX_PROBLEMS_PER_FILE = 100
_FOLDERS = {"organization": "case_studies/organizations/", "challenge": "case_studies/challenges/",
            "case": "case_studies/cases/"}


def _ecma_pattern(validator: Any, pattern: str, instance: Any,
                  schema: dict[str, Any]) -> Iterator[jsonschema.ValidationError]:
    """JSON Schema patterns are ECMA-262 regular expressions, in which `$` matches only at the
    very end; Python's `$` also matches before a final newline, which would let an id or a
    date followed by a newline through the detailed check that the fast one (jsonschema-rs)
    refuses, leaving a record that fails with no problem to show for it."""
    if not validator.is_type(instance, "string"):
        return
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    if not re.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_TYPE = jsonschema.Draft202012Validator.VALIDATORS["type"]


def _finite_type(validator: Any, types: Any, instance: Any,
                 schema: dict[str, Any]) -> Iterator[jsonschema.ValidationError]:
    """JSON has no infinite or not-a-number values, which YAML reads from `.inf`, `.nan` or
    `1.0e+400`: the fast check (jsonschema-rs) refuses them as numbers, and so does the detailed
    one, or such a record would fail with no problem to show (and crash the pages' numbers)."""
    found = False
    for error in _TYPE(validator, types, instance, schema):
        found = True
        yield error
    if not found and isinstance(instance, float) and not math.isfinite(instance):
        yield jsonschema.ValidationError(f"{instance!r} is not a finite number", validator="finite")


_DetailedValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                                  {"pattern": _ecma_pattern, "type": _finite_type})


class RecordSchema:
    """The JSON Schema of records, with a fast yes/no check and a detailed one for failures."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._fast = jsonschema_rs.validator_for(schema)
        self._detailed = _DetailedValidator(schema)

    @classmethod
    def from_file(cls, path: Path) -> RecordSchema:
        return cls(json.loads(path.read_text("utf-8")))

    def errors(self, data: Any,
               kinds: tuple[str, ...] = ()) -> list[jsonschema.ValidationError]:
        """The schema's verdicts on a record; `kinds`, those its folder holds (all when
        empty), are the ones it is checked as when its own kind is missing or unknown."""
        if self._fast.is_valid(data):
            return []
        found: Iterator[jsonschema.ValidationError] = self._detailed.iter_errors(data)
        if isinstance(data, dict) and "kind" not in data:
            # Without a kind every kind's fields would be asked for at once: say only that
            # the kind is missing (and what is wrong at the top), the rest once it is known.
            found = (e for e in found if not e.relative_schema_path
                     or e.relative_schema_path[0] != "allOf")
        guess = self._closest_kind(data, kinds) or self._likely_kind(data, kinds)
        if guess:  # an unknown or missing kind hid every other field: check them as the likely kind
            found = chain(found, (e for e in self._detailed.iter_errors({**data, "kind": guess})
                                  if tuple(e.absolute_path) != ("kind",)))
        # Each error gives at least one problem, and no more are reported than that.
        return list(islice(found, MAX_PROBLEMS_PER_FILE + 1))

    def _likely_kind(self, data: Any, kinds: tuple[str, ...]) -> str:
        """Without a kind, the first kind of its folder, or else the kind whose fields the
        record has most of (none when it is unclear): its other problems are not left for a
        second run."""
        if not isinstance(data, dict) or "kind" in data:
            return ""
        if kinds:
            return kinds[0]
        defs = self.schema["$defs"]
        fields = {"pilot_project": defs["case"]["properties"],
                  "organization": defs["organization"]["properties"],
                  "challenge": defs["challenge"]["properties"]}
        shared = set.intersection(*(set(f) for f in fields.values()))
        scores = sorted(((len((set(data) & set(f)) - shared), kind) for kind, f in fields.items()),
                        reverse=True)
        (best, kind), (second, _) = scores[0], scores[1]
        return kind if best > second else ""

    def _closest_kind(self, data: Any, kinds: tuple[str, ...]) -> str:
        """For an unknown kind, the kind it was likely meant as: among its folder's kinds
        (the first of them when none is close), or among all."""
        every = [str(k) for k in self.schema["properties"]["kind"]["enum"]]
        kind = data.get("kind") if isinstance(data, dict) else None
        if not isinstance(kind, str) or kind in every:
            return ""
        return closest(kind, list(kinds)) or kinds[0] if kinds else closest(kind, every)

    def requires(self, kind: str, location: Location) -> bool:
        """Whether the schema requires the text at this location of a record of this kind:
        a field of the record, of one of its lists' items, or of its text in a language."""
        group = "case" if kind in CASE_KINDS else kind
        if group not in self._required:
            return False
        if len(location) == 1:
            return location[0] in self._required[group][""]
        if len(location) == 3 and isinstance(location[2], str):
            return location[2] in self._required[group].get(str(location[0]), frozenset())
        return False

    @cached_property
    def _required(self) -> dict[str, dict[str, frozenset[str]]]:
        """For each kind of record, the fields its schema requires: at the top (""), in its
        text in a language ("text"), in the items of its lists (by the list's name)."""
        defs = self.schema["$defs"]
        found: dict[str, dict[str, frozenset[str]]] = {}
        for group in ("case", "organization", "challenge"):
            own = defs[group]
            found[group] = {"": frozenset(own.get("required", [])),
                            "text": frozenset(defs[f"{group}_text"].get("required", []))}
            for name, field in own.get("properties", {}).items():
                items = field.get("items", {}) if isinstance(field, dict) else {}
                if "required" in items:
                    found[group][name] = frozenset(items["required"])
        return found

    @cached_property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.schema["$defs"]["case"]["properties"]["original_language"]["enum"])


@dataclass
class Validation:
    """The outcome of validating a set of files: every file and every problem found."""

    files: list[RecordFile]
    problems: list[Problem]
    chapters: int = 0  # chapters whose front matter was checked too

    @property
    def checked(self) -> int:
        """How many files were checked: the records and the chapters."""
        return len(self.files) + self.chapters

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(files: list[RecordFile], schema: RecordSchema,
             own: dict[str, list[Problem]] | None = None) -> Validation:
    """Check every loaded file alone (unless `own` already holds each file's own problems,
    found by check_file in another process), then all of them together."""
    problems: list[Problem] = []
    for record in files:
        problems.extend(own[record.display] if own is not None else check_file(record, schema))
    problems.extend(_cross_record_problems(files))
    # a file whose id another file is named after is told to take its own id: not also to be
    # renamed after the taken one
    taken = {problem.file for problem in problems if problem.code == "taken-id"}
    problems = [problem for problem in problems
                if not (problem.code == "id-mismatch" and problem.file in taken)]
    problems.sort(key=Problem.sort_key)
    return Validation(files, _unique(problems))


def check_file(record: RecordFile, schema: RecordSchema) -> list[Problem]:
    """One file's own problems, the first MAX_PROBLEMS_PER_FILE of them: a hostile file with
    thousands of wrong fields is answered in a moment, and nobody reads the ten-thousandth."""
    found: Iterator[Problem] = iter(record.problems)
    # a translation in a file of its own is told once, in _cross_record_problems
    if record.data is not None and not translation_name(record.stem):
        found = chain(found, _schema_problems(record, schema), _field_problems(record, schema))
    kept = list(islice(found, MAX_PROBLEMS_PER_FILE + 1))
    if len(kept) > MAX_PROBLEMS_PER_FILE:
        first_left_out = kept.pop()
        kept.append(Problem(record.display, first_left_out.line, first_left_out.column,
                            "too-many-problems", {"limit": MAX_PROBLEMS_PER_FILE}))
    return kept


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    result = []
    for problem in problems:
        key = (problem.file, problem.line, problem.column, problem.code, repr(problem.params))
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


# --- schema -------------------------------------------------------------------------------


# The kinds of record each folder of case_studies/ holds
_FOLDER_KINDS = {"cases": CASE_KINDS, "organizations": ("organization",),
                 "challenges": ("challenge",)}


def folder_kinds(record: RecordFile) -> tuple[str, ...]:
    """The kinds a record's folder holds (case_studies/cases/: the kinds of case); none when
    it is in another folder."""
    return tuple(_FOLDER_KINDS.get(record.path.parent.name, ()))


def _schema_problems(record: RecordFile, schema: RecordSchema) -> Iterator[Problem]:
    for error in schema.errors(record.data, folder_kinds(record)):
        yield from _explain(record, error, schema)


def _field_name(location: Location) -> str:
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "record"


def _description(subschema: Any) -> dict[str, str] | str:
    """A field's description in every language the schema has it in (x-description)."""
    if not isinstance(subschema, dict) or "description" not in subschema:
        return ""
    translations = subschema.get("x-description")
    return {"en": str(subschema["description"]),
            **(translations if isinstance(translations, dict) else {})}


def _explain(record: RecordFile, error: jsonschema.ValidationError,
             schema: RecordSchema) -> Iterator[Problem]:
    """Turn one schema verdict into problems that name the field, the value and the fix."""
    location: Location = tuple(error.absolute_path)
    field = _field_name(location)
    keyword = error.validator
    value = error.instance
    sub = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "required":
        properties = sub.get("properties", {})
        for name in error.validator_value:
            if isinstance(value, dict) and name not in value:
                description = _description(properties.get(name))
                if not location and name == "kind":  # the kinds its folder holds
                    description = _with_kinds(description, folder_kinds(record) or tuple(
                        properties.get("kind", {}).get("enum", [])))
                yield record.problem(location, "missing-field", field=_field_name(location + (name,)),
                                     key=name, where=_inside(location), description=description)
    elif keyword == "additionalProperties":
        allowed = sorted(sub.get("properties", {}))
        for name in value:
            if name not in allowed:
                # under text, a language written as its name ("español", "sp"): its code
                named = language_named(name) if location == ("text",) else ""
                yield record.problem(location + (name,), "unknown-field", at_key=True, field=name,
                                     where=field if location else "record", allowed=allowed,
                                     suggestion=closest(name, allowed) or named)
    elif keyword in ("type", "enum", "const") and value is None:  # `summary:` with nothing after it
        yield from _nothing(record, location, error, schema)
    elif keyword == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, str) else expected[0]
        written = record.plain_scalar(location) if expected == "string" else None
        line = record.written(location) if expected == "string" else None
        if written and not isinstance(value, (list, dict)):  # `acronym: ON`, `title: 2022`
            yield record.problem(location, "unquoted-text", field=field, written=written,
                                 found=_json_type(value), key=str(location[-1]))
        elif (line and isinstance(value, dict) and len(value) == 1 and ": " in line
              and not line.startswith("{")):
            # `- Key: text` in a list of texts: YAML reads a field named "Key"
            value_text = quoted(line.strip())
            yield record.problem(location, "yaml-colon-in-text", key=field, fixed=f"- {value_text}"
                                 if isinstance(location[-1], int) else f"{location[-1]}: {value_text}")
        elif expected == "array" and isinstance(value, str) and location:
            yield _text_for_list(record, location, field, sub)
        else:
            yield record.problem(location, "wrong-type", field=field, expected=expected,
                                 found=_json_type(value), description=_description(sub))
    elif keyword == "finite":
        yield record.problem(location, "not-finite-number", field=field,
                             value=record.plain_scalar(location) or value)
    elif keyword in ("enum", "const") and isinstance(value, (list, dict, bool)):
        # `sector: [mining]`, `status: true`: the form is wrong, not the word
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        yield record.problem(location, "wrong-type", field=field, expected=_json_type(allowed[0]),
                             found=_json_type(value), description=_description(sub))
    elif keyword in ("enum", "const"):
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        if location == ("kind",):  # a case stays a case
            allowed = [a for a in allowed if a in folder_kinds(record)] or allowed
        choices = [str(a) for a in allowed]
        yield record.problem(location, "unknown-value", field=field, value=value, allowed=allowed,
                             suggestion=closest(str(value), choices) or country_code(str(value), [c for c in choices if len(c) == 2])
                             or value_named(str(value), choices))
    elif keyword == "pattern":
        yield _pattern_problem(record, location, field, value, sub)
    elif keyword == "propertyNames":
        yield record.problem(location + (value,), "bad-id", at_key=True, field=field, value=value)
    elif keyword == "maxLength":
        length, limit = len(value), error.validator_value
        yield record.problem(location, "too-long", field=field, length=length, limit=limit,
                             excess=length - limit)
    elif keyword == "minLength":
        yield record.problem(location, _empty(record, location, schema), field=field)
    elif keyword in ("minItems", "minProperties"):
        yield record.problem(location, "too-few-items", field=field, limit=error.validator_value,
                             description=_description(sub))
    elif keyword == "maxItems":
        yield record.problem(location, "too-many-items", field=field, limit=error.validator_value)
    elif keyword == "uniqueItems":
        yield record.problem(location, "duplicate-item", field=field)
    elif keyword in ("minimum", "maximum"):
        yield record.problem(location, "out-of-range", field=field, value=value,
                             minimum=sub.get("minimum", "?"), maximum=sub.get("maximum", "?"))
    else:
        yield record.problem(location, "bad-format", field=field, value=value,
                             description=_description(sub) or error.message)


def _text_for_list(record: RecordFile, location: Location, field: str,
                   sub: dict[str, Any]) -> Problem:
    """Text where a list belongs: "-Lesson" (no space after the dash), or "countries: PE, CL"
    (the items without brackets), said with the line as it should be written."""
    line = (record.written(location) or "").strip() if record.plain_scalar(location) else ""
    if re.match(r"-[^\s-]", line):
        return record.problem(location, "missing-dash-space", field=field, written=line,
                              fixed=f"- {line[1:]}")
    items = [i for i in re.split(r"[\s,]+", re.sub(r"\s#.*$", "", line)) if i]
    listed = sub.get("items")
    # a list of ids or codes ("countries", "challenges"), not of texts ("lessons")
    if items and isinstance(location[-1], str) and isinstance(listed, dict) and (
            "enum" in listed or "pattern" in listed) and all(
            SLUG.fullmatch(i) or re.fullmatch(r"[A-Za-z]{2}", i) for i in items):
        return record.problem(location, "list-as-text", field=field,
                              fixed=f"{location[-1]}: [{', '.join(items)}]")
    if isinstance(location[-1], str) and isinstance(listed, dict) and listed.get("type") == "string":
        # a list of texts ("lessons"): one item a line
        return record.problem(location, "text-for-list", field=field, key=location[-1],
                              description=_description(sub))
    return record.problem(location, "wrong-type", field=field, expected="array",
                          found="string", description=_description(sub))


def _nothing(record: RecordFile, location: Location, error: jsonschema.ValidationError,
             schema: RecordSchema) -> Iterator[Problem]:
    """A field written with no value (YAML reads it as null): empty, as `""` would be, and
    told what belongs there rather than that "nothing" was found."""
    sub = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "type":
        types = error.validator_value
        if types == "string" and "enum" not in sub and "const" not in sub:  # a text
            yield record.problem(location, _empty(record, location, schema), field=_field_name(location))
            return
        expected = types if isinstance(types, str) else types[0]
    else:
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        expected = _json_type(allowed[0])
    yield record.problem(location, "empty-value", field=_field_name(location), expected=expected,
                         description=_description(sub))


def _with_kinds(description: dict[str, str] | str, kinds: tuple[str, ...]) -> dict[str, str]:
    """A description of `kind` followed, in each language, by the kinds it may be."""
    said = description if isinstance(description, dict) else {"en": description}
    allowed = ", ".join(kinds)
    return {lang: " ".join(part for part in (said.get(lang) or said.get("en", ""),
                                             problem_texts("words", lang)["one-of"].format(
                                                 allowed=allowed)) if part)
            for lang in LANGUAGES}


def _inside(location: Location) -> dict[str, str] | str:
    """Where a missing field goes, in every language: "here" at the top of a record, else the
    block it belongs in, named by its own key ('es:', not 'text.es')."""
    if not location:
        return "here"
    parent = location[-1]
    if isinstance(parent, int):
        name, form = str(location[-2]) if len(location) > 1 else "", "inside-item"
    else:
        name, form = str(parent), "inside-block"
    return {lang: problem_texts("words", lang)[form].format(block=name) for lang in LANGUAGES}


def _empty(record: RecordFile, location: Location, schema: RecordSchema) -> str:
    """An emptied text the schema requires is to be written, not removed."""
    kind = (record.data or {}).get("kind")
    return "empty-required-text" if schema.requires(str(kind), location) else "empty-text"


def _pattern_problem(record: RecordFile, location: Location, field: str, value: Any,
                     sub: dict[str, Any]) -> Problem:
    pattern = str(sub.get("pattern", ""))
    if pattern.startswith("^https?"):
        return record.problem(location, "bad-url", field=field, value=value)
    if pattern == SLUG.pattern:
        return record.problem(location, "bad-id", field=field, value=value)
    if pattern.startswith("^[0-9]{4}"):
        return record.problem(location, "bad-date", field=field, value=value)
    return record.problem(location, "bad-format", field=field, value=value,
                          description=_description(sub))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def closest(word: str, choices: list[str]) -> str:
    """The choice a word was likely meant as (case aside, then the nearest spelling), or ""."""
    by_case = {c.lower(): c for c in choices}
    if word.lower() in by_case:
        return by_case[word.lower()]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else ""


# --- one record ---------------------------------------------------------------------------


# Names Windows cannot give a file (an id is a file name: a contributor there could not open
# it), and names that MkDocs turns into a folder's own page (cases/index.md would be
# cases/index.html, not cases/index/: every link to it dead).
_RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                             *(f"lpt{i}" for i in range(1, 10)), "index", "readme"])


def _field_problems(record: RecordFile, schema: RecordSchema) -> Iterator[Problem]:
    data = record.data or {}
    record_id = data.get("id")
    if isinstance(record_id, str) and record_id in _RESERVED_NAMES:
        yield record.problem(("id",), "reserved-id", value=record_id)
    elif isinstance(record_id, str) and SLUG.fullmatch(record_id) and record_id != record.stem:
        # a file name that could not be an id ("Piloto Lima") is not offered as one
        usable = bool(SLUG.fullmatch(record.stem)) and record.stem not in _RESERVED_NAMES
        yield record.problem(("id",), "id-mismatch" if usable else "file-name-not-an-id",
                             id=record_id, stem=record.stem)
    yield from _period_problems(record, data.get("period"))
    yield from _date_problems(record, ("updated",), data.get("updated"))
    yield from _text_safety_problems(record, data, schema)
    yield from _translation_problems(record, data, schema)
    yield from _comments_in_text(record, data)
    yield from _indicator_problems(record, data)
    yield from _relationship_problems(record, data)
    yield from _repeated_entries(record, data, "organizations", "id")
    yield from _repeated_entries(record, data, "indicators", "key")


def _repeated_entries(record: RecordFile, data: dict[str, Any], field: str,
                      key: str) -> Iterator[Problem]:
    """An organization (or an indicator) listed twice in one case: its page would show it
    twice, and two figures would share one label."""
    seen: dict[str, int] = {}
    for index, item in enumerate(_list(data.get(field))):
        value = item.get(key) if isinstance(item, dict) else None
        if not isinstance(value, str):
            continue
        if value in seen:
            line, _ = record.mark((field, seen[value], key))
            yield record.problem((field, index, key), "repeated-entry", field=field, value=value,
                                 line=line)
        else:
            seen[value] = index


def _parse_date(value: Any) -> tuple[int, int, int] | None:
    """(year, month, day) of a year, month or day; None when it does not exist."""
    parts = [int(p) for p in str(value).split("-")] if re.fullmatch(
        r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", str(value)) else []
    if not parts:
        return None
    year, month, day = (parts + [1, 1])[:3]
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


def _date_problems(record: RecordFile, location: Location, value: Any) -> Iterator[Problem]:
    if isinstance(value, (str, int)) and not isinstance(value, bool) and re.fullmatch(
            r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", str(value)) and _parse_date(value) is None:
        yield record.problem(location, "impossible-date", field=_field_name(location), value=value)


def _period_problems(record: RecordFile, period: Any) -> Iterator[Problem]:
    if not isinstance(period, dict):
        return
    for bound in ("start", "end"):
        yield from _date_problems(record, ("period", bound), period.get(bound))
    start, end = _parse_date(period.get("start")), _parse_date(period.get("end"))
    if start and end and _period_end(str(period["end"])) < start:
        yield record.problem(("period", "end"), "end-before-start", start=period["start"],
                             end=period["end"])


def _period_end(value: str) -> tuple[int, int, int]:
    """The last day a partial date covers: '2023' ends on 2023-12-31."""
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return year, month, day


def _strings(value: Any, location: Location, *,
             empty: bool = False) -> Iterator[tuple[Location, str]]:
    """The texts below a value with their places (and, with empty, its fields left empty, as
    "")."""
    if isinstance(value, str):
        yield location, value
    elif value is None and empty and location:
        yield location, ""
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, location + (key,), empty=empty)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, location + (index,), empty=empty)


def _text_safety_problems(record: RecordFile, data: Any, schema: RecordSchema) -> Iterator[Problem]:
    for where, text in _strings(data, ()):
        if text and not text.strip():  # spaces only: as empty as "" (an empty <h1>, too)
            yield record.problem(where, _empty(record, where, schema), field=_field_name(where))
        control = _CONTROL.search(text)
        if control:
            yield record.problem(where, "control-character", field=_field_name(where),
                                 char=f"U+{ord(control.group()):04X}")
        if "<" in text:
            yield from _markup_problems(record, where, text)
        if ":" in text:
            scheme = _ACTIVE_SCHEME.search(text)
            if scheme:
                name = (scheme.group(1) or scheme.group(2)).lower() + ":"
                line, column = record.text_mark(where, scheme.group(0))
                yield Problem(record.display, line, column, "unsafe-link",
                              {"field": _field_name(where), "scheme": name})


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_MARKUP_PER_TEXT = 10  # kinds of markup told in one text: enough to see that it is pasted HTML


def _markup_problems(record: RecordFile, where: Location, text: str) -> Iterator[Problem]:
    """Each kind of markup in a text ("<b>", "<script>", a comment), where it first appears:
    all of them at once, not the next one after each fix. A closing tag is not told again."""
    told: set[str] = set()
    for tag in _HTML_TAG.finditer(text):
        name = _TAG_NAME.match(tag.group(0))
        kind = name[1].lower() if name else tag.group(0)
        if kind in told:
            continue
        if len(told) == _MARKUP_PER_TEXT:
            return
        told.add(kind)
        line, column = record.text_mark(where, tag.group(0))
        yield Problem(record.display, line, column, "raw-html",
                      {"field": _field_name(where), "tag": tag.group(0)[:40]})


def _comments_in_text(record: RecordFile, data: dict[str, Any]) -> Iterator[Problem]:
    """A text whose end (or whole) YAML read as a comment: "title: Workshop #1" is "Workshop",
    "title: #1 Workshop" is nothing, and the contributor's words would be lost without a word.
    The comments that `sectorguide new` writes are left alone. The fix quotes the value with
    what followed."""
    if not record.commented:
        return
    names = [(("name",), data.get("name")), (("text",), data.get("text")),
             *((("sources", i, "title"), s.get("title")) for i, s in enumerate(_list(data.get("sources")))
               if isinstance(s, dict))]
    for start, value in names:
        for location, text in _strings(value, start, empty=True):
            comment = record.comment_after(location)
            if comment is None or comment.lstrip("# ").strip() in _template_comments():
                continue
            value_text = quoted(f"{text} {comment}".strip())
            key = location[-1]
            fixed = f"{key}: {value_text}" if isinstance(key, str) else f"- {value_text}"
            yield record.problem(location, "comment-in-text", field=_field_name(location),
                                 comment=comment, fixed=fixed)


@cache
def _template_comments() -> frozenset[str]:
    """The comments a record made by `sectorguide new` holds, in every language."""
    catalog = load_catalog(resources.files("sectorguide").joinpath("catalog/scaffold.yaml")
                           .read_text("utf-8"))
    return frozenset(text.strip() for texts in catalog.values() for text in texts.values())


def _translation_problems(record: RecordFile, data: dict[str, Any],
                          schema: RecordSchema) -> Iterator[Problem]:
    texts, original = data.get("text"), data.get("original_language")
    if not isinstance(texts, dict) or not isinstance(original, str):
        return
    if original not in LANGUAGES:
        return  # the schema says the value is not a language: nothing follows from it
    if original not in texts:
        yield record.problem(("original_language",), "missing-original-text", lang=original)
        return
    source = texts[original]
    if isinstance(source, dict) and TRANSLATED_FROM in source:
        yield record.problem(("text", original, TRANSLATED_FROM), "original-has-translated-from",
                             lang=original)
    if not isinstance(source, dict):
        return  # the schema says the original must be a block; no revision to offer until it is
    current = text_revision(source)
    for lang, block in texts.items():
        if lang == original or lang not in LANGUAGES or not isinstance(block, dict):
            continue  # a block under a name that is no language is said by the schema
        yield from _copied_texts(record, block, source, lang, original, schema)
        if TRANSLATED_FROM not in block:
            yield record.problem(("text", lang), "missing-translated-from", lang=lang,
                                 revision=revision_in_yaml(current), id=data.get("id", record.stem))
        elif isinstance(block[TRANSLATED_FROM], str) and block[TRANSLATED_FROM] != current:
            # not an error (the page says the translation is behind), but said where a
            # translator working in the browser sees it: the pull request's checks
            stale = record.problem(("text", lang, TRANSLATED_FROM), "stale-translation", lang=lang,
                                   original=original, revision=revision_in_yaml(current),
                                   id=data.get("id", record.stem))
            yield replace(stale, severity="warning")


# Texts that a translation may share with its original: a name is the same in every language.
_NAMES = frozenset(["name", "acronym"])
# Headings that are often a proper name ("Programa Eleva"): a copy only when long, and then a
# warning (a name stays as it is).
_HEADINGS = frozenset(["title", "label"])
_COPY_LENGTH, _HEADING_COPY_LENGTH = 40, 60
_ADDRESS = re.compile(r"\bhttps?://\S+")


def _copied_texts(record: RecordFile, block: dict[str, Any], source: dict[str, Any], lang: str,
                  original: str, schema: RecordSchema) -> Iterator[Problem]:
    """The texts of a translation that are its original's word for word: a block copied to be
    translated and translated only in part, which the page would show under the wrong
    language. Each is compared with the original's at the same place (a lesson with the
    lesson of the same rank)."""
    kind = str((record.data or {}).get("kind"))
    for where, text in _strings(block, ()):
        field = where[0]
        if field == TRANSLATED_FROM or field in _NAMES:
            continue
        least = _HEADING_COPY_LENGTH if field in _HEADINGS else _COPY_LENGTH
        if not _copied(text, _value_at(source, where), least):
            continue
        location = ("text", lang, *where)
        named, copied = _field_name(location), _field_name(("text", original, *where))
        if field in _HEADINGS:  # perhaps a name, which stays as it is: said, not refused
            title = record.problem(location, "untranslated-title", field=named, original=copied)
            yield replace(title, severity="warning")
            continue
        required = schema.requires(kind, ("text", lang, field))
        yield record.problem(location, "untranslated-copy", field=named, original=copied,
                             remove=_field_name(("text", lang, *_removable(where, required))))


def _removable(where: Location, required: bool) -> Location:
    """What a translation can leave out, for the page to show the original's in its place
    (model.shown_texts): a field (all the lessons, not one of them), an indicator's label;
    the whole block when the field is required."""
    if required:
        return ()
    return where[:2] if where[0] == "indicators" else where[:1]


def _value_at(value: Any, location: Location) -> Any:
    """The value at a place inside another (None when it has none there)."""
    for part in location:
        if isinstance(part, int) and isinstance(value, list) and part < len(value):
            value = value[part]
        elif isinstance(part, str) and isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _copied(translated: str, written: Any, least: int) -> bool:
    """A translation's text that is its original's, word for word, and long enough that no two
    languages share it (addresses aside, which every language writes alike). The first words
    are compared first: a translation nearly always differs there, and the whole comparison
    made validation a fifth slower."""
    if not isinstance(written, str) or translated.split(None, 3)[:3] != written.split(None, 3)[:3]:
        return False
    return (len(_ADDRESS.sub("", written).strip()) >= least
            and " ".join(translated.split()) == " ".join(written.split()))


def _indicator_problems(record: RecordFile, data: dict[str, Any]) -> Iterator[Problem]:
    """Labels of indicators the record lacks, indicators without a label in the original.
    Only what has the right shape is compared: the schema reports the rest."""
    texts, indicators = data.get("text"), data.get("indicators")
    if not isinstance(texts, dict):
        return
    keyed = [(index, i["key"]) for index, i in enumerate(_list(indicators))
             if isinstance(i, dict) and isinstance(i.get("key"), str)]
    keys = {key for _, key in keyed}
    # a label is unknown only when every indicator's key could be read
    all_keyed = indicators is None or (isinstance(indicators, list) and len(keyed) == len(indicators))
    original = data.get("original_language")
    for lang, block in texts.items():
        labels = block.get("indicators") if isinstance(block, dict) else None
        labels = labels if isinstance(labels, dict) else {}
        for key in labels if all_keyed else ():
            if key not in keys:
                yield record.problem(("text", lang, "indicators", key), "unknown-indicator", at_key=True,
                                     field=f"text.{lang}.indicators", key=key)
        if lang == original:
            for index, key in keyed:
                if key not in labels:
                    yield record.problem(("indicators", index, "key"), "missing-indicator-label",
                                         key=key, lang=lang)


def _relationship_problems(record: RecordFile, data: dict[str, Any]) -> Iterator[Problem]:
    relationships = data.get("relationships")
    for index, link in enumerate(relationships if isinstance(relationships, list) else []):
        if isinstance(link, dict) and isinstance(link.get("from"), str) and link["from"] == link.get("to"):
            yield record.problem(("relationships", index, "to"), "self-relationship", value=link["to"])


# --- across records -----------------------------------------------------------------------


def _cross_record_problems(files: list[RecordFile]) -> Iterator[Problem]:
    by_id: dict[str, list[RecordFile]] = {}
    ids: dict[str, set[str]] = {"organization": set(), "challenge": set(), "case": set()}
    translations = [record for record in files if translation_name(record.stem)]
    files = [record for record in files if not translation_name(record.stem)]
    for record in files:
        data = record.data or {}
        record_id, kind = data.get("id"), data.get("kind")
        if not isinstance(record_id, str):
            continue
        by_id.setdefault(record_id, []).append(record)
        group = "case" if kind in CASE_KINDS else kind
        if len(by_id[record_id]) == 1 and isinstance(group, str) and group in ids:
            ids[group].add(record_id)
    for record in translations:
        yield _separate_translation(record, by_id)
    for record_id, sharing in by_id.items():
        if len(sharing) > 1:
            yield from _duplicates(record_id, sharing)
    # a file that could not be read is reported itself: references to the id its name gives
    # are not reported again as unknown
    unreadable = {record.path.stem for record in files if record.data is None}
    for record in files:
        if record.data and record.data.get("kind") in CASE_KINDS:
            yield from _reference_problems(record, record.data, ids, unreadable)


def _duplicates(record_id: str, sharing: list[RecordFile]) -> Iterator[Problem]:
    """The files that share an id. When one of them is named after it, the others are told
    (the partner who copied a record to start a new one), with the id their own name gives;
    otherwise every one is, whichever files are checked (a new file named alone)."""
    owners = [record for record in sharing if record.stem == record_id]
    if len(owners) == 1:
        for record in sharing:
            if record is not owners[0]:
                usable = SLUG.fullmatch(record.stem) and record.stem not in _RESERVED_NAMES
                yield _duplicate(record, record_id, owners[0], record.stem if usable else None)
        return
    for record in sharing:
        yield _duplicate(record, record_id, sharing[1] if record is sharing[0] else sharing[0])


def _duplicate(record: RecordFile, record_id: str, other: RecordFile,
               own_id: str | None = None) -> Problem:
    """own_id: the id the record's file name gives it, when `other` is named after record_id."""
    line, _ = other.mark(("id",))
    where = f"{other.display}:{line}"
    if own_id:
        return record.problem(("id",), "taken-id", id=record_id, other=where, stem=own_id)
    return record.problem(("id",), "duplicate-id", id=record_id, other=where)


def _separate_translation(record: RecordFile, by_id: dict[str, list[RecordFile]]) -> Problem:
    """A translation in a file of its own ("<id>.es.yaml"): the guide would read it as a record
    of its own, with every required field missing and the id of the one it translates."""
    named = translation_name(record.stem)
    assert named is not None
    record_id, lang = named
    where = ("id",) if isinstance(record.data, dict) and "id" in record.data else ()
    if record_id in by_id:
        return record.problem(where, "translation-file", name=record.path.name, lang=lang,
                              original=by_id[record_id][0].display)
    return record.problem(where, "translation-file-no-record", name=record.path.name, id=record_id,
                          lang=lang)


def _reference_problems(record: RecordFile, data: dict[str, Any],
                        ids: dict[str, set[str]], unreadable: set[str]) -> Iterator[Problem]:
    def check(location: Location, value: Any, what: str) -> Iterator[Problem]:
        if isinstance(value, str) and SLUG.fullmatch(value) and value not in ids[what] \
                and value not in unreadable:
            yield record.problem(location, "unknown-reference", field=_field_name(location), value=value,
                                 what=what, folder=_FOLDERS[what],
                                 suggestion=closest(value, sorted(ids[what])))

    for index, key in enumerate(_list(data.get("challenges"))):
        yield from check(("challenges", index), key, "challenge")
    organizations = data.get("organizations")
    listed = [(index, item["id"]) for index, item in enumerate(_list(organizations))
              if isinstance(item, dict) and isinstance(item.get("id"), str)]
    for index, org_id in listed:
        yield from check(("organizations", index, "id"), org_id, "organization")
    partners = {org_id for _, org_id in listed}
    # a role is without a partner only when every partner's id could be read
    partners_known = organizations is None or (isinstance(organizations, list)
                                               and len(listed) == len(organizations))
    for index, link in enumerate(_list(data.get("relationships"))):
        if isinstance(link, dict):
            for end in ("from", "to"):
                yield from check(("relationships", index, end), link.get(end), "organization")
    texts = data.get("text")
    for lang, block in (texts.items() if isinstance(texts, dict) else []):
        roles = block.get("roles") if isinstance(block, dict) else None
        for org in roles if isinstance(roles, dict) and partners_known else {}:
            if org not in partners:
                yield record.problem(("text", lang, "roles", org), "role-without-partner", at_key=True,
                                     field=f"text.{lang}.roles", value=org)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
