"""Read-only questions to the local git checkout (offline; every call is bounded).

Every question goes through the project's one git runner, ``toolkit.git`` (conf.py puts ``tools/`` on
``sys.path``); a git that fails, is missing or does not answer in time is "no answer".
"""

from __future__ import annotations

from pathlib import Path

from toolkit.git import git_or_none, work_tree_holding

#: A git command that takes longer than this is treated as "no answer"; a docs build must not hang on git.
GIT_TIMEOUT_SECONDS = 10


def run_git(root: Path, *args: str) -> str | None:
    """Run ``git -C root args...`` and return its stripped stdout, or None if git fails or is missing."""
    return git_or_none(root, *args, timeout=GIT_TIMEOUT_SECONDS)


def toplevel(start: Path) -> Path | None:
    """The root of the git work tree containing *start*, or None outside a work tree."""
    out = run_git(start, "rev-parse", "--show-toplevel")
    return Path(out) if out else None


def own_work_tree(confdir: Path) -> Path | None:
    """The git work tree that holds *confdir*'s ``conf.py``, or None.

    An outer work tree (a tarball unpacked in a packaging repository, a home folder under git) is not the
    project's: it is taken only when conf.py sits at its top or git tracks conf.py there.
    """
    return work_tree_holding(confdir / "conf.py")


def current_branch(root: Path) -> str | None:
    """The checked-out branch name, or None for a detached HEAD."""
    return run_git(root, "symbolic-ref", "--quiet", "--short", "HEAD") or None


def exact_tag(root: Path) -> str | None:
    """A tag pointing exactly at HEAD, or None."""
    return run_git(root, "describe", "--tags", "--exact-match", "HEAD") or None


def head_commit(root: Path) -> str | None:
    """The full SHA of HEAD, or None (no git, or no commit yet)."""
    return run_git(root, "rev-parse", "--verify", "--quiet", "HEAD") or None


def is_commit(root: Path, name: str) -> bool:
    """Whether *name* names a commit of the repository (a full or abbreviated SHA)."""
    return run_git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}") is not None


def remote_url(root: Path) -> str | None:
    """The URL of the ``origin`` remote, else of the only remote; None if there is none."""
    url = run_git(root, "remote", "get-url", "origin")
    if url:
        return url
    remotes = (run_git(root, "remote") or "").split()
    if len(remotes) == 1:
        return run_git(root, "remote", "get-url", remotes[0]) or None
    return None


def listed_files(root: Path) -> frozenset[str] | None:
    """Paths git tracks or would track (untracked but not ignored), relative to *root*; None without git."""
    out = run_git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if out is None:
        return None
    return frozenset(p for p in out.split("\0") if p)


def ref_kind(root: Path, name: str) -> str | None:
    """``tag`` or ``branch`` if the checkout knows *name* as one (a local or ``origin`` branch), else None."""
    for prefix, kind in (("refs/tags/", "tag"), ("refs/heads/", "branch"), ("refs/remotes/origin/", "branch")):
        if run_git(root, "show-ref", "--verify", "--quiet", prefix + name) is not None:
            return kind
    return None
