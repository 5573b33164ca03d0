"""Rewrite each tutorial part's ``:emphasize-lines:`` to the lines that changed since the previous part.

Usage (from anywhere in the repository)::

    python tools/update_emphasis.py          # rewrite the pages, then review `git diff docs/`
    python tools/update_emphasis.py --check  # only report; exit 1 if a page needs rewriting

It builds the docs with Sphinx into a temporary folder, reads which step file
each ``literalinclude`` shows and with which options, and computes the lines
exactly as the docs harness (``tools/docs_harness``, run by ``tests/docs``) checks them. Only directives that
already have ``:emphasize-lines:`` are rewritten.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from docs_harness import DOCS_DIR, REPO_ROOT
from docs_harness.build_docs import build
from docs_harness.emphasis import (
    declared_emphasis,
    expected_emphasis,
    find_tutorials,
    format_spec,
    rewrite_emphasis,
    shown_line_numbers,
    tutorial_of,
)


def main(argv: list[str] | None = None) -> int:
    """Compute every part's emphasis, rewrite (or with ``--check`` report) the ones that differ."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report what would change; exit 1 if anything would")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="update-emphasis-") as folder:
        result = build(DOCS_DIR, REPO_ROOT, Path(folder))
    if result.crash and not result.includes:
        print(f"error: the docs build failed before any page was read:\n{result.crash}", file=sys.stderr)
        return 1

    tutorials = find_tutorials()
    changes = 0
    for include in result.includes:
        path = Path(include.path)
        tutorial = tutorial_of(path, tutorials)
        if include.error or tutorial is None or "emphasize-lines" not in include.options:
            continue
        expected = expected_emphasis(tutorial.previous(path), path, include.options)
        if declared_emphasis(include.options, len(shown_line_numbers(path, include.options))) == expected:
            continue
        changes += 1
        old, new = include.options["emphasize-lines"], format_spec(expected)
        if not args.check:
            rewrite_emphasis(Path(include.page_source), include.line, new)
        verb = "should be" if args.check else "->"
        print(f"{include.where}: :emphasize-lines: {old} {verb} {new}  ({path.name})")
    if not changes:
        print("every :emphasize-lines: matches its step's changes")
    return 1 if args.check and changes else 0


if __name__ == "__main__":
    sys.exit(main())
