"""The docs harness: builds the site with Sphinx and checks every example the pages include.

The modules here serve the tests in ``tests/docs``, the maintainers' tool
``tools/update_docs.py`` and the ``tutorial_parts`` Sphinx extension (which
counts a step's lines with :mod:`docs_harness.tutorials`). The registry of
checks is :mod:`docs_harness.checks`.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository's top level (where ``conf.py`` lives)."""

DOCS_DIR = REPO_ROOT / "docs"
"""The Sphinx source folder."""
