"""How a role's path is read, and what counts as a file or folder of the repository."""

from __future__ import annotations

import pytest
from repo_links.facts import BuildFacts, folders_of, normalise_path, path_kind
from repo_links.ref import RefChoice
from repo_links.repository import Repository


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("examples/helloRPC/pyserver.py", "examples/helloRPC/pyserver.py"),
        ("./examples//helloRPC/", "examples/helloRPC"),
        ("/examples/helloRPC", "examples/helloRPC"),
        ("examples/steps/../pyserver.py", "examples/pyserver.py"),
        (".", ""),
        ("../outside.py", None),
        ("examples/../../outside.py", None),
    ],
)
def test_normalise_path(written, path):
    assert normalise_path(written) == path


def test_folders_of_lists_every_level():
    assert folders_of(frozenset({"a/b/c.py", "d.txt"})) == {"a", "a/b"}


def _facts(repo, files):
    return BuildFacts(
        repository=Repository("o", "n"),
        repository_source="test",
        ref=RefChoice("main", "test", "branch"),
        root=repo.root,
        files=files,
        folders=folders_of(files) if files is not None else None,
    )


def test_path_kind_asks_git_then_the_disk(repo):
    repo.write(".gitignore", "out/\n")
    repo.write("src/a.py")
    repo.write("out/generated.py")
    repo.commit()
    repo.write("new/untracked.py")  # not committed yet, not ignored: it will be in the next commit
    assert repo.git("status", "--porcelain") == "?? new/"
    listed = frozenset(repo.git("ls-files", "--cached", "--others", "--exclude-standard").split("\n"))
    facts = _facts(repo, listed)
    assert path_kind(facts, "src/a.py") == "blob"
    assert path_kind(facts, "src") == "tree"
    assert path_kind(facts, "new/untracked.py") == "blob"
    assert path_kind(facts, "out/generated.py") is None  # ignored: never on GitHub
    assert path_kind(facts, "out") is None
    assert path_kind(facts, "src/missing.py") is None
    # Without git the disk decides.
    assert path_kind(_facts(repo, None), "out/generated.py") == "blob"
