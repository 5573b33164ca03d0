"""What one build knows about its links: repository, ref, checkout root and the files in it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import git
from .ref import RefChoice
from .repository import Repository


@dataclass(frozen=True)
class BuildFacts:
    """Resolved once per build (in the main process, before any page is read)."""

    repository: Repository
    #: Where the repository setting came from (``DOCS_REPOSITORY``, ``conf.py``, ``git remote``).
    repository_source: str
    ref: RefChoice
    #: The checkout the linked paths are checked against.
    root: Path
    #: Files git tracks or would track; None when *root* is not a git work tree (then the disk decides).
    files: frozenset[str] | None
    #: Folders holding any of *files*; None without git.
    folders: frozenset[str] | None

    @property
    def target(self) -> tuple[str, str]:
        """What the link URLs depend on; a change between builds means every page must be re-read."""
        return self.repository.url, self.ref.ref


@dataclass(frozen=True)
class LinkRecord:
    """One repository link on a page (kept in the environment, written to the manifest)."""

    page: str
    #: The file the role is written in (the page, or a file it includes), relative to the checkout root.
    source: str
    line: int | None
    role: str
    path: str
    kind: str
    url: str
    exists: bool


def normalise_path(text: str) -> str | None:
    """The repository-relative POSIX form of a role's path, or None if it leaves the repository."""
    # PurePosixPath drops "." and empty segments; a leading "/" means the repository root, not the disk's.
    raw = text.strip().replace("\\", "/").lstrip("/")
    parts: list[str] = []
    for part in PurePosixPath(raw).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def path_kind(facts: BuildFacts, path: str) -> str | None:
    """``blob`` if *path* is a file of the repository, ``tree`` if a folder, None if it is not there."""
    if path == "":
        return "tree"
    on_disk = facts.root / path
    if on_disk.is_symlink() or on_disk.is_file():
        return "blob" if facts.files is None or path in facts.files else None
    if on_disk.is_dir():
        # A folder exists on GitHub only if git holds a file somewhere under it.
        return "tree" if facts.folders is None or path in facts.folders else None
    return None


def folders_of(files: frozenset[str]) -> frozenset[str]:
    """Every folder that holds at least one of *files* (at any depth)."""
    folders: set[str] = set()
    for file in files:
        parts = file.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.add("/".join(parts[:depth]))
    return frozenset(folders)


def find_root(configured: str, confdir: Path) -> Path:
    """The checkout root, resolved: the configured one (relative to conf.py), else conf.py's work tree, else confdir."""
    if configured:
        return (confdir / os.path.expanduser(configured)).resolve()
    return (git.own_work_tree(confdir) or confdir).resolve()
