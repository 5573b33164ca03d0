"""The ``repo-file`` and ``repo-tree`` roles: a link to a path of this repository at the documented ref."""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

from .facts import BuildFacts, LinkRecord, normalise_path, path_kind
from .state import facts_of, record_link

logger = logging.getLogger(__name__)

_KIND_OF_ROLE = {"repo-file": "blob", "repo-tree": "tree"}
#: The role that links each kind of path (``blob``: a file, ``tree``: a folder).
ROLE_OF_KIND = {kind: role for role, kind in _KIND_OF_ROLE.items()}
_NOUN = {"blob": "file", "tree": "folder"}


# GitHub's line anchors: "#L12" or "#L12-L20".
_ANCHOR = re.compile(r"^(?P<path>.+)#(?P<anchor>L\d+(?:-L\d+)?)$")
_LINE_ANCHOR = re.compile(r"L(\d+)")


def _split_line_anchor(target: str) -> tuple[str, str]:
    """``path#L3-L5`` -> (``path``, ``L3-L5``); a target without a line anchor keeps an empty anchor."""
    match = _ANCHOR.match(target.strip())
    return (match["path"], match["anchor"]) if match else (target, "")


class RepoLinkRole(SphinxRole):
    """``:repo-file:`path``` / ``:repo-file:`title <path>``` (and ``repo-tree`` for folders).

    A file link may end in a GitHub line anchor, ``path#L12`` or ``path#L12-L20``.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        """Make the reference node, check the path, note the dependency and record the link."""
        has_title, title, target = split_explicit_title(self.text)
        facts: BuildFacts = facts_of(self.env)
        wanted = _KIND_OF_ROLE[self.name]
        target, anchor = _split_line_anchor(target) if wanted == "blob" else (target, "")
        path = normalise_path(target)
        if path is None:
            node = nodes.literal(self.rawtext, target)
            self.set_source_info(node)
            logger.warning(
                "repository link %r leaves the repository; give a path relative to the repository root",
                target,
                location=node,
                type="repo_links",
                subtype="path",
            )
            return [node], []
        found = path_kind(facts, path)
        url = facts.repository.link(wanted, facts.ref.ref, path) + (f"#{anchor}" if anchor else "")
        if has_title:
            node = nodes.reference(self.rawtext, title, refuri=url, internal=False)
        else:
            node = nodes.reference(self.rawtext, "", nodes.literal(path, path), refuri=url, internal=False)
        node["classes"].append(f"repo-link-{_NOUN[wanted]}")
        self.set_source_info(node)
        self._check(node, path, wanted, found, facts)
        if anchor and found == "blob":
            self._check_lines(node, path, anchor, facts)
        if wanted == "blob":
            # Re-read this page when the linked file changes or disappears (also for sphinx-autobuild).
            self.env.note_dependency(facts.root / path)
        source, line = self.get_source_info()
        record_link(
            self.env,
            LinkRecord(
                page=self.env.docname,
                source=_relative_source(source, facts),
                line=line,
                role=self.name,
                path=path,
                kind=wanted,
                url=url,
                exists=found == wanted,
            ),
        )
        return [node], []

    def _check_lines(self, node: nodes.Node, path: str, anchor: str, facts: BuildFacts) -> None:
        try:
            length = len((facts.root / path).read_bytes().splitlines())
        except OSError:
            return
        numbers = [int(number) for number in _LINE_ANCHOR.findall(anchor)]
        if numbers[0] == 0 or numbers != sorted(numbers):
            logger.warning(
                "repository link to %r: line anchor #%s names no lines (lines count from 1, a range runs forward)",
                path,
                anchor,
                location=node,
                type="repo_links",
                subtype="path",
            )
            return
        last = numbers[-1]
        if last > length:
            logger.warning(
                "repository link to %r: line anchor #%s is past the end of the file (%d lines)",
                path,
                anchor,
                length,
                location=node,
                type="repo_links",
                subtype="path",
            )

    def _check(self, node: nodes.Node, path: str, wanted: str, found: str | None, facts: BuildFacts) -> None:
        if found == wanted:
            return
        if found is None:
            where = f"{facts.root}" if facts.files is None else f"the files git holds in {facts.root}"
            logger.warning(
                "repository link to %r: no such %s in %s (the link would be broken on GitHub)",
                path,
                _NOUN[wanted],
                where,
                location=node,
                type="repo_links",
                subtype="path",
            )
            return
        logger.warning(
            "repository link to %r: it is a %s, not a %s; use :%s: instead of :%s:",
            path,
            _NOUN[found],
            _NOUN[wanted],
            ROLE_OF_KIND[found],
            self.name,
            location=node,
            type="repo_links",
            subtype="path",
        )


def _relative_source(source: str, facts: BuildFacts) -> str:
    """*source* relative to the checkout root when it lies inside it (it normally does)."""
    path = Path(source).resolve()
    try:
        return path.relative_to(facts.root).as_posix()  # find_root resolved it once per build
    except ValueError:
        return path.as_posix()
