"""Rebuild when the project's own extensions change, not only its pages.

Sphinx decides what to re-read from the pages, their dependencies and the configuration; an edit to an
extension of the project (``docs/_ext/``, the helpers it imports) is none of these, so an incremental
build would say "no targets are out of date" and keep pages the old code made. This extension puts a
digest of those sources into the configuration, as a value that rebuilds the environment when it changes:
an edit re-reads every page, in ``tox -e docs`` and in every rebuild ``tox -e live`` makes.

The sources are the files of every module imported by the time the configuration is read that lives
under the configuration folder, outside any virtual environment in it (``.tox``, ``.venv``).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def project_sources(root: Path) -> list[Path]:
    """The source files of the imported modules that belong to the project under *root*, sorted."""
    found: set[Path] = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not name:
            continue
        path = Path(name).resolve()
        try:
            parts = path.relative_to(root).parts
        except ValueError:
            continue
        if any(part.startswith(".") or part in ("site-packages", "dist-packages") for part in parts):
            continue
        found.add(path)
    return sorted(found)


def sources_digest(root: Path, files: list[Path]) -> str:
    """A digest of the files' paths (relative to *root*) and contents."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
        digest.update(b"\0")
    return digest.hexdigest()


def _on_config_inited(app: Sphinx, config: Config) -> None:
    root = Path(app.confdir).resolve()
    config.extension_sources_digest = sources_digest(root, project_sources(root))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the digest as a value that rebuilds the environment, filled in once the extensions are loaded."""
    app.add_config_value("extension_sources_digest", "", "env", types=frozenset({str}))
    app.connect("config-inited", _on_config_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
