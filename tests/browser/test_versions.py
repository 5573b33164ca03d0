"""The released site across its versions: switcher, banner, keyboard use, GitHub links, the ref's kind.

What each version is, and which versions the menu offers, is read from the site's versions.json.
"""

from __future__ import annotations

import re

import pytest
from browser_kit.builds import DEFAULT_BRANCH, RELEASE_BRANCH, TAG
from conftest import PAGES
from playwright.sync_api import expect

SWITCHER = "select.docs-versions-select"
BANNER = ".docs-version-banner"
REPOSITORY_URL = "https://github.com/hello-rpc/hello-rpc-docs"
SWITCHER_PAGES = ["index.html", "running.html", "hosting.html", "reference/api.html", "maintainers/releasing.html"]


def listed(site) -> list:
    """The versions the menu offers: every one in versions.json that is not hidden."""
    return [version for version in site.versions if not version.entry.get("hidden")]


def landing(version, page_path: str) -> str:
    """Where switching to *version* from *page_path* should go: that page there, else its start page."""
    pages = version.entry.get("pages")
    return version.url(page_path if pages is None or page_path in pages else "index.html")


def has(version, page_path: str) -> bool:
    """Whether *version* has the page (versions.json lists each version's pages)."""
    return page_path in version.entry.get("pages", [page_path])


def menu(visit) -> list[dict]:
    """The switcher's options as the reader sees them: label, absolute target, selected."""
    visit.page.locator(SWITCHER).wait_for(state="attached")
    return visit.page.eval_on_selector_all(
        f"{SWITCHER} option",
        "options => options.map(o => ({label: o.textContent.trim(), href: new URL(o.value, location.href).href,"
        " selected: o.selected}))",
    )


def test_release_has_the_three_refs_and_one_default(release_site):
    assert {version.ref for version in release_site.versions} >= {DEFAULT_BRANCH, RELEASE_BRANCH, TAG}
    assert sum(version.default for version in release_site.versions) == 1
    assert release_site.default.ref == DEFAULT_BRANCH


@pytest.mark.parametrize("switch_page", SWITCHER_PAGES)
def test_switcher_lists_the_versions_and_keeps_the_page(release_site, open_page, switch_page, width):
    visit = open_page(width=width)
    for current in [v for v in listed(release_site) if has(v, switch_page)]:
        visit.goto(current.url(switch_page))
        options = menu(visit)
        assert [o["href"] for o in options] == [landing(v, switch_page) for v in listed(release_site)]
        for option, version in zip(options, listed(release_site), strict=True):
            assert version.ref in option["label"]
            assert option["selected"] == (version is current)
        for target in listed(release_site):
            if target is current:
                continue
            visit.goto(current.url(switch_page))
            visit.page.locator(SWITCHER).wait_for(state="attached")
            with visit.page.expect_navigation():
                visit.page.select_option(
                    SWITCHER,
                    value=visit.page.eval_on_selector(
                        f"{SWITCHER} option:nth-child({listed(release_site).index(target) + 1})", "o => o.value"
                    ),
                )
            assert visit.page.url == landing(target, switch_page)
            assert visit.page.locator("article[role=main] h1").count() == 1


@pytest.mark.parametrize("switch_page", SWITCHER_PAGES)
def test_banner_on_every_version_but_the_default(release_site, open_page, switch_page, width):
    visit = open_page(width=width)
    for version in [v for v in release_site.versions if has(v, switch_page)]:
        visit.goto(version.url(switch_page))
        banner = visit.page.locator(BANNER)
        if version.default:
            assert banner.count() == 0
            continue
        assert banner.count() == 1 and banner.is_visible()
        assert version.ref in banner.inner_text()
        link = banner.locator("a").first
        assert link.evaluate("a => a.href") == landing(release_site.default, switch_page)
        box = banner.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= visit.page.viewport_size["width"]


def test_switcher_works_with_the_keyboard_alone(release_site, open_page, width):
    current = release_site.by_ref(TAG)
    visit = open_page(current.url("running.html"), width)
    visit.page.locator(SWITCHER).wait_for(state="attached")
    for _presses in range(80):
        visit.page.keyboard.press("Tab")
        if visit.page.evaluate(f"document.activeElement.matches({SWITCHER!r})"):
            break
    else:
        pytest.fail("Tab never reached the version switcher")
    # On a phone the switcher lives in the navigation drawer: it must come into view with the focus.
    expect(visit.page.locator(SWITCHER)).to_be_in_viewport(ratio=1)
    options = menu(visit)
    at = next(i for i, o in enumerate(options) if o["selected"])
    key = "ArrowDown" if at + 1 < len(options) else "ArrowUp"
    target = options[at + 1 if key == "ArrowDown" else at - 1]
    with visit.page.expect_navigation():
        visit.page.keyboard.press(key)
    assert visit.page.url == target["href"]


def test_github_links_name_the_ref_that_was_built(release_site, open_page):
    visit = open_page()
    for version in release_site.versions:
        checked = 0
        for page_path in [p for p in PAGES if has(version, p)]:
            visit.goto(version.url(page_path))
            hrefs = visit.page.eval_on_selector_all(
                f"a[href^='{REPOSITORY_URL}/']", "links => links.map(a => a.getAttribute('href'))"
            )
            for href in hrefs:
                rest = href.removeprefix(REPOSITORY_URL + "/")
                if rest.split("/")[0] in ("blob", "tree"):
                    checked += 1
                    kind = rest.split("/")[0]
                    assert rest.startswith(f"{kind}/{version.ref}/") or rest == f"{kind}/{version.ref}", (
                        f"{version.name}/{page_path}: {href} does not name {version.ref}"
                    )
        assert checked > 5, f"{version.name}: too few links to the repository to check"


def test_pages_call_the_ref_what_it_is(release_site, open_page):
    visit = open_page()
    kinds = {version.entry.get("kind") for version in release_site.versions}
    assert {"branch", "tag"} <= kinds, f"versions.json names no branch or no tag: {kinds}"
    for version in release_site.versions:
        kind = version.entry.get("kind")
        if kind not in ("branch", "tag"):
            continue
        other = {"branch": "tag", "tag": "branch"}[kind]
        said = []
        for page_path in [p for p in PAGES if has(version, p)]:
            visit.goto(version.url(page_path))
            text = " ".join(visit.page.locator("article, footer").all_inner_texts())
            # Sentences that describe the pages' own ref.
            for sentence in re.split(r"(?<=[.:])\s+", text):
                if re.search(r"\bthese pages\b", sentence, re.IGNORECASE):
                    said += [(page_path, word, sentence) for word in re.findall(r"\b(branch|tag)\b", sentence)]
        assert len({page for page, _w, _s in said}) >= 3, f"{version.name}: the check found almost nothing"
        wrong = [(page, sentence) for page, word, sentence in said if word == other]
        assert wrong == [], f"{version.name} is a {kind}"


def test_a_page_missing_from_a_version_is_really_missing(release_site):
    older = [v for v in release_site.versions if not has(v, "hosting.html")]
    assert older, "every version has hosting.html: the switch to a missing page is not exercised"
    assert all(not (release_site.folder / v.name / "hosting.html").exists() for v in older)


def test_release_opened_from_disk_keeps_its_label_and_banner(release_site, open_page):
    version = release_site.by_ref(TAG)
    visit = open_page((release_site.folder / version.name / "running.html").as_uri())
    assert not [error for error in visit.console_errors if error.startswith("uncaught")]
    assert visit.page.locator(SWITCHER).count() == 0
    assert visit.page.locator(".docs-versions-current").inner_text() == version.ref
    link = visit.page.locator(f"{BANNER} a")
    assert link.evaluate("a => a.href") == (release_site.folder / release_site.default.name / "running.html").as_uri()


def test_single_version_build_shows_its_ref_only(html_dir, open_page):
    visit = open_page((html_dir / "running.html").as_uri())
    assert not [error for error in visit.console_errors if error.startswith("uncaught")]
    assert visit.page.locator(".docs-versions-current").inner_text().strip()
    assert visit.page.locator(SWITCHER).count() == 0
    assert visit.page.locator(BANNER).count() == 0
