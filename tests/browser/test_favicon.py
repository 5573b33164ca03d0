"""The site has its own icon, so a first visit does not ask the server root for /favicon.ico."""

from __future__ import annotations


def test_every_page_names_an_icon_that_loads(release_site, open_page, width):
    visit = open_page(width=width)
    for page_path in ["index.html", "maintainers/index.html", "reference/api.html"]:
        visit.goto(release_site.default.url(page_path))
        icon = visit.page.eval_on_selector("link[rel~='icon']", "link => link.href")
        assert icon.startswith(release_site.default.base_url), icon
        response = visit.page.request.get(icon)
        assert response.status == 200, icon
        assert response.headers["content-type"].startswith("image/"), response.headers
