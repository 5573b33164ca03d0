"""The fast path for a docs change (``tox -e pages``): which files changed, and which docs items they select."""

from __future__ import annotations

import pytest
from check_pages import changed_files, page_html, plan
from docs_harness import REPO_ROOT
from docs_harness.checks import Item
from docs_harness.records import Block
from toolkit.git import GitError
from toolkit.repos import new_repo

from tests.conftest import pytest_collection_modifyitems
from tests.docs.conftest import shows_changed


def test_changed_files_are_the_branchs_commits_the_edits_and_the_new_files(tmp_path):
    repo = new_repo(tmp_path / "repo")
    repo.write("docs/index.rst", "Index\n")
    repo.write("docs/server.rst", "Server\n")
    repo.write("README.md", "Read me\n")
    repo.commit("main")
    repo.git("switch", "-q", "-c", "topic")
    repo.write("docs/server.rst", "Server, changed on the branch\n")
    repo.commit("topic")
    repo.write("README.md", "Edited, not committed\n")
    repo.write("docs/new.md", "# New\n")
    repo.write("build/html/index.html", "ignored\n")
    repo.write(".gitignore", "build/\n")

    assert changed_files("main", repo.root) == [".gitignore", "README.md", "docs/new.md", "docs/server.rst"]


def test_a_base_that_is_no_commit_is_named(tmp_path):
    repo = new_repo(tmp_path / "repo")
    repo.commit("first")
    with pytest.raises(GitError, match="no-such-branch names no commit"):
        changed_files("no-such-branch", repo.root)


def test_pages_examples_machinery_and_other_files_are_told_apart():
    files = [
        "README.md",
        "docs/_ext/tutorial_parts.py",
        "docs/_static/reader.css",
        "docs/maintainers/testing.md",
        "docs/server.rst",
        "examples/helloRPC/pyserver.py",
        "runtime/quark_threaded_runtime/server.py",
    ]
    pages, example_files, whole_site, other = plan(files)
    assert pages == ["docs/maintainers/testing.md", "docs/server.rst"]
    assert example_files == ["examples/helloRPC/pyserver.py"]
    assert whole_site
    assert other == ["README.md", "runtime/quark_threaded_runtime/server.py"]
    assert plan(["docs/server.rst"]) == (["docs/server.rst"], [], False, [])
    assert plan(["conf.py"])[2]
    assert page_html("docs/maintainers/testing.md") == "maintainers/testing.html"


def _block(page: str, path: str = "") -> Block:
    return Block(
        page=page,
        source=f"docs/{page}.rst",
        line=1,
        kind="include" if path else "literal",
        language="python",
        names=(),
        text="",
        path=path,
    )


def test_changed_selects_the_items_that_show_a_changed_page_or_example_file():
    server_part = Item(
        "tutorial-part",
        "tutorial-part:server:1",
        (_block("server", str(REPO_ROOT / "examples/helloRPC/steps/server_1.py")),),
    )
    wire = Item("wire", "wire:reference/protocol", (_block("reference/protocol"),))
    session = Item("session", "session:tutorial", (_block("setup"), _block("running")))

    def selected(*changed):
        return [item.id for item in (server_part, wire, session) if shows_changed(item, list(changed))]

    assert selected("docs/reference/protocol.rst") == ["wire:reference/protocol"]
    assert selected("docs/running.rst") == ["session:tutorial"]
    # A session runs the example's programs: a changed example file selects it too.
    assert selected("examples/helloRPC/pyserver.py") == ["tutorial-part:server:1", "session:tutorial"]
    assert selected("examples/twoMethodsRPC/pyserver.py") == ["session:tutorial"]
    assert selected("docs/client.rst") == []


class _Test:
    def __init__(self, name: str, slow: bool):
        self.name, self.slow = name, slow

    def get_closest_marker(self, name: str):
        return object() if name == "slow" and self.slow else None


def test_slow_tests_run_first_in_a_stable_order():
    items = [_Test("a", False), _Test("b", True), _Test("c", False), _Test("d", True)]
    pytest_collection_modifyitems(items)
    assert [item.name for item in items] == ["b", "d", "a", "c"]
