"""What the real-browser tests need: the built site on localhost, Debian's Chromium, axe-core.

Nothing is downloaded: the browser is the Debian package (`chromium`, installed by `make test`)
and axe-core comes from node_modules (`npm ci`, also run by `make test`). When either is
missing the tests fail with a message that says what to install; they never skip.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, ViewportSize

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PHONE: ViewportSize = {"width": 390, "height": 844}


# Where the site is served: below a folder, as GitHub Pages publishes a project's site
# (https://owner.github.io/sectorguide/); a link from the host's root leads out of the site.
SITE_FOLDER = "/sectorguide/"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output readable: the tests look at requests from the browser side."""

    def translate_path(self, path: str) -> str:
        """The site's files below SITE_FOLDER only: anything else is not found."""
        if not path.startswith(SITE_FOLDER):
            return str(Path(self.directory) / ".not-the-site")
        return super().translate_path("/" + path[len(SITE_FOLDER):])


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1 (a free port) below SITE_FOLDER, as a web host would
    serve the site; the address of its root."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SITE_FOLDER}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def require_chromium() -> str:
    """The browser's path; a missing browser is a failure (CI installs it), never a skip."""
    if not CHROMIUM.exists():
        raise AssertionError(f"{CHROMIUM} is missing: install Debian's chromium "
                             "(`make test` does it as root, or `sudo apt-get install chromium`)")
    return str(CHROMIUM)


def require_axe() -> Path:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` in {REPO} (`make test` does it)")
    return AXE


@dataclass
class Watch:
    """Everything a page asked for and complained about while a test looked at it."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Page:
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        return page

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.console_errors.append(f"{message.text} ({where})")


def serious_violations(page: Page, exclude_rules: dict[str, str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable line per node."""
    page.add_script_tag(path=str(require_axe()))
    rules = {rule: {"enabled": False} for rule in (exclude_rules or {})}
    result = page.evaluate(
        "(rules) => axe.run(document, {rules, resultTypes: ['violations']})", rules)
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            found.append(f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])}: "
                         f"{node.get('failureSummary', '').splitlines()[-1].strip()}")
    return found


# WCAG 2.2 success criterion 2.5.8 (target size, minimum): a target is at least 24 by 24 CSS
# pixels, or a 24 px circle centred on it touches no other target (the spacing exception), or it
# is a link inside a sentence (the inline exception). A checkbox counts with its <label>.
_SMALL_TARGETS = """(minimum) => {
  const main = document.querySelector("article") || document.body;
  const nodes = [...main.querySelectorAll("a[href], button, input, select, textarea, summary")]
    .map((n) => n.closest("label") || n);
  const visible = [...new Set(nodes)].filter((n) => {
    const style = getComputedStyle(n);
    const box = n.getBoundingClientRect();
    return box.width > 0 && box.height > 0
      && style.visibility !== "hidden" && style.opacity !== "0";
  });
  const inline = (n) => {
    if (n.tagName !== "A") return false;
    const block = n.parentElement.closest("p, li, td, th, dd, dt, h1, h2, h3, h4, h5, h6");
    return block !== null && block.textContent.trim() !== n.textContent.trim()
      && getComputedStyle(n).display === "inline";
  };
  const boxes = visible.map((n) => ({ n, r: n.getBoundingClientRect() }));
  const small = (r) => r.width < minimum - 0.01 || r.height < minimum - 0.01;
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const touches = (c, r) => {
    const dx = Math.max(r.left - c[0], 0, c[0] - r.right);
    const dy = Math.max(r.top - c[1], 0, c[1] - r.bottom);
    return Math.hypot(dx, dy) < minimum / 2;
  };
  const name = (n) => n.tagName.toLowerCase()
    + (n.className ? "." + String(n.className).trim().split(/\\s+/).join(".") : "")
    + " '" + (n.textContent.trim() || n.getAttribute("aria-label") || "").slice(0, 40) + "'";
  return boxes.filter(({ n, r }) => small(r) && !inline(n)).filter(({ n, r }) => {
    const c = centre(r);
    return boxes.some((o) => o.n !== n && !o.n.contains(n) && !n.contains(o.n) && (touches(c, o.r)
      || (small(o.r) && Math.hypot(centre(o.r)[0] - c[0], centre(o.r)[1] - c[1]) < minimum)));
  }).map(({ n, r }) => `${name(n)}: ${Math.round(r.width)}x${Math.round(r.height)}`);
}"""


def small_tap_targets(page: Page, minimum: int = 24) -> list[str]:
    """Links and controls of the page's content that a finger can hardly hit (WCAG 2.5.8)."""
    found: list[str] = page.evaluate(_SMALL_TARGETS, minimum)
    return found
