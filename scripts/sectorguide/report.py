"""Renderers of a list of problems: text for people, JSON for tools, annotations for GitHub."""

from __future__ import annotations

import json
from collections.abc import Callable

from .problems import Problem


def render_text(problems: list[Problem], lang: str) -> str:
    lines = []
    for p in problems:
        hint = p.hint(lang)
        suffix = f" ({hint})" if hint else ""
        lines.append(f"{p.file}:{p.line}:{p.column}: {p.severity} {p.code}: {p.message(lang)}{suffix}")
    return "\n".join(lines)


def render_json(problems: list[Problem], lang: str) -> str:
    items = [
        {"file": p.file, "line": p.line, "column": p.column, "severity": p.severity, "code": p.code,
         "message": p.message(lang), "hint": p.hint(lang)}
        for p in problems
    ]
    return json.dumps(items, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(problems: list[Problem], lang: str) -> str:
    """Workflow commands that GitHub shows on the pull request's lines."""
    lines = []
    for p in problems:
        hint = p.hint(lang)
        message = f"{p.message(lang)} ({hint})" if hint else p.message(lang)
        lines.append(
            f"::{p.severity} file={_escape_property(p.file)},line={p.line},col={p.column},"
            f"title={_escape_property(p.code)}::{_escape_data(message)}"
        )
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[list[Problem], str], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
}
