"""Translation status: for every record and language, complete, incomplete, missing, stale,
unmarked or invalid.

A translation is stale when the original's text changed after the revision the translation
names in `translated_from`; incomplete when it is current but leaves out a text the original
has (the site shows the original's there). Marking a translation up to date writes the current revision into
the YAML file, editing only that one line so comments and layout stay as the author left them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from .labels import Labels
from .load import RecordFile, translation_name
from .revision import TRANSLATED_FROM, revision_in_yaml, text_revision
from .vocabulary import LANGUAGES

State = Literal["original", "complete", "incomplete", "missing", "stale", "unmarked", "invalid"]
STATES: tuple[State, ...] = ("original", "complete", "incomplete", "missing", "stale", "unmarked",
                             "invalid")


@dataclass(frozen=True)
class TranslationStatus:
    record: str
    kind: str
    file: str
    lang: str
    state: State


def translation_status(files: list[RecordFile]) -> list[TranslationStatus]:
    """One entry per record and language, for every file. A file whose translations cannot be
    told (it is not readable YAML, or its texts are not blocks of fields) is listed as invalid
    in every language, never left out: `sectorguide validate` says why."""
    rows = []
    for record in files:
        data = record.data or {}
        record_id, kind = data.get("id"), data.get("kind")
        # a translation in a file of its own ("<id>.es.yaml") is listed by its file's name: it
        # is not the record whose id it repeats (validate says where its text goes)
        name = record.stem
        if isinstance(record_id, str) and record_id and not translation_name(record.stem):
            name = record_id
        texts, original = data.get("text"), data.get("original_language")
        states: dict[str, State] = {lang: "invalid" for lang in LANGUAGES}
        if isinstance(texts, dict) and isinstance(original, str) and isinstance(texts.get(original), dict):
            current = text_revision(texts[original])
            states = {lang: _state(texts, original, lang, current) for lang in LANGUAGES}
        for lang in LANGUAGES:
            rows.append(TranslationStatus(name, kind if isinstance(kind, str) else "",
                                          record.display, lang, states[lang]))
    return rows


def _state(texts: dict[str, object], original: str, lang: str, current: str) -> State:
    if lang == original:
        return "original"
    if lang not in texts:
        return "missing"
    block = texts[lang]
    if not isinstance(block, dict):
        return "invalid"  # `es: just a string`, or `es:` with nothing
    if TRANSLATED_FROM not in block:
        return "unmarked"  # not yet said which original it was made from (validate refuses it)
    if block.get(TRANSLATED_FROM) != current:
        return "stale"
    return "incomplete" if _left_out(texts[original], block) else "complete"


def _left_out(source: object, block: dict[str, object]) -> list[str]:
    """The texts of the original that a translation does not have."""
    if not isinstance(source, dict):
        return []
    return [key for key in source if key != TRANSLATED_FROM and key not in block]


def untranslated_fields(record: RecordFile, lang: str) -> list[str]:
    """The texts of the original that the record's LANG translation leaves out."""
    data = record.data or {}
    texts, original = data.get("text"), data.get("original_language")
    if not isinstance(texts, dict) or not isinstance(texts.get(lang), dict):
        return []
    return _left_out(texts.get(original), texts[lang])


def status_rows_as_dicts(rows: list[TranslationStatus]) -> list[dict[str, str]]:
    return [asdict(row) for row in rows]


class MarkError(Exception):
    """The translation cannot be marked: why and what to do, as a label (`mark_...`) and its
    values, said in the contributor's language."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str) -> str:
        return Labels(lang)(self.key, **self.values)


def check_markable(record: RecordFile, lang: str) -> None:
    """Whether text.LANG can be marked at all: MarkError says why not."""
    path = record.path
    data = record.data or {}
    texts, original = data.get("text"), data.get("original_language")
    if record.problems or not isinstance(texts, dict) or not isinstance(original, str):
        raise MarkError("mark_has_problems", file=str(path))
    if lang == original:
        raise MarkError("mark_is_original", file=str(path), lang=lang)
    if original not in texts:
        raise MarkError("mark_has_problems", file=str(path))
    for block in (original, lang):
        if block in texts and not isinstance(texts[block], dict):  # `en: just a string`
            raise MarkError("mark_not_a_block", file=str(path), lang=block)
    if not isinstance(texts.get(lang), dict):
        raise MarkError("mark_no_block", file=str(path), lang=lang)


def marked_blocks(record: RecordFile, lang: str) -> list[tuple[int, int]]:
    """The lines of the texts that marking LANG vouches for: its block and the original's."""
    original = (record.data or {}).get("original_language")
    spans = [record.lines_of(("text", block)) for block in (lang, original) if isinstance(block, str)]
    return [span for span in spans if span is not None]


def mark_translated(record: RecordFile, lang: str) -> str:
    """Record that text.LANG of this record's file matches the current original (the record as
    the project loads it: a link or a file outside the records is refused there). Returns the
    revision."""
    check_markable(record, lang)
    path = record.path
    data = record.data or {}
    texts, original = data["text"], data["original_language"]
    revision = text_revision(texts[original])
    written = revision_in_yaml(revision)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    line, column = record.value_mark(("text", lang)) or (0, 0)
    if lines[line - 1][column - 1 : column] == "{":
        raise MarkError("mark_in_braces", file=str(path), lang=lang, line=f"{TRANSLATED_FROM}: {written}")
    existing = record.value_mark(("text", lang, TRANSLATED_FROM))
    if existing:
        line, column = existing
        ending = "\n" if lines[line - 1].endswith("\n") else ""
        lines[line - 1] = lines[line - 1][: column - 1] + written + ending
    else:
        lines.insert(line - 1, " " * (column - 1) + f"{TRANSLATED_FROM}: {written}\n")
    path.write_text("".join(lines), "utf-8")
    return revision
