"""The extension's data in the build environment: the build's facts and each page's links.

Pages are read in parallel worker processes, so links are kept per page and merged back
(``env-merge-info``) and dropped when a page is re-read (``env-purge-doc``).
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING

from sphinx.util import logging

from .facts import BuildFacts, LinkRecord, path_kind

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

_FACTS = "repo_links_facts"
_LINKS = "repo_links_pages"
_PREVIOUS_TARGET = "repo_links_previous_target"


def set_facts(env: BuildEnvironment, facts: BuildFacts) -> None:
    """Store this build's facts, remembering what the previous build's links pointed at."""
    previous: BuildFacts | None = getattr(env, _FACTS, None)
    setattr(env, _PREVIOUS_TARGET, previous.target if previous is not None else None)
    setattr(env, _FACTS, facts)


def facts_of(env: BuildEnvironment) -> BuildFacts:
    """This build's facts (set when the builder starts)."""
    return getattr(env, _FACTS)


def links_by_page(env: BuildEnvironment) -> dict[str, list[LinkRecord]]:
    """Every page's repository links, in the order they were read."""
    if not hasattr(env, _LINKS):
        setattr(env, _LINKS, {})
    return getattr(env, _LINKS)


def record_link(env: BuildEnvironment, link: LinkRecord) -> None:
    """Remember one link of the page being read."""
    links_by_page(env).setdefault(link.page, []).append(link)


def purge_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: forget a page's links before it is re-read."""
    links_by_page(env).pop(docname, None)


def merge_pages(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: take the links a parallel reader collected."""
    theirs = links_by_page(other)
    ours = links_by_page(env)
    for docname in docnames:
        if docname in theirs:
            ours[docname] = theirs[docname]


def outdated_pages(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: pages whose links would now come out differently.

    All pages when the repository or ref changed since the last build; otherwise the pages with a link
    whose target appeared, vanished or changed between file and folder (file contents are covered by
    ``note_dependency``).
    """
    facts = facts_of(env)
    previous = getattr(env, _PREVIOUS_TARGET, None)
    if previous is not None and previous != facts.target:
        logger.info(
            "repo_links: links now point at %s %s (last build: %s %s); re-reading every page",
            *facts.target,
            *previous,
        )
        return sorted(env.found_docs)
    stale = []
    for docname, links in links_by_page(env).items():
        if docname in env.found_docs and any(
            (path_kind(facts, link.path) == link.kind) != link.exists for link in links
        ):
            stale.append(docname)
    return stale
