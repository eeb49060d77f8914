"""The files GitHub and pre-commit read: workflows, issue forms, hooks, and CONTRIBUTING.

Nothing in our code reads them, so a mistake would only show once pushed, on a contributor's
pull request. These tests read them as GitHub and pre-commit would, check that every
`sectorguide` command they run exists with the options they give, and check that every error
message CONTRIBUTING quotes is what `sectorguide validate` prints today, in that file's language.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner
from sectorguide.cli import main

from .conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
ISSUE_TEMPLATES = REPO / ".github" / "ISSUE_TEMPLATE"
CONTRIBUTING = {"en": REPO / "CONTRIBUTING.md", "es": REPO / "CONTRIBUTING.es.md",
                "fr": REPO / "CONTRIBUTING.fr.md"}
QUOTED_ERROR = re.compile(r"^(\S+\.yaml):(\d+):(\d+): error (\S+): ", re.MULTILINE)
SCHEMA = yaml.safe_load((REPO / "schema" / "sectorguide.schema.json").read_text("utf-8"))
CASE_FIELDS = SCHEMA["$defs"]["case"]["properties"]


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def _workflow(name: str) -> dict[str, Any]:
    data = _yaml(WORKFLOWS / name)
    assert isinstance(data, dict) and isinstance(data.get("jobs"), dict), name
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The `on:` mapping; YAML 1.1 (PyYAML) reads the bare key `on` as True."""
    triggers = workflow.get("on", workflow.get(True))
    assert isinstance(triggers, dict), "the workflow has no 'on:' mapping"
    return {name: value or {} for name, value in triggers.items()}


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _step_running(workflow: dict[str, Any], command: str) -> dict[str, Any]:
    found = [s for s in _steps(workflow) if command in s.get("run", "")]
    assert found, f"no step runs '{command}'"
    return found[0]


def _step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in _steps(workflow) if s.get("uses", "").split("@")[0] == action]
    assert found, f"no step uses {action}"
    return found[0]


def _env(workflow: dict[str, Any]) -> dict[str, str]:
    """Every variable the workflow sets at workflow, job or step level."""
    env = dict(workflow.get("env", {}))
    for job in workflow["jobs"].values():
        env.update(job.get("env", {}))
        for step in job.get("steps", []):
            env.update(step.get("env", {}))
    return env


# --- the sectorguide commands the files run or tell contributors to run ---------------------

def _resolve(tokens: list[str]) -> tuple[click.Command, list[str]]:
    """The command a `sectorguide ...` line calls, and the words that follow it."""
    command: click.Command = main
    while tokens and isinstance(command, click.Group) and not tokens[0].startswith("-"):
        sub = command.get_command(click.Context(command), tokens[0])
        if sub is None:
            break
        command, tokens = sub, tokens[1:]
    return command, tokens


def _check_command_line(line: str) -> None:
    tokens = line.split()
    command, rest = _resolve(tokens)
    helps = click.Context(command).help_option_names  # added by Click to the group and each command
    asks_help = any(word in helps for word in rest)  # `sectorguide --help`, `sectorguide new --help`
    assert command is not main or asks_help, (
        f"'sectorguide {line}': '{tokens[0]}' is not a sectorguide command")
    if isinstance(command, click.Group) and not asks_help:
        pytest.fail(f"'sectorguide {line}' names the group '{command.name}' without a command")
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    options.update(helps)
    for word in rest:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"'sectorguide {line}': no option {word}"


def _command_lines(text: str) -> list[str]:
    """What follows `sectorguide ` in code (inline spans, fenced blocks, workflow scripts)."""
    return [m.group(1).strip() for m in re.finditer(r"\bsectorguide ([^`|\n\"]+)", text)]


def _code(markdown: str) -> str:
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", markdown,
                                                flags=re.MULTILINE | re.DOTALL))
    return "\n".join(fenced + inline)


@pytest.mark.parametrize("name", ["pull-request.yml", "publish.yml", "release.yml"])
def test_every_command_a_workflow_runs_exists_with_its_options(name: str) -> None:
    scripts = "\n".join(step.get("run", "") for step in _steps(_workflow(name)))
    lines = _command_lines(scripts)
    assert lines, f"{name} runs no sectorguide command"
    for line in lines:
        _check_command_line(line)


@pytest.mark.parametrize("lang", sorted(CONTRIBUTING))
def test_every_command_contributing_names_exists_with_its_options(lang: str) -> None:
    lines = _command_lines(_code(CONTRIBUTING[lang].read_text("utf-8")))
    named = {line.split()[0] for line in lines}
    assert {"new", "validate", "status", "serve"} <= named, named
    for line in lines:
        _check_command_line(line)


# --- workflows --------------------------------------------------------------------------------

def test_pull_request_workflow_annotates_builds_strictly_and_uploads_a_preview() -> None:
    workflow = _workflow("pull-request.yml")
    assert "pull_request" in _triggers(workflow)
    steps = _steps(workflow)
    python = _step_using(workflow, "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    apt = _step_running(workflow, "apt-get install")
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"} <= set(apt["run"].split())
    install = _step_running(workflow, "pip install -e .")
    validate = _step_running(workflow, "sectorguide validate --format github")
    assert not validate.get("continue-on-error"), "errors must fail the check"
    assert "--lang" in validate["run"]
    assert "vars.SECTORGUIDE_LANG" in _env(workflow)["SECTORGUIDE_LANG"]
    build = _step_running(workflow, "sectorguide build --no-pdf")
    upload = _step_using(workflow, "actions/upload-artifact")
    assert upload["with"]["name"] == "site-preview"
    assert upload["with"]["path"].rstrip("/") == "site"
    order = [steps.index(step) for step in (python, apt, install, validate, build, upload)]
    assert order == sorted(order), "steps out of order"


def test_publish_workflow_builds_the_guide_and_deploys_it_to_pages() -> None:
    workflow = _workflow("publish.yml")
    assert "main" in _triggers(workflow)["push"]["branches"]
    build = _step_running(workflow, "sectorguide build")
    assert "--no-pdf" not in build["run"], "the published site carries the PDFs"
    # the site's address from Pages (a project's site is below a folder): the 404 page's links,
    # canonical links and the sitemap need it
    pages_address = _step_using(workflow, "actions/configure-pages")
    assert build["env"]["SECTORGUIDE_SITE_URL"] == f"${{{{ steps.{pages_address['id']}.outputs.base_url }}}}/"
    steps = _steps(workflow)
    assert steps.index(pages_address) < steps.index(build)
    env = _env(workflow)
    assert env["SECTORGUIDE_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    epoch = _step_running(workflow, "SOURCE_DATE_EPOCH")
    assert "git log -1 --format=%ct" in epoch["run"] and "GITHUB_ENV" in epoch["run"]
    assert _step_using(workflow, "actions/checkout")["with"]["fetch-depth"] == 0
    pages = _step_using(workflow, "actions/upload-pages-artifact")
    assert pages["with"]["path"].rstrip("/") == "site"
    deploy = next(job for job in workflow["jobs"].values()
                  if any(s.get("uses", "").startswith("actions/deploy-pages@")
                         for s in job["steps"]))
    assert deploy["permissions"]["pages"] == "write"
    assert deploy["permissions"]["id-token"] == "write"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] in ("build", ["build"])


def test_release_workflow_attaches_the_pdfs_to_the_release() -> None:
    workflow = _workflow("release.yml")
    assert "published" in _triggers(workflow)["release"]["types"]
    assert workflow["permissions"]["contents"] == "write"
    pdf = _step_running(workflow, "sectorguide pdf")
    upload = _step_running(workflow, "gh release upload")
    assert "site/pdf/guide-*.pdf" in upload["run"]
    assert upload["env"]["GH_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    steps = _steps(workflow)
    assert steps.index(pdf) < steps.index(upload)


# --- issue forms, pull-request template -------------------------------------------------------

def _form_element(form: dict[str, Any], element_id: str) -> dict[str, Any]:
    return next(e for e in form["body"] if e.get("id") == element_id)


def _codes(options: list[Any]) -> list[str]:
    """The code before the colon of each option ('CL: Chile' -> 'CL')."""
    labels = [o["label"] if isinstance(o, dict) else o for o in options]
    return [label.split(":")[0].strip() for label in labels]


def test_propose_case_form_asks_for_a_case_and_its_sources() -> None:
    form = _yaml(ISSUE_TEMPLATES / "propose-case.yml")
    assert form["name"] and form["description"]
    ids = [e["id"] for e in form["body"] if "id" in e]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert {"title", "kind", "countries", "original_language", "summary", "context", "challenge",
            "approach", "results", "lessons", "replication", "organizations", "period",
            "sources"} <= set(ids)
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert element["attributes"].get("label") or element["type"] == "markdown"
    kind = _form_element(form, "kind")
    assert kind["type"] == "dropdown"
    assert _codes(kind["attributes"]["options"]) == CASE_FIELDS["kind"]["enum"]
    countries = _form_element(form, "countries")
    assert countries["type"] == "checkboxes"
    assert _codes(countries["attributes"]["options"]) == CASE_FIELDS["countries"]["items"]["enum"]
    language = _form_element(form, "original_language")
    assert _codes(language["attributes"]["options"]) == CASE_FIELDS["original_language"]["enum"]
    assert _form_element(form, "sources")["validations"]["required"] is True
    assert _form_element(form, "summary")["validations"]["required"] is True


def test_issue_template_config_keeps_blank_issues_open() -> None:
    config = _yaml(ISSUE_TEMPLATES / "config.yml")
    assert config["blank_issues_enabled"] is True


def test_pull_request_template_gives_each_item_in_spanish_and_french() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    items = re.split(r"^- \[ \] ", text, flags=re.MULTILINE)[1:]
    assert len(items) >= 4
    for item in items:
        assert "ES:" in item and "FR :" in item, item


# --- pre-commit -------------------------------------------------------------------------------

def _scripts() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return dict(project["scripts"])


def test_pre_commit_hook_runs_our_validator_on_records() -> None:
    hooks = _yaml(REPO / ".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "sectorguide-validate")
    program, *arguments = hook["entry"].split()
    assert program in _scripts(), f"{program} is not in [project.scripts]"
    _check_command_line(" ".join(arguments))
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True
    files = re.compile(hook["files"])
    for path in ("case_studies/cases/a.yaml", "case_studies/organizations/b.yml"):
        assert files.search(path), path
    for path in ("docs/a.yaml", "mkdocs.yml", "case_studies/cases/a.md"):
        assert not files.search(path), path


def test_this_repository_runs_the_same_hook_from_its_own_environment() -> None:
    manifest = next(h for h in _yaml(REPO / ".pre-commit-hooks.yaml")
                    if h["id"] == "sectorguide-validate")
    config = _yaml(REPO / ".pre-commit-config.yaml")
    local = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    hook = next(h for h in local if h["id"] == "sectorguide-validate")
    program, *arguments = hook["entry"].split()
    assert Path(program).name == manifest["entry"].split()[0]
    assert arguments == manifest["entry"].split()[1:]
    assert hook["language"] in ("system", "python")
    assert hook["pass_filenames"] is True
    assert hook["files"] == manifest["files"]
    assert all(repo["repo"] == "local" for repo in config["repos"]), "no third-party hooks"


# --- CONTRIBUTING -----------------------------------------------------------------------------

def _quoted_errors(lang: str) -> list[re.Match[str]]:
    text = CONTRIBUTING[lang].read_text("utf-8")
    return list(QUOTED_ERROR.finditer(text))


@pytest.mark.parametrize("lang", sorted(CONTRIBUTING))
def test_contributing_links_the_other_languages(lang: str) -> None:
    text = CONTRIBUTING[lang].read_text("utf-8")
    for other, path in CONTRIBUTING.items():
        if other != lang:
            assert f"]({path.name})" in text, f"{path.name} not linked"


@pytest.mark.parametrize("lang", sorted(CONTRIBUTING))
def test_every_error_contributing_quotes_is_what_validate_prints(
        lang: str, runner: CliRunner, in_repo: Path) -> None:
    text = CONTRIBUTING[lang].read_text("utf-8")
    matches = [m for m in map(QUOTED_ERROR.match, text.splitlines()) if m]
    quoted = [m.string for m in matches]
    files = sorted({m.group(1) for m in matches})
    assert len(quoted) >= 8 and len(files) >= 5, "CONTRIBUTING should show real examples"
    for file in files:
        result = runner.invoke(main, ["validate", "--lang", lang, file])
        assert result.exit_code == 1, result.output
        printed = result.stdout.splitlines()
        for line in quoted:
            if line.startswith(f"{file}:") and line not in printed:
                place = QUOTED_ERROR.match(line).group(0)  # type: ignore[union-attr]
                now = [p for p in printed if p.startswith(place)]
                pytest.fail(f"stale example in {CONTRIBUTING[lang].name}:\n  quoted:  {line}\n"
                            f"  printed: {' | '.join(now) or '(nothing at this place)'}")


def test_the_three_contributing_files_show_the_same_examples() -> None:
    shown = {lang: sorted(m.group(1, 2, 3, 4) for m in _quoted_errors(lang))
             for lang in CONTRIBUTING}
    assert shown["es"] == shown["en"]
    assert shown["fr"] == shown["en"]


@pytest.mark.parametrize("lang", sorted(CONTRIBUTING))
def test_contributing_skeleton_fails_only_on_its_placeholder_ids(
        lang: str, runner: CliRunner, tmp_path: Path) -> None:
    """The skeleton follows the schema: replacing its placeholder ids is all it needs."""
    text = CONTRIBUTING[lang].read_text("utf-8")
    skeleton = next(block for block in re.findall(r"^```yaml\n(.*?)^```", text,
                                                  re.MULTILINE | re.DOTALL)
                    if block.startswith("# yaml-language-server"))
    record = yaml.safe_load(skeleton)
    assert record["original_language"] == lang and list(record["text"]) == [lang]
    shutil.copytree(REPO / "schema", tmp_path / "schema")
    target = tmp_path / "case_studies" / "cases" / f"{record['id']}.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(skeleton, "utf-8")
    result = runner.invoke(main, ["validate", "--root", str(tmp_path), "--format", "json",
                                  "--lang", lang, str(target)])
    problems = yaml.safe_load(result.stdout)
    assert {p["code"] for p in problems} == {"unknown-reference"}, result.stdout


@pytest.mark.parametrize(("lang", "chapter"), [("en", "contribute.md"), ("es", "contribute.es.md"),
                                              ("fr", "contribute.fr.md")])
def test_the_contribute_chapter_quotes_real_messages(lang: str, chapter: str, runner: CliRunner,
                                                     in_repo: Path) -> None:
    text = (REPO / "docs" / chapter).read_text("utf-8")
    quoted = [line for line in text.splitlines() if QUOTED_ERROR.match(line)]
    assert quoted, f"docs/{chapter} should show a real message"
    for line in quoted:
        file = QUOTED_ERROR.match(line).group(1)  # type: ignore[union-attr]
        printed = runner.invoke(main, ["validate", "--lang", lang, file]).stdout.splitlines()
        assert line in printed
