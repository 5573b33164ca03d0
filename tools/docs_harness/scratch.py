"""A scratch checkout of this repository: a clone of its commits with the working tree's changes laid over.

Tests that change pages or examples to see the harness react (the update
mode, a second example) work in one, never in the repository itself.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.git import git

from . import REPO_ROOT
from .sessions import overlay_working_tree


def scratch_checkout(destination: Path) -> Path:
    """Clone this repository into ``destination`` and lay the working tree's tracked and new files over it."""
    git(destination.parent, "clone", "--quiet", "--no-checkout", str(REPO_ROOT), destination.name)
    git(destination, "checkout", "--quiet", "HEAD")
    overlay_working_tree(destination)
    return destination
