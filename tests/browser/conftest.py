"""The browser suite: the built site in headless Chromium (Debian's package), driven by Playwright.

One session builds a 3-version release of this checkout with the release tool and serves it over
http from a subpath on 127.0.0.1, and builds ``build/html`` to open over file://. Run it with
``tox -e browser``; without Chromium it stops with one line naming the package, it never skips.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_kit.builds import ROOT, Version, build_html, build_release, make_release_repo
from browser_kit.chromium import LAUNCH_ARGS, ChromiumMissingError, find_chromium
from browser_kit.server import serving

SUBPATH = "hello-rpc"
"""The folder under the web root the release is served from, as on a project site."""

SCREENSHOTS = ROOT / "build" / "screenshots"

WIDTHS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
"""The two windows every page is checked in; the phone one is a touch screen."""


def _source_pages() -> list[str]:
    """Every page's HTML path, from the sources (known before anything is built)."""
    docs = ROOT / "docs"
    pages = []
    for source in sorted([*docs.rglob("*.rst"), *docs.rglob("*.md")]):
        relative = source.relative_to(docs)
        if relative.parts[0].startswith("_"):
            continue
        pages.append(relative.with_suffix(".html").as_posix())
    return pages


PAGES = _source_pages()

_CHROMIUM = pytest.StashKey[str]()
_TIMINGS = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    """Stop the run before anything is built when there is no Chromium to drive."""
    try:
        config.stash[_CHROMIUM] = find_chromium()
    except ChromiumMissingError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[_TIMINGS] = {}


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say how long the builds took, so a slow suite can be traced to them."""
    timings = config.stash.get(_TIMINGS, {})
    if timings:
        text = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        terminalreporter.write_line(f"browser suite builds: {text}")


@dataclass(frozen=True)
class ReleaseSite:
    """The served release: its folder, its URL, and its versions (from versions.json)."""

    folder: Path
    url: str
    versions: list[Version]
    listing: dict = field(repr=False)

    @property
    def default(self) -> Version:
        """The version the site root opens."""
        return next(version for version in self.versions if version.default)

    def by_ref(self, ref: str) -> Version:
        """The version built from branch or tag *ref*."""
        return next(version for version in self.versions if version.ref == ref)


@pytest.fixture(scope="session")
def release_site(tmp_path_factory, pytestconfig) -> Iterator[ReleaseSite]:
    """The 3-version release, built once per session and served from ``/hello-rpc/``."""
    base = tmp_path_factory.mktemp("release")
    started = time.monotonic()
    repo = make_release_repo(base / "repo")
    web_root = base / "www"
    web_root.mkdir()
    build_release(repo, web_root / SUBPATH)
    pytestconfig.stash[_TIMINGS]["release (3 versions)"] = time.monotonic() - started
    site = web_root / SUBPATH
    listing = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    with serving(web_root) as origin:
        url = f"{origin}/{SUBPATH}/"
        versions = [Version(entry, url + entry["url"]) for entry in listing["versions"]]
        yield ReleaseSite(site, url, versions, listing)


@pytest.fixture(scope="session")
def html_dir(pytestconfig) -> Path:
    """``build/html``, built (or brought up to date) as ``tox -e docs`` builds it."""
    out = ROOT / "build" / "html"
    started = time.monotonic()
    build_html(out)
    pytestconfig.stash[_TIMINGS]["build/html"] = time.monotonic() - started
    return out


@pytest.fixture(scope="session")
def browser(pytestconfig):
    """Headless Chromium from the system, one per session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=pytestconfig.stash[_CHROMIUM], headless=True, args=list(LAUNCH_ARGS)
        )
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page open in its own browser context, and what went wrong while it loaded."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        """Open *url* and wait until the page's scripts have run."""
        response = self.page.goto(url, wait_until="load")
        if response is not None and not response.ok:
            self.failed_requests.append(f"{response.status} {url}")


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Visit]]:
    """``open_page(url, width="desktop", **context_options)`` -> Visit; every context closes after the test."""
    contexts = []

    def open_(url: str | None = None, width: str = "desktop", **options) -> Visit:
        context = browser.new_context(**WIDTHS[width], **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        visit = Visit(context.new_page())
        visit.page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
        visit.page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))
        visit.page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.failure} {r.url}"))
        visit.page.on("response", lambda r: r.status >= 400 and visit.failed_requests.append(f"{r.status} {r.url}"))
        if url is not None:
            visit.goto(url)
        return visit

    yield open_
    for context in contexts:
        context.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page`` runs a test on every page, ``width`` at both window sizes."""
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", PAGES)
    if "width" in metafunc.fixturenames:
        metafunc.parametrize("width", list(WIDTHS))
