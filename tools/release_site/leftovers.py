"""What a killed release left behind, found and removed by the next one (under the site lock).

A release that ends normally, by Ctrl-C or by SIGTERM removes its own folders; one killed outright
(SIGKILL, an out-of-memory kill, a machine that lost power) cannot. Its folders carry its process id,
so a later run removes only those of processes that are gone, never a running release's.
"""

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import GitError
from .git import git

SCRATCH_PREFIX = "release-site-"
_SCRATCH = re.compile(rf"^{SCRATCH_PREFIX}(?P<pid>\d+)-")


def scratch_folder() -> Path:
    """A new scratch folder (worktrees, doctrees) named after this process, in the temporary folder."""
    return Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def _dead_scratch(path: Path) -> bool:
    match = _SCRATCH.match(path.name)
    return match is not None and _gone(int(match["pid"]))


def remove_leftovers(repo: Path, out: Path, say: Callable[[str], None]) -> None:
    """Remove a killed run's worktrees, scratch and staging folders; put back a site it had moved aside."""
    listing = git(repo, "worktree", "list", "--porcelain")
    for line in listing.splitlines():
        if not line.startswith("worktree "):
            continue
        path = Path(line.removeprefix("worktree "))
        if path.name.startswith("worktree-") and _dead_scratch(path.parent):
            say(f"removing worktree {path}, left by a release that was killed")
            try:
                git(repo, "worktree", "remove", "--force", str(path))
            except GitError:
                shutil.rmtree(path, ignore_errors=True)
    git(repo, "worktree", "prune")
    for path in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        if path.is_dir() and _dead_scratch(path):
            say(f"removing {path}, left by a release that was killed")
            shutil.rmtree(path, ignore_errors=True)
    # publish() moves the old site aside, then the new one in: killed in between, out is missing.
    for retired in sorted(out.parent.glob(f".{out.name}-old-*")):
        if not out.exists() and (retired / out.name).is_dir():
            say(f"putting back {out}, moved aside by a release that was killed while publishing")
            os.replace(retired / out.name, out)
        say(f"removing {retired}, left by a release that was killed")
        shutil.rmtree(retired, ignore_errors=True)
    for staging in sorted(out.parent.glob(f".{out.name}-staging-*")):
        say(f"removing {staging}, left by a release that was killed")
        shutil.rmtree(staging, ignore_errors=True)
