"""YAML read with libyaml (the C reader in PyYAML's wheels), which is ten times as fast as
PyYAML's Python one; the Python reader only where libyaml is missing."""

from __future__ import annotations

from typing import Any

import yaml

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_catalog(text: str) -> Any:
    """One of our own catalogs (labels, problems), which every build job reads again."""
    return yaml.load(text, Loader=LOADER)
