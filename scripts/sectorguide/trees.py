"""Folders written by separate processes, merged into one (build jobs, search bundles)."""

from __future__ import annotations

import os
from pathlib import Path


def merge_tree(source: Path, target: Path) -> None:
    """Move source's contents into target: a folder target does not have yet in one rename,
    otherwise file by file; a file target already has is kept (the processes that wrote both
    wrote the same bytes, and the first merged is the one kept)."""
    target.mkdir(parents=True, exist_ok=True)
    with os.scandir(source) as entries:
        for entry in entries:
            destination = target / entry.name
            if entry.is_dir(follow_symlinks=False):
                if destination.exists():
                    merge_tree(Path(entry.path), destination)
                else:
                    os.replace(entry.path, destination)
            elif not destination.exists():
                os.replace(entry.path, destination)
