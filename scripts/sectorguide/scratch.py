"""Scratch folders, each locked by the process that made it while that process lives, removed
by the next one once nothing holds the lock: a process that is killed (SIGKILL, a machine
switched off) cannot remove its own. A lock, not the process number in the folder's name,
tells a leftover: a number is reused, and means another process in another PID namespace
sharing the folder (a container's /tmp). Search's copies in memory (search.py) and the site
`serve` shows (preview.py) live in such folders."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

_LOCK = ".lock"
_HELD: dict[Path, int] = {}  # this process's folders and their locks' descriptors


def scratch_folder(parent: Path, prefix: str) -> Path:
    """A new folder in parent, named prefix, this process's number and a random part, locked
    until remove_scratch (processes forked meanwhile share the lock)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    lock = os.open(folder / _LOCK, os.O_CREAT | os.O_WRONLY, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    _HELD[folder] = lock
    return folder


def remove_scratch(folder: Path) -> None:
    """Remove one of this process's folders and let go of its lock."""
    shutil.rmtree(folder, ignore_errors=True)
    lock = _HELD.pop(folder, None)
    if lock is not None:
        os.close(lock)


def remove_leftovers(parent: Path, prefix: str) -> None:
    """Remove the folders in parent that no process holds any more."""
    if not parent.is_dir():
        return
    for folder in parent.glob(f"{prefix}*-*"):
        if folder not in _HELD and _left(folder, prefix):
            shutil.rmtree(folder, ignore_errors=True)


def _left(folder: Path, prefix: str) -> bool:
    try:
        lock = os.open(folder / _LOCK, os.O_WRONLY)
    except FileNotFoundError:  # being made right now, or made before locks: by its number
        pid = folder.name[len(prefix):].split("-")[0]
        return pid.isdigit() and not _alive(int(pid))
    except OSError:  # not ours to open
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(lock)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
