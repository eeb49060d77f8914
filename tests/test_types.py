"""The package type-checks under mypy --strict (pyproject.toml's [tool.mypy])."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_the_package_type_checks_strictly() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "scripts/sectorguide"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
