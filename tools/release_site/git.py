"""A thin wrapper over the git command line, turning failures into GitError."""

import os
import subprocess
from pathlib import Path

from .errors import GitError

# Bounded so a git waiting on a credential prompt or a dead remote cannot hang a release.
GIT_TIMEOUT = 300


def git(repo: Path, *args: str) -> str:
    """Run ``git -C repo args...`` and return its stripped standard output.

    Raises GitError naming the command and git's first error line when git fails or times out.
    """
    command = ["git", "-C", str(repo), *args]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            # Never prompt: a release in CI must fail, not wait for a password.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"`git {' '.join(args)}` in {repo} did not finish within {GIT_TIMEOUT} s") from exc
    except FileNotFoundError as exc:
        raise GitError("git is not installed (no `git` on PATH)") from exc
    if done.returncode != 0:
        reason = next((line for line in done.stderr.splitlines() if line.strip()), f"exit status {done.returncode}")
        raise GitError(f"`git {' '.join(args)}` in {repo} failed: {reason.strip()}")
    return done.stdout.strip()
