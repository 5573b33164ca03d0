"""The shape of the site around the versions: default, stable, aliases, hidden versions, each one's banner."""

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from .config import ReleaseConfig
from .errors import ConfigError
from .refs import RESERVED_NAMES, Version, stable_version, url_name

#: Aliases made without being asked: the default branch, and the highest release tag.
LATEST, STABLE = "latest", "stable"


@dataclass(frozen=True)
class SitePlan:
    """What the site offers besides the versions' own pages."""

    default: Version
    stable: Version | None
    #: alias name -> the version it stands for, in the order they are listed
    aliases: dict[str, Version] = field(default_factory=dict)
    #: names of versions built and reachable but not listed
    hidden: frozenset[str] = frozenset()

    @property
    def canonical(self) -> Version:
        """The version search engines should prefer: stable, else the default."""
        return self.stable or self.default

    def aliases_of(self, version: Version) -> list[str]:
        """The alias names that stand for version."""
        return [name for name, target in self.aliases.items() if target == version]

    def status(self, version: Version) -> str | None:
        """What the banner calls version (a key of decorate.STATUS_WORDS); None for the canonical version."""
        if version == self.canonical:
            return None
        if version.kind == "tag":
            return "older-release"
        return "development" if version == self.default else "unreleased-branch"


def make_plan(config: ReleaseConfig, versions: list[Version]) -> SitePlan:
    """Work out default, stable, aliases and hidden versions; a ConfigError for an alias or pattern that cannot be."""
    default = versions[0]
    stable = stable_version(versions)
    aliases: dict[str, Version] = {}
    # Case-blind, as on the hosts that serve from case-insensitive file systems.
    names = {version.name.casefold() for version in versions}
    # A branch or tag of that name is published under it; the alias then steps aside.
    if default.kind == "branch" and LATEST not in names:
        aliases[LATEST] = default
    if stable is not None and STABLE not in names:
        aliases[STABLE] = stable
    for alias, ref in config.aliases:
        if url_name(alias) != alias:
            raise ConfigError(f"alias {alias!r} is not usable as a directory name; try {url_name(alias)!r}")
        if alias.casefold() in RESERVED_NAMES:
            raise ConfigError(f"alias {alias!r} is the name of a file at the site root; choose another name")
        if alias.casefold() in names:
            raise ConfigError(f"alias {alias!r} is already the directory of a version; choose another name")
        target = next((v for v in versions if ref in (v.ref, v.name)), None)
        if target is None:
            found = ", ".join(sorted(v.ref for v in versions))
            raise ConfigError(f"alias {alias}={ref}: {ref!r} is not among the versions found ({found})")
        aliases[alias] = target
    hidden = frozenset(
        v.name for v in versions if any(fnmatchcase(v.ref, p) or fnmatchcase(v.name, p) for p in config.hide)
    )
    if default.name in hidden:
        raise ConfigError(f"--hide would hide the default version {default.ref!r}; the site root opens it")
    return SitePlan(default, stable, dict(sorted(aliases.items(), key=lambda item: item[0] != LATEST)), hidden)
