"""The site around the versions: versions.json, aliases, the root pages, and swapping a finished site in."""

import html
import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from .build import BuildResult
from .decorate import Banner, decorate_version, up, url_path
from .plan import SitePlan

VERSIONS_FILE = "versions.json"
# Pages a search engine should not be sent to.
_NOT_IN_SITEMAP = {"search.html", "genindex.html", "search/index.html", "genindex/index.html"}


def versions_data(results: list[BuildResult], plan: SitePlan, fingerprints: dict[str, str]) -> dict:
    """The content of versions.json: the default's name, the aliases and one entry per version, in display order.

    ``url`` is relative to the site root; ``pages`` lets a page find itself in another version; a
    ``hidden`` version is reachable but not offered in the switcher.
    """
    return {
        "default": plan.default.name,
        "stable": plan.stable.name if plan.stable else None,
        "aliases": {name: version.name for name, version in plan.aliases.items()},
        "versions": [
            {
                "name": result.version.name,
                "ref": result.version.ref,
                "kind": result.version.kind,
                "commit": result.version.commit,
                "url": f"{url_path(result.version.name)}/",
                "default": result.version == plan.default,
                "aliases": plan.aliases_of(result.version),
                "hidden": result.version.name in plan.hidden,
                "pages": list(result.pages),
                "fingerprint": fingerprints.get(result.version.name, ""),
            }
            for result in results
        ],
    }


def redirect_page(target: str, label: str, canonical: str | None = None) -> str:
    """A page that sends readers to target (a relative URL), also without JavaScript and from disk."""
    href = html.escape(target, quote=True)
    canonical_href = html.escape(canonical or target, quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{canonical_href}">\n'
        f"<title>Redirecting to {html.escape(label)}</title>\n</head>\n<body>\n"
        f'<p>The documentation for {html.escape(label)} is at <a href="{href}">{href}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def not_found_page(plan: SitePlan, base_url: str | None) -> str:
    """The root 404.html: a static host serves it for any missing path, so it offers the default's start page.

    Served at any depth, its relative links resolve against the missing page's address; with a base URL a
    ``<base>`` makes them resolve against the site root instead.
    """
    base = f'<base href="{html.escape(base_url, quote=True)}">\n' if base_url else ""
    href = html.escape(f"{url_path(plan.default.name)}/index.html", quote=True)
    label = html.escape(plan.default.ref)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'{base}<meta name="robots" content="noindex">\n'
        "<title>Page not found</title>\n</head>\n<body>\n"
        "<h1>Page not found</h1>\n"
        "<p>There is no page at this address. It may have moved, or exist only in another version.</p>\n"
        f'<p>Start again from <a href="{href}">the {label} documentation</a>.</p>\n'
        "</body>\n</html>\n"
    )


def canonical_url(plan: SitePlan, base_url: str, pages_of: dict[str, frozenset[str]], name: str, page: str) -> str:
    """The canonical address of page in version name: the same page in the canonical version, else itself."""
    preferred = plan.canonical.name
    home = preferred if page in pages_of.get(preferred, frozenset()) else name
    return f"{base_url}{url_path(home)}/{quote(page)}"


def write_site_files(
    staging: Path,
    results: list[BuildResult],
    plan: SitePlan,
    base_url: str | None,
    fingerprints: dict[str, str],
) -> None:
    """Decorate the pages, then write versions.json, the aliases and the root pages into the staging site."""
    pages_of = {r.version.name: frozenset(r.pages) for r in results}
    canonical_target = plan.canonical

    def canonical_for(name: str):
        if base_url is None:
            return lambda page: None
        return lambda page: canonical_url(plan, base_url, pages_of, name, page)

    for result in results:
        status = plan.status(result.version)
        banner = None
        if status is not None:
            banner = Banner(
                status,
                result.version.ref,
                canonical_target.name,
                canonical_target.ref,
                plan.stable is not None,
                pages_of[canonical_target.name],
            )
        decorate_version(staging / result.version.name, result.pages, canonical_for(result.version.name), banner)

    for alias, version in plan.aliases.items():
        for page in pages_of[version.name]:
            target = f"{up(page)}../{url_path(version.name)}/{quote(page)}"
            canonical = canonical_for(version.name)(page)
            path = staging / alias / page
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(redirect_page(target, f"{version.ref} ({alias})", canonical), encoding="utf-8")

    data = versions_data(results, plan, fingerprints)
    (staging / VERSIONS_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    default_target = f"{url_path(plan.default.name)}/index.html"
    root_canonical = f"{base_url}{url_path(canonical_target.name)}/index.html" if base_url else None
    (staging / "index.html").write_text(redirect_page(default_target, plan.default.ref, root_canonical), "utf-8")
    (staging / "404.html").write_text(not_found_page(plan, base_url), encoding="utf-8")
    # GitHub Pages runs Jekyll otherwise, which drops Sphinx's _static and _sources folders.
    (staging / ".nojekyll").write_text("", encoding="utf-8")
    if base_url:
        listed = [r for r in results if r.version.name not in plan.hidden]
        urls = sorted(
            {
                canonical_url(plan, base_url, pages_of, r.version.name, page)
                for r in listed
                for page in r.pages
                if page not in _NOT_IN_SITEMAP and page.rsplit("/", 1)[-1] not in _NOT_IN_SITEMAP
            }
        )
        (staging / "sitemap.xml").write_text(sitemap(urls), encoding="utf-8")
        (staging / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n", "utf-8")


def sitemap(urls: list[str]) -> str:
    """A sitemap.xml listing urls."""
    entries = "".join(f"  <url><loc>{xml_escape(url)}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def current_umask() -> int:
    """The process's umask (read by setting it and putting it back; call it before threads start)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_staging(out: Path) -> Path:
    """A fresh directory beside out, on the same filesystem, so publishing is a rename.

    mkdtemp makes it private (0700); it becomes the site root, so it gets the mode the umask gives any new
    folder, or a web server running as another user could read nothing.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
    staging.chmod(0o777 & ~current_umask())
    return staging


def publish(staging: Path, out: Path) -> None:
    """Put the finished staging site at out, replacing the previous site only now.

    The old site is renamed aside and the new one renamed in (two renames, no copying), so out holds
    either the whole old site or the whole new one; the old one is deleted afterwards.
    """
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    os.replace(out, retired / out.name)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired / out.name, out)  # put the last good site back
        raise
    shutil.rmtree(retired, ignore_errors=True)
