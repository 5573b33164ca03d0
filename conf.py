"""Sphinx configuration for the Hello RPC docs (the pages live in docs/)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "runtime"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

project = "Hello RPC"
author = "The Hello RPC maintainers"
copyright = "2026, The Hello RPC maintainers"  # noqa: A001 - Sphinx's name

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.extlinks",
    "myst_parser",
    "sphinx_copybutton",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = True

html_theme = "furo"
html_title = "Hello RPC"
