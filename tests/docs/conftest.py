"""The docs harness in the test suite: one real Sphinx build per session, and test items from the registry.

The build happens at collection time, because the test items are made from
what the pages show (``pytest_generate_tests``). Under xdist every worker
collects; the first to get there builds into the session's temporary folder
and the others wait for it and read the same records, so a session builds
the docs once.

``tests/docs/pages`` holds the pages' checks (one test item per item of the
registry of checks, :mod:`docs_harness.checks`), ``tests/docs/harness`` the
harness's own tests on small made-up inputs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from docs_harness import DOCS_DIR, REPO_ROOT
from docs_harness.build_docs import BUILD_TIMEOUT, build
from docs_harness.checks import items
from docs_harness.examples import find_examples
from docs_harness.records import Build, load
from docs_harness.servers import Servers

_BUILD_KEY = pytest.StashKey[Build]()
_DONE = "done"


def _shared_folder(config: pytest.Config) -> Path:
    """A folder every xdist worker of this session sees; pytest removes it with the session's temp folders."""
    basetemp = getattr(config.option, "basetemp", None)
    if hasattr(config, "workerinput") and basetemp:
        return Path(basetemp).parent  # a worker's basetemp is <session basetemp>/popen-gwN
    folder = Path(tempfile.mkdtemp(prefix="docs-harness-"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


def docs_build(config: pytest.Config) -> Build:
    """The session's docs build (built on first use, then cached)."""
    if _BUILD_KEY in config.stash:
        return config.stash[_BUILD_KEY]
    folder = _shared_folder(config) / "docs-build"
    try:
        folder.mkdir(parents=True)  # atomic: exactly one worker wins and builds
    except FileExistsError:
        result = _wait_for_build(folder)
    else:
        try:
            result = build(DOCS_DIR, REPO_ROOT, folder / "out")
        finally:
            (folder / _DONE).write_text(str(os.getpid()))
    config.stash[_BUILD_KEY] = result
    return result


def _wait_for_build(folder: Path) -> Build:
    deadline = time.monotonic() + BUILD_TIMEOUT + 30
    while not (folder / _DONE).exists():
        if time.monotonic() > deadline:
            return Build(folder / "out", -1, "", crash=f"another worker's docs build in {folder} never finished")
        time.sleep(0.1)
    return load(folder / "out")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test item per item of the registry of checks, named ``<check>:<page or file>``."""
    if "docs_item" not in metafunc.fixturenames:
        return
    result = docs_build(metafunc.config)
    made = items(result, find_examples()) if result.blocks else []
    if changed := metafunc.config.getoption("--changed"):
        made = [item for item in made if shows_changed(item, changed)]
    # With nothing to check, one item that fails says so (an empty parameter set would only skip).
    # A reader's or maintainer's session runs a page's commands in turn, a virtual environment among them.
    params = [
        pytest.param(item, id=item.id, marks=[pytest.mark.slow] if item.check == "session" else []) for item in made
    ] or [pytest.param(None, id="none")]
    metafunc.parametrize("docs_item", params)


def shows_changed(item, changed: list[str]) -> bool:
    """Whether ``item`` has a block on a changed page or from a changed example's folder (``--changed``).

    A session runs the examples' programs, so a changed example file selects every session as well.
    """
    pages = {Path(name).relative_to("docs").with_suffix("").as_posix() for name in changed if name.startswith("docs/")}
    folders = {Path(name).parts[:2] for name in changed if name.startswith("examples/")}
    for block in item.blocks:
        if block.page in pages:
            return True
        path = Path(block.path) if block.path else None
        if path and path.is_relative_to(REPO_ROOT) and path.relative_to(REPO_ROOT).parts[:2] in folders:
            return True
    return bool(folders) and item.check == "session"


@pytest.fixture(scope="session")
def built_docs(request: pytest.FixtureRequest) -> Build:
    """The session's docs build: its warnings and every block its pages show."""
    return docs_build(request.config)


@pytest.fixture(scope="session")
def examples():
    """Every example under examples/, read as data."""
    return find_examples()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory):
    """Finished servers, started on first use (one per example and worker) and stopped at the end."""
    started = Servers(tmp_path_factory.mktemp("servers"))
    try:
        yield started
    finally:
        started.close()
