"""A detached git worktree per version, removed again whatever happens to the build."""

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GitError
from .git import git
from .refs import Version

# git keeps one list of worktrees per repository; versions built in parallel add and remove theirs in turn.
_WORKTREES = threading.Lock()


@contextmanager
def checked_out(repo: Path, version: Version, parent: Path) -> Iterator[Path]:
    """Check out version's commit into a new detached worktree under parent; yield its path.

    A worktree keeps ``.git`` (unlike ``git archive``), so the build can ask git about the ref.
    The worktree is removed and pruned on the way out, also when the build fails or is interrupted.
    """
    path = parent / f"worktree-{version.name}"
    with _WORKTREES:
        git(repo, "worktree", "add", "--detach", str(path), version.commit)
    try:
        yield path
    finally:
        with _WORKTREES:
            try:
                git(repo, "worktree", "remove", "--force", str(path))
            except GitError:
                # Already half gone (e.g. deleted by hand): drop the files, then git's record of them.
                shutil.rmtree(path, ignore_errors=True)
                git(repo, "worktree", "prune")
