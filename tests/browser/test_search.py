"""Search over http finds the names a reader looks for, in every version."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("term", ["HelloImpl", "serveHTTP"])
def test_search_finds_the_name(release_site, open_page, term):
    visit = open_page()
    for version in release_site.versions:
        visit.goto(version.url(f"search.html?q={term}"))
        results = visit.page.locator("#search-results ul.search li a")
        results.first.wait_for(state="visible")
        found = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert found, f"no result for {term} in {version.name}"
        with visit.page.expect_navigation():
            results.first.click()
        assert visit.page.url.startswith(version.base_url)
        assert term in visit.page.locator("article").inner_text()
