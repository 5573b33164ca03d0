"""A page open in the browser, with what went wrong while it loaded, and the suite's waits."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTION_TIMEOUT_MS = 30_000
"""How long a click, a wait for an element or a script may take: generous, as on a busy machine."""
NAVIGATION_TIMEOUT_MS = 60_000
"""How long a page may take to load."""


def new_context(browser, **options):
    """A browser context whose every wait is bounded by the suite's timeouts."""
    context = browser.new_context(**options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


@dataclass
class Visit:
    """A page, and the console errors and failed requests seen since it opened."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, page) -> Visit:
        """Start recording *page*'s console errors, uncaught exceptions and failed requests."""
        visit = cls(page)
        page.on("console", lambda m: m.type == "error" and visit.console_errors.append(m.text))
        page.on("pageerror", lambda exc: visit.console_errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.failure} {r.url}"))
        page.on("response", lambda r: r.status >= 400 and visit.failed_requests.append(f"{r.status} {r.url}"))
        return visit

    def goto(self, url: str) -> None:
        """Open *url* and wait until the page's scripts have run."""
        response = self.page.goto(url, wait_until="load")
        if response is not None and not response.ok:
            self.failed_requests.append(f"{response.status} {url}")
