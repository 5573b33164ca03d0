"""The docs harness: one real Sphinx build per test session, and test items made from its doctrees.

The build happens at collection time, because the test items are made from
what the pages include (``pytest_generate_tests``). Under xdist every worker
collects; the first worker to get there builds into the session's temporary
folder and the others wait for it and read the same records, so a session
builds the docs once.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from docs_harness import DOCS_DIR, REPO_ROOT
from docs_harness.build_docs import BUILD_TIMEOUT, Build, Include, build, load, relative
from docs_harness.emphasis import find_tutorials, tutorial_of
from docs_harness.example import HELLO
from docs_harness.inventory import WIRE_LANGUAGES, is_session_block
from docs_harness.programs import example_copy, free_port, started, wait_until_serving
from docs_harness.wire import pairs

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


def _python_includes(result: Build) -> list[Include]:
    """One include per page and Python file (the first, when a page shows a file twice)."""
    seen, chosen = set(), []
    for include in result.includes:
        if not include.path.endswith(".py") or (include.page, include.path) in seen:
            continue
        seen.add((include.page, include.path))
        chosen.append(include)
    return chosen


def _defines_hello_impl(path: str) -> bool:
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return False  # the compile test reports it
    return any(isinstance(node, ast.ClassDef) and node.name == HELLO.implementation for node in tree.body)


def _file_id(include: Include) -> str:
    return f"{include.page}::{relative(include.path)}"


def _part_id(include: Include) -> str:
    return f"{include.page}:{include.line}::{relative(include.path)}"


def _parametrize(metafunc: pytest.Metafunc, name: str, includes: list[Include], ids) -> None:
    # With nothing to check, one item that fails says so (an empty parameter set would only skip).
    params = [pytest.param(include, id=ids(include)) for include in includes] or [pytest.param(None, id="none")]
    metafunc.parametrize(name, params)


_GENERATED = {"included_python", "example_program", "hello_impl_file", "tutorial_part", "page_session", "wire_pair"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Make one test item per page and included file (or per tutorial part), from the doctrees."""
    names = set(metafunc.fixturenames)
    if not names & {
        "included_python",
        "example_program",
        "hello_impl_file",
        "tutorial_part",
        "page_session",
        "wire_pair",
    }:
        return
    result = docs_build(metafunc.config)
    python = _python_includes(result)
    if "included_python" in names:
        _parametrize(metafunc, "included_python", python, _file_id)
    if "example_program" in names:
        programs = [i for i in python if not i.error and Path(i.path).is_relative_to(REPO_ROOT / "examples")]
        _parametrize(metafunc, "example_program", programs, _file_id)
    if "hello_impl_file" in names:
        defining = [i for i in python if not i.error and _defines_hello_impl(i.path)]
        _parametrize(metafunc, "hello_impl_file", defining, _file_id)
    if "tutorial_part" in names:
        tutorials = find_tutorials()
        parts = [
            i
            for i in result.includes
            if not i.error and "emphasize-lines" in i.options and tutorial_of(Path(i.path), tutorials)
        ]
        _parametrize(metafunc, "tutorial_part", parts, _part_id)
    if "wire_pair" in names:
        pages: dict[str, list] = {}
        for shown in result.shown:
            if shown.kind == "literal" and shown.language in WIRE_LANGUAGES:
                pages.setdefault(shown.page, []).append(shown)
        params = [
            pytest.param(pair, id=f"{page}:{pair[0].shown.line}")
            for page, blocks in pages.items()
            for pair in pairs(blocks)
        ]
        metafunc.parametrize("wire_pair", params or [pytest.param(None, id="none")])
    if "page_session" in names:
        pages: dict[str, list] = {}
        for shown in result.shown:
            if is_session_block(shown):
                pages.setdefault(shown.page, []).append(shown)
        params = [pytest.param(blocks, id=page) for page, blocks in pages.items()]
        metafunc.parametrize("page_session", params or [pytest.param(None, id="none")])


@pytest.fixture(scope="session")
def built_docs(request: pytest.FixtureRequest) -> Build:
    """The session's docs build: its warnings, includes and named blocks."""
    return docs_build(request.config)


@pytest.fixture(scope="session")
def tutorials():
    """The tutorials of the example folders, from the step files' names."""
    return find_tutorials()


@pytest.fixture(scope="session")
def finished_servers(tmp_path_factory: pytest.TempPathFactory, tutorials):
    """Start, on first use, the finished server of an example folder; one per folder and worker.

    Returns a function ``folder -> port``. Client programs run against it, as
    a reader runs a client with the server from the server tutorial running.
    """
    stack = contextlib.ExitStack()
    ports: dict[Path, int] = {}

    def serve(folder: Path) -> int | None:
        if folder in ports:
            return ports[folder]
        servers = [t for t in tutorials if t.folder == folder and t.name == HELLO.server_tutorial]
        if not servers:
            return None
        finished = servers[0].finished
        copy = example_copy(folder, tmp_path_factory.mktemp("server") / folder.name)
        running = stack.enter_context(started([finished.name], copy, free_port()))
        assert wait_until_serving(running), f"the finished server {relative(finished)} exited:\n{running.output}"
        ports[folder] = running.port
        return running.port

    with stack:
        yield serve
