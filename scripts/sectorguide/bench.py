"""`sectorguide bench`: the whole pipeline measured on synthetic guides, beside plain MkDocs.

Synthetic records are generated (fixed seed, three languages, a share of missing
translations) into a temporary workspace, never into case_studies/, and are never published.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .project import Project
from .revision import text_revision
from .vocabulary import LANGUAGES

_WORDS = {
    "en": ("training employers sector mining skills workers colleges council standards labour market "
           "demand supply region country institutions programme certification women technical "
           "education ministry alignment approach partners workshop results lessons").split(),
    "es": ("formación empleadores sector minería competencias trabajadores institutos consejo normas "
           "mercado laboral demanda oferta región país instituciones programa certificación mujeres "
           "técnica educación ministerio alineación enfoque socios taller resultados lecciones").split(),
    "fr": ("formation employeurs secteur mines compétences travailleurs collèges conseil normes marché "
           "travail demande offre région pays institutions programme certification femmes technique "
           "éducation ministère alignement approche partenaires atelier résultats leçons").split(),
}
COUNTRIES = ("CL", "CO", "PE", "MX", "CA")
PROJECT_PARTS = ("mkdocs.yml", "schema", "overrides", "docs", "scripts/sectorguide/mkdocs_hooks.py")


def _sentence(rng: random.Random, lang: str, words: int) -> str:
    chosen = [rng.choice(_WORDS[lang]) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, lang: str, sentences: int) -> str:
    return " ".join(_sentence(rng, lang, rng.randint(8, 16)) for _ in range(sentences))


def _text(rng: random.Random, lang: str, index: int) -> dict[str, Any]:
    return {
        "title": f"{_sentence(rng, lang, 5)[:-1]} {index}",
        "summary": _paragraph(rng, lang, 3)[:780],
        "context": _paragraph(rng, lang, 6),
        "challenge": _paragraph(rng, lang, 5),
        "approach": _paragraph(rng, lang, 8) + "\n\n" + _paragraph(rng, lang, 5),
        "results": _paragraph(rng, lang, 6),
        "lessons": [_paragraph(rng, lang, 2) for _ in range(3)],
        "replication": _paragraph(rng, lang, 4),
        "indicators": {"participants": _sentence(rng, lang, 4)[:-1]},
    }


def synthetic_case(rng: random.Random, index: int, challenges: list[str],
                   organizations: list[str]) -> dict[str, Any]:
    kind = ("sector_council_practice", "project_activity", "pilot_project", "pilot_project",
            "pilot_project")[index % 5]
    countries = ["CA"] if kind == "sector_council_practice" else sorted(
        rng.sample(COUNTRIES[:4], rng.randint(1, 3)))
    original = rng.choice(LANGUAGES)
    texts = {original: _text(rng, original, index)}
    revision = text_revision(texts[original])
    for lang in LANGUAGES:
        if lang != original and rng.random() > 0.15:  # about 15% of translations are missing
            texts[lang] = {"translated_from": revision, **_text(rng, lang, index)}
    start = rng.randint(2015, 2024)
    return {
        "id": f"synthetic-case-{index:04d}", "kind": kind, "original_language": original,
        "countries": countries, "sector": rng.choice(["mining", "oil_and_gas", "extractive"]),
        "challenges": sorted(rng.sample(challenges, rng.randint(1, 3))),
        "status": rng.choice(["planned", "ongoing", "completed", "unknown"]),
        "curation": "draft", "period": {"start": start, "end": start + rng.randint(0, 3)},
        "organizations": [{"id": org, "role": rng.choice(["lead", "partner", "participant"])}
                          for org in sorted(rng.sample(organizations, 3))],
        "indicators": [{"key": "participants", "value": rng.randint(5, 500)}],
        "sources": [{"title": f"Source {index}", "url": f"https://example.org/source/{index}"}],
        "updated": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "text": texts,
    }


def make_workspace(repo: Path, target: Path, records: int, seed: int = 20261128) -> Project:
    """A copy of the guide's machinery with `records` synthetic cases instead of the shipped ones."""
    for part in PROJECT_PARTS:
        source, destination = repo / part, target / part
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns(
                "cases", "browse", "search.md", "search.*.md", "reference"))
        else:
            shutil.copy2(source, destination)
    for folder in ("organizations", "challenges"):
        shutil.copytree(repo / "case_studies" / folder, target / "case_studies" / folder)
    challenges = sorted(p.stem for p in (target / "case_studies/challenges").glob("*.yaml"))
    organizations = sorted(p.stem for p in (target / "case_studies/organizations").glob("*.yaml"))
    rng = random.Random(seed)
    cases = target / "case_studies" / "cases"
    cases.mkdir(parents=True)
    for index in range(1, records + 1):
        data = synthetic_case(rng, index, challenges, organizations)
        (cases / f"{data['id']}.yaml").write_text(
            yaml.dump(data, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False, width=100),
            "utf-8")
    return Project(target)


class _RecordDumper(yaml.SafeDumper):
    """Texts of several paragraphs as literal blocks, which the loader reads back as written:
    their translations' `translated_from` then matches, as it does in a contributor's file."""


def _text_block(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_RecordDumper.add_representer(str, _text_block)


@dataclass
class Size:
    records: int
    figures: dict[str, Any]


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def _baseline_config(project: Project, target: Path, languages: tuple[str, ...]) -> Path:
    """mkdocs.yml with the same theme and i18n plugin, without our hook, over given Markdown."""
    config = _plain_yaml(project.mkdocs_yml)
    config.pop("hooks", None)
    config["repo_url"] = "https://example.org/guide"
    config["docs_dir"] = str(target / "docs")
    config["site_dir"] = str(target / "site")
    config["theme"].pop("custom_dir", None)  # Material as it comes: our overrides are our code
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    plugin["i18n"]["languages"] = [lang for lang in plugin["i18n"]["languages"]
                                   if lang["locale"] in languages]
    config["nav"] = _nav(project)
    config.pop("watch", None)
    path = target / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _plain_yaml(path: Path) -> dict[str, Any]:
    text = re.sub(r"!ENV \[[A-Z_]+, (\"[^\"]*\")\]", r"\1", path.read_text("utf-8"))
    text = re.sub(r"!ENV \[[A-Z_]+\]", "null", text)
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _nav(project: Project) -> list[Any]:
    from .chapters import build_nav

    return build_nav(project.docs_dir)


def _one_language_copy(project: Project, target: Path) -> Project:
    """The workspace again, its mkdocs.yml listing the default language only. It starts as the
    three-language build started: with its own language's generated pages already in docs/
    (not the other languages', which its build would first have to delete)."""
    from .render import GENERATED_DIRS, GENERATED_FILES

    others = [f"*.{lang}.md" for lang in LANGUAGES if lang != "en"]

    def ignored(folder: str, names: list[str]) -> set[str]:
        skipped = set(shutil.ignore_patterns("site", ".site-*")(folder, names))
        here = Path(folder)
        if here == project.docs_dir:  # search.es.md, search.fr.md
            skipped |= {n for n in names if n.split(".")[0] in GENERATED_FILES and n.count(".") == 2}
        elif here.is_relative_to(project.docs_dir) and \
                here.relative_to(project.docs_dir).parts[0] in GENERATED_DIRS:
            skipped |= set(shutil.ignore_patterns(*others)(folder, names))
        return skipped

    shutil.copytree(project.root, target, ignore=ignored)
    config = (target / "mkdocs.yml").read_text("utf-8")
    alone = re.sub(r"\n        - locale: (?!en\n).*(?:\n          .*)*", "", config)
    (target / "mkdocs.yml").write_text(alone, "utf-8")
    return Project(target)


def _largest_list_page(site: Path) -> dict[str, Any]:
    """The heaviest list of records (browse/) in the default language, as stored and as sent
    gzip-compressed: no target covers the lists, which grow with the records, so the figure
    keeps their weight in sight."""
    pages = sorted(site.glob("browse/*/index.html"), key=lambda p: p.stat().st_size)
    if not pages:
        return {}
    largest = pages[-1]
    return {"list_page_largest": largest.parent.name,
            "list_page_html_bytes_max": largest.stat().st_size,
            "list_page_gzip_bytes_max": len(gzip.compress(largest.read_bytes(), 6, mtime=0))}


def _search_bytes(site: Path, lang: str = "en") -> tuple[int, int]:
    """What a reader downloads on the search page before the first result shows, over the wire
    and uncompressed: the modular UI and the engine (text, which every static host, GitHub Pages
    included, sends gzip-compressed), the language's entry, metadata and wasm, the largest index
    chunk a word can hit, and the largest fragment (the first result's text). Pagefind's own
    files are compressed already and count as they are. Checked against a real browser, which
    asks for exactly these files (tests/test_browser.py)."""
    bundle = site / "pagefind"
    text = [bundle / "pagefind-modular-ui.js", bundle / "pagefind.js", bundle / "pagefind-entry.json"]
    packed = [bundle / f"wasm.{lang}.pagefind", *bundle.glob(f"pagefind.{lang}_*.pf_meta")]
    chunks = sorted(bundle.glob(f"index/{lang}_*.pf_index"), key=lambda p: p.stat().st_size)
    fragments = sorted(bundle.glob(f"fragment/{lang}_*.pf_fragment"), key=lambda p: p.stat().st_size)
    packed += chunks[-1:] + fragments[-1:]
    raw = sum(p.stat().st_size for p in [*text, *packed])
    wire = sum(len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in text)
    return wire + sum(p.stat().st_size for p in packed), raw


def measure(repo: Path, records: int, workspace: Path, *, with_pdf: bool = True,
            serve: bool = True) -> dict[str, Any]:
    """Every figure for one size, in a fresh workspace (a new folder, which the benchmark
    removes at its end: see run_bench)."""
    from .render import render_guide, write_pages

    workspace.mkdir(parents=True)
    project = make_workspace(repo, workspace / "guide", records)
    validations = [_validation_time(project) for _ in range(BUILD_RUNS + 1)]  # the fastest counts
    files, validate_s = min(validations, key=lambda run: run[1])
    guide = project.guide()
    render_s = _timed(lambda: write_pages(render_guide(guide, {}), project.docs_dir))
    # the same build of the same records, with the default language alone
    alone = _one_language_copy(project, workspace / "one")
    three_runs, one_runs = [], []
    for _ in range(BUILD_RUNS):  # interleaved, so that both meet the machine in one state
        three_runs.append(_build_s(project))
        one_runs.append(_build_s(alone))
    build_s, one_s = min(three_runs), min(one_runs)
    site = project.site_dir
    case_pages = sorted(site.glob("cases/*/index.html")) + sorted(site.glob("*/cases/*/index.html"))
    html_pages = len(list(site.rglob("*.html")))
    sizes = [p.stat().st_size for p in case_pages]
    search_bytes, search_raw = _search_bytes(site)
    baseline = workspace / "baseline"
    shutil.copytree(project.docs_dir, baseline / "docs",
                    ignore=shutil.ignore_patterns("search.md", "search.*.md"))
    os.sync()
    baseline_s = _run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                       str(_baseline_config(project, baseline, LANGUAGES))], project.root)
    figures: dict[str, Any] = {
        "records": records, "files_validated": files,
        "validate_s": round(validate_s, 3),
        "validate_runs_s": [round(seconds, 3) for _, seconds in validations],
        "validate_records_per_s": round(files / validate_s, 1),
        "render_s": round(render_s, 3), "build_s": round(build_s, 2),
        "baseline_mkdocs_s": round(baseline_s, 2),
        "overhead_ratio": round(build_s / baseline_s, 3),
        "one_language_build_s": round(one_s, 2),
        "languages_ratio": round(build_s / one_s, 3),
        "build_runs_s": [round(run, 2) for run in three_runs],
        "one_language_build_runs_s": [round(run, 2) for run in one_runs],
        "html_pages": html_pages,
        "case_page_html_bytes_median": int(statistics.median(sizes)),
        "search_bytes_before_first_result": search_bytes,
        "search_bytes_uncompressed": search_raw,
        **_largest_list_page(site),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
    }
    if serve:
        figures["serve_edit_s"] = round(_serve_edit_s(project), 2)
    if with_pdf:
        figures.update(_measure_pdfs(project, guide))
    figures["peak_rss_mb"] = _peak_rss_mb()
    return figures


BUILD_RUNS = 2  # each build's figure is the faster of two runs (the machine's speed varies)


def _build_s(project: Project) -> float:
    """`sectorguide build --no-pdf` timed as a user runs it, as plain `mkdocs build` is for the
    baseline: a fresh process (nothing warm from the benchmark's own steps), its start-up
    included, a first build (no previous site/ to delete) on a quiet disk (what the
    benchmark wrote before is flushed first). The previous run's site is moved aside, not
    deleted: ext4 skips the inodes freed in the last minutes when it creates a file, so a
    build that followed the deletion of thousands of files spent up to a second more in the
    kernel (the one-language build at 1,000 records: 1.9 s of system time instead of 0.8)."""
    if project.site_dir.exists():
        aside = project.root.parent / "previous-sites"
        aside.mkdir(exist_ok=True)
        project.site_dir.rename(aside / f"{project.root.name}-{len(list(aside.iterdir()))}")
    os.sync()
    return _run([sys.executable, "-m", "sectorguide", "build", "--no-pdf", "--lang", "en",
                 "--root", str(project.root)], project.root)


def _validation_time(project: Project) -> tuple[int, float]:
    """Files checked and seconds taken by `sectorguide validate` of the whole workspace, in a
    fresh process as a contributor runs it (the interpreter's start-up and imports excluded)."""
    code = ("import json, sys, time; from pathlib import Path; from sectorguide.project import Project; "
            "p = Project(Path(sys.argv[1])); t = time.perf_counter(); v = p.validate(); "
            "print(json.dumps([len(v.files), time.perf_counter() - t, v.ok]))")
    result = subprocess.run([sys.executable, "-c", code, str(project.root)], capture_output=True,
                            text=True, check=True)
    files, seconds, ok = json.loads(result.stdout)
    if not ok:
        raise RuntimeError("the synthetic records do not validate")
    return files, seconds


def _serve_edit_s(project: Project, edits: int = 3, patience: float = 120.0) -> float:
    """Median seconds from saving an edit to one record's title to `sectorguide serve` serving
    the record's page with the new title (the server idle and warm before each edit)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log: list[float] = []  # when the server last said something
    server = subprocess.Popen(
        [sys.executable, "-m", "sectorguide", "serve", "--root", str(project.root),
         "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    def listen() -> None:
        for _ in server.stderr or []:
            log.append(time.monotonic())

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    paths = sorted(project.records_dir.glob("cases/*.yaml"))
    path = paths[len(paths) // 2]
    record = yaml.safe_load(path.read_text("utf-8"))
    lang = record["original_language"]
    url = f"http://127.0.0.1:{port}/{'' if lang == 'en' else lang + '/'}cases/{record['id']}/"
    original = path.read_text("utf-8")
    timings = []
    try:
        for edit in range(edits):
            _wait_until_quiet(server, log, patience)
            marker = f"Edited title {edit} {time.monotonic_ns()}"
            record["text"][lang]["title"] = marker
            path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100),
                            "utf-8")
            saved = time.perf_counter()
            while marker not in _fetch(url):
                if time.perf_counter() - saved > patience or server.poll() is not None:
                    raise RuntimeError(f"the edit did not show at {url} within {patience} s")
                time.sleep(0.02)
            timings.append(time.perf_counter() - saved)
    finally:
        server.terminate()
        server.wait()
        reader.join()
        if server.stderr:
            server.stderr.close()
        path.write_text(original, "utf-8")
    return statistics.median(timings)


def _wait_until_quiet(server: subprocess.Popen[str], log: list[float], patience: float) -> None:
    """Until the server has served (said something) and then been silent for two seconds."""
    started = time.monotonic()
    while not log or time.monotonic() - log[-1] < 2.0:
        if time.monotonic() - started > patience * 5 or server.poll() is not None:
            raise RuntimeError("`sectorguide serve` did not start")
        time.sleep(0.1)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (OSError, ValueError):
        return ""


def _measure_pdfs(project: Project, guide: Any, folder: Path | None = None) -> dict[str, Any]:
    """The three PDFs printed as the build prints them, one after the other (`print_guides`
    on one core): wall-clock ms per page, the processes' start and end included."""
    from .pdf import print_guides

    folder = folder or project.root / "pdf"
    started = time.perf_counter()
    pages = sum(count for _, count in print_guides(guide, project.docs_dir, folder, LANGUAGES,
                                                   workers=1))
    seconds = time.perf_counter() - started
    return {"pdf_pages": pages, "pdf_s": round(seconds, 2),
            "pdf_ms_per_page": round(1000 * seconds / pages, 1)}


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def run_bench(repo: Path, sizes: list[int], *, with_pdf: bool = True, heavy_up_to: int = 300,
              progress: Any = print) -> dict[str, Any]:
    """The PDFs of the shipped guide first (so that the peak memory is theirs), then every
    size; the PDFs and the preview server (minutes each at 1,000 records, with targets set at
    300) only up to heavy_up_to records. peak_rss_mb is the largest so far in the run."""
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "platform": sys.platform},
    }
    results = []
    # Every workspace stays until the end: removing one (tens of thousands of files) just
    # before the next size's builds made their first runs slower (ext4 skips the inodes freed
    # in the last minutes whenever it creates a file; see _build_s).
    with tempfile.TemporaryDirectory(prefix="sectorguide-bench-") as folder:
        if with_pdf:
            progress("measuring the PDFs of the shipped guide ...")
            project = Project(repo)
            shipped = Path(folder) / "shipped"
            shipped.mkdir()
            report["shipped_pdf"] = _measure_pdfs(project, project.guide(), shipped)
            report["shipped_pdf"]["peak_rss_mb"] = _peak_rss_mb()
        for records in sizes:
            progress(f"measuring {records} records ...")
            heavy = records <= heavy_up_to
            results.append(measure(repo, records, Path(folder) / f"size-{records}",
                                   with_pdf=with_pdf and heavy, serve=heavy))

    def per_page(size: dict[str, Any]) -> float:
        return float(size["build_s"]) / float(size["html_pages"])

    report["sizes"] = results
    report["scaling_ratio"] = round(per_page(results[-1]) / per_page(results[0]), 3)
    return report


def table(report: dict[str, Any]) -> str:
    keys = ["records", "validate_records_per_s", "render_s", "build_s", "baseline_mkdocs_s",
            "overhead_ratio", "one_language_build_s", "languages_ratio",
            "case_page_html_bytes_median", "list_page_html_bytes_max", "list_page_gzip_bytes_max",
            "search_bytes_before_first_result", "serve_edit_s",
            "pdf_ms_per_page", "peak_rss_mb"]
    rows = [f"| {key} | " + " | ".join(str(size.get(key, "-")) for size in report["sizes"]) + " |"
            for key in keys]
    header = "| figure | " + " | ".join(str(s["records"]) for s in report["sizes"]) + " |"
    line = "|---|" + "---|" * len(report["sizes"])
    lines = [header, line, *rows, f"\nscaling_ratio: {report['scaling_ratio']}"]
    if "shipped_pdf" in report:
        shipped = report["shipped_pdf"]
        lines.append(f"shipped guide PDFs: {shipped['pdf_pages']} pages, "
                     f"{shipped['pdf_ms_per_page']} ms per page, peak {shipped['peak_rss_mb']} MB")
    return "\n".join(lines)

