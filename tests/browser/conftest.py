"""The browser suite: the built site in headless Chromium (Debian's package), driven by Playwright.

A run builds a 3-version release of this checkout with the release tool, served over http from a
subpath on 127.0.0.1, and a single-version site as ``tox -e docs`` builds ``build/html``, opened over
file://. Both are built once per run into a folder all pytest-xdist workers share (``browser_kit.once``);
each worker has one Chromium and its own server. Each page of the default version is loaded once per
window size per run, and the checks of every page read that load's record (``browser_kit.study``).
Run it with ``tox -e browser``; without Chromium it stops with one line naming the package, it never skips.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_kit.builds import BUILD_TIMEOUT, ROOT, Version, build_sites
from browser_kit.chromium import LAUNCH_ARGS, ChromiumMissingError, find_chromium
from browser_kit.once import once, run_folder
from browser_kit.server import serving
from browser_kit.study import read_ref_mentions, screenshot_name, study_page
from browser_kit.visit import Visit, new_context

SUBPATH = "hello-rpc"
"""The folder under the web root the release is served from, as on a project site."""

STUDY_TIMEOUT = 300
"""Seconds a worker waits for another that is loading and reading the same page."""

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
_REPORT = pytest.StashKey[dict]()
_WORKER_OUTPUT = "browser_suite"


def pytest_configure(config: pytest.Config) -> None:
    """Stop the run before anything is built when there is no Chromium to drive."""
    try:
        config.stash[_CHROMIUM] = find_chromium()
    except ChromiumMissingError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[_REPORT] = {}
    # A pytest-xdist worker hands its report to the controller, which prints the summary.
    if hasattr(config, "workeroutput"):
        config.workeroutput[_WORKER_OUTPUT] = config.stash[_REPORT]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """Collect a finished pytest-xdist worker's report (build times, where the screenshots are)."""
    node.config.stash[_REPORT].update(getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT, {}))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say how long the builds took, so a slow suite can be traced to them, and where the screenshots are."""
    report = config.stash.get(_REPORT, {})
    if "builds" in report:
        text = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report["builds"].items())
        terminalreporter.write_line(f"browser suite builds (at the same time): {text}")
    if "screenshots" in report:
        terminalreporter.write_line(f"browser suite screenshots: {report['screenshots']}")


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
def run_dir(tmp_path_factory) -> Path:
    """The folder this run's workers share: the builds, the page records, the screenshots."""
    return run_folder(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def sites(run_dir, pytestconfig) -> Path:
    """The folder holding both built sites (``browser_kit.builds.build_sites``), built once per run."""
    folder = run_dir / "sites"
    # The two builds run at once, each bounded by BUILD_TIMEOUT.
    timings = once(run_dir, "sites", lambda: build_sites(folder, SUBPATH), timeout=BUILD_TIMEOUT + 120)
    pytestconfig.stash[_REPORT]["builds"] = timings
    return folder


@pytest.fixture(scope="session")
def release_site(sites) -> Iterator[ReleaseSite]:
    """The 3-version release, served by this worker from ``/hello-rpc/``."""
    web_root = sites / "www"
    site = web_root / SUBPATH
    listing = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    with serving(web_root) as origin:
        url = f"{origin}/{SUBPATH}/"
        versions = [Version(entry, url + entry["url"]) for entry in listing["versions"]]
        yield ReleaseSite(site, url, versions, listing)


@pytest.fixture(scope="session")
def html_dir(sites) -> Path:
    """The single-version site, built as ``tox -e docs`` builds ``build/html`` (but into the run's folder)."""
    return sites / "html"


@pytest.fixture(scope="session")
def browser(pytestconfig):
    """Headless Chromium from the system, one per worker."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=pytestconfig.stash[_CHROMIUM], headless=True, args=list(LAUNCH_ARGS)
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Visit]]:
    """``open_page(url, width="desktop", **context_options)`` -> Visit; every context closes after the test."""
    contexts = []

    def open_(url: str | None = None, width: str = "desktop", **options) -> Visit:
        context = new_context(browser, **WIDTHS[width], **options)
        contexts.append(context)
        visit = Visit.watch(context.new_page())
        if url is not None:
            visit.goto(url)
        return visit

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def _study_contexts(browser) -> Iterator[dict]:
    """One context per window size for this worker's page studies (each study opens its own page)."""
    contexts: dict = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="session")
def page_study(release_site, run_dir, browser, _study_contexts, pytestconfig) -> Callable[[str, str], dict]:
    """``page_study(page_path, width)`` -> the record of one load of that page of the default version.

    Each page and width is loaded once per run, by whichever worker asks first (``browser_kit.study``).
    """
    screenshots = run_dir / "screenshots"
    pytestconfig.stash[_REPORT]["screenshots"] = str(screenshots)
    kept: dict[tuple[str, str], dict] = {}

    def study(page_path: str, width: str) -> dict:
        if (page_path, width) not in kept:

            def make() -> dict:
                if width not in _study_contexts:
                    # Clipboard access for the copy buttons; it changes nothing else a page shows.
                    _study_contexts[width] = new_context(
                        browser, **WIDTHS[width], permissions=["clipboard-read", "clipboard-write"]
                    )
                shot = screenshots / screenshot_name(page_path, width)
                return study_page(_study_contexts[width], release_site.default.url(page_path), shot)

            name = f"page-{page_path.removesuffix('.html').replace('/', '-')}-{width}"
            kept[page_path, width] = once(run_dir, name, make, timeout=STUDY_TIMEOUT)
        return kept[page_path, width]

    return study


@pytest.fixture(scope="session")
def ref_mentions(release_site, run_dir, browser, _study_contexts, page_study) -> Callable[[Version, str], dict]:
    """``ref_mentions(version, page_path)`` -> the page's GitHub links and text, read once per run.

    The default version's come from its page study at desktop width; the others' from a load of their own.
    """
    kept: dict[tuple[str, str], dict] = {}

    def mentions(version: Version, page_path: str) -> dict:
        if version is release_site.default:
            study = page_study(page_path, "desktop")
            return {"github_links": study["github_links"], "text": study["text"]}
        if (version.name, page_path) not in kept:

            def make() -> dict:
                if "plain" not in _study_contexts:
                    _study_contexts["plain"] = new_context(browser, **WIDTHS["desktop"])
                visit = Visit.watch(_study_contexts["plain"].new_page())
                try:
                    visit.goto(version.url(page_path))
                    return read_ref_mentions(visit)
                finally:
                    visit.page.close()

            name = f"refs-{version.name}-{page_path.removesuffix('.html').replace('/', '-')}"
            kept[version.name, page_path] = once(run_dir, name, make, timeout=STUDY_TIMEOUT)
        return kept[version.name, page_path]

    return mentions


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page`` runs a test on every page, ``width`` at both window sizes."""
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", PAGES)
    if "width" in metafunc.fixturenames:
        metafunc.parametrize("width", list(WIDTHS))
