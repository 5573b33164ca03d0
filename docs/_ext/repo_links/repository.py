"""Which GitHub repository the links point at, and how a link URL is spelled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

# owner/name as GitHub allows them; the name may not end in ".git" (that is the clone suffix).
_OWNER_NAME = r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/(?P<name>[A-Za-z0-9._-]+?)"
_FORMS = (
    re.compile(rf"^{_OWNER_NAME}/?$"),
    re.compile(rf"^https?://(?:www\.)?github\.com/{_OWNER_NAME}(?:\.git)?/?$"),
    re.compile(rf"^(?:ssh://)?git@github\.com[:/]{_OWNER_NAME}(?:\.git)?/?$"),
    re.compile(rf"^git://github\.com/{_OWNER_NAME}(?:\.git)?/?$"),
)


class RepositoryError(ValueError):
    """A repository setting that does not name a GitHub repository."""


@dataclass(frozen=True)
class Repository:
    """A GitHub repository, ``owner/name``."""

    owner: str
    name: str

    @property
    def slug(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        """The repository's web address, without a trailing slash."""
        return f"https://github.com/{self.slug}"

    def link(self, kind: str, ref: str, path: str) -> str:
        """The web address of *path* at *ref*; *kind* is ``blob`` (a file) or ``tree`` (a folder)."""
        # Percent-encoded, but slashes stay slashes: GitHub reads ``blob/release/1.2/a/b.py`` as ref + path.
        return f"{self.url}/{quote('/'.join(filter(None, (kind, ref, path))), safe='/')}"


def parse_repository(text: str) -> Repository:
    """Read ``owner/name`` or a github.com web, HTTPS clone or SSH address into a Repository."""
    cleaned = text.strip()
    for form in _FORMS:
        match = form.match(cleaned)
        if match:
            name = match["name"]
            if name.endswith(".git"):
                name = name[: -len(".git")]
            return Repository(match["owner"], name)
    raise RepositoryError(
        f"{text!r} is not a GitHub repository: expected 'owner/name' or an address such as "
        "'https://github.com/owner/name'"
    )


def is_github_remote(url: str) -> bool:
    """Whether a git remote URL points at github.com."""
    try:
        parse_repository(url)
    except RepositoryError:
        return False
    return "github.com" in url
