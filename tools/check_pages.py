"""What a docs-only change can break, checked in a minute: the build, the changed pages' blocks and browser checks.

Run it through tox, which has the test and browser dependencies::

    tox -e pages                    # changes against main: committed on this branch, staged, unstaged, new
    tox -e pages -- --base v0.9     # changes against another ref

It lists the files that differ from the merge base with ``--base`` (default ``main``), plus the
working tree's edits and new files, and runs:

1. ``tests/docs/pages`` with ``--changed`` for each changed file: the docs build (``-W``, as
   ``tox -e docs``), the inventory, and the items of the blocks on the changed pages or included
   from the changed files. An edit to the site's own machinery (``conf.py``, ``docs/_ext``,
   ``docs/_static``, ``docs/_templates``) can change every page, so then every item runs;
2. ``tests/browser`` for the changed pages (``-k``), unless ``--no-browser``.

It exits 1 when a check fails, and names the changed files it did not check: a change outside the docs
and the examples needs the whole suite (``tox``), which CI runs on every push anyway.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from toolkit.git import GitError, git, git_or_none

ROOT = Path(__file__).resolve().parents[1]

SITE_MACHINERY = ("docs/_ext/", "docs/_static/", "docs/_templates/")
"""Folders whose files can change every page (as ``conf.py`` can)."""

PAGE_SUFFIXES = (".rst", ".md")


def changed_files(base: str, root: Path = ROOT) -> list[str]:
    """Files that differ from the merge base of ``base`` and HEAD, or in the working tree (new files too)."""
    merge_base = git_or_none(root, "merge-base", base, "HEAD")
    if merge_base is None:
        raise GitError(f"{base} names no commit that shares history with HEAD in {root}")
    listed = git(root, "diff", "--name-only", "-z", merge_base, strip=False).split("\0")
    listed += git(root, "ls-files", "-z", "--others", "--exclude-standard", strip=False).split("\0")
    return sorted(set(filter(None, listed)))


def is_page(name: str) -> bool:
    """Whether ``name`` is a page of the site (a source under ``docs/`` outside its ``_`` folders)."""
    parts = Path(name).parts
    return parts[0] == "docs" and name.endswith(PAGE_SUFFIXES) and not any(p.startswith("_") for p in parts[1:])


def plan(files: list[str]) -> tuple[list[str], list[str], bool, list[str]]:
    """``(pages, example_files, whole_site, other)`` of the changed ``files``."""
    pages = [name for name in files if is_page(name)]
    example_files = [name for name in files if name.startswith("examples/")]
    whole_site = any(name == "conf.py" or name.startswith(SITE_MACHINERY) for name in files)
    other = [name for name in files if not name.startswith(("docs/", "examples/")) and name != "conf.py"]
    return pages, example_files, whole_site, other


def page_html(page: str) -> str:
    """``docs/maintainers/testing.md`` -> ``maintainers/testing.html``, as the browser suite names pages."""
    return Path(page).relative_to("docs").with_suffix(".html").as_posix()


def main(argv: list[str] | None = None) -> int:
    """Run the docs checks of the changed pages; 0 when they pass, 1 when one fails, 2 on a usage error."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the ref the change is measured against (default: main)")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser checks of the changed pages")
    args = parser.parse_args(argv)
    try:
        files = changed_files(args.base)
    except GitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pages, included, whole_site, other = plan(files)
    if not pages and not included and not whole_site:
        print(
            f"nothing on the site changed since {args.base}" + (f"; run `tox` for: {', '.join(other)}" if other else "")
        )
        return 0
    count = len(pages) + len(included)
    scope = "every page (the site's machinery changed)" if whole_site else f"{count} file{'s' if count > 1 else ''}"
    print(f"checking {scope}: {', '.join(pages + included) or '-'}", flush=True)
    docs = [sys.executable, "-m", "pytest", "-n", "auto", "-q", "-p", "no:cacheprovider", "tests/docs/pages"]
    if not whole_site:
        docs += [f"--changed={name}" for name in pages + included]
    failed = subprocess.run(docs, cwd=ROOT, check=False).returncode != 0
    if not args.no_browser and (pages or whole_site):
        # Two workers, as tox -e browser: one waits on a page while the other loads one.
        browser = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "tests/browser"]
        if not whole_site:
            browser += ["-k", " or ".join(page_html(page) for page in pages)]
        failed |= subprocess.run(browser, cwd=ROOT, check=False).returncode != 0
    if other:
        print(f"not checked here (run `tox`; CI runs everything): {', '.join(other)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
