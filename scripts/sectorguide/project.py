"""Where a guide's parts live: one place that knows the folders, so no stage hard-codes them."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .chapters import chapter_paths, chapter_problems
from .history import last_changed
from .load import RecordFile, load_record_file
from .model import Guide, build_guide
from .problems import Problem
from .validate import RecordSchema, Validation, check_file, validate

RECORD_SUFFIXES = (".yaml", ".yml")


class MissingSchema(Exception):
    """The repository has no schema/sectorguide.schema.json: it is not a guide's repository."""


class InvalidRecords(Exception):
    """The records do not validate; the validation says why."""

    def __init__(self, validation: Validation) -> None:
        super().__init__(f"{len(validation.errors)} error(s) in the records")
        self.validation = validation


@dataclass(frozen=True)
class Project:
    """A guide's repository: records, schema, chapters and the built site.

    With `remember`, a file's check is kept for the rest of the process and reused while its
    bytes stay the same: for the builds that validate more than once (`sectorguide build`,
    `sectorguide serve` after every edit). A single `validate` has nothing to reuse.
    """

    root: Path
    remember: bool = False

    @property
    def records_dir(self) -> Path:
        return self.root / "case_studies"

    @property
    def schema_path(self) -> Path:
        return self.root / "schema" / "sectorguide.schema.json"

    def schema(self) -> RecordSchema:
        """The records' schema; MissingSchema when the repository has none (not a guide's)."""
        if not self.schema_path.is_file():
            raise MissingSchema(self.display(self.schema_path))
        return RecordSchema.from_file(self.schema_path)

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    def display(self, path: Path) -> str:
        """The path as a contributor knows it: relative to the repository when inside it."""
        try:
            return path.absolute().relative_to(self.root.absolute()).as_posix()
        except ValueError:
            return str(path)

    def record_paths(self, named: Sequence[Path] = ()) -> list[Path]:
        """The files a command takes as records, the one rule `validate`, `validate --fix` and
        `status` share: the files named, each named folder's files, or when nothing is named
        every file under case_studies/, in a stable order.

        Under case_studies/ every file counts, whatever its name (a record named `x.YAML` or
        `x` is told, not left out of the guide unsaid), hidden files and READMEs aside, and
        links to folders are listed (to be refused), not entered. In a folder elsewhere (a
        set of examples), only the files named `.yaml` or `.yml` are records.
        """
        if not named:
            return self._files_in(self.records_dir) if self.records_dir.is_dir() else []
        found: list[Path] = []
        for path in named:
            found.extend(self._files_in(path) if path.is_dir() else [path])
        return found

    def _files_in(self, folder: Path) -> list[Path]:
        records = self.records_dir.absolute()
        found = []
        for parent, dirs, files in os.walk(folder, followlinks=False):
            base = Path(parent)
            inside = base.absolute().is_relative_to(records)
            found += [base / name for name in files
                      if not name.startswith(".") and not name.lower().startswith("readme")
                      and (inside or Path(name).suffix in RECORD_SUFFIXES)]
            if inside:
                found += [base / name for name in dirs if (base / name).is_symlink()]
        return sorted(found)

    def load(self, path: Path) -> RecordFile:
        display = self.display(path)
        refusal = self._refusal(path)
        if not refusal and path.suffix not in RECORD_SUFFIXES and not path.is_dir() \
                and path.absolute().is_relative_to(self.records_dir.absolute()):
            refusal = "not-a-record-name"
        if refusal:
            record = RecordFile(path=path, display=display)
            record.problems.append(Problem(display, 1, 1, refusal,
                                           {"root": self.display(self.records_dir) + "/",
                                            "name": f"{path.name.split('.')[0]}.yaml"}))
            return record
        return load_record_file(path, display)

    def _refusal(self, path: Path) -> str:
        """A record under case_studies/ must be a plain file that stays inside it: no symlink
        on the way (file or folder), nothing that resolves elsewhere."""
        records = self.records_dir.absolute()
        absolute = path.absolute()
        if not absolute.is_relative_to(records):
            return ""  # a file named on the command line, outside the records: checked as given
        probe = absolute
        while probe != records:
            if probe.is_symlink():
                return "symlink"
            probe = probe.parent
        if ".." not in absolute.parts:  # no link and no way up on the way: it stays inside
            return ""
        return "" if path.resolve().is_relative_to(records.resolve()) else "outside-root"

    def guide(self) -> Guide:
        """The validated guide, or InvalidRecords with every problem."""
        validation = self.validate()
        if not validation.ok:
            raise InvalidRecords(validation)
        return build_guide((f.display, f.data) for f in validation.files if f.data is not None)

    def last_changed(self) -> dict[str, str]:
        return last_changed(self.root, "case_studies")

    def validate(self, paths: list[Path] | None = None) -> Validation:
        """Validate the given files (default: all records) against all the project's records.

        The other records are loaded too, so that references resolve, but only the given
        files' problems are reported.
        """
        schema = self.schema()
        context = self.record_paths()
        if not paths:
            return self._with_chapters(validate(*self._checked(context, schema)),
                                       chapter_paths(self.docs_dir))
        chapters = [p for p in paths if p.suffix == ".md" and p.is_file()]
        paths = [p for p in paths if p not in chapters]
        if not paths:  # chapters named alone
            return self._with_chapters(Validation([], []), chapters)
        named: dict[Path, Path] = {}  # each file once, however often it is named
        for path in self.record_paths(paths):
            named.setdefault(path.resolve(), path)
        chosen = list(named.values())
        chosen_keys = {p.resolve() for p in chosen}
        others = [p for p in context if p.resolve() not in chosen_keys]
        files, schema, own = self._checked(chosen + others, schema)
        result = validate(files, schema, own)
        shown = {f.display for f in files[: len(chosen)]}
        return self._with_chapters(
            Validation(files[: len(chosen)], [p for p in result.problems if p.file in shown]),
            chapters)

    def _with_chapters(self, validation: Validation, chapters: list[Path]) -> Validation:
        """The records' validation and the problems of the chapters' front matter."""
        found = chapter_problems(chapters, self.display)
        return Validation(validation.files, sorted(validation.problems + found, key=Problem.sort_key),
                          len(chapters))

    def _checked(self, paths: list[Path], schema: RecordSchema
                 ) -> tuple[list[RecordFile], RecordSchema, dict[str, list[Problem]]]:
        """Load and check each file on its own, on every core when there are many. A file
        whose bytes were checked before in this process (`sectorguide serve` checks all of
        them after every edit) is not checked again."""
        global _CHECKING
        keys: list[_MemoKey | None]
        if self.remember:
            schema_digest = hashlib.blake2b(json.dumps(schema.schema, sort_keys=True).encode()).digest()
            keys = [_memo_key(path, self.display(path), schema_digest) for path in paths]
        else:
            keys = [None for _ in paths]
        todo = [path for path, key in zip(paths, keys) if key is None or key not in _MEMO]
        workers = min(os.cpu_count() or 1, len(todo) // PARALLEL_FROM)
        if workers < 2:
            fresh = [self._check_one(path, schema) for path in todo]
        else:
            _CHECKING = (self, schema)
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    fresh = pool.map(_check_in_worker, todo, chunksize=max(1, len(todo) // (workers * 4)))
            finally:
                _CHECKING = None
        done = dict(zip(todo, fresh))
        pairs = [done[path] if path in done or key is None else _MEMO[key]
                 for path, key in zip(paths, keys)]
        if self.remember:
            _MEMO.clear()
            _MEMO.update({key: pair for key, pair in zip(keys, pairs) if key is not None})
        return [record for record, _ in pairs], schema, {r.display: own for r, own in pairs}

    def _check_one(self, path: Path, schema: RecordSchema) -> tuple[RecordFile, list[Problem]]:
        record = self.load(path)
        return record, check_file(record, schema)


PARALLEL_FROM = 150  # files per extra process: below that, forking costs more than it saves
_CHECKING: tuple[Project, RecordSchema] | None = None
# The last check of each file, by where it is (also through symlinks), its bytes and the schema.
_MemoKey = tuple[str, str, str, bytes, bytes]
_MEMO: dict[_MemoKey, tuple[RecordFile, list[Problem]]] = {}
_MEMO_MAX_BYTES = 1 << 20  # larger files are refused by the loader anyway: no need to read them


def _memo_key(path: Path, display: str, schema_digest: bytes) -> _MemoKey | None:
    try:
        if not path.is_file() or path.stat().st_size > _MEMO_MAX_BYTES:
            return None
        digest = hashlib.blake2b(path.read_bytes(), digest_size=20).digest()
        return str(path.absolute()), os.path.realpath(path), display, digest, schema_digest
    except OSError:
        return None


def _check_in_worker(path: Path) -> tuple[RecordFile, list[Problem]]:
    assert _CHECKING is not None
    project, schema = _CHECKING
    record, own = project._check_one(path, schema)
    return record.without_tree(), own
