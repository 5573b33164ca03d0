"""Which git ref the links point at: resolved once per build, from the first source that names one.

Order: ``DOCS_BRANCH`` or the conf.py setting; the CI's own variables (GitHub Actions, Read the Docs,
GitLab); the checked-out git branch, or for a detached HEAD its exact tag, else its commit; the default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import git
from .archive import ArchiveRef
from .refname import looks_like_commit, ref_name_problem

#: Variables that carry a ref from a CI into the build; their absence in a CI means tox dropped them.
CI_REF_VARIABLES = (
    "GITHUB_REF_NAME",
    "GITHUB_HEAD_REF",
    "READTHEDOCS_GIT_IDENTIFIER",
    "READTHEDOCS_GIT_COMMIT_HASH",
    "CI_COMMIT_TAG",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
    "CI_COMMIT_BRANCH",
    "CI_COMMIT_REF_NAME",
)

#: Every environment variable ref resolution reads (tox must pass each one through to the docs build).
VARIABLES_READ = (
    "DOCS_BRANCH",
    *CI_REF_VARIABLES,
    "GITHUB_REF_TYPE",
    "GITHUB_SHA",
    "GITHUB_EVENT_PATH",
    "READTHEDOCS_VERSION_TYPE",
    "CI_COMMIT_SHA",
    "CI_MERGE_REQUEST_SOURCE_PROJECT_ID",
    "CI_MERGE_REQUEST_PROJECT_ID",
    "GITHUB_REPOSITORY",
    "CI_PROJECT_PATH",
    "DOCS_REPOSITORY",
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "READTHEDOCS",
)

# Variables that say "this process runs in a CI". tox passes CI itself only if pass_env lets it, but always
# hands the outer value on as __TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI.
_CI_MARKERS = ("CI", "__TOX_ENVIRONMENT_VARIABLE_ORIGINAL_CI", "GITHUB_ACTIONS", "GITLAB_CI", "READTHEDOCS")
_FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


class RefNameError(ValueError):
    """A ref named by the environment or conf.py that git would refuse; the message is one line naming its source."""


@dataclass(frozen=True)
class RefChoice:
    """The ref the links use, where it came from, and the commit the docs were built from."""

    ref: str
    #: Where the ref came from, e.g. ``DOCS_BRANCH``, ``GITHUB_HEAD_REF (pull request)``, ``git branch``.
    source: str
    #: ``branch``, ``tag``, ``commit`` or ``ref`` (a name we cannot classify, e.g. from DOCS_BRANCH).
    kind: str
    #: The commit the docs were built from (local HEAD, else the CI's), or None if nothing says.
    commit: str | None = None
    #: Extra facts for the log, e.g. why a pull request is linked by commit.
    notes: tuple[str, ...] = field(default=())
    #: Set when the environment looks like a CI but no CI ref variable arrived (the build should warn).
    ci_without_ref: str | None = None


def _get(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


def ci_marker(environ: Mapping[str, str]) -> str | None:
    """The variable that shows this process runs in a CI (``CI=true`` ...), or None."""
    for name in _CI_MARKERS:
        if _get(environ, name).lower() not in _FALSE_WORDS:
            return f"{name}={_get(environ, name)}"
    return None


def _github_pull_request_head(environ: Mapping[str, str]) -> tuple[str | None, bool | None]:
    """(head commit, is from a fork) for a pull request, read from the event payload GitHub writes to disk."""
    event_path = _get(environ, "GITHUB_EVENT_PATH")
    if not event_path:
        return None, None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        pull = event["pull_request"]
        head_sha = pull["head"]["sha"]
        head_repo = (pull["head"].get("repo") or {}).get("full_name")
        base_repo = pull["base"]["repo"]["full_name"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, None
    return head_sha, head_repo != base_repo


def _from_github(environ: Mapping[str, str]) -> RefChoice | None:
    head_ref = _get(environ, "GITHUB_HEAD_REF")
    if head_ref:
        # On pull requests GITHUB_REF_NAME is "<number>/merge", not a branch; the head branch is the PR's.
        head_sha, from_fork = _github_pull_request_head(environ)
        if from_fork is False:
            return RefChoice(head_ref, "GITHUB_HEAD_REF (pull request)", "branch")
        sha = head_sha or _get(environ, "GITHUB_SHA")
        if from_fork and sha:
            note = f"pull request from a fork: its branch {head_ref!r} is not in this repository, linking commit {sha}"
            return RefChoice(sha, "pull request head commit (fork)", "commit", notes=(note,))
        if sha:
            note = (
                f"pull request from branch {head_ref!r}: the event payload (GITHUB_EVENT_PATH) does not say "
                f"whether it comes from a fork, so linking commit {sha}, which exists either way"
            )
            return RefChoice(sha, "GITHUB_SHA (pull request)", "commit", notes=(note,))
        return RefChoice(head_ref, "GITHUB_HEAD_REF (pull request)", "branch")
    return _branch_or_tag(environ, "GITHUB_REF_NAME", "GITHUB_REF_TYPE")


def _from_read_the_docs(environ: Mapping[str, str]) -> RefChoice | None:
    if _get(environ, "READTHEDOCS_VERSION_TYPE") == "external":
        # A pull-request build: the identifier is the PR number, so link the commit being built.
        sha = _get(environ, "READTHEDOCS_GIT_COMMIT_HASH")
        if sha:
            note = f"Read the Docs pull-request build {_get(environ, 'READTHEDOCS_GIT_IDENTIFIER')!r}: linking commit"
            return RefChoice(sha, "READTHEDOCS_GIT_COMMIT_HASH (pull request)", "commit", notes=(note,))
        return None
    return _branch_or_tag(environ, "READTHEDOCS_GIT_IDENTIFIER", "READTHEDOCS_VERSION_TYPE")


def _branch_or_tag(environ: Mapping[str, str], ref_variable: str, type_variable: str) -> RefChoice | None:
    """The ref in *ref_variable*, a tag or branch as *type_variable* says; None if unset.

    Any other type (Read the Docs says ``unknown`` for some tag builds) leaves the kind to git.
    """
    ref = _get(environ, ref_variable)
    if not ref:
        return None
    said = _get(environ, type_variable)
    return RefChoice(ref, ref_variable, said if said in ("branch", "tag") else "ref")


def _from_gitlab(environ: Mapping[str, str]) -> RefChoice | None:
    tag = _get(environ, "CI_COMMIT_TAG")
    if tag:
        return RefChoice(tag, "CI_COMMIT_TAG", "tag")
    source_branch = _get(environ, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
    if source_branch:
        source_project = _get(environ, "CI_MERGE_REQUEST_SOURCE_PROJECT_ID")
        target_project = _get(environ, "CI_MERGE_REQUEST_PROJECT_ID")
        sha = _get(environ, "CI_COMMIT_SHA")
        if source_project and target_project and source_project != target_project and sha:
            note = f"merge request from a fork: its branch {source_branch!r} is not in this repository, linking {sha}"
            return RefChoice(sha, "CI_COMMIT_SHA (merge request from a fork)", "commit", notes=(note,))
        return RefChoice(source_branch, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "branch")
    for name in ("CI_COMMIT_BRANCH", "CI_COMMIT_REF_NAME"):
        value = _get(environ, name)
        if value:
            return RefChoice(value, name, "branch" if name == "CI_COMMIT_BRANCH" else "ref")
    return None


def _from_git(root: Path | None) -> RefChoice | None:
    if root is None:
        return None
    branch = git.current_branch(root)
    if branch:
        return RefChoice(branch, "git branch", "branch")
    tag = git.exact_tag(root)
    if tag:
        return RefChoice(tag, "git tag at detached HEAD", "tag")
    sha = git.head_commit(root)
    if sha:
        return RefChoice(sha, "git commit at detached HEAD", "commit")
    return None


def _ci_commit(environ: Mapping[str, str]) -> str | None:
    for name in ("GITHUB_SHA", "READTHEDOCS_GIT_COMMIT_HASH", "CI_COMMIT_SHA"):
        if _get(environ, name):
            return _get(environ, name)
    return None


def resolve_ref(
    environ: Mapping[str, str],
    *,
    conf_branch: str = "",
    default: str = "main",
    root: Path | None = None,
    archive: ArchiveRef | None = None,
) -> RefChoice:
    """Pick the ref the links use; *root* is the git work tree (None: do not ask git).

    *archive* is what a ``git archive`` tarball says it was made from, used where git cannot answer.
    Raises :class:`RefNameError` for a name git would refuse, whichever source gave it.
    """
    choice: RefChoice | None = None
    if _get(environ, "DOCS_BRANCH"):
        choice = RefChoice(_get(environ, "DOCS_BRANCH"), "DOCS_BRANCH", "ref")
    elif conf_branch.strip():
        choice = RefChoice(conf_branch.strip(), "conf.py repo_links_branch", "ref")
    choice = choice or _from_github(environ) or _from_read_the_docs(environ) or _from_gitlab(environ)
    ci_without_ref = None
    if choice is None:
        choice = _from_git(root)
        marker = ci_marker(environ)
        # A checked-out branch names the ref truthfully; a CI's detached HEAD (or no git) does not.
        if marker and (choice is None or choice.kind != "branch"):
            ci_without_ref = (
                f"the build runs in a CI ({marker}) on a detached checkout but none of "
                f"{', '.join(CI_REF_VARIABLES)} reached it, so the links follow the commit: pass them "
                "through (tox's pass_env), or set DOCS_BRANCH on a CI that has none of them"
            )
    if choice is None and archive is not None:
        choice = RefChoice(archive.ref, "the archive's archive.txt (git archive)", archive.kind, archive.commit)
    if choice is None:
        choice = RefChoice(default, "default (repo_links_default_branch)", "ref")
    problem = ref_name_problem(choice.ref)
    if problem is not None:
        # One line, whatever the value holds: repr() shows a newline as \n.
        raise RefNameError(f"{choice.source}: {choice.ref!r} is not a git branch or tag name: {problem}")
    kind = choice.kind
    if kind == "ref":
        # A name given by hand (DOCS_BRANCH, conf.py, a GitLab ref name): say "tag" or "branch" if git knows.
        kind = (git.ref_kind(root, choice.ref) if root is not None else None) or _commit_kind(root, choice.ref)
    commit = (git.head_commit(root) if root is not None else None) or _ci_commit(environ)
    if commit is None and archive is not None:
        commit = archive.commit
    return RefChoice(choice.ref, choice.source, kind, commit, choice.notes, ci_without_ref)


def _commit_kind(root: Path | None, name: str) -> str:
    """``commit`` for a name that is a commit (git says so; without git, a full 40 or 64 digit SHA), else ``ref``."""
    if not looks_like_commit(name):
        return "ref"
    if root is None:
        return "commit" if len(name) in (40, 64) else "ref"
    return "commit" if git.is_commit(root, name) else "ref"
