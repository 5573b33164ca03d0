"""Throwaway git repositories for the tests and the benchmarks: real git, none of the user's settings.

Each command runs through the one git runner (:func:`toolkit.git.git`) with :data:`ISOLATED`: no global
or system configuration (a developer's ``commit.gpgsign`` or hooks path cannot change a test), and a
fixed identity, so commits need no setup.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .git import git

ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}
"""Variables every command of a throwaway repository runs with."""


def isolated_git(repo: Path | str, *args: str) -> str:
    """``git -C repo args...`` with :data:`ISOLATED`; its standard output, stripped (raises ``GitError``)."""
    return git(repo, *args, env=ISOLATED)


@dataclass
class ScratchRepo:
    """A git work tree in a temporary folder, with helpers to write files and commit them."""

    root: Path

    def git(self, *args: str) -> str:
        """Any git command in this repository."""
        return isolated_git(self.root, *args)

    def write(self, path: str, text: str = "content\n") -> Path:
        """Create or overwrite the file *path* (folders made as needed); return it."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def commit(self, message: str = "change") -> str:
        """Commit everything in the work tree (also when nothing changed); return the new HEAD's SHA."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def new_repo(root: Path, branch: str = "main") -> ScratchRepo:
    """An empty repository at *root* (made if missing) on *branch*."""
    root.mkdir(parents=True, exist_ok=True)
    isolated_git(root, "init", "-q", "-b", branch)
    return ScratchRepo(root)
