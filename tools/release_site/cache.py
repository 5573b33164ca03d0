"""Reusing a version from the previous site when nothing that goes into its build has changed.

A build is fingerprinted by its commit, its name and ref, the options that reach Sphinx, the variables the
branch-links extension reads for the repository, and every installed package with its version. A version
whose fingerprint is in the previous site's versions.json is copied from there instead of rebuilt.
"""

import hashlib
import json
import os
import shutil
from importlib import metadata
from pathlib import Path

from .build import BuildResult, list_pages
from .config import ReleaseConfig
from .refs import Version

# Bumped when what the tool passes to Sphinx changes shape, so older builds are not reused.
BUILD_FORMAT = 2
# Variables that change the built pages without changing the commit (the repository the links name).
_BUILD_VARIABLES = ("GITHUB_REPOSITORY", "GITHUB_ACTIONS", "CI_PROJECT_PATH", "GITLAB_CI")


def installed_packages() -> list[str]:
    """``name==version`` of every package installed beside this Python, sorted (Sphinx, its theme...)."""
    found = {f"{dist.metadata['Name'].lower()}=={dist.version}" for dist in metadata.distributions()}
    return sorted(found)


def fingerprint(config: ReleaseConfig, version: Version, packages: list[str]) -> str:
    """A digest of everything a version's build depends on besides its commit's files."""
    inputs = {
        "format": BUILD_FORMAT,
        "commit": version.commit,
        "name": version.name,
        "ref": version.ref,
        "kind": version.kind,
        "strict": config.strict,
        "builder": config.builder,
        "source_dir": config.source_dir,
        "conf_dir": config.conf_dir,
        "environment": {
            key: value
            for key, value in sorted(os.environ.items())
            if key.startswith("DOCS_") or key in _BUILD_VARIABLES
        },
        "packages": packages,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def previous_builds(out: Path) -> dict[str, str]:
    """The previous site's versions: fingerprint -> directory name (empty without a readable site)."""
    try:
        data = json.loads((out / "versions.json").read_text(encoding="utf-8"))
        entries = data["versions"]
        return {entry["fingerprint"]: entry["name"] for entry in entries if entry.get("fingerprint")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def reuse(version: Version, print_: str, out: Path, previous: dict[str, str], target: Path) -> BuildResult | None:
    """Copy the previous build with fingerprint print_ to target; None when there is none to reuse."""
    name = previous.get(print_)
    source = out / name if name else None
    if source is None or not source.is_dir():
        return None
    shutil.copytree(source, target, symlinks=True)
    return BuildResult(version, True, list_pages(target), reason="reused")
