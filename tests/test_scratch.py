"""Scratch folders (search's copies in memory, the site `serve` shows): a process's own stay
while it lives, whatever its number; what a killed process left goes with the next run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sectorguide.scratch import remove_leftovers, remove_scratch, scratch_folder

PREFIX = "sectorguide-test-"

HOLDER = """
import sys, time
from pathlib import Path
from sectorguide.scratch import scratch_folder
print(scratch_folder(Path(sys.argv[1]), sys.argv[2]), flush=True)
time.sleep(600)
"""


def test_a_folder_stays_while_its_process_lives_and_goes_once_it_is_killed(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), PREFIX],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        folder = Path(holder.stdout.readline().strip())
        assert folder.is_dir() and folder.name.startswith(f"{PREFIX}{holder.pid}-")
        remove_leftovers(tmp_path, PREFIX)
        assert folder.is_dir()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout:
            holder.stdout.close()
    remove_leftovers(tmp_path, PREFIX)
    assert not folder.exists()


def test_a_leftover_goes_even_when_its_number_belongs_to_a_live_process(tmp_path: Path) -> None:
    # a process number is reused, and another PID namespace sharing /tmp has its own numbers:
    # the lock, not the number, says whether the folder is still someone's
    left = tmp_path / f"{PREFIX}{os.getpid()}-left"
    left.mkdir()
    (left / ".lock").touch()
    (left / "page.html").write_text("a page of a killed build")
    mine = scratch_folder(tmp_path, PREFIX)
    remove_leftovers(tmp_path, PREFIX)
    assert not left.exists()
    assert mine.is_dir()  # this process's own
    remove_scratch(mine)
    assert not mine.exists()


def test_a_folder_without_a_lock_goes_by_the_number_in_its_name(tmp_path: Path) -> None:
    # one made a moment ago, by a process that has not locked it yet, stays
    young = tmp_path / f"{PREFIX}{os.getpid()}-young"
    young.mkdir()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    old = tmp_path / f"{PREFIX}{ended.pid}-old"  # one made before locks, by an ended process
    old.mkdir()
    remove_leftovers(tmp_path, PREFIX)
    assert young.is_dir()
    assert not old.exists()
