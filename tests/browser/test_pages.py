"""Every page of the default version over http, at both widths: it loads clean and fits the window."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from conftest import SCREENSHOTS

# Whether the page is wider than the window, and what sticks out or is cut off: content may only
# run past the window inside a code block or table that scrolls sideways within the window (the
# navigation drawers sit off-screen on purpose).
PAGE_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrolls = (box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
    && box.getBoundingClientRect().right <= width + 1 && box.getBoundingClientRect().left >= -1;
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "");
  const outside = [...document.querySelectorAll("body *")].filter((el) => {
    if (el.offsetParent === null || el.closest(".sidebar-drawer, .toc-drawer")) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 1 && r.left >= -1)) return false;
    const box = el.parentElement && el.parentElement.closest(".highlight pre, .table-wrapper");
    return !(box && scrolls(box));
  });
  const unscrolled = [...document.querySelectorAll("article pre, article .table-wrapper")]
    .filter((box) => box.scrollWidth > box.clientWidth + 1 && !scrolls(box));
  return { scrollWidth: root.scrollWidth, clientWidth: width,
           wide: [...outside, ...unscrolled].slice(0, 5).map(name) };
}"""


def screenshot_name(page_path: str, width: str) -> str:
    """``maintainers/testing.html`` at phone width -> ``maintainers-testing-phone.png``."""
    return page_path.removesuffix(".html").replace("/", "-") + f"-{width}.png"


def test_page_loads_without_errors_and_fits_the_window(release_site, open_page, page_path, width):
    visit = open_page(release_site.default.url(page_path), width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(path=SCREENSHOTS / screenshot_name(page_path, width), full_page=True)
    assert (visit.console_errors, visit.failed_requests) == ([], [])
    layout = visit.page.evaluate(PAGE_OVERFLOW)
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
