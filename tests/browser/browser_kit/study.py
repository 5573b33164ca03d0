"""One load of a page at one window size, and everything the per-page checks read from it.

Loading a page is most of what a browser check costs, so the checks that look at every page of the
default version at both widths (layout, console errors, axe, copy buttons, console output, GitHub
links, what the page calls its ref) read what they need from a single load and keep it as plain
JSON; the tests then assert on that record. The reads that only look come first, on the page as it
loaded; then the screenshot, axe, and last the copy buttons, which the pointer hovers and clicks.
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from .readings import (
    BUTTON_OPACITIES,
    CUT_OFF_OUTPUT,
    EXPECTED_COPIES,
    GITHUB_LINKS,
    PAGE_OVERFLOW,
    SETTLE_TRANSITIONS,
    TEXT_UNDER_BUTTON,
)
from .visit import Visit

_AXE = Axe()


def screenshot_name(page_path: str, width: str) -> str:
    """``maintainers/testing.html`` at phone width -> ``maintainers-testing-phone.jpg``."""
    return page_path.removesuffix(".html").replace("/", "-") + f"-{width}.jpg"


def read_ref_mentions(visit: Visit) -> dict:
    """The page's links to GitHub and the text of its article and footer (what it says of its ref)."""
    return {
        "github_links": visit.page.evaluate(GITHUB_LINKS),
        "text": " ".join(visit.page.locator("article, footer").all_inner_texts()),
    }


def study_page(context, url: str, screenshot: Path) -> dict:
    """Open *url* in a new page of *context*, save a full-page *screenshot*, and return every reading."""
    visit = Visit.watch(context.new_page())
    try:
        visit.goto(url)
        record = {
            "layout": visit.page.evaluate(PAGE_OVERFLOW),
            "cut_off_output": visit.page.evaluate(CUT_OFF_OUTPUT),
            "button_opacities": visit.page.evaluate(BUTTON_OPACITIES),
            "expected_copies": visit.page.evaluate(EXPECTED_COPIES),
            **read_ref_mentions(visit),
        }
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        # JPEG: a long page's PNG takes seconds to encode (7 s for the testing page on a phone), a JPEG half a second.
        visit.page.screenshot(path=screenshot, full_page=True, type="jpeg", quality=90)
        record["screenshot"] = str(screenshot)
        # What the page did while it loaded and was looked at, before anything else touches it.
        record["console_errors"] = list(visit.console_errors)
        record["failed_requests"] = list(visit.failed_requests)
        # A full-page screenshot resizes the page for a moment, which starts CSS transitions (the copy
        # buttons fade out and back on a phone); axe must judge the page as it rests.
        visit.page.evaluate(SETTLE_TRANSITIONS)
        record["axe_violations"] = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [str(node["target"]) for node in v["nodes"][:3]],
            }
            for v in _AXE.run(visit.page).response["violations"]
        ]
        record["copy_buttons"] = _use_copy_buttons(visit.page)
        return record
    finally:
        visit.page.close()


def _use_copy_buttons(page) -> list[dict]:
    """For each copy button: the text under it with its block scrolled to the right end, and what it copied.

    The click alone is a reader's whole gesture: Playwright scrolls the button into view, waits for it
    to rest, moves the pointer onto it (which hovers its block, as a reader's pointer does) and checks
    that nothing else would take the click. The text under the button is read from where the button
    is drawn, which hovering does not move.
    """
    used = []
    buttons = page.locator("div.highlight button.copybtn")
    for index in range(buttons.count()):
        under = page.evaluate(TEXT_UNDER_BUTTON, index)
        buttons.nth(index).click()
        used.append({"under": under, "copied": page.evaluate("navigator.clipboard.readText()")})
    return used
