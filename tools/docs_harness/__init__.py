"""The docs harness: builds the site with Sphinx and checks every example the pages include.

The modules here are shared by the tests in ``tests/docs`` and by the
maintainers' tool ``tools/update_emphasis.py``.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository's top level (where ``conf.py`` lives)."""

DOCS_DIR = REPO_ROOT / "docs"
"""The Sphinx source folder."""
