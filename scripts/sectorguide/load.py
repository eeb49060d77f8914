"""Stage 1, load: read record files into plain data, remembering where every value stands.

Nothing here trusts the file. A file that cannot be read gives problems, never an exception,
and never hides the other files. Aliases, tags and deep nesting are refused before they can
cost time or memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor

from .problems import Problem
from .vocabulary import LANGUAGES
from .yaml_syntax import (
    NOT_PLAIN_KEY,
    ColumnMap,
    NodeProperty,
    SyntaxMistake,
    blanked,
    column_in_file,
    explain,
    node_properties,
    repaired_lines,
    tab,
    unclosed_quote,
)
from .yamlread import LOADER as _Loader

MAX_BYTES = 256 * 1024
MAX_DEPTH = 24

Location = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_SCALAR_TYPES = {_TAG + "null": "null", _TAG + "bool": "boolean", _TAG + "int": "integer",
                 _TAG + "float": "number"}
# "<id>.es.yaml": a translation written as a file of its own, as the chapters' are (about.es.md)
_TRANSLATION_NAME = re.compile(rf"(.+)\.({'|'.join(LANGUAGES)})")


def translation_name(stem: str) -> tuple[str, str] | None:
    """The id and language a file's name (without .yaml) gives when it is named as a separate
    translation of a record ("<id>.<language>"); None for a record's own name."""
    found = _TRANSLATION_NAME.fullmatch(stem)
    return (found[1], found[2]) if found else None


# Block nesting needs more indentation or more "- " indicators on a line at each level, flow
# nesting needs brackets: bounding the three bounds the depth the C composer recurses to.
# Lines that may nest deeply, each found from the line break before it (the search runs over
# "\n" + text): a pattern that starts with plain text is searched five times as fast as one
# that starts with "^" (a fifth of a record's loading was these two searches).
_COMPACT_INDICATORS = re.compile(r"\n[ \t]*(?:[-?][ \t]+){8}")
_DEEP_INDENT = re.compile(r"\n[ \t]{49}")
# Where YAML may have read a comment after a value: a space or a tab, then "#".
_COMMENT_START = re.compile(r"[ \t]#")
# How much text a file's syntax mistakes may have read again, each repaired on a copy: a
# record is read past a hundred of them, a file of 256 KiB past a dozen.
_REREAD_CHARACTERS = 3_000_000
_MAX_REREADS = 100


@dataclass(frozen=True)
class Repaired:
    """A file's text as read past its syntax mistakes (each said, and made as its advice
    says), and the lines it changed (0-based) as the file writes them: the marks of the
    record's values point into this text, and are placed back on the file's columns."""

    text: str
    written: dict[int, str]
    maps: dict[int, ColumnMap] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def place(self, line: int, column: int) -> tuple[int, int]:
        """Line and column (1-based) in the file of a place in the repaired text: on a
        changed line, where the same text stands, else the start of the line's text."""
        written = self.written.get(line - 1)
        if written is None:
            return line, column
        if line not in self.maps:  # once per line: a line may hold thousands of values
            self.maps[line] = ColumnMap.of(written.rstrip("\r"), self.lines[line - 1].rstrip("\r"))
        found = self.maps[line].column(column)
        return line, found if found is not None else len(written) - len(written.lstrip()) + 1


@dataclass
class RecordFile:
    """One file as loaded: its data (None when unreadable), the marks of its values, its problems."""

    path: Path
    display: str
    data: dict[str, Any] | None = None
    root: yaml.Node | None = None
    problems: list[Problem] = field(default_factory=list)
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False, compare=False)
    _text: str | None = field(default=None, repr=False, compare=False)  # read when a mark needs it
    # lines (0-based) where a value may be followed by a comment: see comment_after
    commented: frozenset[int] = field(default=frozenset(), repr=False, compare=False)
    # the text read past its syntax mistakes, when it is not the file's
    repaired: Repaired | None = field(default=None, repr=False, compare=False)

    @property
    def stem(self) -> str:
        return self.path.stem

    def tree(self) -> yaml.Node | None:
        """The node tree, composed again when it was dropped (see without_tree)."""
        if self.root is None and self.data is not None:
            try:
                self.root = _compose(self._source())
            except (OSError, yaml.YAMLError):
                return None
        return self.root

    def _source(self) -> str:
        """The text the node tree was read from: the file's, or its repaired copy."""
        return self.repaired.text if self.repaired is not None else _file_text(self.path)

    def _placed(self, node: yaml.Node) -> tuple[int, int]:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        return self.repaired.place(line, column) if self.repaired is not None else (line, column)

    def without_tree(self) -> RecordFile:
        """This file without its node tree, light to send between processes."""
        self.root = None
        self._keys = {}
        self._text = None
        return self

    def mark(self, location: Location, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of a value, or of its key, or of its nearest parent.

        Marks are looked up in the node tree only when a problem needs one, so a valid file
        costs nothing for them.
        """
        node, key_node = self.tree(), None
        for part in location:
            child = self._child(node, part)
            if child is None:
                break
            key_node, node = child
        target = key_node if key and key_node is not None else node
        if target is None:
            return (1, 1)
        return self._placed(target)

    def value_mark(self, location: Location) -> tuple[int, int] | None:
        """The exact mark of a value, or None when the file has no value there."""
        node = self._node(location)
        return None if node is None else self._placed(node)

    def lines_of(self, location: Location) -> tuple[int, int] | None:
        """The first and last lines (1-based) of a value and its key, or None when the file has
        no value there."""
        found = self._keyed(location)
        if found is None:
            return None
        key, value = found
        # a block ends where the next token starts ("  fr:" after the es block, or the end of
        # the file): on a line of its own, or after the value's last character
        end = value.end_mark
        lines = self._source().split("\n")
        ended_before = end.line >= len(lines) or not lines[end.line][:end.column].strip()
        last = end.line if ended_before and end.line > value.start_mark.line else end.line + 1
        first = self._placed(key if key is not None else value)[0]
        return first, self.repaired.place(last, 1)[0] if self.repaired else last

    def _keyed(self, location: Location) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The (key node, value node) of a value, or None when the file has no value there
        (or the location is the whole record, which has no key)."""
        node: yaml.Node | None = self.tree()
        found = None
        for part in location:
            found = self._child(node, part)
            if found is None:
                return None
            node = found[1]
        return found

    def _node(self, location: Location) -> yaml.Node | None:
        """The value's node, or None when the file has no value there."""
        if not location:
            return self.tree()
        found = self._keyed(location)
        return None if found is None else found[1]

    def text_mark(self, location: Location, found: str) -> tuple[int, int]:
        """Line and column of `found` inside a value as the file writes it (a tag on line 19 of
        a block of text, not where the block starts); the value's own mark when the file does
        not write it as such (an escape, or folded across lines)."""
        node = self._node(location)
        if node is None or not found:
            return self.mark(location)
        try:
            text = self._text = self._text if self._text is not None else self._source()
        except (OSError, UnicodeDecodeError):
            return self.mark(location)
        at = text.find(found, node.start_mark.index, node.end_mark.index)
        if at < 0:
            return self.mark(location)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return self.repaired.place(line, column) if self.repaired is not None else (line, column)

    def written(self, location: Location) -> str | None:
        """The rest of the line where the value starts, as the file writes it."""
        node = self._node(location)
        if node is None:
            return None
        try:
            text = self._text = self._text if self._text is not None else self._source()
        except (OSError, UnicodeDecodeError):
            return None
        start = node.start_mark.index
        end = text.find("\n", start)
        return text[start:end if end >= 0 else len(text)].rstrip("\r")

    def plain_scalar(self, location: Location) -> str | None:
        """The value as written when it is a plain (unquoted) scalar, else None: `ON` where
        YAML reads true."""
        node = self._node(location)
        if isinstance(node, yaml.ScalarNode) and not node.style:  # "" (libyaml) or None: plain
            return str(node.value)
        return None

    def comment_after(self, location: Location) -> str | None:
        """The comment YAML read after an unquoted value on the value's last line, which is
        then not part of the value ("title: Workshop #1" reads "Workshop"; "title: #1 Workshop"
        reads nothing): "#1", or None."""
        if not self.commented:
            return None
        node = self._node(location)
        if not (isinstance(node, yaml.ScalarNode) and not node.style) or \
                node.end_mark.line not in self.commented:
            return None
        try:
            text = self._text = self._text if self._text is not None else self._source()
        except (OSError, UnicodeDecodeError):
            return None
        lines = text.split("\n")
        line = lines[node.end_mark.line].rstrip("\r") if node.end_mark.line < len(lines) else ""
        comment = re.match(r"[ \t]*(#.*)$", line[node.end_mark.column:])
        return comment[1].rstrip() if comment else None

    def problem(self, location: Location, code: str, *, at_key: bool = False,
                **params: Any) -> Problem:
        line, column = self.mark(location, key=at_key)
        return Problem(self.display, line, column, code, params)

    def _child(self, node: yaml.Node | None,
               part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The (key node, value node) under node at one step of a location.

        A mapping's keys are indexed once (the first of duplicate keys wins, as in the data),
        so a file with thousands of problems in one mapping costs linear, not quadratic, time.
        """
        if isinstance(node, yaml.MappingNode):
            index = self._keys.get(id(node))
            if index is None:
                index = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        index.setdefault(key_node.value, (key_node, value_node))
                self._keys[id(node)] = index
            return index.get(part) if isinstance(part, str) else None
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None


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
        root = _compose(text)
    except yaml.reader.ReaderError as error:  # a character YAML forbids, e.g. NUL
        line, column = _position(text, error.position)
        detail = f"character U+{error.character:04X}: {error.reason}" if isinstance(
            error.character, int) else str(error.reason)
        record.problems.append(Problem(display, line, column, "yaml-syntax",
                                       {"detail": detail, "unchecked": True}))
        return record
    except yaml.MarkedYAMLError as error:
        said, repaired = _read_past_mistakes(display, text, error)
        record.problems.extend(said)
        if repaired is None or (_looks_deep(repaired.text)
                                and not _depth_within_limit(record, repaired.text)):
            return record
        record.repaired, text = repaired, repaired.text
        root = _compose(text)
    except yaml.YAMLError as error:
        record.problems.append(Problem(display, 1, 1, "yaml-syntax",
                                       {"detail": str(error), "unchecked": True}))
        return record
    if root is None or _is_empty_document(root):
        record.problems.append(Problem(display, 1, 1, "empty-file"))
        return record
    record.root = root
    record.commented = _commented_lines(text)
    properties = node_properties(text)
    record.problems.extend(_property_problems(display, properties))
    # a value that starts with "&" or "!" reads as written, as it will once quoted
    as_written = {p.index: p.text for p in properties if p.text is not None}
    converter = _Converter(record, as_written, {p.index for p in properties})
    data = converter.convert(root, 0)
    if not isinstance(root, yaml.MappingNode):
        found = "array" if isinstance(root, yaml.SequenceNode) else _SCALAR_TYPES.get(
            root.tag, "string")
        line, column = root.start_mark.line + 1, root.start_mark.column + 1
        record.problems.append(Problem(display, line, column, "not-a-mapping", {"found": found}))
        return record
    if not converter.missed and all(p.text is not None or p.plain for p in properties) and not any(
            p.code == "too-deep" for p in record.problems):
        record.data = data  # otherwise the data is not what the file says: nothing to check
    return record


def _commented_lines(text: str) -> frozenset[int]:
    """The lines (0-based) where YAML may have read a comment after a value; whether it did is
    decided for each value (RecordFile.comment_after). A file without one costs a search."""
    if "#" not in text:
        return frozenset()
    return frozenset(text.count("\n", 0, found.start()) for found in _COMMENT_START.finditer(text))


def _property_problems(display: str, properties: list[NodeProperty]) -> list[Problem]:
    return [Problem(display, p.mistake.line, p.mistake.column, p.mistake.code, p.mistake.params)
            for p in properties]


def _compose(text: str) -> yaml.Node | None:
    """The node tree of a record's text. An anchor written twice ("title: &Asociados Mineros"
    in two languages) stops the composer ("second occurrence"); when every anchor and tag
    starts a text that reads as written, or is an anchor alone on a list, a mapping or a
    block of text, the text is composed again with them blanked out (each value where it
    was), so that the rest of the record is checked as it will read once they are quoted (or
    written as blocks) or removed. Otherwise (an alias, a tag such as "!!int") the composer's
    error."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.composer.ComposerError as error:
        if error.problem != "second occurrence":
            raise
        properties = node_properties(text)  # raises a syntax mistake further on, said instead
        if any(p.text is None and not p.plain for p in properties):
            raise
        try:
            return yaml.compose(blanked(text, properties), Loader=_Loader)
        except yaml.YAMLError:
            raise error from None


def _properties_instead(display: str, text: str, error: yaml.MarkedYAMLError) -> list[Problem]:
    """An anchor written twice that _compose could not blank out, or an alias to no anchor,
    stops the composer at the first one, with its own words ("second occurrence"): every
    anchor, alias and tag is said instead, where it is written, and the rest of the record,
    which does not read as written, is not checked. Nothing when the text has another
    mistake, which is then said. An alias that is not said among them (under a merge key,
    "<<: *b") is said as the composer's error is."""
    if error.problem not in ("second occurrence", "found undefined alias"):
        return []
    try:
        properties = node_properties(text)
    except yaml.YAMLError:
        return []
    at = error.problem_mark
    if properties and at is not None and all(p.index != at.index for p in properties):
        return [*_property_problems(display, properties), _syntax_problem(display, text, error)]
    return _property_problems(display, properties)


def _read_past_mistakes(display: str, text: str,
                        error: yaml.MarkedYAMLError) -> tuple[list[Problem], Repaired | None]:
    """Every syntax mistake of a file that YAML cannot read, and its text as read past them.

    A mistake whose advice gives its line as it should read is said, made on a copy of the
    text, which is read again: the next mistake is said the same way, until the copy reads
    (returned, for the record's other problems to be found in it, on the file's lines) or a
    mistake has no such line, or its line did not make the copy read on: that one is said
    with the note that the rest of the file was not checked. Anchors written twice or an
    undefined alias are said as before (_properties_instead), and stop the reading."""
    problems: list[Problem] = []
    lines = _plain_lines(text)
    current, written, mistakes = text, dict[int, str](), list[SyntaxMistake]()
    seen: set[tuple[int, int, str]] = set()
    rounds = min(_MAX_REREADS, max(1, _REREAD_CHARACTERS // max(len(text), 1)))
    for _ in range(rounds):
        properties = _properties_instead(display, current, error)
        if properties:
            return problems + properties, None
        mistake = _syntax_mistake(current, error)  # where it stands in the copy
        changed = repaired_lines(lines, mistake) if lines is not None else None
        said = _in_file(mistake, written, lines)  # where it stands in the file
        if changed is None or _no_progress(mistakes, seen, mistake):
            return problems + [_said(display, said, unchecked=True)], None
        problems.append(_said(display, said))
        mistakes.append(mistake)
        seen.add((mistake.line, mistake.column, mistake.code))
        assert lines is not None
        for number, line in changed.items():
            written.setdefault(number, lines[number])
            lines[number] = line.rstrip("\r") + ("\r" if lines[number].endswith("\r") else "")
        current = "\n".join(lines)
        if _looks_deep(current) and (deep := _too_deep(display, current)) is not None:
            return problems + [deep], None  # composing it would recurse that deep
        try:
            _compose(current)
        except yaml.MarkedYAMLError as again:
            error = again
            continue
        except yaml.YAMLError:
            break
        return problems, Repaired(current, written)
    last = problems.pop()
    return [*problems, replace(last, params={**last.params, "unchecked": True})], None


def _in_file(mistake: SyntaxMistake, written: dict[int, str],
             lines: list[str] | None) -> SyntaxMistake:
    """A mistake found in the repaired copy, at its column in the file's own line."""
    before = written.get(mistake.line - 1)
    if before is None or lines is None:
        return mistake
    now = lines[mistake.line - 1].rstrip("\r")
    column = column_in_file(before.rstrip("\r"), now, mistake.column)
    return replace(mistake, column=column if column is not None
                   else len(before) - len(before.lstrip(" \t")) + 1)


def _no_progress(mistakes: list[SyntaxMistake], seen: set[tuple[int, int, str]],
                 mistake: SyntaxMistake) -> bool:
    """Whether making the mistakes said so far did not help: the reading stopped before the
    last of them, or at a mistake already said."""
    return bool(mistakes) and (mistake.line < mistakes[-1].line
                               or (mistake.line, mistake.column, mistake.code) in seen)


def _plain_lines(text: str) -> list[str] | None:
    """The text's lines, split where YAML and an editor both break them ("\r" kept before
    "\n"); None when some other character breaks a line to one of them (a lone "\r", a
    form feed): a line as it should read could then replace the wrong one."""
    lines = text.split("\n")
    if any(len(line.rstrip("\r").splitlines()) > 1 or "\r" in line.rstrip("\r")
           for line in lines):
        return None
    return lines


def _said(display: str, mistake: SyntaxMistake, *, unchecked: bool = False) -> Problem:
    params: dict[str, Any] = {**mistake.params, "unchecked": True} if unchecked else dict(
        mistake.params)
    return Problem(display, mistake.line, mistake.column, mistake.code, params)


def _syntax_mistake(text: str, error: yaml.MarkedYAMLError) -> SyntaxMistake:
    mark = error.problem_mark or error.context_mark
    if mark and _character_at(text, mark.line, mark.column) == "\t":  # libyaml does not
        return tab(text, mark.line, mark.column)  # always say
    return unclosed_quote(text, error) or explain(text, error)


def _syntax_problem(display: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    return _said(display, _syntax_mistake(text, error))


def _file_text(path: Path) -> str:
    """A record's text as the loader reads it (line endings kept, so marks' indexes hold)."""
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column:column + 1] if 0 <= line < len(lines) else ""


def _is_empty_document(root: yaml.Node) -> bool:
    """A document with nothing in it (only '---', or '--- ...')."""
    return (isinstance(root, yaml.ScalarNode) and root.tag == _TAG + "null" and root.value == ""
            and not root.style)


def _position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of a byte offset into the UTF-8 text, as libyaml counts."""
    before = text.encode("utf-8")[:offset].decode("utf-8", errors="ignore")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


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
    except OSError as error:  # no permission, a folder, a disk error: not an encoding
        detail = error.strerror or type(error).__name__
        record.problems.append(Problem(record.display, 1, 1, "unreadable-file", {"detail": detail}))
        return None


def _decode(record: RecordFile, raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        written = windows_1252(raw)
        if written is not None:  # the usual case: saved by a Windows editor in its own encoding
            char = written[error.start]  # one byte, one character
            record.problems.append(Problem(record.display, line, column, "windows-1252",
                                           {"char": char}))
            return None
        detail = f"byte 0x{raw[error.start]:02x}"
        record.problems.append(Problem(record.display, line, column, "not-utf8", {"detail": detail}))
        return None
    return text.removeprefix("\ufeff")


# Characters that a Windows-1252 reading gives to files that are something else (a 0xFF byte,
# a UTF-8 sequence cut short), and that Spanish and French texts do not hold.
_NOT_WINDOWS_TEXT = frozenset("ÿÃ")


def windows_1252(raw: bytes) -> str | None:
    """The text of a file that is not UTF-8 but reads as Windows-1252 (the encoding Windows
    editors save Spanish and French in): printable text whose bytes above ASCII stand mostly
    alone ("canci\xf3n"), not in the lead-and-continuation pairs of a (broken) UTF-8 file."""
    high = [i for i, byte in enumerate(raw) if byte >= 0x80]
    paired = sum(1 for i in high if 0xC0 <= raw[i] <= 0xF7 and i + 1 < len(raw)
                 and 0x80 <= raw[i + 1] <= 0xBF)
    if paired * 2 >= len(high):
        return None
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if all((c.isprintable() or c in "\n\r\t") and c not in _NOT_WINDOWS_TEXT for c in text):
        return text
    return None


def _looks_deep(text: str) -> bool:
    """Cheap test that lets ordinary records skip the slower exact depth check."""
    if text.count("[") + text.count("{") > 64:
        return True
    lines = "\n" + text
    return bool(_COMPACT_INDICATORS.search(lines) or _DEEP_INDENT.search(lines))


def _depth_within_limit(record: RecordFile, text: str) -> bool:
    """Whether the text nests no deeper than the limit; if not, the problem is the record's."""
    deep = _too_deep(record.display, text)
    if deep is not None:
        record.problems.append(deep)
    return deep is None


def _too_deep(display: str, text: str) -> Problem | None:
    """Walk the event stream (no recursion, no tree) and stop at the first level too deep. A
    syntax error ends the walk: what comes before it is what composing would build."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                    return Problem(display, line, column, "too-deep", {"limit": MAX_DEPTH})
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # compose reports the syntax error with its position
    return None


def _explicit_tag(node: yaml.ScalarNode) -> bool:
    """Whether a scalar carries a tag written in the file rather than the one YAML infers."""
    if node.style:  # quoted or block: YAML infers text (libyaml gives '' for plain, PyYAML None)
        return bool(node.tag != _TAG + "str")
    inferred = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
    return bool(node.tag != inferred)


class _Converter:
    """Turns a composed node tree into plain data; each node is visited once. Anchors, aliases
    and tags are reported where they are written (node_properties), not here: a scalar that
    carries one reads as written (as_written, by where it starts) or as nothing, and a list, a
    mapping or a block of text under an anchor alone reads as its value. One that
    node_properties did not find (recorded: where the nodes of those it found start) is
    reported here all the same, as well as the tree can place it, and the data is then not
    what the file says (missed): it never silently differs from the file."""

    def __init__(self, record: RecordFile, as_written: dict[int, str], recorded: set[int]) -> None:
        self.record = record
        self.as_written = as_written
        self.recorded = recorded
        self.missed = False
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, depth: int, used_at: yaml.Node | None = None) -> Any:
        """Data of one node; an alias (a node met again) is nothing, so that an alias bomb
        costs no more than its text. used_at is the key (or list) holding the node, where an
        alias node_properties missed is reported (an alias reuses its anchor's node, so the
        node itself only knows the anchor's place)."""
        if id(node) in self.seen:
            self._missed(node, used_at or node, "yaml-alias")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if depth >= MAX_DEPTH:
            self._report(node, "too-deep", limit=MAX_DEPTH)
            return None
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                self._missed(node, node, "yaml-tag", tag=node.tag)
            return [self.convert(item, depth + 1, node) for item in node.value]
        if node.tag != _TAG + "map":
            self._missed(node, node, "yaml-tag", tag=node.tag)
        return self._mapping(cast(yaml.MappingNode, node), depth)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.seen:  # an alias used as a key
                self._missed(key_node, value_node if id(value_node) not in self.seen else node,
                             "yaml-alias")
                continue
            self.seen.add(id(key_node))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _TAG + "merge":
                self._report(key_node, "yaml-syntax", detail=NOT_PLAIN_KEY)
                continue
            if _explicit_tag(key_node):
                self._missed(key_node, key_node, "yaml-tag", tag=key_node.tag)
                continue
            key = key_node.value
            if key in first_lines:
                self._report(key_node, "duplicate-key", key=key, first_line=first_lines[key])
                continue
            first_lines[key] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, depth + 1, key_node)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        written = self.as_written.get(node.start_mark.index)
        if written is not None:
            return _paragraphs(written, node.style)
        tag = node.tag
        if _explicit_tag(node):  # e.g. !!int abc would not even construct
            self._missed(node, node, "yaml-tag", tag=tag)
            return node.value
        if tag == _TAG + "str":
            return _paragraphs(node.value, node.style)
        if tag == _TAG + "timestamp":
            return node.value  # dates stay text; validation checks that they exist
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        return node.value  # YAML 1.1's other implicit tags ("=" is a "value"): text

    def _missed(self, node: yaml.Node, at: yaml.Node, code: str, **params: Any) -> None:
        """An alias or a tag on node, reported at `at` unless node_properties found it."""
        if node.start_mark.index in self.recorded:
            return
        self.missed = True
        if "tag" in params:
            params["tag"] = str(params["tag"]).replace(_TAG, "!!")
        self._report(at, code, **params)

    def _report(self, node: yaml.Node, code: str, **params: Any) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.record.problems.append(Problem(self.record.display, line, column, code, params))


def _paragraphs(text: str, style: str | None) -> str:
    """A text as the page shows it: every style but the literal one ("|") turns a blank line
    into one line break, which is kept a paragraph break, as it is in the file."""
    return text.replace("\n", "\n\n") if style != "|" and "\n" in text else text
