"""Data flows one way: load, validate, model, render, build, print. A stage imports none of the
stages after it (the languages and kinds every stage uses are in vocabulary.py), so that, say,
validation runs without the site's machinery and a change to rendering cannot change what
validation says."""

from __future__ import annotations

import ast

import pytest

from .conftest import REPO

PACKAGE = REPO / "scripts" / "sectorguide"
# Each stage with the stages it must not reach, directly or through another module.
LATER = {
    "load": {"validate", "model", "render", "build", "pdf"},
    "validate": {"model", "render", "build", "pdf"},
    "model": {"render", "build", "pdf"},
    "render": {"build", "pdf"},
}


def _imports(module: str) -> set[str]:
    """The package's modules that a module imports (relative or as sectorguide.x)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level == 1:
                found.add(name.split(".")[0] if name else "")
                found.update(alias.name for alias in node.names if not name)
            elif name.startswith("sectorguide."):
                found.add(name.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("sectorguide."))
    return {name for name in found if (PACKAGE / f"{name}.py").exists()}


def _reached(module: str) -> set[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in _imports(todo.pop()) - seen:
            seen.add(name)
            todo.append(name)
    return seen


@pytest.mark.parametrize("stage", sorted(LATER))
def test_a_stage_imports_no_later_stage(stage: str) -> None:
    assert _reached(stage) & LATER[stage] == set()


def test_the_check_sees_imports() -> None:
    """The walk finds what a module imports (a check that found nothing would always pass)."""
    assert {"vocabulary", "load", "problems"} <= _reached("validate")
    assert "model" in _reached("render") and "render" in _reached("build")
