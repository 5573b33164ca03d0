"""Fixtures for the repo_links extension tests: a clean environment, real git repos, small Sphinx projects."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from toolkit.repos import ScratchRepo, new_repo

# The extensions are importable here through pytest's pythonpath (pyproject.toml); a scratch
# project's conf.py puts this folder on sys.path itself, as the project's conf.py does.
EXT_DIR = Path(__file__).resolve().parents[2] / "docs" / "_ext"

# Every variable the extension reads; tests start with none of them, whatever the outer shell has.
_PREFIXES = ("GITHUB_", "READTHEDOCS", "CI_", "DOCS_")
_NAMES = ("CI", "GITLAB_CI", "__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI")


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop CI and DOCS_* variables, and keep git away from the user's and system's configuration."""
    for name in list(os.environ):
        if name in _NAMES or name.startswith(_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(tmp_path: Path) -> ScratchRepo:
    """An empty git repository on branch ``main`` (toolkit.repos: real git, none of the user's settings)."""
    return new_repo(tmp_path / "repo")


TOOLS_DIR = Path(__file__).resolve().parents[2] / "tools"

CONF_PY = """\
import sys
sys.path.insert(0, {ext_dir!r})
sys.path.insert(0, {tools_dir!r})
extensions = ["myst_parser", "repo_links"]
source_suffix = {{".rst": "restructuredtext", ".md": "markdown"}}
repo_links_repository = "hello-rpc/hello-rpc-docs"
exclude_patterns = ["_build"]
"""


@dataclass
class BuildResult:
    """What one sphinx-build run left behind."""

    status: int
    stdout: str
    stderr: str
    outdir: Path

    def html(self, page: str) -> str:
        """The HTML of *page* (a docname)."""
        return (self.outdir / f"{page}.html").read_text(encoding="utf-8")

    def manifest(self) -> dict:
        """The links manifest."""
        import json

        return json.loads((self.outdir / "_repo_links.json").read_text(encoding="utf-8"))


@dataclass
class Project:
    """A small Sphinx project at the root of a git repo: conf.py at the top, pages in docs/."""

    repo: ScratchRepo

    @property
    def docs(self) -> Path:
        """The Sphinx source folder, ``docs/`` in the repository."""
        return self.repo.root / "docs"

    def page(self, name: str, text: str) -> None:
        """Write docs/<name>."""
        self.repo.write(f"docs/{name}", text)

    def build(self, capsys: pytest.CaptureFixture[str], *options: str) -> BuildResult:
        """Run sphinx-build (``-W --keep-going`` like tox -e docs) in this process; same build folder each time."""
        from sphinx.cmd.build import build_main

        outdir = self.repo.root / "build" / "html"
        capsys.readouterr()
        try:
            status = build_main(
                ["-W", "--keep-going", "-b", "html", "-c", str(self.repo.root), *options, str(self.docs), str(outdir)]
            )
        except SystemExit as stop:  # how sphinx-build ends for a refusal that needs no crash report
            status = stop.code
        captured = capsys.readouterr()
        return BuildResult(status, captured.out, captured.err, outdir)


@pytest.fixture
def project(repo: ScratchRepo) -> Project:
    """A committed project with a few files to link (the pages are up to the test)."""
    repo.write("conf.py", CONF_PY.format(ext_dir=str(EXT_DIR), tools_dir=str(TOOLS_DIR)))
    repo.write(".gitignore", "build/\n")
    repo.write("examples/helloRPC/pyserver.py", "print('server')\n")
    repo.write("examples/helloRPC/pyclient.py", "print('client')\n")
    repo.commit("project")
    return Project(repo)
