"""The example folder offered as a download holds exactly the files git tracks in ``examples/helloRPC``."""

from __future__ import annotations

import zipfile

from docs_harness import REPO_ROOT
from toolkit.git import tracked_files

EXAMPLE = REPO_ROOT / "examples" / "helloRPC"
ARCHIVE = f"{EXAMPLE.name}.zip"


def _tracked() -> dict[str, bytes]:
    names = tracked_files(EXAMPLE)
    assert names is not None, f"git cannot list the files of {EXAMPLE}"
    return {f"{EXAMPLE.name}/{name}": (EXAMPLE / name).read_bytes() for name in names if (EXAMPLE / name).is_file()}


def test_download_holds_the_example_folder(built_docs):
    """The zip the setup page links to has the example's tracked files, with the same bytes, and nothing else."""
    downloads = sorted((built_docs.outdir / "html" / "_downloads").glob(f"*/{ARCHIVE}"))
    assert downloads, f"no page of the build offers {ARCHIVE} with :download: (the setup page should)"
    assert "setup" in built_docs.downloads.get(ARCHIVE, []), f"the setup page does not offer {ARCHIVE}"
    with zipfile.ZipFile(downloads[0]) as archive:
        packed = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    expected = _tracked()
    assert sorted(packed) == sorted(expected), (
        f"{ARCHIVE} holds {sorted(set(packed) - set(expected))} more and {sorted(set(expected) - set(packed))} fewer "
        f"files than {EXAMPLE.relative_to(REPO_ROOT)}"
    )
    changed = [name for name in expected if packed[name] != expected[name]]
    assert not changed, f"in {ARCHIVE}, these files differ from {EXAMPLE.relative_to(REPO_ROOT)}: {changed}"
