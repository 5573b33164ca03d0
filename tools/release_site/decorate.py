"""What the site adds to every built page: a canonical link and a banner that needs no JavaScript.

Added after Sphinx, so every version gets them, also refs whose templates predate them, and so a version
reused from the previous site gets them anew. Each addition sits between marker comments and replaces the
one a previous run left.
"""

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

_BLOCK = "<!-- release-site:{name} -->{body}<!-- /release-site:{name} -->"
_OLD_BLOCK = re.compile(r"<!-- release-site:(?P<name>[a-z]+) -->.*?<!-- /release-site:(?P=name) -->", re.DOTALL)
_CANONICAL = re.compile(r"<link\s+rel=\"canonical\"[^>]*>\s*", re.IGNORECASE)
_MAIN = re.compile(r"<article\b[^>]*\brole=\"main\"[^>]*>|<div\b[^>]*\brole=\"main\"[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# The switcher's page: the template writes the page name with the builder's file suffix, which for
# dirhtml ("guide.html") is not the file the page is in ("guide/index.html"); versions.json lists files.
_DATA_PAGE = re.compile(r'(<div class="docs-versions"[^>]*?\sdata-page=")[^"]*(")')

#: What the banner says a version is, by status.
STATUS_WORDS = {
    "older-release": "an older release",
    "unreleased-branch": "an unreleased branch",
    "development": "the development version",
}


@dataclass(frozen=True)
class Banner:
    """The banner of one version: its status and where readers are pointed (the stable or default version)."""

    status: str  # a key of STATUS_WORDS
    ref: str  # this version's branch or tag
    target_name: str  # directory of the version the banner links
    target_ref: str
    target_is_release: bool  # "the stable release" or "the default version"
    target_pages: frozenset[str]


def url_path(name: str) -> str:
    """A directory name as it appears in a link (percent-encoded, e.g. ``release-%C3%BC``)."""
    return quote(name, safe="")


def up(page: str) -> str:
    """The relative path from page (``a/b.html``) up to its version's root (``../``)."""
    return "../" * page.count("/")


def banner_html(banner: Banner, page: str) -> str:
    """The banner's HTML for page (relative to its version's root); links are relative."""
    same = page in banner.target_pages
    href = f"{up(page)}../{url_path(banner.target_name)}/{quote(page if same else 'index.html')}"
    where = "the stable release" if banner.target_is_release else "the default version"
    action = "read this page there" if same else "go to its start page"
    text = (
        f"This page documents {html.escape(banner.ref)}, {STATUS_WORDS[banner.status]}. "
        f"{where.capitalize()} is {html.escape(banner.target_ref)}: "
    )
    return (
        f'<aside class="docs-version-banner" role="note" data-version-status="{banner.status}">'
        f'<span>{text}</span><a href="{html.escape(href, quote=True)}">{action}</a>.</aside>'
    )


def decorate_page(text: str, page: str, canonical: str | None, banner: Banner | None) -> str:
    """text with last run's additions removed and this run's canonical link and banner added."""
    text = _OLD_BLOCK.sub("", text)
    text = _DATA_PAGE.sub(lambda match: f"{match[1]}{html.escape(page, quote=True)}{match[2]}", text, count=1)
    if canonical is not None:
        # One canonical link per page: the site's, not one a conf.py's html_baseurl made.
        text = _CANONICAL.sub("", text)
        link = _BLOCK.format(
            name="canonical", body=f'<link rel="canonical" href="{html.escape(canonical, quote=True)}">'
        )
        text = text.replace("</head>", f"{link}\n</head>", 1)
    if banner is not None:
        block = _BLOCK.format(name="banner", body=banner_html(banner, page))
        anchor = _MAIN.search(text) or _BODY.search(text)
        if anchor is not None:
            text = text[: anchor.end()] + block + text[anchor.end() :]
    return text


def decorate_version(root: Path, pages: tuple[str, ...], canonical_of, banner: Banner | None) -> None:
    """Decorate every page of the version in root; canonical_of(page) gives its canonical URL or None."""
    for page in pages:
        path = root / page
        text = path.read_text(encoding="utf-8")
        new = decorate_page(text, page, canonical_of(page), banner)
        if new != text:
            path.write_text(new, encoding="utf-8")
