"""`sectorguide new`: a skeleton record that explains itself in the contributor's language.

The skeleton is valid YAML with the schema line for editors; it passes validation as soon
as its required text (title, summary or description) is written.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from .project import Project


class ScaffoldError(Exception):
    """The record cannot be created: its id is taken (by `file`)."""

    def __init__(self, record_id: str, file: str) -> None:
        super().__init__(f"the id '{record_id}' is already used by {file}")
        self.record_id, self.file = record_id, file


@cache
def _comments() -> dict[str, dict[str, str]]:
    text = resources.files("sectorguide").joinpath("catalog/scaffold.yaml").read_text("utf-8")
    comments: dict[str, dict[str, str]] = yaml.safe_load(text)
    return comments


def _comment(key: str, lang: str) -> str:
    return _comments()[key][lang]


def _flow(values: list[str]) -> str:
    return json.dumps(values)


def id_used_by(project: Project, record_id: str) -> str | None:
    """The file (as shown) of the record that already uses this id, if one does."""
    existing = [p for p in project.record_paths() if p.stem == record_id]
    return project.display(existing[0]) if existing else None


def _target(project: Project, folder: str, record_id: str) -> Path:
    used = id_used_by(project, record_id)
    if used:
        raise ScaffoldError(record_id, used)
    return project.records_dir / folder / f"{record_id}.yaml"


def new_case(project: Project, *, record_id: str, kind: str, countries: list[str], lang: str,
             sector: str, challenges: list[str]) -> Path:
    """Write case_studies/cases/ID.yaml; refuses an id that any record already uses."""
    path = _target(project, "cases", record_id)

    def c(key: str) -> str:
        return _comment(key, lang)

    text = f"""# yaml-language-server: $schema=../../schema/sectorguide.schema.json
# {c("header")}
id: {record_id}  # {c("id")}
kind: {kind}  # {c("kind")}
original_language: {lang}  # {c("original_language")}
countries: {_flow(countries)}  # {c("countries")}
sector: {sector}  # {c("sector")}
challenges: {_flow(challenges)}  # {c("challenges")}
status: unknown  # {c("status")}
curation: draft  # {c("curation")}
# {c("period")}
# period:
#   start: 2022
#   end: 2023
# {c("organizations")}
organizations: []
# {c("sources")}
sources: []
# {c("text")}
text:
  {lang}:
    # {c("title")}
    title: ""
    # {c("summary")}
    summary: ""
    # {c("narrative")}
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def new_organization(project: Project, *, record_id: str, name: str, org_type: str,
                     country: str | None, lang: str) -> Path:
    """Write case_studies/organizations/ID.yaml; refuses an id that any record already uses."""
    path = _target(project, "organizations", record_id)

    def c(key: str) -> str:
        return _comment(key, lang)

    country_line = (f"country: {country}  # {c('country')}" if country
                    else f"# country: CL  # {c('country')}")
    text = f"""# yaml-language-server: $schema=../../schema/sectorguide.schema.json
# {c("header")}
id: {record_id}  # {c("id")}
kind: organization
name: {json.dumps(name, ensure_ascii=False)}  # {c("name")}
type: {org_type}  # {c("type")}
{country_line}
original_language: {lang}  # {c("original_language")}
text:
  {lang}:
    # {c("description")}
    description: ""
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path
