"""Many records are checked on every core; the answer is the same as checking them in turn."""

from __future__ import annotations

from pathlib import Path

import pytest
from sectorguide import project as project_module
from sectorguide.bench import make_workspace

from .conftest import REPO


def test_parallel_and_serial_validation_report_the_same_problems(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_workspace(REPO, tmp_path / "guide", 320)
    cases = sorted((project.records_dir / "cases").glob("*.yaml"))
    cases[5].write_text(cases[5].read_text("utf-8").replace("sector: ", "sectr: ", 1))
    cases[200].write_text(cases[200].read_text("utf-8").replace("role: lead", "role: boss", 1))
    cases[310].write_text(cases[310].read_text("utf-8") + "\norganizations: []\n")
    parallel = project.validate()
    monkeypatch.setattr(project_module, "PARALLEL_FROM", 10**9)
    serial = project.validate()
    assert parallel.problems == serial.problems
    assert {p.file for p in parallel.problems} == {project.display(cases[i]) for i in (5, 200, 310)}
    codes = [(p.code, p.line > 1) for p in parallel.problems]  # positions found after the fact too
    assert codes == [("missing-field", False), ("unknown-field", True), ("unknown-value", True),
                     ("duplicate-key", True)]
