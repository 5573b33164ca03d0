"""A ref is checked with git's ref-name rules before it reaches a link, a page or a shell command.

The rules are git's (``git help check-ref-format``, "rules 1-10"); each case is also put to
``git check-ref-format --allow-onelevel`` itself, so the two can never disagree unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from repo_links.ref import RefNameError, resolve_ref
from repo_links.refname import ref_name_problem
from toolkit.git import git_or_none

PAGE_TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "_templates" / "page.html"

GOOD = ["main", "release/1.2", "v1.0+build.5", "feature/odd.name_1+x", "café/ü", "fix/don't-crash", "a@b", "x{y}"]
BAD = [
    "a\nb",  # rule 4: a control character
    "a b",  # rule 4: a space
    "a~1",
    "a^2",
    "a:b",  # rule 4
    "a?",
    "a*",
    "a[1]",  # rule 5
    "../../../attacker/repo/blob/main",  # rule 3 (and 1)
    "a..b",  # rule 3
    ".hidden",
    "x/.y",
    "x.lock",
    "x.lock/y",  # rule 1
    "/a",
    "a/",
    "a//b",  # rule 6
    "a.",  # rule 7
    "a@{1}",  # rule 8
    "@",  # rule 9
    "a\\b",  # rule 10
    "a\x7fb",  # rule 4: DEL
]


def _git_accepts(name: str) -> bool:
    return git_or_none(".", "check-ref-format", "--allow-onelevel", name) is not None


@pytest.mark.parametrize("name", GOOD + BAD)
def test_the_rules_agree_with_git_check_ref_format(name):
    assert (ref_name_problem(name) is None) == _git_accepts(name), ref_name_problem(name)


def test_a_leading_dash_is_refused_as_git_check_ref_format_branch_refuses_it():
    assert ref_name_problem("-x") is not None
    assert git_or_none(".", "check-ref-format", "--branch", "-x") is None


@pytest.mark.parametrize("name", BAD)
def test_docs_branch_refusal_names_the_variable_on_one_line(name):
    with pytest.raises(RefNameError) as caught:
        resolve_ref({"DOCS_BRANCH": name})
    message = str(caught.value)
    assert message.startswith("DOCS_BRANCH: ") and "is not a git branch or tag name" in message
    assert "\n" not in message


def test_a_ref_from_the_ci_is_checked_too():
    with pytest.raises(RefNameError, match=r"^GITHUB_REF_NAME: 'a\.\.b' is not a git branch or tag name"):
        resolve_ref({"GITHUB_REF_NAME": "a..b", "GITHUB_REF_TYPE": "branch"})


@pytest.mark.parametrize("name", ["a\nb", "../../../attacker/repo/blob/main"])
def test_a_bad_docs_branch_fails_the_build_with_one_line(project, capsys, monkeypatch, name):
    project.page("index.rst", "Hello\n=====\n\n.. repo-clone:: hello\n\n:repo-file:`examples/helloRPC/pyserver.py`\n")
    monkeypatch.setenv("DOCS_BRANCH", name)
    result = project.build(capsys)
    assert result.status != 0
    said = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(said) == 1 and said[0].startswith("ERROR: repo_links: DOCS_BRANCH: "), result.stderr
    assert not (result.outdir / "index.html").exists()


def test_a_commit_in_docs_branch_is_cloned_then_checked_out_and_called_a_commit(project, capsys, monkeypatch):
    sha = project.repo.git("rev-parse", "HEAD")
    # The project's own footer template, with the project's theme.
    templates = project.repo.root.parent / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(PAGE_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    conf = project.repo.root / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8") + f"html_theme = 'furo'\ntemplates_path = [{str(templates)!r}]\n",
        encoding="utf-8",
    )
    project.page("index.rst", "Hello\n=====\n\nThe @DOCS_REF_KIND@ @DOCS_BRANCH@.\n\n.. repo-clone:: hello\n")
    monkeypatch.setenv("DOCS_BRANCH", sha)
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    footer = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", result.html("index")))
    assert f"These pages document commit {sha[:12]} of hello-rpc/hello-rpc-docs." in footer
    assert "branch or tag" not in footer
    text = re.sub(r"<[^>]+>", "", result.html("index"))
    assert "--branch" not in text
    url = "https://github.com/hello-rpc/hello-rpc-docs.git"
    assert f"$ git clone {url} hello\n$ cd hello\n$ git checkout {sha}" in text
    assert f"The commit {sha}." in text
    assert result.manifest()["ref_kind"] == "commit"


def test_an_abbreviated_commit_is_a_commit_only_when_git_knows_it(repo):
    sha = repo.commit("first")
    assert resolve_ref({"DOCS_BRANCH": sha[:10]}, root=repo.root).kind == "commit"
    assert resolve_ref({"DOCS_BRANCH": "deadbeef00"}, root=repo.root).kind == "ref"
    # Without git, only a full SHA is surely a commit.
    assert resolve_ref({"DOCS_BRANCH": sha}).kind == "commit"
    assert resolve_ref({"DOCS_BRANCH": sha[:10]}).kind == "ref"
