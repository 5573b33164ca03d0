"""Every page of the default version over http, at both widths: it loads clean and fits the window."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

# The page's one load per width (browser_kit.study) saves its screenshot in the run's folder and
# reads its layout with browser_kit.readings.PAGE_OVERFLOW: whether the page is wider than the
# window, and what sticks out or is cut off (content may only run past the window inside a code
# block or table that scrolls sideways within the window).


def test_page_loads_without_errors_and_fits_the_window(page_study, page_path, width):
    study = page_study(page_path, width)
    assert Path(study["screenshot"]).is_file()
    assert (study["console_errors"], study["failed_requests"]) == ([], [])
    layout = study["layout"]
    assert layout["scrollWidth"] <= layout["clientWidth"], f"the page scrolls sideways: {layout}"
    assert layout["wide"] == [], f"content runs past the window or is cut off: {layout}"


def test_page_opens_from_disk_with_working_links(html_dir, open_page, page_path):
    visit = open_page((html_dir / page_path).as_uri())
    assert not [error for error in visit.console_errors if error.startswith("uncaught")]
    targets = visit.page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.href).filter(h => h.startsWith('file:'))"
    )
    assert targets, "a page with no links within the site"
    missing = sorted({t.split("#")[0] for t in targets if not _file_of(t).is_file()})
    assert missing == []


def _file_of(url: str) -> Path:
    return Path(unquote(urlparse(url.split("#")[0]).path))
