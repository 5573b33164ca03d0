"""A build outside its own work tree: a ``git archive`` tarball unpacked inside another git work tree.

The extension asks git only about the work tree that holds conf.py; with none, it warns once and takes
the ref from DOCS_BRANCH or from the ``archive.txt`` git filled in when it wrote the tarball.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from toolkit.repos import new_repo

ROOT = Path(__file__).resolve().parents[2]
PAGE = "Hello\n=====\n\n:repo-file:`examples/helloRPC/pyserver.py` and :repo-tree:`examples`.\n"
CONF = """\
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent / "docs" / "_ext"), {tools!r}]
extensions = ["repo_links"]
repo_links_repository = "hello-rpc/hello-rpc-docs"
"""


@pytest.fixture(params=["in another work tree", "with no git around"])
def unpacked(request, repo, tmp_path) -> tuple[Path, str]:
    """A project tagged v1.0 (main moved on since), archived at v1.0 and unpacked in an outer work tree
    (a packaging repository on its own branch) or in a plain folder."""
    repo.write("conf.py", CONF.format(tools=str(ROOT / "tools")))
    repo.write("docs/index.rst", PAGE)
    repo.write("examples/helloRPC/pyserver.py", "print('server')\n")
    shutil.copytree(
        ROOT / "docs" / "_ext" / "repo_links",
        repo.root / "docs" / "_ext" / "repo_links",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    tagged = repo.commit("v1.0")
    repo.git("tag", "v1.0")
    repo.write("docs/later.rst", "Later\n=====\n")
    repo.commit("after v1.0")
    outer = tmp_path / "packaging"
    if request.param == "in another work tree":
        new_repo(outer, branch="packaging-branch")
    else:
        outer.mkdir()
    archive = tmp_path / "v1.0.tar"
    repo.git("archive", "--prefix=hello-1.0/", "-o", str(archive), "v1.0")
    with tarfile.open(archive) as tar:
        tar.extractall(outer, filter="data")
    return outer / "hello-1.0", tagged


def _build(project: Path, **environ: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DOCS_", "GITHUB_", "CI"))}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(project), str(project / "docs"), str(project / "out")],
        capture_output=True,
        text=True,
        env={**env, "PYTHONDONTWRITEBYTECODE": "1", **environ},
        timeout=120,
        check=False,
    )


def test_a_tarball_links_its_own_tag_and_warns_once(unpacked):
    project, tagged = unpacked
    done = _build(project)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, done.stderr
    assert "is in no git work tree that holds its conf.py" in warnings[0] and "tag 'v1.0'" in warnings[0]
    assert "packaging-branch" not in done.stdout + done.stderr
    manifest = json.loads((project / "out" / "_repo_links.json").read_text(encoding="utf-8"))
    assert (manifest["ref"], manifest["ref_kind"], manifest["commit"]) == ("v1.0", "tag", tagged)
    assert all(link["exists"] for link in manifest["links"])
    page = (project / "out" / "index.html").read_text(encoding="utf-8")
    assert "https://github.com/hello-rpc/hello-rpc-docs/blob/v1.0/examples/helloRPC/pyserver.py" in page


def test_docs_branch_names_the_ref_of_a_build_without_git(unpacked):
    project, _ = unpacked
    done = _build(project, DOCS_BRANCH="release/1.x")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((project / "out" / "_repo_links.json").read_text(encoding="utf-8"))
    assert (manifest["ref"], manifest["ref_source"]) == ("release/1.x", "DOCS_BRANCH")


def test_archive_text_names_tag_then_branch_then_commit():
    from repo_links.archive import parse_archive_text

    sha = "a" * 40
    assert parse_archive_text(f"commit: {sha}\nrefs: HEAD -> main, tag: v2.0, origin/main\n").ref == "v2.0"
    branch = parse_archive_text(f"commit: {sha}\nrefs: HEAD -> main, origin/main\n")
    assert (branch.ref, branch.kind) == ("main", "branch")
    assert parse_archive_text(f"commit: {sha}\nrefs: \n").kind == "commit"
    assert parse_archive_text("commit: $Format:%H$\nrefs: $Format:%D$\n") is None
