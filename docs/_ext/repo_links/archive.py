"""The ref and commit a ``git archive`` tarball was made from, read from ``archive.txt`` beside this file.

git fills ``archive.txt`` when it writes an archive (``export-subst`` in ``.gitattributes``): ``%H`` is the
commit and ``%D`` the refs pointing at it (``HEAD -> main, tag: v1.0, origin/main``). In a checkout the
file still holds git's ``$Format:...$`` placeholders, and nothing is read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ARCHIVE_FILE = Path(__file__).with_name("archive.txt")


@dataclass(frozen=True)
class ArchiveRef:
    """What the archive says it was made from."""

    commit: str
    #: The ref to link: a tag pointing at the commit, else the branch, else the commit itself.
    ref: str
    kind: str


def parse_archive_text(text: str) -> ArchiveRef | None:
    """The archive's commit and ref from the filled-in text of ``archive.txt``; None if git did not fill it."""
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and not key.startswith("#"):
            fields[key.strip()] = value.strip()
    commit = fields.get("commit", "")
    if not commit or "$Format" in commit:
        return None
    tags: list[str] = []
    branches: list[str] = []
    for name in (part.strip() for part in fields.get("refs", "").split(",")):
        if name.startswith("tag: "):
            tags.append(name.removeprefix("tag: "))
        elif name.startswith("HEAD -> "):
            branches.insert(0, name.removeprefix("HEAD -> "))
        elif name and name != "HEAD":
            branches.append(name)
    if tags:
        return ArchiveRef(commit, tags[0], "tag")
    if branches:
        # A remote-tracking name (origin/main) names the branch main of that remote.
        return ArchiveRef(commit, branches[0].removeprefix("origin/"), "branch")
    return ArchiveRef(commit, commit, "commit")


def read_archive_ref(path: Path = ARCHIVE_FILE) -> ArchiveRef | None:
    """The ref of the archive this extension was unpacked from, or None (a checkout, or no such file)."""
    try:
        return parse_archive_text(path.read_text(encoding="utf-8"))
    except OSError:
        return None
