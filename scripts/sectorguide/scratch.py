"""Scratch folders named after the process that made it, removed by the next one once that
process has ended: a process that is killed (SIGKILL, a machine switched off) cannot remove its
own. Search's copies in memory (search.py) and the site `serve` shows (preview.py) live in
such folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def scratch_folder(parent: Path, prefix: str) -> Path:
    """A new folder in parent, named prefix, this process's number and a random part."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def remove_leftovers(parent: Path, prefix: str) -> None:
    """Remove the folders in parent that processes which have ended left behind."""
    if not parent.is_dir():
        return
    for folder in parent.glob(f"{prefix}*-*"):
        pid = folder.name[len(prefix):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
