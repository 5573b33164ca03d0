"""A throwaway git repository holding a tiny Sphinx project, and a runner for the release command.

The project is made here, not copied from docs/: only the switcher files (docs/_static/versions.*,
docs/_templates/sidebar/versions.html) and the branch-links extension (docs/_ext/repo_links) come
from this checkout, so the tests exercise the real wiring while the real pages keep changing.
"""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from toolkit.repos import isolated_git, new_repo

# The tests call tools.release_site's functions too: the repository root is on pytest's pythonpath.
ROOT = Path(__file__).resolve().parents[2]
REPOSITORY = "example-owner/tiny-docs"
LINKS_EXT = ROOT / "docs" / "_ext" / "repo_links"
#: The git runner the extension asks git through, copied beside it as the project keeps it.
TOOLKIT = ROOT / "tools" / "toolkit"
COMMAND_TIMEOUT = 240

CONF_PY = """\
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent / "docs" / "_ext"), str(Path(__file__).resolve().parent / "tools")]
project = "Tiny"
extensions = ["repo_links"]
repo_links_repository = "{repository}"
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]
html_css_files = ["versions.css"]
html_js_files = [("versions.js", {{"defer": "defer"}})]
html_theme = "furo"
html_sidebars = {{"**": ["sidebar/brand.html", "sidebar/versions.html", "sidebar/navigation.html"]}}
"""

INDEX_RST = """\
Tiny
====

{title}. See :repo-file:`example.py`.

.. toctree::

   {page}
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DOCS_"))}
    env.update(
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,  # the developer's own git config must not change the repository
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def git(repo: Path, *args: str) -> str:
    """Run git in repo (toolkit.repos: isolated from the user's config, with an identity); return stdout."""
    return isolated_git(repo, *args)


class TinyProject:
    """The temporary repository; methods write a version of the project and commit it."""

    def __init__(self, path: Path):
        self.path = path

    def write_version(self, title: str, page: str, conf_extra: str = "") -> None:
        """Write conf.py, the switcher files, docs/index.rst linking example.py, and docs/<page>.rst."""
        docs = self.path / "docs"
        if docs.exists():
            shutil.rmtree(docs)
        (docs / "_static").mkdir(parents=True)
        (docs / "_templates" / "sidebar").mkdir(parents=True)
        for name in ("versions.js", "versions.css"):
            shutil.copy(ROOT / "docs" / "_static" / name, docs / "_static" / name)
        shutil.copy(
            ROOT / "docs" / "_templates" / "sidebar" / "versions.html",
            docs / "_templates" / "sidebar" / "versions.html",
        )
        shutil.copytree(LINKS_EXT, docs / "_ext" / "repo_links", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.rmtree(self.path / "tools", ignore_errors=True)
        shutil.copytree(TOOLKIT, self.path / "tools" / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
        conf = CONF_PY.format(repository=REPOSITORY) + conf_extra
        (self.path / "conf.py").write_text(conf, encoding="utf-8")
        (self.path / "example.py").write_text(f"print({title!r})\n", encoding="utf-8")
        (docs / "index.rst").write_text(INDEX_RST.format(title=title, page=page), encoding="utf-8")
        (docs / f"{page}.rst").write_text(f"{page.title()}\n{'=' * len(page)}\n\nOnly in {title}.\n", encoding="utf-8")

    def commit(self, message: str) -> None:
        """Commit everything in the work tree."""
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "-m", message)


def _with_release_branch(path: Path, first_tag: str, *more_branches: str) -> TinyProject:
    """A new repository: "version one" on main, tagged first_tag (more_branches start there too),
    and ``release/1.x`` patched on top of it, which is checked out."""
    project = TinyProject(new_repo(path).root)
    project.write_version("Version one", "legacy")
    project.commit("version one")
    git(project.path, "tag", "-a", first_tag, "-m", f"release {first_tag}")
    for branch in ("release/1.x", *more_branches):
        git(project.path, "branch", branch)
    git(project.path, "switch", "-q", "release/1.x")
    (project.path / "docs" / "legacy.rst").write_text("Legacy\n======\n\nPatched on release/1.x.\n", encoding="utf-8")
    project.commit("patch the release branch")
    return project


def create_tiny_repo(path: Path) -> TinyProject:
    """A repository with ``main`` (page ``guide``), ``release/1.x`` (page ``legacy``) and tag ``v1.0``.

    The tag is an annotated tag on the first commit of release/1.x; main is checked out at the end.
    """
    project = _with_release_branch(path, "v1.0")
    git(project.path, "switch", "-q", "main")
    project.write_version("Version two", "guide")
    project.commit("version two")
    return project


#: Where the full site says it is published; tests serve it locally under the same subpath.
BASE_URL = "https://owner.github.io/tiny/"
FULL_SITE_OPTIONS = (
    "--branch", "main", "--branch", "release/*", "--branch", "1_0",
    "--alias", "dev=release/1.x", "--hide", "release/ü", "--base-url", BASE_URL,
)  # fmt: skip


def create_full_repo(path: Path) -> TinyProject:
    """Six versions: ``main`` (pages guide, topics/deep), ``release/1.x``, ``release/ü``, ``1_0``, ``v1.9``, ``v1.10``.

    v1.9 is the first commit of release/1.x and v1.10 the second, so stable is v1.10 only by version order.
    release/ü (hidden in the full site) adds a page ``preview`` that no listed version has.
    """
    project = _with_release_branch(path, "v1.9", "1_0")
    git(project.path, "tag", "-a", "v1.10", "-m", "release 1.10")
    git(project.path, "switch", "-q", "-c", "release/ü")
    (project.path / "docs" / "preview.rst").write_text(":orphan:\n\nPreview\n=======\n\nOnly here.\n", "utf-8")
    project.commit("a page only the hidden version has")
    git(project.path, "switch", "-q", "main")
    project.write_version("Version two", "guide")
    (project.path / "docs" / "index.rst").write_text(
        INDEX_RST.format(title="Version two", page="guide") + "   topics/deep\n", encoding="utf-8"
    )
    (project.path / "docs" / "topics").mkdir()
    (project.path / "docs" / "topics" / "deep.rst").write_text("Deep\n====\n\nA nested page.\n", encoding="utf-8")
    project.commit("version two")
    return project


def _shared(tmp_path_factory, name: str, make) -> Path:
    """A folder all xdist workers share, filled once by make(folder) under a lock (builds are slow)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        base = tmp_path_factory.mktemp(name)
    else:
        base = tmp_path_factory.getbasetemp().parent / f"{name}-shared"
        base.mkdir(exist_ok=True)
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not (base / "done").exists():
            make(base)
            (base / "done").touch()
    return base


@pytest.fixture(scope="session")
def full_site(tmp_path_factory) -> tuple[TinyProject, Path]:
    """The six-version repository released with aliases, a hidden version and a base URL: (project, site). Read only."""

    def make(base: Path) -> None:
        shutil.rmtree(base / "repo", ignore_errors=True)
        create_full_repo(base / "repo")
        done = run_release(base / "repo", base / "site", *FULL_SITE_OPTIONS)
        assert done.returncode == 0, done.stdout + done.stderr

    base = _shared(tmp_path_factory, "full-site", make)
    return TinyProject(base / "repo"), base / "site"


@pytest.fixture(scope="session")
def dirhtml_site(tmp_path_factory) -> Path:
    """The tiny repository's branches released with ``--builder dirhtml``: the site. Read only."""

    def make(base: Path) -> None:
        shutil.rmtree(base / "repo", ignore_errors=True)
        create_tiny_repo(base / "repo")
        done = run_release(base / "repo", base / "site", "--builder", "dirhtml", "--no-tags", "-j", "2")
        assert done.returncode == 0, done.stdout + done.stderr

    return _shared(tmp_path_factory, "dirhtml-site", make) / "site"


@pytest.fixture
def site_url() -> str:
    """The base URL the full site is released with."""
    return BASE_URL


@pytest.fixture
def tiny_repo(tmp_path: Path) -> TinyProject:
    """A fresh tiny repository of this test's own, for tests that change it."""
    return create_tiny_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def released(tmp_path_factory) -> tuple[TinyProject, Path]:
    """The tiny repository released once per test run (builds are slow): (project, site). Read only.

    Under xdist the workers share one build: the first to take the lock builds, the others wait for it.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        base = tmp_path_factory.mktemp("released")
    else:
        base = tmp_path_factory.getbasetemp().parent / "release-shared"
        base.mkdir(exist_ok=True)
    project, site = TinyProject(base / "repo"), base / "site"
    with open(base / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not (base / "done").exists():
            shutil.rmtree(base / "repo", ignore_errors=True)
            create_tiny_repo(project.path)
            done = run_release(project.path, site)
            assert done.returncode == 0, done.stdout + done.stderr
            (base / "done").touch()
    return project, site


def run_release(repo: Path, out: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m tools.release_site`` as tox does, against repo, publishing to out."""
    return subprocess.run(
        [sys.executable, "-m", "tools.release_site", "--repo", str(repo), "--out", str(out), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def start_release(repo: Path, out: Path, *args: str, temp: Path) -> subprocess.Popen:
    """Start the release command without waiting for it; its temporary folders go under temp."""
    return subprocess.Popen(
        [sys.executable, "-m", "tools.release_site", "--repo", str(repo), "--out", str(out), *args],
        cwd=ROOT,
        env={**_env(), "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def release_process():
    """Start the release command in the background: ``release_process(repo, out, *args, temp=...)`` -> Popen."""
    return start_release


@pytest.fixture
def release():
    """The release command runner: ``release(repo, out, *args)`` -> CompletedProcess."""
    return run_release


@pytest.fixture
def git_in():
    """The isolated git runner: ``git_in(repo, *args)`` -> stdout."""
    return git
