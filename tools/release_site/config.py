"""What to release: ref patterns, the default version, paths, read from pyproject.toml and the command line."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_BRANCHES = ("main", "release/*")
DEFAULT_TAGS = ("v*",)
CONFIG_TABLE = "release-site"  # [tool.release-site] in the repository's pyproject.toml
_KEYS = {
    "branches", "tags", "default", "remote", "source-dir", "conf-dir", "out", "base_url", "hide", "aliases", "builder",
}  # fmt: skip


@dataclass(frozen=True)
class ReleaseConfig:
    """Everything one release run needs; paths are absolute."""

    repo: Path
    out: Path
    branches: tuple[str, ...] = DEFAULT_BRANCHES
    tags: tuple[str, ...] = DEFAULT_TAGS
    default: str | None = None
    remote: str = "origin"
    fetch: bool = False
    source_dir: str = "docs"
    conf_dir: str = "."
    strict: bool = True
    build_timeout: float = 600.0
    #: The public address of the site root, ending in "/"; with it pages get canonical links and a sitemap.
    base_url: str | None = None
    #: Extra aliases, name -> branch or tag (``latest`` and ``stable`` are made by themselves).
    aliases: tuple[tuple[str, str], ...] = ()
    #: Patterns of refs that are built and reachable but not listed.
    hide: tuple[str, ...] = ()
    #: Versions built at once.
    jobs: int = 1
    #: Build every version even when the previous site holds an identical build.
    rebuild: bool = False
    #: Publish the versions that built when others fail (the default version must be among them).
    keep_going: bool = False
    #: The Sphinx builder: ``html`` (``guide.html``) or ``dirhtml`` (``guide/index.html``, linked as ``guide/``).
    builder: str = "html"
    #: Wait for another release publishing into the same folder (else stop at once).
    wait: bool = True


def read_table(repo: Path) -> dict:
    """Return the ``[tool.release-site]`` table of ``repo/pyproject.toml`` (empty when absent).

    Unknown keys and wrongly typed values are ConfigErrors naming the file and the key.
    """
    path = repo / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    table = data.get("tool", {}).get(CONFIG_TABLE, {})
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: [tool.{CONFIG_TABLE}] has unknown key(s) {', '.join(unknown)}")
    for key in ("branches", "tags", "hide"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(item, str) for item in table[key])):
            raise ConfigError(f"{path}: [tool.{CONFIG_TABLE}] {key} must be a list of strings")
    aliases = table.get("aliases", {})
    if not (isinstance(aliases, dict) and all(isinstance(value, str) for value in aliases.values())):
        raise ConfigError(f'{path}: [tool.{CONFIG_TABLE}] aliases must be a table of name = "ref"')
    if table.get("builder", "html") not in ("html", "dirhtml"):
        raise ConfigError(f'{path}: [tool.{CONFIG_TABLE}] builder must be "html" or "dirhtml"')
    for key in ("default", "remote", "source-dir", "conf-dir", "out", "base_url"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{path}: [tool.{CONFIG_TABLE}] {key} must be a string")
    return table


def normalise_base_url(url: str) -> str:
    """The site's public address with exactly one trailing slash; a ConfigError unless http(s)."""
    cleaned = url.strip()
    if not cleaned.startswith(("https://", "http://")) or len(cleaned.split("/", 3)) < 3 or not cleaned.split("/")[2]:
        raise ConfigError(f"base URL {url!r} is not an http(s) address such as https://owner.github.io/repo/")
    return cleaned.rstrip("/") + "/"


def parse_alias(text: str) -> tuple[str, str]:
    """``NAME=REF`` from the command line as (name, ref)."""
    name, sep, ref = text.partition("=")
    if not sep or not name.strip() or not ref.strip():
        raise ConfigError(f"--alias {text!r}: expected NAME=REF, e.g. --alias next=release/2.x")
    return name.strip(), ref.strip()
