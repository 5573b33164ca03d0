"""The example folder offered as a download holds exactly what ``examples/helloRPC`` holds."""

from __future__ import annotations

import zipfile

from docs_harness import REPO_ROOT

EXAMPLE = REPO_ROOT / "examples" / "helloRPC"
ARCHIVE = f"{EXAMPLE.name}.zip"


def _on_disk() -> dict[str, bytes]:
    return {
        f"{EXAMPLE.name}/{path.relative_to(EXAMPLE).as_posix()}": path.read_bytes()
        for path in EXAMPLE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_download_holds_the_example_folder(built_docs):
    """The zip the setup page links to has the example's files, with the same bytes, and nothing else."""
    downloads = sorted((built_docs.outdir / "html" / "_downloads").glob(f"*/{ARCHIVE}"))
    assert downloads, f"no page of the build offers {ARCHIVE} with :download: (the setup page should)"
    assert "setup" in built_docs.downloads.get(ARCHIVE, []), f"the setup page does not offer {ARCHIVE}"
    with zipfile.ZipFile(downloads[0]) as archive:
        packed = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    expected = _on_disk()
    assert sorted(packed) == sorted(expected), (
        f"{ARCHIVE} holds {sorted(set(packed) - set(expected))} more and {sorted(set(expected) - set(packed))} fewer "
        f"files than {EXAMPLE.relative_to(REPO_ROOT)}"
    )
    changed = [name for name in expected if packed[name] != expected[name]]
    assert not changed, f"in {ARCHIVE}, these files differ from {EXAMPLE.relative_to(REPO_ROOT)}: {changed}"
