"""Work out the build's facts from conf.py, the environment and git, and log where each came from."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError
from sphinx.util import logging

from . import git
from .archive import read_archive_ref
from .facts import BuildFacts, find_root, folders_of
from .ref import RefNameError, resolve_ref
from .repository import Repository, RepositoryError, is_github_remote, parse_repository

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sphinx.config import Config

logger = logging.getLogger(__name__)


def resolve_repository(environ: Mapping[str, str], configured: str, root: Path | None) -> tuple[Repository, str]:
    """The repository and where it came from.

    ``DOCS_REPOSITORY``; else the repository a CI builds (GitHub's ``GITHUB_REPOSITORY``, GitLab's
    ``CI_PROJECT_PATH``), so a fork's own CI links the fork, where its branches are; else conf.py; else a
    github.com git remote.
    """
    built = None if environ.get("DOCS_REPOSITORY", "").strip() else built_repository(environ)
    if built is not None:
        return built
    for value, source in (
        (environ.get("DOCS_REPOSITORY", "").strip(), "DOCS_REPOSITORY"),
        (configured.strip(), "conf.py repo_links_repository"),
    ):
        if value:
            try:
                return parse_repository(value), source
            except RepositoryError as exc:
                raise ConfigError(f"{source}: {exc}") from None
    remote = git.remote_url(root) if root is not None else None
    if remote and is_github_remote(remote):
        return parse_repository(remote), "git remote"
    if root is None:
        found = "no git work tree holds conf.py"
    else:
        found = f"{root}: its git remote is {remote!r}, not GitHub" if remote else f"{root}: it has no git remote"
    raise ConfigError(
        f"repo_links: no GitHub repository to link to ({found}); set repo_links_repository = "
        "'owner/name' in conf.py or DOCS_REPOSITORY in the environment"
    )


def built_repository(environ: Mapping[str, str]) -> tuple[Repository, str] | None:
    """The GitHub repository the running CI builds, with the variable that named it, or None."""
    for name, marker in (("GITHUB_REPOSITORY", "GITHUB_ACTIONS"), ("CI_PROJECT_PATH", "GITLAB_CI")):
        value = environ.get(name, "").strip()
        # Only inside that CI: a stale variable in a developer's shell must not redirect the links.
        if value and environ.get(marker, "").strip().lower() == "true":
            try:
                return parse_repository(value), name
            except RepositoryError:
                continue  # e.g. a GitLab subgroup path, which is no GitHub repository
    return None


def build_facts(config: Config, confdir: Path, environ: Mapping[str, str] | None = None) -> BuildFacts:
    """Resolve repository, ref and checkout for this build and log the outcome."""
    environ = os.environ if environ is None else environ
    root = find_root(config.repo_links_root, confdir)
    # The work tree holding conf.py, never an outer one that happens to contain the folder.
    git_root = git.own_work_tree(confdir)
    if git_root is not None and not root.is_relative_to(git_root.resolve()):
        git_root = None
    repository, repository_source = resolve_repository(environ, config.repo_links_repository, git_root)
    archive = read_archive_ref() if git_root is None else None
    try:
        choice = resolve_ref(
            environ,
            conf_branch=config.repo_links_branch,
            default=config.repo_links_default_branch,
            root=git_root,
            archive=archive,
        )
    except RefNameError as error:
        # One line and a failed build, not Sphinx's crash report: the name, not the code, is at fault.
        logger.error("repo_links: %s", error, type="repo_links", subtype="ref")
        raise SystemExit(2) from None
    if git_root is None:
        logger.warning(
            "repo_links: %s is in no git work tree that holds its conf.py; linking %s %r (from %s), and "
            "checking linked paths against the files on disk",
            confdir,
            choice.kind,
            choice.ref,
            choice.source,
            type="repo_links",
            subtype="git",
            once=True,
        )
    files = git.listed_files(git_root) if git_root is not None else None
    if files is not None and git_root.resolve() != root:
        # The checked root is a folder inside the work tree: git lists paths from the top.
        prefix = root.relative_to(git_root.resolve()).as_posix() + "/"
        files = frozenset(f[len(prefix) :] for f in files if f.startswith(prefix))
    logger.info(
        "repo_links: linking %s at %s %r (from %s; repository from %s; commit %s)",
        repository.url,
        choice.kind,
        choice.ref,
        choice.source,
        repository_source,
        choice.commit or "unknown",
    )
    for note in choice.notes:
        logger.info("repo_links: %s", note)
    if choice.ci_without_ref:
        logger.warning("repo_links: %s", choice.ci_without_ref, type="repo_links", subtype="ci")
    return BuildFacts(
        repository=repository,
        repository_source=repository_source,
        ref=choice,
        root=root,
        files=files,
        folders=folders_of(files) if files is not None else None,
    )
