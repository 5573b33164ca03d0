"""The published site as a static host serves it: aliases, hidden versions, canonical links, sitemap,
robots.txt, 404 page, .nojekyll, a banner without JavaScript, names kept intact, relative links only."""

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _versions(site: Path) -> dict:
    return json.loads(_read(site, "versions.json"))


def _canonicals(page: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]*)"', page)


def _banner(page: str) -> re.Match | None:
    return re.search(
        r'<aside class="docs-version-banner" role="note" data-version-status="([^"]+)"><span>([^<]*)</span>'
        r'<a href="([^"]*)">([^<]*)</a>',
        page,
    )


def test_versions_json_lists_aliases_hidden_versions_and_intact_names(full_site):
    _, site = full_site
    data = _versions(site)
    assert data["default"] == "main" and data["stable"] == "v1.10"  # v1.10 above v1.9: version order
    assert data["aliases"] == {"latest": "main", "stable": "v1.10", "dev": "release-1.x"}
    rows = [(v["name"], v["ref"], v["kind"], v["url"], v["aliases"], v["hidden"]) for v in data["versions"]]
    assert rows == [
        ("main", "main", "branch", "main/", ["latest"], False),
        ("release-ü", "release/ü", "branch", "release-%C3%BC/", [], True),
        ("release-1.x", "release/1.x", "branch", "release-1.x/", ["dev"], False),
        ("1_0", "1_0", "branch", "1_0/", [], False),
        ("v1.10", "v1.10", "tag", "v1.10/", ["stable"], False),
        ("v1.9", "v1.9", "tag", "v1.9/", [], False),
    ]


def test_names_reach_the_pages_intact(full_site):
    _, site = full_site
    for name, ref in [("1_0", "1_0"), ("release-ü", "release/ü")]:
        page = _read(site, f"{name}/index.html")
        assert f'<span class="docs-versions-current">{ref}</span>' in page, name
        assert f'data-version="{name}"' in page and f'data-version-ref="{ref}"' in page
        assert f"blob/{'release/%C3%BC' if name == 'release-ü' else ref}/example.py" in page


def test_aliases_are_redirect_folders(full_site, site_url):
    _, site = full_site
    latest = _read(site, "latest/index.html")
    assert 'http-equiv="refresh" content="0; url=../main/index.html"' in latest
    assert 'http-equiv="refresh" content="0; url=../../main/topics/deep.html"' in _read(site, "latest/topics/deep.html")
    stable = _read(site, "stable/legacy.html")
    assert 'content="0; url=../v1.10/legacy.html"' in stable
    assert _canonicals(stable) == [f"{site_url}v1.10/legacy.html"]
    assert 'content="0; url=../release-1.x/index.html"' in _read(site, "dev/index.html")
    assert not (site / "stable" / "guide.html").exists()  # only the pages the version has


def test_every_page_has_one_canonical_link_to_stable_else_itself(full_site, site_url):
    _, site = full_site
    assert _canonicals(_read(site, "main/index.html")) == [f"{site_url}v1.10/index.html"]
    assert _canonicals(_read(site, "v1.9/legacy.html")) == [f"{site_url}v1.10/legacy.html"]
    assert _canonicals(_read(site, "main/guide.html")) == [f"{site_url}main/guide.html"]  # not in stable
    assert _canonicals(_read(site, "main/topics/deep.html")) == [f"{site_url}main/topics/deep.html"]
    assert _canonicals(_read(site, "release-ü/index.html")) == [f"{site_url}v1.10/index.html"]
    assert _canonicals(_read(site, "index.html")) == [f"{site_url}v1.10/index.html"]
    for page in site.glob("*/**/*.html"):
        if "_static" not in page.parts:
            assert len(_canonicals(page.read_text(encoding="utf-8"))) == 1, page


def test_sitemap_lists_the_canonical_pages_and_robots_names_it(full_site, site_url):
    _, site = full_site
    urls = {loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP_NS}loc")}
    stable_pages = {f"{site_url}v1.10/{page}" for page in ("index.html", "legacy.html")}
    only_main = {f"{site_url}main/{page}" for page in ("guide.html", "topics/deep.html")}
    assert stable_pages | only_main <= urls
    # Not the hidden version's own pages, nor older versions, nor aliases.
    assert not any("/v1.9/" in url or "release-" in url or "/latest/" in url for url in urls), urls
    assert (site / "release-ü" / "preview.html").is_file()  # yet it is published
    assert not any(url.endswith(("search.html", "genindex.html")) for url in urls)
    assert _read(site, "robots.txt").splitlines()[-1] == f"Sitemap: {site_url}sitemap.xml"


def test_static_host_files(full_site, site_url):
    _, site = full_site
    assert (site / ".nojekyll").is_file()
    not_found = _read(site, "404.html")
    assert f'<base href="{site_url}">' in not_found
    assert 'href="main/index.html"' in not_found


def test_site_is_readable_by_other_users(full_site):
    _, site = full_site
    mask = os.umask(0o022)
    os.umask(mask)
    assert site.stat().st_mode & 0o777 == 0o777 & ~mask
    assert (site / "main").stat().st_mode & 0o777 == 0o777 & ~mask


def test_banner_is_in_the_html_and_says_what_the_version_is(full_site):
    _, site = full_site
    cases = {
        "main/index.html": ("development", "main, the development version", "../v1.10/index.html", "read this"),
        "main/topics/deep.html": ("development", "main, the development version", "../../v1.10/index.html", "go to"),
        "release-1.x/legacy.html": (
            "unreleased-branch",
            "release/1.x, an unreleased branch",
            "../v1.10/legacy.html",
            "read",
        ),
        "v1.9/legacy.html": ("older-release", "v1.9, an older release", "../v1.10/legacy.html", "read this"),
        "1_0/index.html": ("unreleased-branch", "1_0, an unreleased branch", "../v1.10/index.html", "read"),
    }
    for page, (status, what, href, action) in cases.items():
        banner = _banner(_read(site, page))
        assert banner is not None, page
        assert banner.group(1) == status and what in banner.group(2), (page, banner.group(2))
        assert "The stable release is v1.10" in banner.group(2)
        assert banner.group(3) == href and banner.group(4).startswith(action), page
    # In the main content (before the article's heading), and none on the stable version.
    main_page = _read(site, "main/index.html")
    assert re.search(r'<article[^>]*role="main"[^>]*><!-- release-site:banner -->', main_page)
    assert _banner(_read(site, "v1.10/index.html")) is None


def test_links_are_relative(full_site):
    _, site = full_site
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r'<link rel="canonical"[^>]*>|<base href="[^"]*">', "", text)
        own = re.findall(r'(?:href|src|content)="((?:/|https?://owner\.github\.io)[^"]*)"', text)
        assert own == [], (page, own[:3])


def test_without_a_base_url_there_is_no_canonical_link_or_sitemap(released):
    _, site = released
    assert _canonicals(_read(site, "v1.0/index.html")) == []
    assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()
    assert (site / ".nojekyll").is_file()
    not_found = _read(site, "404.html")
    assert "<base" not in not_found and 'href="main/index.html"' in not_found
    # With no tag above it, the stable release is v1.0: the banner points there.
    banner = _banner(_read(site, "main/guide.html"))
    assert banner.group(3) == "../v1.0/index.html" and "The stable release is v1.0" in banner.group(2)
