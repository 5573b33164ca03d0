"""``--builder dirhtml``: every version as folders of index.html, the switcher's page mapping included."""

import json
import posixpath
import re


def test_pages_are_folders_and_versions_json_lists_their_files(dirhtml_site):
    data = json.loads((dirhtml_site / "versions.json").read_text(encoding="utf-8"))
    pages = {entry["name"]: entry["pages"] for entry in data["versions"]}
    assert "guide/index.html" in pages["main"] and "index.html" in pages["main"]
    assert "legacy/index.html" in pages["release-1.x"]
    assert (dirhtml_site / "main" / "guide" / "index.html").is_file()
    assert not (dirhtml_site / "main" / "guide.html").exists()


def test_every_page_tells_the_switcher_the_file_it_is(dirhtml_site):
    data = json.loads((dirhtml_site / "versions.json").read_text(encoding="utf-8"))
    for entry in data["versions"]:
        for page in entry["pages"]:
            text = (dirhtml_site / entry["name"] / page).read_text(encoding="utf-8")
            box = re.search(r'<div class="docs-versions"([^>]*)>', text)
            if box is None:
                continue  # a page without the sidebar (none in this theme, but not the switcher's concern)
            assert f'data-page="{page}"' in box.group(1), (entry["name"], page)
            # The site root, relative to this page: one level per folder of the page, one for the version.
            depth = page.count("/") + 1
            root = re.search(r'data-site-root="([^"]*)"', box.group(1)).group(1)
            assert posixpath.normpath(root) == posixpath.normpath("../" * depth), (page, root)


def test_the_banner_and_aliases_point_at_the_same_page_in_folders(dirhtml_site):
    legacy = (dirhtml_site / "release-1.x" / "legacy" / "index.html").read_text(encoding="utf-8")
    # legacy/ is not in main, so the banner sends readers to main's start page, two folders up.
    assert 'href="../../main/index.html"' in legacy
    latest = (dirhtml_site / "latest" / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'url=../../main/guide/index.html"' in latest
