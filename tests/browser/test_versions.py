"""The released site across its versions: switcher, banner, aliases, keyboard use, GitHub links, the ref's kind.

What each version is, which is stable, which aliases stand for it and which versions the menu offers
are read from the site's versions.json.
"""

from __future__ import annotations

import re

import pytest
from browser_kit.builds import DEFAULT_BRANCH, NEW_PAGE, RELEASE_BRANCH, TAG
from conftest import PAGES
from playwright.sync_api import expect

SWITCHER = "select.docs-versions-select"
BANNER = ".docs-version-banner"
REPOSITORY_URL = "https://github.com/hello-rpc/hello-rpc-docs"
NEW_PAGE_HTML = f"{NEW_PAGE}.html"
SWITCHER_PAGES = ["index.html", "running.html", NEW_PAGE_HTML, "reference/api.html", "maintainers/releasing.html"]
# What the banner calls a version, by its data-version-status.
STATUS_WORDS = {
    "development": "the development version",
    "unreleased-branch": "an unreleased branch",
    "older-release": "an older release",
}


def listed(site, current=None) -> list:
    """The versions the menu offers: every one in versions.json that is not hidden, and the one being read."""
    return [version for version in site.versions if not version.entry.get("hidden") or version is current]


def label(version) -> str:
    """The menu's label of *version*: its ref, then the aliases that stand for it (``v0.9 (stable)``)."""
    aliases = version.entry.get("aliases") or []
    return f"{version.ref} ({', '.join(aliases)})" if aliases else version.ref


def stable(site):
    """The version versions.json calls stable (the highest release tag), or None."""
    name = site.listing.get("stable")
    return next(version for version in site.versions if version.name == name) if name else None


def canonical(site):
    """The version the banners send readers to: stable, else the default."""
    return stable(site) or site.default


def status(site, version) -> str | None:
    """What the banner of *version* should call it; None where there should be no banner."""
    if version is canonical(site):
        return None
    if version.entry.get("kind") == "tag":
        return "older-release"
    return "development" if version.default else "unreleased-branch"


def landing(version, page_path: str) -> str:
    """Where switching to *version* from *page_path* should go: that page there, else its start page."""
    pages = version.entry.get("pages")
    return version.url(page_path if pages is None or page_path in pages else "index.html")


def has(version, page_path: str) -> bool:
    """Whether *version* has the page (versions.json lists each version's pages)."""
    return page_path in version.entry.get("pages", [page_path])


def failures(visit) -> list[str]:
    """The visit's failed requests, less those cut off because the test moved on to the next page."""
    return [failure for failure in visit.failed_requests if not failure.startswith("net::ERR_ABORTED ")]


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


def switch_tour(currents: list, offered_from) -> list[tuple]:
    """Every switch to try, ``(current, target)``, in an order where one often starts where the last landed.

    *currents* are the versions that have the page; ``offered_from(current)`` the versions its menu
    offers. Each switch is tried once; going on from where a switch landed spares a page load.
    """
    to_try = [(current, target) for current in currents for target in offered_from(current) if target is not current]
    tour, at = [], None
    while to_try:
        here = [switch for switch in to_try if switch[0] is at] or to_try
        # Prefer a target that has switches left to try, so the next one can start there.
        switch = next((s for s in here if any(later[0] is s[1] for later in to_try if later is not s)), here[0])
        tour.append(switch)
        to_try.remove(switch)
        at = switch[1] if switch[1] in currents else None
    return tour


@pytest.mark.parametrize("switch_page", SWITCHER_PAGES)
def test_switcher_lists_the_versions_and_keeps_the_page(release_site, open_page, switch_page, width):
    visit = open_page(width=width)
    currents = [v for v in listed(release_site) if has(v, switch_page)]
    menus_checked, at = [], None

    def check_menu(current) -> None:
        offered = listed(release_site, current)
        options = menu(visit)
        assert [o["href"] for o in options] == [landing(v, switch_page) for v in offered]
        assert [o["label"] for o in options] == [label(v) for v in offered]
        assert [o["selected"] for o in options] == [v is current for v in offered]
        menus_checked.append(current)

    for current, target in switch_tour(currents, lambda v: listed(release_site, v)):
        if at is not current:
            visit.goto(current.url(switch_page))
        if current not in menus_checked:
            check_menu(current)
        offered = listed(release_site, current)
        visit.page.locator(SWITCHER).wait_for(state="attached")
        with visit.page.expect_navigation():
            visit.page.select_option(
                SWITCHER,
                value=visit.page.eval_on_selector(
                    f"{SWITCHER} option:nth-child({offered.index(target) + 1})", "o => o.value"
                ),
            )
        assert visit.page.url == landing(target, switch_page)
        assert visit.page.locator("article[role=main] h1").count() == 1
        at = target if visit.page.url == target.url(switch_page) else None
    for current in currents:
        if current not in menus_checked:
            visit.goto(current.url(switch_page))
            check_menu(current)
    assert menus_checked and set(map(id, menus_checked)) == set(map(id, currents))


def test_the_release_has_a_stable_version_and_versions_with_a_banner(release_site):
    tag = stable(release_site)
    assert tag is not None and tag.entry["kind"] == "tag", (
        f"versions.json: stable is {release_site.listing.get('stable')}"
    )
    assert [v for v in release_site.versions if status(release_site, v)], "no version would carry a banner"


@pytest.mark.parametrize("switch_page", SWITCHER_PAGES)
def test_banner_on_every_version_but_the_stable_one(release_site, open_page, switch_page, width):
    visit = open_page(width=width)
    target = canonical(release_site)
    words = "The stable release" if stable(release_site) else "The default version"
    for version in [v for v in release_site.versions if has(v, switch_page)]:
        visit.goto(version.url(switch_page))
        banner = visit.page.locator(BANNER)
        expected = status(release_site, version)
        if expected is None:
            assert banner.count() == 0, f"{version.name}/{switch_page}: a banner on the version it points to"
            continue
        # Static HTML at the top of the page's text, so it is there without JavaScript.
        first = visit.page.locator(f"article[role=main] > {BANNER}:first-child")
        assert first.count() == 1 and first.is_visible(), f"{version.name}/{switch_page}: no banner atop the article"
        assert first.get_attribute("role") == "note"
        assert first.get_attribute("data-version-status") == expected
        action = "read this page there" if has(target, switch_page) else "go to its start page"
        said = f"This page documents {version.ref}, {STATUS_WORDS[expected]}. {words} is {target.ref}: {action}."
        assert " ".join(first.inner_text().split()) == said
        link = first.locator("a")
        assert link.count() == 1 and link.inner_text() == action
        assert not re.match(r"[a-z]+:|/", link.get_attribute("href")), "the banner's link is not relative"
        assert link.evaluate("a => a.href") == landing(target, switch_page)
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= visit.page.viewport_size["width"]


def test_banner_link_lands_on_the_same_page_in_the_stable_version(release_site, open_page, width):
    visit = open_page(width=width)
    target = canonical(release_site)
    followed = 0
    for version in [v for v in release_site.versions if status(release_site, v)]:
        for switch_page in [p for p in SWITCHER_PAGES if has(version, p)]:
            visit.goto(version.url(switch_page))
            here = visit.page.locator("article[role=main] h1").inner_text()
            with visit.page.expect_navigation():
                visit.page.locator(f"{BANNER} a").click()
            assert visit.page.url == landing(target, switch_page)
            assert visit.page.locator("article[role=main] h1").count() == 1
            assert visit.page.locator(BANNER).count() == 0
            if has(target, switch_page):
                # The link landed on that page of the stable version: the same heading.
                assert visit.page.locator("article[role=main] h1").inner_text() == here
            followed += 1
    assert followed >= 2 * (len(SWITCHER_PAGES) - 1), "too few banner links followed"
    assert (visit.console_errors, failures(visit)) == ([], [])


def test_aliases_lead_to_the_same_page_of_their_version(release_site, open_page):
    aliases = release_site.listing.get("aliases") or {}
    assert {"latest", "stable"} <= set(aliases), f"versions.json names no latest or stable alias: {aliases}"
    assert aliases["stable"] == release_site.listing["stable"]
    assert aliases["latest"] == release_site.default.name
    visit = open_page()
    for alias, name in aliases.items():
        version = next(v for v in release_site.versions if v.name == name)
        assert alias in version.entry["aliases"], f"{name}'s entry does not list its alias {alias}"
        for switch_page in SWITCHER_PAGES:
            address = f"{release_site.url}{alias}/{switch_page}"
            if not has(version, switch_page):
                assert visit.page.request.get(address).status == 404, f"{address} exists, {name} has no such page"
                continue
            visit.goto(address)
            visit.page.wait_for_url(version.url(switch_page))
            assert visit.page.locator("article[role=main] h1").count() == 1
    assert failures(visit) == []


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


def test_github_links_name_the_ref_that_was_built(release_site, ref_mentions):
    for version in release_site.versions:
        checked = 0
        for page_path in [p for p in PAGES if has(version, p)]:
            hrefs = [h for h in ref_mentions(version, page_path)["github_links"] if h.startswith(REPOSITORY_URL + "/")]
            for href in hrefs:
                rest = href.removeprefix(REPOSITORY_URL + "/")
                if rest.split("/")[0] in ("blob", "tree"):
                    checked += 1
                    kind = rest.split("/")[0]
                    assert rest.startswith(f"{kind}/{version.ref}/") or rest == f"{kind}/{version.ref}", (
                        f"{version.name}/{page_path}: {href} does not name {version.ref}"
                    )
        assert checked > 5, f"{version.name}: too few links to the repository to check"


def test_pages_call_the_ref_what_it_is(release_site, ref_mentions):
    kinds = {version.entry.get("kind") for version in release_site.versions}
    assert {"branch", "tag"} <= kinds, f"versions.json names no branch or no tag: {kinds}"
    for version in release_site.versions:
        kind = version.entry.get("kind")
        if kind not in ("branch", "tag"):
            continue
        other = {"branch": "tag", "tag": "branch"}[kind]
        said = []
        for page_path in [p for p in PAGES if has(version, p)]:
            text = ref_mentions(version, page_path)["text"]
            # Sentences that describe the pages' own ref.
            for sentence in re.split(r"(?<=[.:])\s+", text):
                if re.search(r"\bthese pages\b", sentence, re.IGNORECASE):
                    said += [(page_path, word, sentence) for word in re.findall(r"\b(branch|tag)\b", sentence)]
        assert len({page for page, _w, _s in said}) >= 3, f"{version.name}: the check found almost nothing"
        wrong = [(page, sentence) for page, word, sentence in said if word == other]
        assert wrong == [], f"{version.name} is a {kind}"


def test_a_page_missing_from_a_version_is_really_missing(release_site):
    older = [v for v in release_site.versions if not has(v, NEW_PAGE_HTML)]
    assert older, f"every version has {NEW_PAGE_HTML}: the switch to a missing page is not exercised"
    assert all(not (release_site.folder / v.name / NEW_PAGE_HTML).exists() for v in older)
    assert has(release_site.default, NEW_PAGE_HTML)
    assert (release_site.folder / release_site.default.name / NEW_PAGE_HTML).is_file()


def test_release_opened_from_disk_keeps_its_label_and_banner(release_site, open_page):
    version = release_site.by_ref(RELEASE_BRANCH)
    assert status(release_site, version), f"{version.ref} has no banner to check"
    visit = open_page((release_site.folder / version.name / "running.html").as_uri())
    assert not [error for error in visit.console_errors if error.startswith("uncaught")]
    assert visit.page.locator(SWITCHER).count() == 0
    assert visit.page.locator(".docs-versions-current").inner_text() == version.ref
    link = visit.page.locator(f"{BANNER} a")
    target = release_site.folder / canonical(release_site).name / "running.html"
    assert link.evaluate("a => a.href") == target.as_uri()
    with visit.page.expect_navigation():
        link.click()
    assert visit.page.url == target.as_uri()
    assert visit.page.locator(BANNER).count() == 0


def test_single_version_build_shows_its_ref_only(html_dir, open_page):
    visit = open_page((html_dir / "running.html").as_uri())
    assert not [error for error in visit.console_errors if error.startswith("uncaught")]
    assert visit.page.locator(".docs-versions-current").inner_text().strip()
    assert visit.page.locator(SWITCHER).count() == 0
    assert visit.page.locator(BANNER).count() == 0


def test_switch_tour_tries_every_switch_once_and_spares_loads():
    a, b, c = "main", "release/1.x", "v0.9"
    everyone = [a, b, c]
    tour = switch_tour(everyone, lambda v: everyone)
    assert sorted(tour) == sorted((x, y) for x in everyone for y in everyone if x != y)
    # Three versions that all have the page: one load, then every switch starts where the last landed.
    assert all(tour[i][1] == tour[i + 1][0] for i in range(len(tour) - 1)), tour
    # Only main has the page: both switches start from it, and land elsewhere.
    assert switch_tour([a], lambda v: everyone) == [(a, b), (a, c)]
