"""`sectorguide serve` as a contributor uses it: a real server on localhost, records edited while
it runs, pages fetched over HTTP."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO, copy_project

CASE = "regional-workshop-chile-2022"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str, timeout: float = 10.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _fetch_any(url: str, timeout: float = 10.0) -> str:
    """The page at url, the server's error page (404) included."""
    try:
        return _fetch(url, timeout)
    except urllib.error.HTTPError as error:
        return str(error.read().decode("utf-8"))


class Server:
    def __init__(self, root: Path, port: int, env: dict[str, str] | None = None) -> None:
        self.url = f"http://127.0.0.1:{port}/"
        self.said: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sectorguide", "serve", "--root", str(root),
             "-a", f"127.0.0.1:{port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
        self._reader = threading.Thread(target=self._listen, daemon=True)
        self._reader.start()

    def _listen(self) -> None:
        for line in self.process.stdout or []:
            self.said.append(line)

    def wait_for(self, what: str, patience: float = 120.0) -> None:
        started = time.monotonic()
        while not any(what in line for line in self.said):
            assert self.process.poll() is None, "".join(self.said)
            assert time.monotonic() - started < patience, f"never said {what!r}:\n" + "".join(self.said)
            time.sleep(0.1)

    def page_holding(self, path: str, text: str, patience: float = 60.0) -> str:
        started = time.monotonic()
        while True:
            try:
                html = _fetch_any(self.url + path)
                if text in html:
                    return html
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() - started < patience, f"{path} never held {text!r}"
            time.sleep(0.2)

    def stop(self) -> None:
        """As a contributor stops it: Ctrl-C (MkDocs then removes its temporary site)."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    root = copy_project(tmp_path / "guide")
    server = Server(root, _free_port())
    try:
        yield server, root
    finally:
        server.stop()


def test_an_invalid_record_is_said_in_the_browser_at_once_and_fixed_it_shows(
        served: tuple[Server, Path]) -> None:
    """The contributor looks at the page, not the terminal: an edit that breaks the record
    replaces the page with one that says why (answered at once, not held), and the fix
    brings the page back with the edit."""
    server, root = served
    path = root / "case_studies" / "cases" / f"{CASE}.yaml"
    original = path.read_text("utf-8")
    title = "Regional workshop in Chile (2022)"
    server.page_holding(f"cases/{CASE}/", "<h1")
    server.wait_for("Serving on")
    # a missing closing quote: the record cannot be read
    path.write_text(original + 'notes: "a quote that never closes\n', "utf-8")
    server.wait_for("yaml-unclosed-quote")
    started = time.monotonic()
    during = server.page_holding(f"cases/{CASE}/", "yaml-unclosed-quote")
    assert time.monotonic() - started < 10
    assert "The guide cannot be shown yet" in during and '<meta http-equiv="refresh"' in during
    assert f"{CASE}.yaml:" in during
    # fixed, with a new title: the page shows it
    path.write_text(original.replace(title, title + " (edited)", 1), "utf-8")
    server.page_holding(f"cases/{CASE}/", title + " (edited)")
    assert "yaml-unclosed-quote" not in _fetch(server.url)
    assert "Traceback" not in "".join(server.said)
    said = "".join(server.said)  # quick rebuilds, without MkDocs' warnings about them
    assert "Building documentation" in said and "dirty" not in said and "stale files" not in said
    assert "mkdocs_static_i18n" not in said  # its lines on every rebuild hid the record's problems


def test_serve_starts_with_an_invalid_record_and_says_why_in_the_browser(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "guide")
    path = root / "case_studies" / "cases" / f"{CASE}.yaml"
    original = path.read_text("utf-8")
    assert "countries: [CL, CO, PE, MX]" in original
    path.write_text(original.replace("countries: [CL, CO, PE, MX]", "countries: [CL, Perú]"), "utf-8")
    server = Server(root, _free_port(), {"LANG": "es_PE.UTF-8", "LC_ALL": ""})
    try:
        waiting = server.page_holding("", "fichas con errores")
        assert "La guía aún no puede mostrarse" in waiting and '<html lang="es">' in waiting
        # below a language folder too, and it reloads itself until the guide is there
        try:
            _fetch(server.url + "fr/cases/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            below = error.read().decode("utf-8")
        assert "fichas con errores" in below and '<meta http-equiv="refresh"' in below
        assert f"{CASE}.yaml:8:" in waiting and "&#x27;Perú&#x27;" in waiting
        # an edit that leaves the same problem: said again, in the terminal and the browser
        # (MkDocs drops a message it logged before, and the page said only "Aborted with a
        # BuildError!")
        before = len(server.said)
        path.write_text(path.read_text("utf-8") + "# still being edited\n", "utf-8")
        started = time.monotonic()
        while not any("Perú" in line for line in server.said[before:]):
            assert time.monotonic() - started < 60, "".join(server.said[before:])
            time.sleep(0.2)
        again = server.page_holding("", "fichas con errores")
        assert f"{CASE}.yaml:8:" in again and "BuildError" not in again
        path.write_text(original, "utf-8")  # fixed: the guide is built and served
        server.page_holding(f"cases/{CASE}/", "<h1")
        assert "fichas con errores" not in _fetch(server.url)
        assert server.process.poll() is None
        assert "Traceback" not in "".join(server.said)
    finally:
        server.stop()


def test_an_address_already_in_use_is_said_plainly(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "guide")

    def serve_at(port: int, lang: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sectorguide", "serve", "--root", str(root),
             "-a", f"127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=180,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "LANG": lang, "LC_ALL": ""})

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        english, spanish = serve_at(port, "en_US.UTF-8"), serve_at(port, "es_ES.UTF-8")
    assert english.returncode != 0
    assert "Traceback" not in english.stderr + english.stdout
    assert "cannot serve there: the address is already in use" in english.stderr
    # in the contributor's language, as every message of serve
    assert ("no se puede servir la vista previa en esa dirección: la dirección ya está en uso"
            in spanish.stderr)


def test_an_edited_page_template_shows_without_restarting(tmp_path: Path) -> None:
    """mkdocs.yml watches scripts/sectorguide: whoever edits a page template while serving sees
    the page change, as with a record (the render templates are looked up again in the serving
    process, not only compiled once)."""
    root = copy_project(tmp_path / "guide")
    shutil.copytree(REPO / "scripts" / "sectorguide", root / "scripts" / "sectorguide",
                    dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    server = Server(root, _free_port(), env={"PYTHONPATH": str(root / "scripts")})
    try:
        server.page_holding(f"cases/{CASE}/", "<h1")
        server.wait_for("Serving on")
        template = root / "scripts" / "sectorguide" / "templates" / "case.md.j2"
        template.write_text(template.read_text("utf-8") + '\n<p class="sg-edited">edited template</p>\n',
                            "utf-8")
        server.page_holding(f"cases/{CASE}/", "edited template")
        assert "Traceback" not in "".join(server.said)
    finally:
        server.stop()


def test_stopped_by_another_program_or_killed_serve_leaves_no_site_behind(tmp_path: Path) -> None:
    """A process manager or a CI timeout stops `serve` with SIGTERM, a closed terminal with
    SIGHUP: it stops as with Ctrl-C and removes the site it served (a whole site in the
    temporary folder at every stop, before). A SIGKILL cannot be answered: the next `serve`
    removes what it left."""
    root = copy_project(tmp_path / "guide")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch)}

    first = Server(root, _free_port(), env)
    first.wait_for("Serving on")
    left = list(scratch.iterdir())
    assert [p.name.startswith(f"sectorguide-serve-{first.process.pid}-") for p in left] == [True]
    assert any(p.name.startswith("mkdocs_") for p in left[0].iterdir())  # the site served
    first.process.send_signal(signal.SIGTERM)
    assert first.process.wait(timeout=30) == 0
    first.stop()
    assert list(scratch.iterdir()) == []
    assert "Traceback" not in "".join(first.said)

    hung_up = Server(root, _free_port(), env)  # its terminal closed
    hung_up.wait_for("Serving on")
    hung_up.process.send_signal(signal.SIGHUP)
    assert hung_up.process.wait(timeout=30) == 0
    hung_up.stop()
    assert list(scratch.iterdir()) == []

    killed = Server(root, _free_port(), env)
    killed.wait_for("Serving on")
    killed.process.kill()
    killed.stop()
    assert len(list(scratch.iterdir())) == 1  # what a SIGKILL leaves

    second = Server(root, _free_port(), env)
    try:
        second.wait_for("Serving on")
        assert [p.name.startswith(f"sectorguide-serve-{second.process.pid}-")
                for p in scratch.iterdir()] == [True]
    finally:
        second.stop()
    assert list(scratch.iterdir()) == []


def _stop_signal_handlers() -> tuple[object, object]:
    return signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)


def test_processes_forked_while_serving_end_on_sigterm_as_by_default() -> None:
    """Validation's pool ends its workers with SIGTERM: interrupted as `serve` is, a worker
    printed a traceback, or hung the pool in a lock. Only `serve`'s own process stops as by
    Ctrl-C; the handlers before come back after."""
    import multiprocessing

    from sectorguide.preview import _stop, _stopped_as_by_ctrl_c

    before = _stop_signal_handlers()
    with _stopped_as_by_ctrl_c():
        assert _stop_signal_handlers() == (_stop, _stop)
        with multiprocessing.get_context("fork").Pool(2) as pool:
            in_workers = pool.starmap(_stop_signal_handlers, [()] * 4)
    assert in_workers == [(signal.SIG_DFL, signal.SIG_DFL)] * 4
    assert _stop_signal_handlers() == before
