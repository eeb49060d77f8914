"""The theme's templates compiled once per process, not once per build and language.

MkDocs makes a new Jinja environment for every build, and static-i18n builds once per
language, so `sectorguide serve` compiled all of Material's templates three times after every
edit (a third of a second). Jinja's bytecode cache, kept here in memory for the life of the
process, hands the compiled code to the next environment (in a build, a job process that
builds a second language or share finds them compiled too); it is keyed by the template's name
and file and checked against the template's source, so an edited template is compiled again.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # resets itself if the source changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


THEME_TEMPLATES = MemoryBytecodeCache()
