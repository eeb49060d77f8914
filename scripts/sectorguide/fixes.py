"""`sectorguide validate --fix`: repairs that need no judgement, each one reported.

Every repair keeps the record's data exactly as it was (checked by loading it again), so
--fix can only change form: whitespace, line endings, the order of fields, the file name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .labels import Labels
from .load import translation_name, windows_1252
from .vocabulary import KIND_ORDER

_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:")


@dataclass(frozen=True)
class Fix:
    """One repair: its kind (a key of the label catalog, `fix_KIND`) and what it needs said."""

    file: str
    kind: str
    name: str = ""  # the new file name, for a rename

    def text(self, lang: str = "en") -> str:
        t = Labels(lang)
        return f"{self.file}: {t('fixed')}{t('colon')}{t('fix_' + self.kind, name=self.name)}"

    def __str__(self) -> str:
        return self.text()


def _data(text: str) -> Any:
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None


def fix_file(path: Path, display: str, field_order: dict[str, list[str]]) -> list[Fix]:
    """Apply every mechanical repair to one file; returns what changed."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    try:
        text = raw.decode("utf-8")
        converted: list[Fix] = []
    except UnicodeDecodeError:
        read = windows_1252(raw)
        if read is None:
            return []
        text, converted = read, [Fix(display, "encoding")]
    before = _data(text)
    fixes = _repaired(text, field_order, display)
    new = fixes[-1][1] if fixes else text
    if new != text and _data(new) != before:  # a repair changed the data: only re-encode
        fixes, new = [], text
    if fixes or converted:  # written once, bytes as they are (no newline translation)
        path.write_bytes(new.encode("utf-8"))
    renamed = _rename_to_id(path, display, _data(new))
    return converted + [fix for fix, _ in fixes] + renamed


def _repaired(text: str, field_order: dict[str, list[str]],
              display: str) -> list[tuple[Fix, str]]:
    """Each form repair that changes the text, with the text after it, in order."""
    def reordered(current: str) -> str:
        moved = _reorder(current, field_order)
        return moved if _data(moved) == _data(current) else current

    repairs: tuple[tuple[str, Callable[[str], str]], ...] = (
        ("bom", lambda t: t.removeprefix("\ufeff")),
        ("line_endings", lambda t: t.replace("\r\n", "\n").replace("\r", "\n")),
        ("trailing_spaces", lambda t: "\n".join(line.rstrip(" \t") for line in t.split("\n"))),
        ("final_newline", lambda t: t if not t or t.endswith("\n") else t + "\n"),
        ("field_order", reordered),
    )
    steps: list[tuple[Fix, str]] = []
    current = text
    for kind, repair in repairs:
        after = repair(current)
        if after != current:
            steps.append((Fix(display, kind), after))
            current = after
    return steps


def _reorder(text: str, field_order: dict[str, list[str]]) -> str:
    """Top-level fields (with the comments just above them) in the order the schema lists them."""
    data = _data(text)
    if not isinstance(data, dict) or "\n---" in text or text.startswith("---"):
        return text
    order = field_order.get(str(data.get("kind")), [])
    if not order:
        return text
    lines = text.split("\n")
    head: list[str] = []
    blocks: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for line in lines:
        match = _TOP_KEY.match(line)
        if match:
            blocks.append((match.group(1), pending + [line]))
            pending = []
        elif blocks and (line.startswith((" ", "\t", "-")) or line == "" and not pending):
            blocks[-1][1].append(line)
        elif line.startswith("#") or line == "":
            (pending if blocks else head).append(line)
        else:
            return text  # a top-level form we do not move safely
    rank = {key: index for index, key in enumerate(order)}
    ordered = sorted(blocks, key=lambda block: rank.get(block[0], len(rank)))
    tail_blank = [] if not pending else pending
    body = [line for _, block in ordered for line in block]
    result = "\n".join(head + body + tail_blank)
    return result if result.endswith("\n") else result + "\n"


def _rename_to_id(path: Path, display: str, data: Any) -> list[Fix]:
    record_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(record_id, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record_id):
        return []
    target = path.with_name(f"{record_id}{path.suffix}")
    if target == path or target.exists() or translation_name(path.stem):
        return []
    path.rename(target)
    return [Fix(display, "renamed", target.name)]


def schema_field_order(schema: dict[str, Any]) -> dict[str, list[str]]:
    """The order of top-level fields for each kind, as the schema lists them."""
    defs = schema["$defs"]
    case_fields = list(defs["case"]["properties"])
    return {**dict.fromkeys(KIND_ORDER, case_fields),
            "organization": list(defs["organization"]["properties"]),
            "challenge": list(defs["challenge"]["properties"])}
