"""What a YAML syntax error means, said so that a contributor can fix it.

libyaml stops where it can no longer read the file and says why in its own terms ("did not
find expected key"), in English, often a line after the mistake. The common mistakes have a
recognizable shape: the error, its context and the lines around them tell which one it is,
where it was made and what the line should say. Anything else is reported as libyaml says it.
Anchors, aliases and tags, which libyaml reads without complaint, are found in its events and
said the same way: in a record they are a text starting with "&", "!" or "*" whose first word
YAML took for itself.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

import yaml

from .yamlread import LOADER

_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(?:\s|$)")
# "title:Mapeo", "- id:mihr": a field's name with its value glued to the colon (not "http://")
_GLUED = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(?!//)(\S.*)$")
# "organizations: []" (or "{}"), a field given an empty value on its own line
_EMPTY_FLOW = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):\s*(\[\s*\]|\{\s*\})\s*(?:#.*)?$")
# A value (after "name: " or "- ") that starts with a character YAML keeps for itself
_SPECIAL_START = "*&@`%|>!"
# What an anchor (&), an alias (*) and a tag (!) start with, where a node can start (after a
# space, a line break, a bracket, a comma, a colon, or the "?" that starts a key in brackets:
# "{?&b k: v}"): a file without any has none, and "R&D" or "?a=1&b=2" do not cost a second
# reading
_PROPERTY_CHARS = re.compile(r"(?:^|[\s\[{,:?])[&*!]")
# An anchor or a tag written at the start of a node ("&a !b text"), with the spaces after it
_PROPERTY = re.compile(r"[&!]\S*\s*")
# An anchor as libyaml reads its name, with the spaces after it
_ANCHOR = re.compile(r"&([0-9A-Za-z_-]+)[ \t]*")
# The tag of a node, after its anchor if any; and a tag written as "!" and a word
# ("!Importante"), which is the first word of a text, unlike "!!int", "!<...>", "! " or a %TAG
# handle ("!e!case"), which are tags
_WRITTEN_TAG = re.compile(r"(?:&\S*\s+)?(!\S*)")
_WORD_TAG = re.compile(r"![^!<]+")
# An anchor or a tag at the start of a node as libyaml reads it (a tag runs to a space or the
# line's end), with the spaces after it on its line
_LINE_PROPERTY = re.compile(r"(?:&[0-9A-Za-z_-]+|!\S*)[ \t]*")
# What a key that is not plain text is said to be, YAML 1.1's merge key ("<<") among them
NOT_PLAIN_KEY = "a field name must be plain text"
_SPECIAL_PROBLEMS = ("did not find expected alphabetic or numeric character",
                     "found character that cannot start any token",
                     "did not find expected comment or line break", "found undefined alias")


# Where a node stands: a value on its line ("title: x", "- x"), in brackets ("[x]",
# "{k: x}"), a key, or the whole document
Place = Literal["value", "bracketed", "key", "document"]


@dataclass(frozen=True)
class SyntaxMistake:
    """Where a mistake was made (1-based), its problem code and the values its message needs."""

    line: int
    column: int
    code: str
    params: dict[str, str] = field(default_factory=dict)


# Line breaks to YAML that an editor shows inside a line: the lines libyaml counts are not
# the ones the contributor sees, so nothing is said about them.
_HIDDEN_BREAKS = re.compile("[\u0085\u2028\u2029]")


def explain(text: str, error: yaml.MarkedYAMLError) -> SyntaxMistake:
    lines = text.splitlines()
    problem, context = error.problem or "", error.context or ""
    at, where = error.problem_mark, error.context_mark
    if at is None or _HIDDEN_BREAKS.search(text):
        return _as_said(error, at or where)
    if problem in _SPECIAL_PROBLEMS:
        start = where if where is not None and problem != "found undefined alias" else at
        return special_start(lines, start.line, start.column) or _as_said(error, at)
    if problem.startswith("mapping values are not allowed"):
        return _colon(lines, at.line, at.column) or _as_said(error, at)
    if problem == "did not find expected key" and "block mapping" in context:
        return (_after_empty(lines, at.line) or _after_quote(lines, at.line, at.column)
                or _misplaced_item(lines, at.line) or _indentation(lines, at.line)
                or _as_said(error, at))
    if problem == "did not find expected '-' indicator":
        return (_misplaced_item(lines, at.line) or _in_list_item(lines, at.line)
                or _as_said(error, at))
    if problem == "could not find expected ':'" and where is not None:
        return _missing_colon(lines, where.line)
    closing = re.fullmatch(r"did not find expected ',' or '([\]}])'", problem)
    if closing and where is not None:
        opening = "[" if closing[1] == "]" else "{"
        written = _line(lines, where.line).rstrip()
        return SyntaxMistake(where.line + 1, where.column + 1, "yaml-unclosed",
                             {"opening": opening, "closing": closing[1],
                              "fixed": written.strip() + closing[1]})
    return _as_said(error, at)


def unclosed_quote(text: str, error: yaml.MarkedYAMLError) -> SyntaxMistake | None:
    """A quote that is never closed: said where it opens (libyaml says where the file, or the
    next quote lines later, ends), with the line as it should end."""
    where = error.context_mark
    if where is None or "quoted scalar" not in (error.context or ""):
        return None
    line = _line(text.splitlines(), where.line).rstrip()
    quote = line[where.column] if where.column < len(line) else '"'
    return SyntaxMistake(where.line + 1, where.column + 1, "yaml-unclosed-quote",
                         {"quote": quote, "fixed": line.strip() + quote})


def tab(text: str, number: int, column: int) -> SyntaxMistake:
    """A tab where YAML wants spaces (line and column 0-based). In a line's indentation: with
    the spaces the line should start with, those of the field above it (after its dash when it
    starts a list item; those of the dash when the line is another item), or two more when
    that field opens a block ("key:" alone, or a "|" or ">" text). Elsewhere (after a list's
    dash): a space instead."""
    lines = text.splitlines()
    line = _line(lines, number)
    if line[:column].strip(" \t"):
        return SyntaxMistake(number + 1, column + 1, "yaml-tab-in-line")
    _, above = _above(lines, number)
    opens = re.search(r":(\s+[|>][-+]?)?\s*(#.*)?$", above) is not None
    item = _ITEM_START.match(above)
    assert item is not None  # it matches every line, if only with nothing
    if item[2] and line[column:].lstrip(" \t").startswith("-"):
        spaces = len(item[1])  # another item of the list above
    else:  # a field aligned with the fields above (of its list item), or one below them
        spaces = len(item[0]) + (2 if opens else 0)
    if not spaces:  # a field of the record: it starts the line
        return SyntaxMistake(number + 1, column + 1, "yaml-tab-top-level", {"spaces": "0"})
    return SyntaxMistake(number + 1, column + 1, "yaml-tab", {"spaces": str(spaces)})


def special_start(lines: list[str], number: int, column: int) -> SyntaxMistake | None:
    """A value that starts with a character YAML reserves ("title: * Mapeo", "title: > 50
    people" on one line, "title: !important"): line and column 0-based, where the value starts.
    None when the character does not start a field's value or a list item."""
    line = _line(lines, number)
    key = _KEY.match(line[:column])
    if key and key[2] == "<<" and not line[key.end():column].strip():
        # YAML 1.1's merge key ("<<: *defaults", the anchor undefined): said as the loader
        # says a merge key, not as a value to quote
        return SyntaxMistake(number + 1, len(key[1]) + 1, "yaml-syntax", {"detail": NOT_PLAIN_KEY})
    return _special_start(line[:column], line[column:].strip(), number, column)


def _special_start(before: str, value: str, number: int, column: int, *,
                   own_line: bool = False) -> SyntaxMistake | None:
    """The mistake, with the line as it should be, when `value` starts with a reserved
    character after a field's name or a list's dash (`before`, the line up to the value), or
    at the start of its line when it is known to be a value (own_line)."""
    if not _starts_value(before, value, own_line):
        return None
    return SyntaxMistake(number + 1, column + 1, "yaml-special-start",
                         {"char": value[0], "fixed": f"{before.strip()} {quoted(value)}".lstrip()})


def _starts_value(before: str, value: str, own_line: bool) -> bool:
    start = before.strip()
    return bool(value) and value[0] in _SPECIAL_START and (
        start == "-" or (start.endswith(":") and _KEY.match(before) is not None)
        or (own_line and not start))


def _special_start_lines(text: str, before: str, value: str, number: int,
                         column: int) -> SyntaxMistake | None:
    """The same for a value written over several lines, which quotes on one line would not
    keep (its paragraph breaks; the lines below it would be left over): the line that opens
    it as a block instead, and how far to indent the text's lines below it. `before` is blank
    when the value starts below its field's name, whose line is then the one above."""
    if not _starts_value(before, value, own_line=True):
        return None
    if not before.strip():
        before = re.sub(r"\s+#.*$", "", _above(text.splitlines(), number)[1])
    start, key = before.strip(), _KEY.match(before)
    if not (start == "-" or (start.endswith(":") and key)):
        return None
    column_of_field = len(key[1]) if key else _indent(before)
    return SyntaxMistake(number + 1, column + 1, "yaml-special-start-lines",
                         {"char": value[0], "fixed": f"{start} |",
                          "spaces": str(column_of_field + 2)})


class Edit(NamedTuple):
    """What following a mistake's advice changes in its line: the text from `start` to `end`
    (indexes in the file's text) replaced."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class NodeProperty:
    """An anchor (&name), an alias (*name) or a tag (!name) written in a record, as the mistake
    it is. `text` is the value as written ("&Asociados Mineros"), which is what it reads once
    quoted (or written as a block) as the mistake says, or None when no such text stands for
    it (an alias, a tag such as "!!int"): then the data is not what the file says, unless the
    node reads as its plain value (`plain`: an anchor alone on a list, a mapping or a block of
    text, which names the value without changing it). `edit` is what its advice changes in
    its line, when the mistake's line as it should be ("fixed") is that line with the edits
    of every mark on it made (see _fixed_lines)."""

    mistake: SyntaxMistake
    index: int  # where the node starts in the text, as its node's start mark says
    text: str | None
    plain: bool = False
    edit: Edit | None = None


class _Open:
    """A mapping or a list being read: how many nodes it holds so far (in a mapping, an even
    count means that the next node is a key), whether it is written in brackets (flow), where
    a value has no line of its own to quote, and whether it is, or stands inside, the value of
    a merge key ("<<: *b"), which the merge key's own problem already says."""

    def __init__(self, mapping: bool, flow: bool, merged: bool) -> None:
        self.mapping, self.flow, self.merged, self.nodes = mapping, flow, merged, 0
        self.merge_next = False  # the key just read is "<<": the next node is its value


def node_properties(text: str) -> list[NodeProperty]:
    """Every anchor, alias and tag in a file that YAML reads (text as the loader reads it).

    Contributors never mean them: to YAML, "title: &Asociados Mineros" is the title
    "Mineros" under an anchor named "Asociados", and "title: !Importante taller" is "taller"
    with a tag. Where one starts a field's value, a list item or an item in brackets, it is a
    value starting with a character YAML reserves, said with the line as it should be, the
    value in quotes. An anchor alone on a list, a mapping, a block of text or a key is said
    with the line without it, or as a line to delete when it is all its line holds. Several
    of these on one line are each said with the line they all fix, tags removed from it.
    Elsewhere (an alias used as a key) and for a tag that is not "!" and a word ("!!int
    2022"), it is said as an alias or a tag. Under a merge key, nothing: the merge key is
    said instead.
    Found from the parser's events, which keep anchors that the node tree has already
    resolved away. Raises the parser's error for a text YAML cannot read.
    """
    # most files hold none of the three characters: a plain search is a thousand times as
    # fast as the pattern, which no literal starts (0.2 ms a record, a tenth of validation)
    if not ("&" in text or "*" in text or "!" in text) or not _PROPERTY_CHARS.search(text):
        return []
    found: list[NodeProperty] = []
    open_nodes: list[_Open] = []
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            open_nodes.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        parent = open_nodes[-1] if open_nodes else None
        key = parent is not None and parent.mapping and parent.nodes % 2 == 0
        place: Place = ("document" if parent is None else "key" if key
                        else "bracketed" if parent.flow else "value")
        merged = parent is not None and (parent.merged or (parent.merge_next and not key))
        if parent is not None:
            parent.nodes += 1
            parent.merge_next = key and _merge_key(event)
        if isinstance(event, yaml.CollectionStartEvent):
            flow = bool(event.flow_style) or (parent is not None and parent.flow)
            open_nodes.append(_Open(isinstance(event, yaml.MappingStartEvent), flow, merged))
        if not merged and (isinstance(event, yaml.AliasEvent) or event.anchor is not None
                           or getattr(event, "tag", None) is not None):
            found.append(_property(text, event, place))
    return _fixed_lines(text, found)


def _fixed_lines(text: str, found: list[NodeProperty]) -> list[NodeProperty]:
    """Each mark that says how its line should read ("countries: &c [PE, &x CL]") gets the
    line with every such mark on it fixed ('countries: [PE, "&x CL"]'): a line that kept the
    others would still be wrong, whichever advice the contributor followed. A tag is removed
    from that line too ("countries: &c [!!str PE]" reads "countries: [PE]") and said with it
    (yaml-tag-shared-line); on a line of tags only, which no advice shows, tags are said
    without a line ("remove the tag and write a plain value"). One line is made for all the
    marks on a line, so that a long line with many of them costs its length, not its length
    for each."""
    lines: dict[int, list[NodeProperty]] = {}
    for p in found:
        if p.edit is not None:
            lines.setdefault(p.mistake.line, []).append(p)
    fixed = {line: _edited_line(text, [p.edit for p in marks if p.edit is not None])
             for line, marks in lines.items()
             if any(p.mistake.code != "yaml-tag" for p in marks)}
    if not fixed:
        return found
    return [p if p.edit is None or p.mistake.line not in fixed else
            replace(p, mistake=_with_line(p.mistake, fixed[p.mistake.line])) for p in found]


def _with_line(mistake: SyntaxMistake, fixed: str) -> SyntaxMistake:
    """A mark's mistake said with its line as it should read; a tag takes the code that says
    it so."""
    code = "yaml-tag-shared-line" if mistake.code == "yaml-tag" else mistake.code
    return replace(mistake, code=code, params={**mistake.params, "fixed": fixed})


def _edited_line(text: str, edits: list[Edit]) -> str:
    """The line holding the edits as it reads once they are made, without its indentation."""
    line_start, line_end = _line_bounds(text, edits[0].start)
    parts: list[str] = []
    at = line_start
    for edit in sorted(edits):
        parts += (text[at:edit.start], edit.replacement)
        at = edit.end
    parts.append(text[at:line_end])
    return "".join(parts).strip()


def _merge_key(event: yaml.NodeEvent) -> bool:
    """Whether a key is YAML 1.1's merge key, "<<" unquoted."""
    return (isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.tag is None
            and event.style in ("", None))


def _property(text: str, event: yaml.NodeEvent, place: Place) -> NodeProperty:
    return (_reserved_start(text, event, place) or _anchor_alone(text, event, place)
            or _as_property(text, event, place))


def _reserved_start(text: str, event: yaml.NodeEvent, place: Place) -> NodeProperty | None:
    """An alias, or a text on one line under an anchor or a tag written as "!" and a word: a
    value that starts with a character YAML reserves, said with the line as it should be. None
    where no line says it so (a key, a block of text, a tag such as "!!int")."""
    start, end = event.start_mark, event.end_mark
    alias = isinstance(event, yaml.AliasEvent)
    tag: str | None = None if alias else getattr(event, "tag", None)
    # plain ("" from libyaml, None from PyYAML) or quoted, not a "|" or ">" block
    inline = isinstance(event, yaml.ScalarEvent) and event.style in ("", None, "'", '"')
    if place not in ("value", "bracketed") or not (alias or inline) or start is None or end is None:
        return None
    if tag is not None and not _word_tag(text, start.index, tag):
        return None
    written = _folded(text[start.index:end.index])
    if place == "bracketed":
        return _special_start_bracketed(event, written, None if alias else written)
    line_start, line_end = _line_bounds(text, start.index)
    before = text[line_start:start.index]
    one_line = start.line == end.line
    mistake = (_special_start(before, written, start.line, start.column, own_line=True)
               if one_line else
               _special_start_lines(text, before, written, start.line, start.column))
    if mistake is None:
        return None
    # the line as it should read, with the other marks on it (a key's anchor) fixed too: the
    # value in quotes, or "|" opening the block, in place of the rest of the line (a comment
    # after a value is dropped, as it always was); not when the value starts below its field
    replacement = quoted(written) if one_line else "|" if before.strip() else None
    edit = None if replacement is None else Edit(start.index, line_end, replacement)
    return NodeProperty(mistake, start.index, None if alias else written, edit=edit)


def _special_start_bracketed(event: yaml.NodeEvent, written: str,
                             as_written: str | None) -> NodeProperty | None:
    """An item in brackets that starts with a reserved character ("[&x CL, PE]",
    "{key: *k}"), said as a value that starts with one is anywhere else: with its line as it
    should be, the item in quotes (made by _fixed_lines). None for an item over several
    lines."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None or start.line != end.line:
        return None
    return NodeProperty(SyntaxMistake(start.line + 1, start.column + 1, "yaml-special-start",
                                      {"char": written[0]}),
                        start.index, as_written,
                        edit=Edit(start.index, end.index, quoted(written)))


def _anchor_alone(text: str, event: yaml.NodeEvent, place: Place) -> NodeProperty | None:
    """An anchor without a tag on a list, a mapping, a block of text or a field's name
    ("countries: &c", "context: &p |", "&k id: x"): it names the node for aliases without
    changing it, so the node reads as if it were not there (plain), and the line is said
    without it (made by _fixed_lines); when it is all its line holds, above the value it
    names ("&c" above "- PE", "&doc" above the record's fields), the line is to be deleted.
    None elsewhere."""
    start, anchor = event.start_mark, event.anchor
    block = isinstance(event, yaml.ScalarEvent) and event.style in ("|", ">")
    shaped = isinstance(event, yaml.CollectionStartEvent) or block or place == "key"
    if not shaped or anchor is None or getattr(event, "tag", None) is not None:
        return None
    written = _ANCHOR.match(text, start.index) if start is not None else None
    if start is None or written is None or written[1] != anchor:
        return None
    line, column, name = start.line + 1, start.column + 1, f"&{anchor}"
    if _alone_on_line(text, start.index - start.column, written):
        return NodeProperty(SyntaxMistake(line, column, "yaml-anchor-line", {"anchor": name}),
                            start.index, None, plain=True)
    return NodeProperty(SyntaxMistake(line, column, "yaml-anchor", {"anchor": name}),
                        start.index, None, plain=True, edit=Edit(start.index, written.end(), ""))


def _alone_on_line(text: str, line_start: int, written: re.Match[str]) -> bool:
    """Whether an anchor (with the spaces after it) is all its line holds. The end is looked
    at first: of many anchors on one long line, none costs the line's length."""
    end = written.end()
    return ((end == len(text) or text[end] in "\r\n")
            and not text[line_start:written.start()].strip(" \t"))


def _as_property(text: str, event: yaml.NodeEvent, place: Place) -> NodeProperty:
    """An anchor, an alias or a tag said as such, where no line says what to write instead."""
    start = event.start_mark
    tag: str | None = None if isinstance(event, yaml.AliasEvent) else getattr(event, "tag", None)
    line, column, index = (start.line, start.column, start.index) if start else (0, 0, -1)
    if tag is not None:
        return NodeProperty(SyntaxMistake(line + 1, column + 1, "yaml-tag",
                                          {"tag": tag.replace("tag:yaml.org,2002:", "!!")}),
                            index, None, edit=_tag_removed(text, event, place, index))
    return NodeProperty(SyntaxMistake(line + 1, column + 1, "yaml-alias"), index, None)


def _tag_removed(text: str, event: yaml.NodeEvent, place: Place, index: int) -> Edit | None:
    """A tag taken out of its line, with an anchor on the same node ("&s !!str 2022" reads
    "2022"), for the line that fixes the marks on it. None when no key would be left (an
    empty key, "!!str : x"), or the tag is not written where its node starts."""
    if index < 0:
        return None
    at, kinds = index, ""
    while (written := _LINE_PROPERTY.match(text, at)) is not None and text[at] not in kinds:
        kinds += text[at]
        at = written.end()
    empty = isinstance(event, yaml.ScalarEvent) and not event.value and event.style in ("", None)
    return None if "!" not in kinds or (place == "key" and empty) else Edit(index, at, "")


def _line_bounds(text: str, index: int) -> tuple[int, int]:
    """Where the line holding a place in the text starts and ends (before its line break)."""
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    ends = [at for at in (text.find("\n", index), text.find("\r", index)) if at >= 0]
    return start, min(ends, default=len(text))


def _word_tag(text: str, index: int, tag: str) -> bool:
    """Whether a node's tag is written as "!" and a word ("!Importante taller"), the first word
    of a text that YAML took for a tag; "!!int", "!<...>", a lone "!" or a %TAG handle
    ("!e!case", or "!word" when "!" itself is redefined) are tags, meant as such."""
    written = _WRITTEN_TAG.match(text, index)
    return written is not None and written[1] == tag and _WORD_TAG.fullmatch(tag) is not None


# YAML's line breaks
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _folded(written: str) -> str:
    """A value written over one line or several, as YAML reads it (not as a block): a line
    break between two lines is a space, each blank line a line break."""
    parts: list[str] = []
    blank = 0
    for line in _BREAK.split(written):
        line = line.strip(" \t")
        if not line:
            blank += 1
            continue
        if parts:
            parts.append("\n" * blank or " ")
        parts.append(line)
        blank = 0
    return "".join(parts)


def blanked(text: str, properties: list[NodeProperty]) -> str:
    """The text with the anchors and tags that start values blanked out ("&Asociados
    Mineros" as "_Asociados Mineros"), and the anchors that name a node without changing it
    given names of their own ("&k id: x" and "&k kind: y" as "&0 id: x" and "&1 kind: y";
    blanked out, the field's name would move right and leave its mapping), so that the
    composer, which stops at an anchor written twice, reads the rest of the record; every value
    starts where it did (each mark holds), and reads as its property's text, or as its plain
    value."""
    chars = list(text)
    named: dict[int, int] = {}  # names given so far, by length
    for found in (p for p in properties if p.plain):
        anchor = _ANCHOR.match(text, found.index)
        if anchor is None:
            continue
        number = named.get(len(anchor[1]), 0)
        named[len(anchor[1])] = number + 1
        name = _anchor_name(number, len(anchor[1]))
        if name is not None:
            chars[anchor.start(1):anchor.end(1)] = name  # one character each
        else:  # past the 64 names of one character: "countries:   " still reads
            chars[anchor.start():anchor.end()] = " " * len(anchor[0])
    for found in (p for p in properties if p.text is not None):
        at, kinds = found.index, ""  # an anchor, a tag, or both in either order
        while (token := _PROPERTY.match(text, at)) is not None and text[at] not in kinds:
            kinds += text[at]
            chars[at] = "_"
            at = token.end()
    return "".join(chars)


_ANCHOR_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"


def _anchor_name(number: int, length: int) -> str | None:
    """The number-th anchor name of a length (a name no other number gets), None past the
    last one."""
    digits = ""
    while number or not digits:
        number, digit = divmod(number, len(_ANCHOR_CHARS))
        digits += _ANCHOR_CHARS[digit]
    return digits.ljust(length, "0") if len(digits) <= length else None


def quoted(value: str) -> str:
    """A value as a double-quoted YAML string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _as_said(error: yaml.MarkedYAMLError, mark: yaml.Mark | None) -> SyntaxMistake:
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return SyntaxMistake(line, column, "yaml-syntax", {"detail": error.problem or str(error)})


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


_ITEM_START = re.compile(r"( *)((?:- +)*)")  # a line's indentation, then its list dashes


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _colon(lines: list[str], number: int, column: int) -> SyntaxMistake | None:
    """": " where YAML reads a field's value: either inside an unquoted value ("title: Lessons:
    what we learned"), or starting a line indented as if it continued the value above."""
    line = _line(lines, number)
    key = _KEY.match(line)
    if key and key.end(2) < column:  # a second ": " on a line that starts a field
        value = line[key.end():].strip()
        dash = key[1].lstrip()  # "- " when the field starts a list item
        return SyntaxMistake(number + 1, column + 1, "yaml-colon-in-text",
                             {"key": key[2].strip(),
                              "fixed": f"{dash}{key[2].strip()}: {quoted(value)}"})
    if key and key.end(2) == column:
        return (_glued(lines, number) or _colon_in_lines(lines, number, key[2].strip())
                or _indentation(lines, number))
    return None


def _glued(lines: list[str], number: int) -> SyntaxMistake | None:
    """The field above this one has its value glued to its colon ("title:Mapeo", "- id:mihr"):
    YAML reads that line as the start of a text going on into this one."""
    n, above = _above(lines, number)
    glued = _GLUED.match(above)
    if not glued or _KEY.match(above) or len(glued[1]) != _indent(_line(lines, number)):
        return None
    written = above.strip()
    return SyntaxMistake(n + 1, len(glued[1]) + 1, "yaml-missing-colon",
                         {"written": written, "fixed": written.replace(":", ": ", 1)})


def _colon_in_lines(lines: list[str], number: int, name: str) -> SyntaxMistake | None:
    """A line with ": " that goes on with the unquoted text of the field above it, indented
    more ("context: First part." then "  Second: part."): the text must be a block. A
    field's name ("summary") is rather a field indented too far."""
    if re.fullmatch(r"[a-z][a-z0-9_]*", name):
        return None
    start = _indent(_line(lines, number))
    n, above = _above(lines, number)
    while n >= 0 and _indent(above) >= start and not _KEY.match(above):
        n, above = _above(lines, n)
    field = _KEY.match(above)
    value = above[field.end():].strip() if field else ""
    if not field or _indent(above) >= start or not value or value[0] in "|>'\"[{&*!":
        return None
    return SyntaxMistake(number + 1, start + 1, "yaml-colon-in-lines",
                         {"key": field[2].strip(), "spaces": str(_indent(above) + 2)})


def _after_empty(lines: list[str], number: int) -> SyntaxMistake | None:
    """Items written below a field that already has a value, "[]" or "{}", on its line (the
    skeleton's "organizations: []")."""
    line = _line(lines, number)
    _, above = _above(lines, number)
    empty = _EMPTY_FLOW.match(above)
    if not empty or not (_indent(line) > _indent(above) or line.lstrip().startswith("-")):
        return None
    return SyntaxMistake(number + 1, _indent(line) + 1, "yaml-items-after-empty",
                         {"key": empty[2].strip(), "empty": empty[3],
                          "fixed": f"{empty[1].lstrip()}{empty[2].strip()}:"})


def _after_quote(lines: list[str], number: int, column: int) -> SyntaxMistake | None:
    """Text after the closing quote of a value: 'It's', "the "best" way"."""
    line = _line(lines, number)
    before = line[:column]
    if column <= _indent(line) or not re.search(r":\s+['\"]", before):
        return None
    return SyntaxMistake(number + 1, column + 1, "yaml-text-after-quote")


def _indentation(lines: list[str], number: int, *,
                 list_items: bool = False) -> SyntaxMistake | None:
    """A line indented unlike the lines of its block: said with the indentation of the line
    above, which is what the eye compares it with (None when the two are alike: the mistake
    is something else)."""
    line = _line(lines, number)
    _, above = _above(lines, number)
    if _indent(line) == _indent(above) and not list_items:
        return None
    if not list_items and (odd := _field_out_of_line(lines, number)):
        return odd
    code = "yaml-list-indentation" if list_items else "yaml-indentation"
    return SyntaxMistake(number + 1, _indent(line) + 1, code,
                         {"found": str(_indent(line)), "above": str(_indent(above))})


def _field_out_of_line(lines: list[str], number: int) -> SyntaxMistake | None:
    """A text field further left than the fields above and below it, which it belongs with:
    "    summary: x" / "  context: |" / its text, indented as under a field at 4 / "    lessons:".
    YAML stumbles on the line after its text ("lessons:"), where the fields were; the field
    is the mistake. None when the lines around are not so (a field further left with no such
    text may be where it belongs, and the next line the mistake)."""
    indent = _indent(_line(lines, number))
    n, owner = _above(lines, number)
    text_indent = None
    while n >= 0 and _indent(owner) > indent:  # the field's text
        text_indent = _indent(owner)
        n, owner = _above(lines, n)
    if n < 0 or text_indent != indent + 2 or _indent(owner) >= indent or _ITEM.match(owner):
        return None
    if not (_KEY.match(owner) and re.search(r":\s+[|>][-+]?\s*(#.*)?$", owner)):
        return None
    _, before = _above(lines, n)
    if _indent(before) != indent or not _KEY.match(before) or _ITEM.match(before):
        return None
    return SyntaxMistake(n + 1, _indent(owner) + 1, "yaml-indentation",
                         {"found": str(_indent(owner)), "above": str(indent)})


_ITEM = re.compile(r"[ \t]*-(?:[ \t]|$)")


def _misplaced_item(lines: list[str], number: int) -> SyntaxMistake | None:
    """A list item ("- id: mihr") whose dash is not under the dashes of the items above it,
    one space or so off: said with the column of their dashes. None when the line is not an
    item, or no item of the same list stands above it (a field further left comes first)."""
    line = _line(lines, number)
    if not _ITEM.match(line):
        return None
    start = _indent(line)
    n, above = _above(lines, number)
    while n >= 0:
        indent = _indent(above)
        if _ITEM.match(above):
            if indent == start:
                return None
            return SyntaxMistake(number + 1, start + 1, "yaml-item-indentation",
                                 {"column": str(indent + 1), "found_column": str(start + 1),
                                  "spaces": str(indent)})
        if indent < start:
            return None
        n, above = _above(lines, n)
    return None


def _in_list_item(lines: list[str], number: int) -> SyntaxMistake | None:
    """A line below a list item ("  - id: mihr"): at the dash's column it is not an item; at
    another column it is a field of the item not aligned with the item's first field."""
    line = _line(lines, number)
    _, above = _above(lines, number)
    item = re.match(r"(\s*)-\s+", above)
    if item and _indent(line) != _indent(above):
        return SyntaxMistake(number + 1, _indent(line) + 1, "yaml-indentation",
                             {"found": str(_indent(line)), "above": str(item.end())})
    return _indentation(lines, number, list_items=True)


def _above(lines: list[str], number: int) -> tuple[int, str]:
    """The line above that holds something (not blank, not a comment), with its number."""
    return next(((n, _line(lines, n)) for n in range(number - 1, -1, -1)
                 if _line(lines, n).strip() and not _line(lines, n).lstrip().startswith("#")),
                (-1, ""))


def _continues(value: str, written: str) -> bool:
    """Whether a line reads as more of the text of the field above (value: what follows its
    "name:") rather than as a field whose ": " was forgotten ("sector mining")."""
    if value in ("|", "|-", ">", ">-"):
        return True
    if not value or value[0] in "[{'\"" or re.match(r"[^\s:]+:", written):
        return False
    # "sector mining": a field's name and a one-word value; prose goes on longer, or ends a
    # sentence
    return written.endswith((".", ",", ";")) or not re.fullmatch(r"[a-z_]+(\s+\S+)?", written)


def _missing_colon(lines: list[str], number: int) -> SyntaxMistake:
    """A line that starts a field without ": " after its name ("sector mining", "b:2"), or
    that goes on with the text of the field above without being indented more than it."""
    line = _line(lines, number)
    start = _indent(line)
    written = line.strip()
    _, above = _above(lines, number)
    field = _KEY.match(above)
    # "context: Before the workshop, firms" then "could not find..." at the same column, or
    # further left when it is prose (several words and no colon)
    left = _indent(above) > start and " " in written and ":" not in written
    if field and (_indent(above) == start or left) and _continues(
            above[field.end():].strip(), written):
        return SyntaxMistake(number + 1, start + 1, "yaml-continuation",
                             {"key": field[2].strip(), "spaces": str(_indent(above) + 2)})
    if re.match(r"[^\s:]+:\S", written):
        fixed = written.replace(":", ": ", 1)
    else:
        fixed = re.sub(r"\s+", ": ", written, count=1) if " " in written else written + ":"
    return SyntaxMistake(number + 1, start + 1, "yaml-missing-colon",
                         {"written": written, "fixed": fixed})


# --- reading past a mistake ----------------------------------------------------------------

# Mistakes whose advice is their line as it should read ("fixed"), without its indentation
_FIXED_LINE = frozenset({"yaml-colon-in-text", "yaml-missing-colon", "yaml-unclosed",
                         "yaml-unclosed-quote", "yaml-special-start"})


def repaired_lines(lines: list[str], mistake: SyntaxMistake) -> dict[int, str] | None:
    """The lines (0-based) that following a mistake's advice changes, each as it then reads:
    its line as it should be, a tab turned into spaces, a list item moved under the items
    above it (with its other lines). The file keeps its number of lines. None when the
    advice gives no such line: what the contributor meant cannot be known."""
    number = mistake.line - 1
    line = _line(lines, number)
    lead = len(line) - len(line.lstrip(" \t"))
    params = mistake.params
    if mistake.code in ("yaml-tab", "yaml-tab-top-level"):
        return {number: " " * int(params["spaces"]) + line[lead:]}
    if mistake.code == "yaml-tab-in-line" and line[mistake.column - 1:mistake.column] == "\t":
        return {number: line[:mistake.column - 1] + " " + line[mistake.column:]}
    if mistake.code == "yaml-item-indentation":
        return _item_moved(lines, number, int(params["spaces"]))
    if mistake.code == "yaml-items-after-empty":
        n, above = _above(lines, number)
        return {n: above[:_indent(above)] + params["fixed"]} if n >= 0 else None
    if mistake.code in ("yaml-unclosed", "yaml-unclosed-quote") and _continued(lines, number):
        return None  # the value may go on below: closing it here would misread those lines
    if mistake.code in _FIXED_LINE and "fixed" in params:
        return {number: line[:lead] + params["fixed"]}
    return None


def _continued(lines: list[str], number: int) -> bool:
    """Whether the next line with text is indented deeper than this one (its continuation)."""
    below = next((line for line in lines[number + 1:] if line.strip()), "")
    return bool(below) and _indent(below) > _indent(_line(lines, number))


def _item_moved(lines: list[str], number: int, spaces: int) -> dict[int, str]:
    """A list item's dash line moved so that its dash starts after `spaces` spaces; the item's
    lines below it too when the first of them stands under its first field (moved with the
    dash by mistake), not when it already stands where the item is meant to be."""
    line = _line(lines, number)
    start = _indent(line)
    field = re.match(r"[ \t]*-[ \t]*", line)
    width = field.end() - start if field else 2
    shift = spaces - start
    moved = {number: " " * spaces + line[start:]}
    below = [n for n in range(number + 1, len(lines)) if lines[n].strip()
             and not lines[n].lstrip().startswith("#")]
    if not below or _indent(lines[below[0]]) != start + width:
        return moved
    for n in below:
        if _indent(lines[n]) <= max(start, spaces):
            break
        moved[n] = " " * (_indent(lines[n]) + shift) + lines[n].lstrip(" ")
    return moved


_MATCHED_LINE = 2000  # characters of a repaired line whose kept text is matched in full


@dataclass(frozen=True)
class ColumnMap:
    """Where the columns of a line as it was read after a repair stand in the line as the file
    writes it, made once per line (matching the two costs the square of their length; a
    line longer than _MATCHED_LINE is matched on its kept start only)."""

    written: str
    read: str
    blocks: tuple[tuple[int, int, int], ...]  # (in written, in read, length), indentation aside

    @classmethod
    def of(cls, written: str, read: str) -> ColumnMap:
        body_w, body_r = written.lstrip(" \t"), read.lstrip(" \t")
        blocks: tuple[tuple[int, int, int], ...]
        if len(body_r) > _MATCHED_LINE:
            blocks = ((0, 0, len(os.path.commonprefix([body_w, body_r]))),)
        else:
            matcher = difflib.SequenceMatcher(None, body_w, body_r, autojunk=False)
            blocks = tuple((a, b, size) for a, b, size in matcher.get_matching_blocks())
        return cls(written, read, blocks)

    def column(self, column: int) -> int | None:
        """The file's column (1-based) of a column of the line as read: in text the repair
        kept, where that text is written; at text the repair added before kept text (an
        opening quote), where the kept text starts. None in what the repair changed."""
        lead_w = len(self.written) - len(self.written.lstrip(" \t"))
        lead_r = len(self.read) - len(self.read.lstrip(" \t"))
        at = column - 1 - lead_r
        if at < 0:
            return None
        for a, b, size in self.blocks:
            if b <= at < b + size:
                return lead_w + a + at - b + 1
            if at < b and size:  # added before this kept text
                added = self.read[lead_r + at:lead_r + b]
                return lead_w + a + 1 if not added.strip("\"'") else None
        return None


def column_in_file(written: str, read: str, column: int) -> int | None:
    """Where a column (1-based) of a line as read after a repair stands in the file's line."""
    return ColumnMap.of(written, read).column(column)
