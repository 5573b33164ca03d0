"""The example zip is a build product: written among the build's output, holding what git tracks."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from toolkit.repos import isolated_git

EXT_DIR = Path(__file__).resolve().parents[2] / "docs" / "_ext"
TOOLS_DIR = EXT_DIR.parents[1] / "tools"
CONF = f"""\
import sys
sys.path[:0] = [{str(EXT_DIR)!r}, {str(TOOLS_DIR)!r}]
extensions = ["example_archive"]
example_archives = {{"demo.zip": "examples/demo"}}
"""
INDEX = "Hello\n=====\n\nGet :download:`the example <demo.zip>`.\n"


def _tree(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if ".git" not in p.parts}


def _build(repo: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-b", "html", "-c", str(repo), str(repo / "docs"), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
        check=False,
    )


def _zip_names(out: Path) -> list[str]:
    (found,) = (out / "_downloads").glob("*/demo.zip")
    with zipfile.ZipFile(found) as archive:
        return sorted(archive.namelist())


@pytest.fixture
def demo(repo) -> Path:
    repo.write("conf.py", CONF)
    repo.write("docs/index.rst", INDEX)
    repo.write("examples/demo/server.py", "print('served')\n")
    repo.write("examples/demo/steps/one.py", "print(1)\n")
    repo.write("examples/demo/.gitignore", "*.log\n")
    repo.commit("demo")
    repo.write("examples/demo/notes.txt", "untracked\n")
    repo.write("examples/demo/run.log", "ignored\n")
    return repo.root


def test_a_read_only_checkout_builds_and_nothing_is_written_into_it(demo, tmp_path):
    before = _tree(demo)
    modes = {}
    for path in [demo, *demo.rglob("*")]:
        if ".git" not in path.relative_to(demo).parts:
            modes[path] = path.stat().st_mode
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        done = _build(demo, tmp_path / "out")
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert done.returncode == 0, done.stderr
    assert _tree(demo) == before
    assert _zip_names(tmp_path / "out") == ["demo/.gitignore", "demo/server.py", "demo/steps/one.py"]


def test_the_zip_holds_what_git_tracks_and_follows_edits(demo, tmp_path):
    out = tmp_path / "out"
    assert _build(demo, out).returncode == 0
    again = _build(demo, out)
    assert "0 added, 0 changed, 0 removed" in again.stdout  # an unchanged zip re-reads nothing
    (demo / "examples" / "demo" / "server.py").write_text("print('changed')\n", encoding="utf-8")
    isolated_git(demo, "add", "examples/demo/server.py")
    changed = _build(demo, out)
    assert changed.returncode == 0, changed.stderr
    assert "1 changed" in changed.stdout
    (found,) = (out / "_downloads").glob("*/demo.zip")
    with zipfile.ZipFile(found) as archive:
        assert archive.read("demo/server.py") == b"print('changed')\n"
