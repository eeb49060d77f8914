"""Revisions of a record's text, so a translation can say which original it was made from."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

TRANSLATED_FROM = "translated_from"


def text_revision(block: dict[str, Any]) -> str:
    """Fingerprint of one language's text: 12 hex digits that change whenever its content does.

    Formatting of the YAML (quotes, line folding, comments) does not count, only the values.
    """
    content = {key: value for key, value in block.items() if key != TRANSLATED_FROM}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def revision_in_yaml(revision: str) -> str:
    """A revision as a YAML value that reads back as the same text: quoted when YAML would
    take it for a number (digits only, or "0b" and binary digits)."""
    return revision if yaml.safe_load(revision) == revision else f'"{revision}"'
