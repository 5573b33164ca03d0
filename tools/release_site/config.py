"""What to release: ref patterns, the default version, paths, read from pyproject.toml and the command line."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

DEFAULT_BRANCHES = ("main", "release/*")
DEFAULT_TAGS = ("v*",)
CONFIG_TABLE = "release-site"  # [tool.release-site] in the repository's pyproject.toml
_KEYS = {"branches", "tags", "default", "remote", "source-dir", "conf-dir", "out"}


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
    for key in ("branches", "tags"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(item, str) for item in table[key])):
            raise ConfigError(f"{path}: [tool.{CONFIG_TABLE}] {key} must be a list of strings")
    for key in ("default", "remote", "source-dir", "conf-dir", "out"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(f"{path}: [tool.{CONFIG_TABLE}] {key} must be a string")
    return table
