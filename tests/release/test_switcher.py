"""docs/_static/versions.js on pages of a real release build, run under node with a stand-in DOM."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "_static" / "versions.js"
HARNESS = Path(__file__).with_name("switcher_harness.js")
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed: the switcher script cannot be run")


@pytest.fixture
def site(released) -> Path:
    """The release build of the tiny repository: main (default), release/1.x, v1.0."""
    return released[1]


def switcher_on(page: Path, protocol: str = "http:", versions: dict | None = None, furo: bool = True) -> dict:
    """Run the switcher on a built page's own switcher markup; versions=None makes the fetch fail.

    furo=True gives the stand-in page Furo's floating icons (the banner goes above them), else only
    an ``article role=main`` as other themes have (the banner goes first in it).
    """
    text = page.read_text(encoding="utf-8")
    markup = re.search(r'<div class="docs-versions"([^>]*)>', text).group(1)
    attrs = {name: html.unescape(value) for name, value in re.findall(r'(data-[\w-]+)="([^"]*)"', markup)}
    label = re.search(r'<span class="docs-versions-current">([^<]*)</span>', text).group(1)
    request = {
        "script": str(SCRIPT),
        "attrs": attrs,
        "label": label,
        "protocol": protocol,
        "versions": versions,
        "furo": furo,
    }
    done = subprocess.run(
        [NODE, str(HARNESS)], input=json.dumps(request), capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def versions_of(site: Path) -> dict:
    """The site's versions.json, parsed."""
    return json.loads((site / "versions.json").read_text(encoding="utf-8"))


def test_menu_lists_every_version_and_keeps_the_page_where_it_exists(site):
    seen = switcher_on(site / "release-1.x" / "legacy.html", versions=versions_of(site))
    assert seen["errors"] == []
    assert seen["fetched"] == ["./../versions.json"]
    # Each version labelled with its aliases; the banner is in the page's HTML, the script adds none.
    assert seen["options"] == [
        {"text": "main (latest)", "value": "./../main/index.html", "selected": False},  # main has no legacy page
        {"text": "release/1.x", "value": "./../release-1.x/legacy.html", "selected": True},
        {"text": "v1.0 (stable)", "value": "./../v1.0/legacy.html", "selected": False},
    ]
    assert seen["banner"] is None


def test_default_version_has_menu_but_no_banner(site):
    seen = switcher_on(site / "main" / "guide.html", versions=versions_of(site))
    assert seen["banner"] is None
    assert [option["value"] for option in seen["options"]] == [
        "./../main/guide.html",
        "./../release-1.x/index.html",
        "./../v1.0/index.html",
    ]


@pytest.mark.parametrize("protocol", ["http:", "file:"])
def test_without_versions_json_the_page_keeps_its_label(site, protocol):
    seen = switcher_on(site / "release-1.x" / "index.html", protocol=protocol, versions=None)
    assert seen["errors"] == []
    assert seen["fetched"] == ([] if protocol == "file:" else ["./../versions.json"])
    assert seen["options"] is None and seen["label"] == "release/1.x"


def test_single_version_build_shows_its_label_and_fetches_nothing(tiny_repo, tmp_path):
    out = tmp_path / "html"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-b",
            "html",
            "-c",
            str(tiny_repo.path),
            str(tiny_repo.path / "docs"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DOCS_BRANCH": "feature/preview"},
    )
    assert build.returncode == 0, build.stderr
    seen = switcher_on(out / "index.html", versions=None)
    assert seen["label"] == "feature/preview"
    assert seen["fetched"] == [] and seen["banner"] is None and seen["options"] is None
