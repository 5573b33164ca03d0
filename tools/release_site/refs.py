"""Which branches and tags become versions, the directory name of each, and which is the default or stable."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .config import ReleaseConfig
from .errors import ConfigError
from .git import git

# Letters of any script stay (release/ü -> release-ü; links percent-encode them); separators become "-".
_UNSAFE = re.compile(r"[^\w.-]+")
_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True)
class Version:
    """One version of the site: a branch or tag, its commit, and where it lands under the site root."""

    name: str  # directory under the site root: release/1.2 -> release-1.2
    ref: str  # branch or tag name as git spells it; the build gets it as DOCS_BRANCH
    kind: str  # "branch" or "tag"
    commit: str


def url_name(ref: str) -> str:
    """Map a branch or tag name to a directory name that is safe on disk and, percent-encoded, in a URL."""
    name = _UNSAFE.sub("-", ref).strip("-.")
    if not name:
        raise ConfigError(f"ref {ref!r} has no characters usable in a directory name")
    return name


def find_versions(config: ReleaseConfig, say: Callable[[str], None] = print) -> list[Version]:
    """List the versions to build: the branches and tags of config.repo matching config's patterns.

    A branch is read from the local branch when there is one, else from the remote-tracking branch of
    config.remote; after ``--fetch`` from what was fetched, so a stale local branch is never published.
    The default version comes first, then branches, then tags, highest version first.
    """
    listing = git(
        config.repo,
        "for-each-ref",
        "--format=%(refname)%00%(objectname)%00%(*objectname)",
        "refs/heads",
        f"refs/remotes/{config.remote}",
        "refs/tags",
    )
    # name -> commit, for each sort of ref
    branches: dict[str, str] = {}
    remote_branches: dict[str, str] = {}
    tags: dict[str, str] = {}
    remote_prefix = f"refs/remotes/{config.remote}/"
    for line in listing.splitlines():
        full, obj, peeled = line.split("\0")
        commit = peeled or obj  # an annotated tag points at a tag object; build its commit
        if full.startswith("refs/heads/"):
            branches[full.removeprefix("refs/heads/")] = commit
        elif full.startswith(remote_prefix) and full != remote_prefix + "HEAD":
            remote_branches[full.removeprefix(remote_prefix)] = commit
        elif full.startswith("refs/tags/"):
            tags[full.removeprefix("refs/tags/")] = commit
    for name, commit in remote_branches.items():
        local = branches.setdefault(name, commit)
        if config.fetch and local != commit:
            say(
                f"note: branch {name}: building {commit[:12]} as fetched from {config.remote}, "
                f"not the local branch at {local[:12]}"
            )
            branches[name] = commit

    versions = [
        Version(url_name(ref), ref, "branch", commit)
        for ref, commit in branches.items()
        if any(fnmatchcase(ref, pattern) for pattern in config.branches)
    ] + [
        Version(url_name(ref), ref, "tag", commit)
        for ref, commit in tags.items()
        if any(fnmatchcase(ref, pattern) for pattern in config.tags)
    ]
    _check_unique_names(versions)
    return order_versions(versions, pick_default(versions, config))


def pick_default(versions: list[Version], config: ReleaseConfig) -> Version | None:
    """The version the site root sends readers to: config.default, else ``main``, else the highest branch.

    Highest by version order (``release/10.x`` above ``release/9.x``); with no branch, the highest tag.
    """
    if not versions:
        return None
    if config.default is not None:
        for version in versions:
            if config.default in (version.ref, version.name):
                return version
        found = ", ".join(sorted(v.ref for v in versions))
        raise ConfigError(f"default version {config.default!r} is not among the versions found ({found})")
    by_ref = {v.ref: v for v in versions if v.kind == "branch"}
    if "main" in by_ref:
        return by_ref["main"]
    branches = [v for v in versions if v.kind == "branch"]
    return max(branches or versions, key=version_key)


def version_key(version: Version) -> tuple:
    """Sort key in version order: numbers compare as numbers, so ``v1.10`` sorts above ``v1.9``."""
    # (is-a-number, number, text) parts compare without mixing int and str.
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in _NUMBER.split(version.ref))


def stable_version(versions: list[Version]) -> Version | None:
    """The highest release tag by version order, or None when no tag is released."""
    tags = [v for v in versions if v.kind == "tag"]
    return max(tags, key=version_key) if tags else None


def order_versions(versions: list[Version], default: Version | None) -> list[Version]:
    """Default first, then branches, then tags; within each, higher version numbers first."""
    rest = [v for v in versions if v != default]
    ordered = sorted((v for v in rest if v.kind == "branch"), key=version_key, reverse=True)
    ordered += sorted((v for v in rest if v.kind == "tag"), key=version_key, reverse=True)
    return ([default] if default else []) + ordered


#: Files the tool writes at the site root: a version's folder must never take one of their names.
RESERVED_NAMES = frozenset({"versions.json", "index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll"})


def _check_unique_names(versions: list[Version]) -> None:
    """Refuse, before anything builds, two versions in one folder or a folder that a site file needs.

    Folder names are compared case-blind: ``Main/`` and ``main/`` are one folder on macOS's and
    Windows' file systems, and on the hosts that serve from them.
    """
    seen: dict[str, Version] = {}
    for version in versions:
        if version.name.casefold() in RESERVED_NAMES:
            raise ConfigError(
                f"{version.kind} {version.ref!r} would be published as {version.name}/, but the site root needs "
                f"that name for its own file; rename the {version.kind} or narrow the patterns"
            )
        other = seen.setdefault(version.name.casefold(), version)
        if other is version:
            continue
        if other.name == version.name:
            where = f"would both be published as {version.name}/"
        else:
            where = f"would be published as {other.name}/ and {version.name}/, one folder on a case-blind host"
        raise ConfigError(
            f"{other.kind} {other.ref!r} and {version.kind} {version.ref!r} {where}; rename one or narrow the patterns"
        )
