"""The full site served by ``python -m http.server`` from a subpath, followed link by link as a reader would."""

import html
import json
import re
import subprocess
import sys
import urllib.request
from urllib.parse import urljoin

import pytest
from toolkit.processes import read_line

TIMEOUT = 10


@pytest.fixture
def served(full_site):
    """The site's parent folder on a free port of 127.0.0.1: the site answers under /site/; yields its root URL."""
    _, site = full_site
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site.parent)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = read_line(process, 30)  # "Serving HTTP on 127.0.0.1 port N (...)"
        port = re.search(r"port (\d+)", line).group(1)
        yield f"http://127.0.0.1:{port}/{site.name}/"
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


def _attr(page: str, pattern: str) -> str:
    return html.unescape(re.search(pattern, page).group(1))


@pytest.mark.slow
def test_reader_follows_the_site_from_a_subpath(served, site_url):
    def local(url: str) -> str:
        return url.replace(site_url, served)

    root = _get(served)
    start = urljoin(served, _attr(root, r'url=([^"]+)"'))
    assert start == f"{served}main/index.html"
    page = _get(start)

    # Banner: written in the page, its link resolves on this host.
    banner = urljoin(start, _attr(page, r'<aside class="docs-version-banner"[^>]*>.*?<a href="([^"]+)"'))
    assert "v1.10" in _get(banner)
    # Switcher: versions.json where the page says, and every listed version's page answers.
    data = json.loads(_get(urljoin(start, _attr(page, r'data-versions-json="([^"]+)"'))))
    site_root = urljoin(start, _attr(page, r'data-site-root="([^"]+)"'))
    for entry in data["versions"]:
        assert "docs-versions" in _get(urljoin(site_root, entry["url"] + "index.html")), entry["name"]
    # Canonical link: to stable, which is there.
    canonical = _attr(page, r'<link rel="canonical" href="([^"]+)"')
    assert canonical == f"{site_url}v1.10/index.html" and "Version one" in _get(local(canonical))
    # Aliases redirect to pages that exist.
    stable = _get(f"{served}stable/legacy.html")
    assert "Patched on release/1.x" in _get(urljoin(f"{served}stable/legacy.html", _attr(stable, r'url=([^"]+)"')))
    # 404 page: its link resolves against the site root, however deep the missing address was.
    not_found = _get(f"{served}404.html")
    base = _attr(not_found, r'<base href="([^"]+)"')
    assert "Version two" in _get(local(urljoin(base, _attr(not_found, r'<a href="([^"]+)"'))))
    assert _get(f"{served}robots.txt").endswith(f"Sitemap: {site_url}sitemap.xml\n")
