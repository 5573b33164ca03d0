"""The two sites the suite opens: a 3-version release of this checkout, and a single-version build.

The release is made the way maintainers make one: a real git repository (a copy of this checkout's
files, uncommitted edits included) with a default branch, a release branch and a tag, built by
``python -m tools.release_site``. The single-version site is built as ``tox -e docs`` builds ``build/html``,
into the run's own folder: the checkout's ``build/`` belongs to ``tox -e docs``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from toolkit.git import GitError
from toolkit.repos import isolated_git

from .errors import SiteBuildError

ROOT = Path(__file__).resolve().parents[3]
BUILD_TIMEOUT = 600
"""Seconds one build command (the release of all versions, or build/html) may take."""

DEFAULT_BRANCH = "main"
RELEASE_BRANCH = "release/1.x"
TAG = "v0.9"
NEW_PAGE = "added-after-0-9"
"""A page only ``main`` has, so switching to an older version meets a missing page.

The suite writes it itself (``NEW_PAGE_SOURCE``) rather than leave a real page out of the older
versions: a real page may be linked from any other, and its absence would break their builds.
"""
NEW_PAGE_SOURCE = """:orphan:

Added after 0.9
===============

This page exists only on ``main``: versions 0.9 and 1.x were made before it was written.
"""

# Variables that would tell the branch-links extension another ref than the one each version is.
_CI_PREFIXES = ("GIT_", "DOCS_", "GITHUB_", "GITLAB_", "CI_", "READTHEDOCS")


def clean_env() -> dict[str, str]:
    """This process's environment without git/CI ref variables, with a fixed git identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CI_PREFIXES) and k != "CI"}
    env.update(
        GIT_AUTHOR_NAME="Docs Test",
        GIT_AUTHOR_EMAIL="docs-test@example.invalid",
        GIT_COMMITTER_NAME="Docs Test",
        GIT_COMMITTER_EMAIL="docs-test@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise SiteBuildError(f"{' '.join(command)} exited with status {done.returncode} in {cwd}:\n{tail}")
    return done.stdout


def _git(repo: Path, *args: str) -> str:
    """git through the project's one runner, as a throwaway repository's (toolkit.repos); its errors as ours."""
    try:
        return isolated_git(repo, *args)
    except GitError as error:
        raise SiteBuildError(str(error)) from error


def checkout_files(root: Path = ROOT) -> list[str]:
    """This checkout's files as git sees them: tracked and new ones, less the ignored."""
    out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return sorted({name for name in out.split("\0") if name and (root / name).is_file()})


def make_release_repo(dest: Path, root: Path = ROOT) -> Path:
    """A new repository at *dest* with this checkout's files on ``main``, ``release/1.x`` and tag ``v0.9``.

    The tag and the release branch are on the first commit, the checkout as it is; ``main`` adds the
    page ``NEW_PAGE``, so the versions are three refs of two commits, as a real project's are.
    """
    dest.mkdir(parents=True)
    for name in checkout_files(root):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    new_page = dest / "docs" / f"{NEW_PAGE}.rst"
    if new_page.exists():
        raise SiteBuildError(f"{new_page}: the checkout already has this page, which only main may have")
    _git(dest, "init", "-q", "-b", DEFAULT_BRANCH)
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "docs as of 0.9")
    _git(dest, "tag", "-a", TAG, "-m", "Hello RPC docs 0.9")
    _git(dest, "branch", RELEASE_BRANCH)
    # Orphan, so no toctree has to change and no other page can depend on it.
    new_page.write_text(NEW_PAGE_SOURCE, encoding="utf-8")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", f"add the {NEW_PAGE} page")
    return dest


def build_release(repo: Path, out: Path) -> str:
    """Build every version of *repo* into *out* with the release tool; return its output."""
    command = [
        sys.executable,
        "-m",
        "tools.release_site",
        "--repo",
        str(repo),
        "--out",
        str(out),
        "--branch",
        DEFAULT_BRANCH,
        "--branch",
        "release/*",
        "--tag",
        "v*",
        "--default",
        DEFAULT_BRANCH,
    ]
    # The release tool of this checkout, run from the copy so it is the same code.
    return _run(command, repo, clean_env())


def build_html(out: Path, doctrees: Path, root: Path = ROOT) -> None:
    """Build the docs into *out* with ``tox -e docs``'s options, the doctrees beside it in *doctrees*."""
    env = dict(os.environ)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-c", str(root), "-d", str(doctrees)]
    _run([*command, "-b", "html", str(root / "docs"), str(out)], root, env)


def build_sites(folder: Path, subpath: str) -> dict[str, float]:
    """Build both sites into *folder*, at the same time; return how long each took, in seconds.

    The release goes to ``www/<subpath>`` (its repository to ``repo``), the single-version site to
    ``html``. The release tool builds its three versions a core at a time, which leaves a core idle
    while the last one builds; the single-version build fills it.
    """

    def timed(build) -> float:
        started = time.monotonic()
        build()
        return time.monotonic() - started

    def release() -> None:
        build_release(make_release_repo(folder / "repo"), folder / "www" / subpath)

    def html() -> None:
        build_html(folder / "html", folder / "doctrees")

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {"release (3 versions)": pool.submit(timed, release), "html": pool.submit(timed, html)}
        # Both finish (or fail) before the first error is raised, so no build outlives the run.
        wait(futures.values())
        return {name: future.result() for name, future in futures.items()}


@dataclass(frozen=True)
class Version:
    """One version of the served release, as its versions.json entry says."""

    entry: dict
    base_url: str
    """The URL of the version's folder, ending in ``/``."""

    @property
    def name(self) -> str:
        """The folder name, e.g. ``release-1.x``."""
        return self.entry["name"]

    @property
    def ref(self) -> str:
        """The branch or tag, e.g. ``release/1.x``."""
        return self.entry["ref"]

    @property
    def default(self) -> bool:
        """Whether the site root opens this version."""
        return bool(self.entry.get("default"))

    def url(self, page: str) -> str:
        """The URL of *page* (e.g. ``reference/api.html``) in this version."""
        return self.base_url + page
