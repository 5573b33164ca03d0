"""git for the release command: the project's one runner (tools/toolkit/git.py), failures as this tool's GitError."""

from pathlib import Path

from ..toolkit import git as toolkit_git
from .errors import GitError

# Bounded so a git waiting on a credential prompt or a dead remote cannot hang a release.
GIT_TIMEOUT = 300


def git(repo: Path, *args: str) -> str:
    """Run ``git -C repo args...`` and return its stripped standard output.

    Raises GitError naming the command and all of git's error output (its lines joined by `` | ``, so the
    CLI's error stays one line): git's first line is often progress ("Preparing worktree ...") and the
    cause ("fatal: ... File name too long") comes after it.
    """
    try:
        return toolkit_git.git(repo, *args, timeout=GIT_TIMEOUT)
    except toolkit_git.GitError as error:
        raise GitError(" | ".join(line.strip() for line in str(error).splitlines() if line.strip())) from error
