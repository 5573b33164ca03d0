"""Which ref the links use: each source, and the order between them (real git repos where git is involved)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from repo_links.ref import resolve_ref


def _payload(tmp_path: Path, head_repo: str, base_repo: str = "hello-rpc/hello-rpc-docs") -> str:
    """A GitHub pull_request event payload, as GitHub writes it to GITHUB_EVENT_PATH (the fields we read)."""
    event = {
        "number": 12,
        "pull_request": {
            "head": {"ref": "feature/x", "sha": "a" * 40, "repo": {"full_name": head_repo}},
            "base": {"ref": "main", "sha": "b" * 40, "repo": {"full_name": base_repo}},
        },
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return str(path)


def test_docs_branch_wins_over_ci_conf_and_git(repo):
    repo.commit("first")
    environ = {"DOCS_BRANCH": "release/1.2", "GITHUB_REF_NAME": "main", "CI": "true"}
    choice = resolve_ref(environ, conf_branch="from-conf", root=repo.root)
    assert (choice.ref, choice.source) == ("release/1.2", "DOCS_BRANCH")
    assert choice.ci_without_ref is None


def test_conf_setting_is_used_without_docs_branch_and_beats_ci():
    choice = resolve_ref({"GITHUB_REF_NAME": "main"}, conf_branch="release/2.0")
    assert (choice.ref, choice.source) == ("release/2.0", "conf.py repo_links_branch")


def test_github_push_uses_ref_name_and_knows_tags():
    branch = resolve_ref({"GITHUB_REF_NAME": "release/1.2", "GITHUB_REF_TYPE": "branch"})
    tag = resolve_ref({"GITHUB_REF_NAME": "v1.2.0", "GITHUB_REF_TYPE": "tag"})
    assert (branch.ref, branch.kind, branch.source) == ("release/1.2", "branch", "GITHUB_REF_NAME")
    assert (tag.ref, tag.kind) == ("v1.2.0", "tag")


def _pull_request(tmp_path: Path, head_repo: str) -> dict[str, str]:
    """The variables GitHub Actions sets on a pull request from *head_repo*'s branch feature/x."""
    return {
        "GITHUB_REF_NAME": "12/merge",
        "GITHUB_HEAD_REF": "feature/x",
        "GITHUB_SHA": "c" * 40,
        "GITHUB_EVENT_PATH": _payload(tmp_path, head_repo=head_repo),
    }


def test_github_pull_request_uses_head_branch_not_merge_ref(tmp_path):
    choice = resolve_ref(_pull_request(tmp_path, head_repo="hello-rpc/hello-rpc-docs"))
    assert (choice.ref, choice.kind, choice.source) == ("feature/x", "branch", "GITHUB_HEAD_REF (pull request)")


def test_github_pull_request_from_a_fork_links_the_head_commit_and_says_why(tmp_path):
    choice = resolve_ref(_pull_request(tmp_path, head_repo="someone/hello-rpc-docs"))
    assert (choice.ref, choice.kind) == ("a" * 40, "commit")
    assert "fork" in choice.source
    assert any("fork" in note and "feature/x" in note for note in choice.notes)


def test_github_pull_request_without_payload_falls_back_to_the_commit():
    environ = {"GITHUB_REF_NAME": "12/merge", "GITHUB_HEAD_REF": "feature/x", "GITHUB_SHA": "c" * 40}
    choice = resolve_ref(environ)
    assert (choice.ref, choice.kind) == ("c" * 40, "commit")
    assert any("GITHUB_EVENT_PATH" in note for note in choice.notes)


def test_read_the_docs_branch_and_tag_builds_use_the_identifier():
    branch = resolve_ref({"READTHEDOCS_GIT_IDENTIFIER": "release/1.2", "READTHEDOCS_VERSION_TYPE": "branch"})
    tag = resolve_ref({"READTHEDOCS_GIT_IDENTIFIER": "v1.2.0", "READTHEDOCS_VERSION_TYPE": "tag"})
    assert (branch.ref, branch.kind, branch.source) == ("release/1.2", "branch", "READTHEDOCS_GIT_IDENTIFIER")
    assert (tag.ref, tag.kind) == ("v1.2.0", "tag")


def test_read_the_docs_pull_request_build_links_the_commit_not_the_pr_number():
    environ = {
        "READTHEDOCS": "True",
        "READTHEDOCS_VERSION_TYPE": "external",
        "READTHEDOCS_GIT_IDENTIFIER": "42",
        "READTHEDOCS_GIT_COMMIT_HASH": "d" * 40,
    }
    choice = resolve_ref(environ)
    assert (choice.ref, choice.kind) == ("d" * 40, "commit")
    assert choice.source == "READTHEDOCS_GIT_COMMIT_HASH (pull request)"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"CI_COMMIT_TAG": "v1", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_REF_NAME": "v1"}, ("v1", "CI_COMMIT_TAG")),
        (
            {"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/y", "CI_COMMIT_REF_NAME": "feature/y"},
            ("feature/y", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"),
        ),
        ({"CI_COMMIT_BRANCH": "release/3", "CI_COMMIT_REF_NAME": "release/3"}, ("release/3", "CI_COMMIT_BRANCH")),
        ({"CI_COMMIT_REF_NAME": "odd.ref"}, ("odd.ref", "CI_COMMIT_REF_NAME")),
    ],
)
def test_gitlab_variables_in_their_order(environ, expected):
    choice = resolve_ref({"GITLAB_CI": "true", **environ})
    assert (choice.ref, choice.source) == expected


def test_gitlab_merge_request_from_a_fork_links_the_commit():
    environ = {
        "GITLAB_CI": "true",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME": "feature/y",
        "CI_MERGE_REQUEST_SOURCE_PROJECT_ID": "7",
        "CI_MERGE_REQUEST_PROJECT_ID": "3",
        "CI_COMMIT_SHA": "e" * 40,
    }
    choice = resolve_ref(environ)
    assert (choice.ref, choice.kind) == ("e" * 40, "commit")
    assert any("fork" in note for note in choice.notes)


def test_ci_variables_beat_the_checked_out_branch(repo):
    repo.commit("first")
    repo.git("switch", "-q", "-c", "local-work")
    choice = resolve_ref({"GITHUB_REF_NAME": "release/1.2"}, root=repo.root)
    assert (choice.ref, choice.source) == ("release/1.2", "GITHUB_REF_NAME")


def test_checked_out_branch_with_an_odd_name(repo):
    repo.commit("first")
    repo.git("switch", "-q", "-c", "feature/odd.name_1+x")
    choice = resolve_ref({}, root=repo.root)
    assert (choice.ref, choice.kind, choice.source) == ("feature/odd.name_1+x", "branch", "git branch")
    assert choice.commit == repo.git("rev-parse", "HEAD")


def test_detached_head_on_a_tag_links_the_tag(repo):
    repo.commit("first")
    repo.git("tag", "v1.0.0")
    repo.commit("second")
    repo.git("switch", "-q", "--detach", "v1.0.0")
    choice = resolve_ref({}, root=repo.root)
    assert (choice.ref, choice.kind, choice.source) == ("v1.0.0", "tag", "git tag at detached HEAD")


def test_detached_head_without_a_tag_links_the_commit(repo):
    first = repo.commit("first")
    repo.git("tag", "v1.0.0")
    repo.commit("second")
    repo.git("switch", "-q", "--detach", "HEAD")
    head = repo.git("rev-parse", "HEAD")
    choice = resolve_ref({}, root=repo.root)
    assert (choice.ref, choice.kind, choice.source) == (head, "commit", "git commit at detached HEAD")
    assert choice.ref != first


def test_no_git_and_no_variables_gives_the_configured_default(tmp_path):
    choice = resolve_ref({}, default="trunk", root=None)
    assert (choice.ref, choice.source) == ("trunk", "default (repo_links_default_branch)")
    assert choice.commit is None


@pytest.mark.parametrize(
    "marker",
    [{"CI": "true"}, {"__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI": "1"}, {"GITHUB_ACTIONS": "true"}],
)
def test_ci_shell_without_ref_variables_on_a_detached_checkout_is_flagged(repo, marker):
    sha = repo.commit("first")
    repo.git("checkout", "--detach")
    choice = resolve_ref(marker, root=repo.root)
    assert (choice.ref, choice.source) == (sha, "git commit at detached HEAD")
    assert choice.ci_without_ref is not None
    assert "pass_env" in choice.ci_without_ref and "GITHUB_REF_NAME" in choice.ci_without_ref


@pytest.mark.parametrize("marker", [{"CI": "true"}, {"GITHUB_ACTIONS": "true"}])
def test_ci_shell_on_a_checked_out_branch_trusts_the_branch(repo, marker):
    repo.commit("first")
    choice = resolve_ref(marker, root=repo.root)
    assert (choice.ref, choice.source) == ("main", "git branch")
    assert choice.ci_without_ref is None


def test_ci_opt_out_is_not_a_ci(repo):
    repo.commit("first")
    assert resolve_ref({"CI": "false"}, root=repo.root).ci_without_ref is None


def test_docs_branch_naming_a_local_tag_or_branch_is_classified(repo):
    repo.commit("first")
    repo.git("tag", "v2.0")
    repo.git("branch", "release/2")
    assert resolve_ref({"DOCS_BRANCH": "v2.0"}, root=repo.root).kind == "tag"
    assert resolve_ref({"DOCS_BRANCH": "release/2"}, root=repo.root).kind == "branch"
    assert resolve_ref({"DOCS_BRANCH": "nowhere"}, root=repo.root).kind == "ref"


def test_read_the_docs_unknown_version_type_asks_git(repo):
    repo.write("a.txt")
    repo.commit()
    repo.git("tag", "v2.0")
    repo.git("checkout", "-q", "--detach", "v2.0")
    choice = resolve_ref({"READTHEDOCS_GIT_IDENTIFIER": "v2.0", "READTHEDOCS_VERSION_TYPE": "unknown"}, root=repo.root)
    assert (choice.ref, choice.kind) == ("v2.0", "tag")
    assert resolve_ref({"READTHEDOCS_GIT_IDENTIFIER": "v2.0", "READTHEDOCS_VERSION_TYPE": "unknown"}).kind == "ref"
