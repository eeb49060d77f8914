"""Stage 1, load: read record files into plain data, remembering where every value stands.

Nothing here trusts the file. A file that cannot be read gives problems, never an exception,
and never hides the other files. Aliases, tags and deep nesting are refused before they can
cost time or memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .problems import Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - the PyYAML wheels carry libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24

Location = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()
_SUSPECT_BLOCK = re.compile(r"(?:[-?][ \t]+){8,}")


@dataclass
class RecordFile:
    """One file as loaded: its data (None when unreadable), the marks of its values, its problems."""

    path: Path
    display: str
    data: dict[str, Any] | None = None
    value_marks: dict[Location, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Location, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem

    def mark(self, location: Location, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of a value, or of its key, or of its nearest parent."""
        marks = self.key_marks if key else self.value_marks
        probe = tuple(location)
        while probe:
            if probe in marks:
                return marks[probe]
            if not key and probe in self.key_marks:
                return self.key_marks[probe]
            probe = probe[:-1]
        return self.value_marks.get((), (1, 1))

    def problem(self, location: Location, code: str, *, at_key: bool = False,
                **params: Any) -> Problem:
        line, column = self.mark(location, key=at_key)
        return Problem(self.display, line, column, code, params)


def load_record_file(path: Path, display: str) -> RecordFile:
    """Read one record file; every obstacle becomes a problem on the returned value."""
    record = RecordFile(path=path, display=display)
    raw = _read_bytes(record)
    if raw is None:
        return record
    text = _decode(record, raw)
    if text is None:
        return record
    if not text.strip():
        record.problems.append(Problem(display, 1, 1, "empty-file"))
        return record
    if _looks_deep(text) and not _depth_within_limit(record, text):
        return record
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = error.problem or str(error)
        record.problems.append(Problem(display, line, column, "yaml-syntax", {"detail": detail}))
        return record
    except yaml.YAMLError as error:
        record.problems.append(Problem(display, 1, 1, "yaml-syntax", {"detail": str(error)}))
        return record
    if root is None:
        record.problems.append(Problem(display, 1, 1, "empty-file"))
        return record
    data = _Converter(record).convert(root, ())
    if not isinstance(root, yaml.MappingNode):
        found = "array" if isinstance(root, yaml.SequenceNode) else "string"
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        record.problems.append(Problem(display, line, column, "not-a-mapping", {"found": found}))
        return record
    if not any(p.code in ("yaml-alias", "yaml-tag") for p in record.problems):
        record.data = data
    return record


def _read_bytes(record: RecordFile) -> bytes | None:
    try:
        size = record.path.stat().st_size
        if size > MAX_BYTES:
            record.problems.append(
                Problem(record.display, 1, 1, "file-too-large", {"size": size, "limit": MAX_BYTES})
            )
            return None
        with record.path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as error:
        detail = error.strerror or str(error)
        record.problems.append(Problem(record.display, 1, 1, "not-utf8", {"detail": detail}))
        return None


def _decode(record: RecordFile, raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        detail = f"byte 0x{raw[error.start]:02x}"
        record.problems.append(Problem(record.display, line, column, "not-utf8", {"detail": detail}))
        return None
    return text.removeprefix("\ufeff")


def _looks_deep(text: str) -> bool:
    """Cheap test that lets ordinary records skip the slower exact depth check."""
    if text.count("[") + text.count("{") > 64:
        return True
    if _SUSPECT_BLOCK.search(text):
        return True
    return any(len(line) - len(line.lstrip(" ")) > 2 * MAX_DEPTH for line in text.splitlines())


def _depth_within_limit(record: RecordFile, text: str) -> bool:
    """Walk the event stream (no recursion, no tree) and stop at the first level too deep."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    record.problems.append(
                        Problem(record.display, mark.line + 1, mark.column + 1, "too-deep",
                                {"limit": MAX_DEPTH})
                    )
                    return False
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return True  # compose reports the syntax error with its position
    return True


class _Converter:
    """Turns a composed node tree into plain data and marks; each node is visited once."""

    def __init__(self, record: RecordFile) -> None:
        self.record = record
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, location: Location) -> Any:
        if id(node) in self.seen:
            line, column = self.record.mark(location, key=True)
            self.record.problems.append(Problem(self.record.display, line, column, "yaml-alias"))
            return None
        self.seen.add(id(node))
        self.record.value_marks[location] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._report(node, "yaml-tag", tag=node.tag)
            return [self.convert(item, location + (index,)) for index, item in enumerate(node.value)]
        if node.tag != _TAG + "map":
            self._report(node, "yaml-tag", tag=node.tag)
        return self._mapping(node, location)

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self._report(key_node, "yaml-syntax", detail="a field name must be plain text")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_lines:
                self._report(key_node, "duplicate-key", key=key, first_line=first_lines[key])
                continue
            first_lines[key] = line
            self.record.key_marks[location + (key,)] = (line, key_node.start_mark.column + 1)
            result[key] = self.convert(value_node, location + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _TAG + "str":
            return node.value
        if tag not in _PLAIN_TAGS:
            self._report(node, "yaml-tag", tag=tag)
            return node.value
        if tag == _TAG + "timestamp":
            return node.value  # dates stay text; validation checks that they exist
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        return _CONSTRUCTOR.construct_yaml_float(node)

    def _report(self, node: yaml.Node, code: str, **params: Any) -> None:
        if "tag" in params:
            params["tag"] = str(params["tag"]).replace(_TAG, "!!")
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.record.problems.append(Problem(self.record.display, line, column, code, params))
