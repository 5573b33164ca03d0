"""An edit to a project extension reaches the next incremental build (as ``tox -e docs`` and ``tox -e live`` run it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXT_DIR = Path(__file__).resolve().parents[2] / "docs" / "_ext"
CONF = """\
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent / "_ext"), {ext_dir!r}]
extensions = ["stamp", "extension_sources"]
"""
STAMP = """\
def _stamp(app, pagename, templatename, context, doctree):
    context["body"] = context.get("body", "") + '<p class="stamp">{word}</p>'


def setup(app):
    app.connect("html-page-context", _stamp)
    return {{"parallel_read_safe": True}}
"""


def _build(project: Path) -> subprocess.CompletedProcess:
    # A fresh process per build, as sphinx-build and every sphinx-autobuild rebuild are.
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-b", "html", str(project / "src"), str(project / "out")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src" / "_ext").mkdir(parents=True)
    (tmp_path / "src" / "conf.py").write_text(CONF.format(ext_dir=str(EXT_DIR)), encoding="utf-8")
    (tmp_path / "src" / "index.rst").write_text("Hello\n=====\n", encoding="utf-8")
    return tmp_path


def test_an_extension_edit_rewrites_the_pages_it_affects(project):
    (project / "src" / "_ext" / "stamp.py").write_text(STAMP.format(word="first"), encoding="utf-8")
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert '<p class="stamp">first</p>' in (project / "out" / "index.html").read_text(encoding="utf-8")

    unchanged = _build(project)
    assert "0 added, 0 changed, 0 removed" in unchanged.stdout  # no edit, nothing re-read

    (project / "src" / "_ext" / "stamp.py").write_text(STAMP.format(word="second"), encoding="utf-8")
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert "extension_sources_digest" in done.stdout  # Sphinx names the value that changed
    page = (project / "out" / "index.html").read_text(encoding="utf-8")
    assert '<p class="stamp">second</p>' in page and "first" not in page


def test_the_digest_covers_the_project_extensions_and_not_installed_packages():
    from extension_sources import project_sources

    root = EXT_DIR.parents[1]
    import aria_headings  # noqa: F401  (imported as a build would)

    found = {path.relative_to(root).as_posix() for path in project_sources(root)}
    assert "docs/_ext/aria_headings.py" in found
    assert not any(part.startswith(".") for name in found for part in name.split("/"))
