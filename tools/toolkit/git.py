"""One git runner for the tools, the tests and the benchmarks: bounded, never prompting, failures as one error."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

GIT_TIMEOUT = 120.0
"""Seconds one git command may take; a git waiting on a dead remote or a prompt must not hang a run."""


class GitError(Exception):
    """A git command failed, timed out or could not start; the message names the command, the folder and git's words."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        """git's exit status (``None`` when it did not run to its end)."""
        self.stderr = stderr
        """Everything git wrote on standard error."""


def git(
    repo: Path | str,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = GIT_TIMEOUT,
    strip: bool = True,
) -> str:
    """Run ``git -C repo args...``; return its standard output (stripped unless ``strip`` is false).

    ``env`` adds variables to the environment (``GIT_TERMINAL_PROMPT=0`` is
    always set: a run in CI must fail, not wait for a password). Raises
    :class:`GitError` with git's whole error output when git fails.
    """
    shown = " ".join(args)
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {}), "GIT_TERMINAL_PROMPT": "0"},
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise GitError(f"`git {shown}` in {repo} did not finish within {timeout:g} s") from error
    except FileNotFoundError as error:
        raise GitError("git is not installed (no `git` on PATH)") from error
    if done.returncode != 0:
        said = done.stderr.strip() or done.stdout.strip() or "(git printed nothing)"
        raise GitError(
            f"`git {shown}` in {repo} failed with status {done.returncode}: {said}",
            returncode=done.returncode,
            stderr=done.stderr,
        )
    return done.stdout.strip() if strip else done.stdout


def git_or_none(repo: Path | str, *args: str, timeout: float = 10.0) -> str | None:
    """Like :func:`git`, but ``None`` where git fails or is missing (for questions whose answer may be "no")."""
    try:
        return git(repo, *args, timeout=timeout)
    except GitError:
        return None


def work_tree_holding(path: Path | str) -> Path | None:
    """The git work tree that holds the file *path*: it sits at that tree's top, or git tracks it there.

    None outside a work tree, and inside an outer one that merely contains the folder (a tarball
    unpacked in a packaging repository, a home folder under git): that tree is not the file's project.
    """
    path = Path(path).resolve()
    top = git_or_none(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top).resolve()
    if root == path.parent:
        return root
    relative = path.relative_to(root).as_posix()
    return root if git_or_none(root, "ls-files", "--error-unmatch", "--", relative) is not None else None


def tracked_files(folder: Path | str) -> list[str] | None:
    """The files git tracks under *folder*, as POSIX paths relative to it, sorted; None when git cannot say."""
    listed = git_or_none(folder, "ls-files", "-z", "--", ".")
    if listed is None:
        return None
    return sorted(name for name in listed.split("\0") if name)
