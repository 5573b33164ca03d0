"""Shallow and single-branch clones (CI's usual checkout): fetch the versions' refs, or say what to fetch."""

import shlex
from fnmatch import fnmatchcase

from .config import ReleaseConfig
from .errors import GitError, MissingRefsError
from .git import git
from .refs import Version


def is_shallow(config: ReleaseConfig) -> bool:
    """True when config.repo is a shallow clone (e.g. CI's ``fetch-depth: 1`` checkout)."""
    return git(config.repo, "rev-parse", "--is-shallow-repository") == "true"


def is_single_branch(config: ReleaseConfig) -> bool:
    """True when the remote exists but its fetch refspecs do not cover all branches (``--single-branch``)."""
    remotes = git(config.repo, "remote").split()
    if config.remote not in remotes:
        return False
    try:
        specs = git(config.repo, "config", "--get-all", f"remote.{config.remote}.fetch").split()
    except GitError:  # no fetch refspec at all: only what was fetched by hand is here
        return True
    return not any(spec.lstrip("+").startswith("refs/heads/*:") for spec in specs)


def refspecs(config: ReleaseConfig) -> list[str]:
    """The refspecs that bring in every branch and tag the patterns can match, into the usual places."""
    remote = config.remote
    specs = []
    for pattern in config.branches:
        source = pattern if _refspec_safe(pattern) else "*"
        specs.append(f"+refs/heads/{source}:refs/remotes/{remote}/{source}")
    for pattern in config.tags:
        source = pattern if _refspec_safe(pattern) else "*"
        specs.append(f"+refs/tags/{source}:refs/tags/{source}")
    return list(dict.fromkeys(specs))


def fetch_command(config: ReleaseConfig) -> list[str]:
    """The git command that fetches what the release needs (depth 1 in a shallow clone: builds need no history)."""
    depth = ["--depth=1"] if is_shallow(config) else []
    return ["fetch", "--no-tags", *depth, config.remote, *refspecs(config)]


def fetch_refs(config: ReleaseConfig) -> None:
    """Fetch every branch and tag the patterns can match from config.remote."""
    git(config.repo, *fetch_command(config))


def check_complete(config: ReleaseConfig, versions: list[Version]) -> None:
    """In a shallow or single-branch clone, stop unless every pattern matched a ref already here.

    Such a clone holds only the branch CI checked out, so a pattern that matches nothing most likely
    means the refs were never fetched, not that they do not exist. A full clone is trusted as it is, and
    so is any clone after ``--fetch``: then a pattern that matches nothing has nothing to match remotely.
    """
    if config.fetch:
        return
    kind = "shallow" if is_shallow(config) else "single-branch" if is_single_branch(config) else None
    if kind is None:
        return
    unmatched = [p for p in config.branches if not any(fnmatchcase(v.ref, p) for v in versions if v.kind == "branch")]
    unmatched += [p for p in config.tags if not any(fnmatchcase(v.ref, p) for v in versions if v.kind == "tag")]
    if unmatched:
        command = shlex.join(["git", "-C", str(config.repo), *fetch_command(config)])
        raise MissingRefsError(
            f"{config.repo} is a {kind} clone and nothing here matches {', '.join(unmatched)}; "
            f"fetch the versions first with `{command}`, or rerun with --fetch"
        )


def _refspec_safe(pattern: str) -> bool:
    # A git refspec may hold one '*' and no other glob characters.
    return pattern.count("*") <= 1 and not any(char in pattern for char in "?[]\\")
