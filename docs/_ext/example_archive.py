"""Zip the example folder for the pages' ``:download:`` links, so readers without git can get the files.

Configuration (``conf.py``): ``example_archives`` maps a zip's path in the
source folder to the folder it holds, both relative to the configuration
folder, e.g. ``{"docs/_generated/helloRPC.zip": "examples/helloRPC"}``.

The zip is written when the builder starts, before any page is read, so
``:download:`` finds it. It holds every file of the folder under the
folder's name (``helloRPC/pyserver.py``), except Python's caches. Its bytes
depend only on the files' names, contents and executable bits, and it is
rewritten only when they change, so rebuilding (or ``sphinx-autobuild``
watching the source) does not see a new file each time.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

__all__ = ["archive_bytes", "archived_files", "setup"]

SKIPPED_PARTS = ("__pycache__",)
SKIPPED_SUFFIXES = (".pyc",)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every entry (zip's earliest), so the archive depends on the files alone."""


def archived_files(folder: Path) -> list[Path]:
    """The files of ``folder`` that go into its archive, sorted by their path inside it."""
    return sorted(
        (
            path
            for path in folder.rglob("*")
            if path.is_file()
            and not set(path.relative_to(folder).parts) & set(SKIPPED_PARTS)
            and path.suffix not in SKIPPED_SUFFIXES
        ),
        key=lambda path: path.relative_to(folder).as_posix(),
    )


def archive_bytes(folder: Path) -> bytes:
    """The zip of ``folder``: each file under ``<folder name>/``, with its executable bit kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in archived_files(folder):
            entry = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100755 if path.stat().st_mode & 0o111 else 0o100644) << 16
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


def _write_archives(app: Sphinx) -> None:
    root = Path(app.confdir)
    for zip_name, folder_name in app.config.example_archives.items():
        folder, target = root / folder_name, root / zip_name
        if not folder.is_dir():
            raise ExtensionError(f"example_archives: {folder_name} is not a folder (for {zip_name})")
        data = archive_bytes(folder)
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: another build reading the zip never sees half of it.
            with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
                part.write(data)
            os.replace(part.name, target)


def setup(app: Sphinx) -> dict:
    """Register the ``example_archives`` setting and write the archives when the builder starts."""
    app.add_config_value("example_archives", {}, "env", types=[dict])
    app.connect("builder-inited", _write_archives)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
