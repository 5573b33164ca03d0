"""The site around the versions: versions.json, the root redirect, and swapping a finished site in."""

import html
import json
import os
import shutil
import tempfile
from pathlib import Path

from .build import BuildResult
from .refs import Version

VERSIONS_FILE = "versions.json"


def versions_data(results: list[BuildResult], default: Version) -> dict:
    """The content of versions.json: the default's name and one entry per version, in display order.

    ``url`` is relative to the site root; ``pages`` lets a page find itself in another version.
    """
    return {
        "default": default.name,
        "versions": [
            {
                "name": result.version.name,
                "ref": result.version.ref,
                "kind": result.version.kind,
                "commit": result.version.commit,
                "url": f"{result.version.name}/",
                "default": result.version == default,
                "pages": list(result.pages),
            }
            for result in results
        ],
    }


def redirect_page(default: Version) -> str:
    """A root index.html that sends readers to the default version (works from disk and without JS)."""
    target = html.escape(f"{default.name}/index.html", quote=True)
    label = html.escape(default.ref)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n'
        f"<title>Redirecting to {label}</title>\n</head>\n<body>\n"
        f'<p>The documentation for {label} is at <a href="{target}">{target}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_site_files(staging: Path, results: list[BuildResult], default: Version) -> None:
    """Write versions.json and the root index.html into the staging site."""
    data = versions_data(results, default)
    (staging / VERSIONS_FILE).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    (staging / "index.html").write_text(redirect_page(default), encoding="utf-8")


def new_staging(out: Path) -> Path:
    """A fresh directory beside out, on the same filesystem, so publishing is a rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))


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
