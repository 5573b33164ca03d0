"""Zip the example folder for the pages' ``:download:`` links, so readers without git can get the files.

Configuration (``conf.py``): ``example_archives`` maps a zip's name to the folder it holds (relative to
the configuration folder), e.g. ``{"helloRPC.zip": "examples/helloRPC"}``; inside the zip the files sit in
one folder named after the zip (``helloRPC/``), so ``{"hello-rpc.zip": "."}`` is a source archive of the
whole repository in ``hello-rpc/``. A page offers it with ``:download:`the example <helloRPC.zip>```.

The zip is a product of the build, so it is written into the build's own folders (beside the doctrees),
never into the source tree: a read-only checkout builds, and a live preview watching the source does not
see it. It holds the files git tracks in the folder (as they are on disk), under the folder's name
(``helloRPC/pyserver.py``): untracked and ignored files stay out. Without git (a tarball), it holds every
file except Python's caches. Its bytes depend only on the files' names, contents and executable bits, and
it is rewritten only when they change, so the page offering it is re-read only then.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from toolkit.git import tracked_files, work_tree_holding

__all__ = ["archive_bytes", "archived_files", "setup"]

SKIPPED_PARTS = ("__pycache__",)
SKIPPED_SUFFIXES = (".pyc",)
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every entry (zip's earliest), so the archive depends on the files alone."""
OUTPUT_FOLDER = "example_archives"
"""The folder under the build's doctree folder that holds the zips."""


def archived_files(folder: Path, use_git: bool = True) -> list[Path]:
    """The files of ``folder`` that go into its archive, sorted by their path inside it.

    With ``use_git``, the files git tracks there (when git can say); otherwise every file but caches.
    """
    listed = tracked_files(folder) if use_git else None
    if listed is not None:
        return [folder / name for name in listed if (folder / name).is_file()]
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


def archive_bytes(folder: Path, use_git: bool = True, top: str | None = None) -> bytes:
    """The zip of ``folder``: each file under ``<top>/`` (the folder's name by default), its executable bit kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in archived_files(folder, use_git):
            entry = zipfile.ZipInfo(f"{top or folder.name}/{path.relative_to(folder).as_posix()}", FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o100755 if path.stat().st_mode & 0o111 else 0o100644) << 16
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


def archive_path(app: Sphinx, name: str) -> Path:
    """Where this build keeps the zip called *name* (in its doctree folder, outside the source)."""
    return Path(app.doctreedir) / OUTPUT_FOLDER / name


def _write_archives(app: Sphinx) -> None:
    root = Path(app.confdir)
    # Only the work tree holding conf.py says what is tracked; an outer one would list nothing of ours.
    use_git = work_tree_holding(root / "conf.py") is not None
    for zip_name, folder_name in app.config.example_archives.items():
        folder, target = root / folder_name, archive_path(app, zip_name)
        if PurePosixPath(zip_name).name != zip_name:
            raise ExtensionError(f"example_archives: {zip_name!r} must be a file name, without folders")
        if not folder.is_dir():
            raise ExtensionError(f"example_archives: {folder_name} is not a folder (for {zip_name})")
        # The zip's name names its one folder: helloRPC.zip holds helloRPC/, hello-rpc.zip hello-rpc/.
        data = archive_bytes(folder, use_git, top=PurePosixPath(zip_name).stem)
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written whole, then renamed: another build reading the zip never sees half of it.
            with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as part:
                part.write(data)
            os.replace(part.name, target)


def _point_downloads_at_archives(app: Sphinx, doctree) -> None:
    """``doctree-read``, before Sphinx's download collector: a ``:download:`` of a configured zip gets its path."""
    names = app.config.example_archives
    page_folder = (Path(app.srcdir) / app.env.doc2path(app.env.docname, False)).parent
    for node in doctree.findall(addnodes.download_reference):
        if node.get("reftarget") in names:
            # The collector resolves the target against the page's folder and copies it into _downloads/.
            node["reftarget"] = os.path.relpath(archive_path(app, node["reftarget"]), page_folder)


def setup(app: Sphinx) -> dict:
    """Register the ``example_archives`` setting; write the archives when the builder starts."""
    app.add_config_value("example_archives", {}, "env", types=[dict])
    app.connect("builder-inited", _write_archives)
    app.connect("doctree-read", _point_downloads_at_archives, priority=100)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
