"""The repository setting, and link URLs for branch names GitHub allows."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from repo_links.repository import Repository, RepositoryError, is_github_remote, parse_repository
from repo_links.resolve import resolve_repository
from sphinx.errors import ConfigError
from toolkit.git import git_or_none

REPO = Repository("hello-rpc", "hello-rpc-docs")


@pytest.mark.parametrize(
    "text",
    [
        "hello-rpc/hello-rpc-docs",
        "https://github.com/hello-rpc/hello-rpc-docs",
        "https://github.com/hello-rpc/hello-rpc-docs.git",
        "https://github.com/hello-rpc/hello-rpc-docs/",
        "git@github.com:hello-rpc/hello-rpc-docs.git",
        "ssh://git@github.com/hello-rpc/hello-rpc-docs.git",
    ],
)
def test_repository_forms(text):
    assert parse_repository(text) == REPO


@pytest.mark.parametrize("text", ["hello-rpc", "https://gitlab.com/a/b", "a/b/c", ""])
def test_not_a_github_repository_is_an_error_naming_it(text):
    with pytest.raises(RepositoryError, match="is not a GitHub repository"):
        parse_repository(text)


def test_gitlab_remote_is_not_github():
    assert not is_github_remote("https://gitlab.com/a/b.git")
    assert is_github_remote("git@github.com:a/b.git")


@pytest.mark.parametrize(
    ("ref", "spelled"),
    [
        ("main", "main"),
        ("release/1.2", "release/1.2"),
        ("feature/a_b.c-d", "feature/a_b.c-d"),
        ("user/fix#12", "user/fix%2312"),
        ("v1.0+build.5", "v1.0%2Bbuild.5"),
        ("50%-off", "50%25-off"),
        ("a&b=c", "a%26b%3Dc"),
        ("café/ü", "caf%C3%A9/%C3%BC"),
        ("it's(1)", "it%27s%281%29"),
    ],
)
def test_odd_branch_names_give_working_urls(ref, spelled, repo):
    # Each name is one git (and so GitHub) accepts as a branch name.
    assert git_or_none(".", "check-ref-format", "--branch", ref) is not None, f"{ref!r} is not a valid branch name"
    url = REPO.link("blob", ref, "examples/helloRPC/pyserver.py")
    assert url == f"https://github.com/hello-rpc/hello-rpc-docs/blob/{spelled}/examples/helloRPC/pyserver.py"
    # The path part decodes back to exactly the ref and the file; nothing is left that a browser would cut off.
    path = urlsplit(url).path
    assert not urlsplit(url).query and not urlsplit(url).fragment
    assert unquote(path) == f"/hello-rpc/hello-rpc-docs/blob/{ref}/examples/helloRPC/pyserver.py"


def test_folder_and_path_quoting():
    assert REPO.link("tree", "release/1.2", "examples/hello RPC") == (
        "https://github.com/hello-rpc/hello-rpc-docs/tree/release/1.2/examples/hello%20RPC"
    )


def test_docs_repository_beats_conf_which_beats_the_remote(repo):
    repo.git("remote", "add", "origin", "git@github.com:from/remote.git")
    root = Path(repo.root)
    assert resolve_repository({"DOCS_REPOSITORY": "from/env"}, "from/conf", root) == (
        Repository("from", "env"),
        "DOCS_REPOSITORY",
    )
    assert resolve_repository({}, "from/conf", root)[0] == Repository("from", "conf")
    assert resolve_repository({}, "", root) == (Repository("from", "remote"), "git remote")


def test_no_repository_anywhere_is_a_config_error_saying_what_to_set(repo):
    repo.git("remote", "add", "origin", "https://gitlab.com/a/b.git")
    with pytest.raises(ConfigError, match="repo_links_repository") as caught:
        resolve_repository({}, "", repo.root)
    assert "gitlab.com" in str(caught.value)


def test_a_forks_own_ci_links_the_fork(repo):
    repo.git("remote", "add", "origin", "git@github.com:upstream/docs.git")
    github = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "fork-owner/docs"}
    assert resolve_repository(github, "upstream/docs", repo.root) == (
        Repository("fork-owner", "docs"),
        "GITHUB_REPOSITORY",
    )
    gitlab = {"GITLAB_CI": "true", "CI_PROJECT_PATH": "fork-owner/docs"}
    assert resolve_repository(gitlab, "", repo.root) == (Repository("fork-owner", "docs"), "CI_PROJECT_PATH")
    # DOCS_REPOSITORY still wins; outside that CI the variable is ignored; a subgroup path is no GitHub repository.
    assert resolve_repository({**github, "DOCS_REPOSITORY": "set/by-hand"}, "", repo.root)[1] == "DOCS_REPOSITORY"
    assert resolve_repository({"GITHUB_REPOSITORY": "fork-owner/docs"}, "upstream/docs", repo.root)[0] == (
        Repository("upstream", "docs")
    )
    nested = {"GITLAB_CI": "true", "CI_PROJECT_PATH": "group/sub/docs"}
    assert resolve_repository(nested, "", repo.root) == (Repository("upstream", "docs"), "git remote")
