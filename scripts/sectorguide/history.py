"""When each source file last changed, from git, so pages can say 'last updated' reproducibly."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path


def build_date() -> str:
    """The edition date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch and epoch.isdigit()
              else datetime.datetime.now(datetime.UTC))
    return moment.date().isoformat()


def last_changed(root: Path, folder: str) -> dict[str, str]:
    """Date (YYYY-MM-DD) of the last commit touching each file under folder, by repo path.

    One git call for the whole folder; files that git does not know are simply absent.
    """
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--", folder],
            capture_output=True, text=True, check=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    current = ""
    for line in result.stdout.splitlines():
        if line.startswith("\x00"):
            current = line[1:]
        elif line and current:
            dates.setdefault(line, current)
    return dates
