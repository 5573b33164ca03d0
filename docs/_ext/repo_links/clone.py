"""The ``repo-clone`` directive: the console commands that clone this repository at the documented ref.

Written for a reader to paste into a shell, so every value is shell-quoted (``main`` stays as it is,
``x;id`` becomes ``'x;id'``). ``git clone --branch`` takes a branch or tag but not a commit, so when the
docs document a commit (a pull request from a fork, a detached checkout) the clone is followed by
``git checkout <commit>``.
"""

from __future__ import annotations

import shlex
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .facts import BuildFacts
from .state import facts_of


def clone_commands(facts: BuildFacts, folder: str) -> list[str]:
    """The command lines (without prompt) that clone the repository at the documented ref into *folder*."""
    url = f"{facts.repository.url}.git"
    ref = facts.ref
    if ref.kind == "commit":
        return [
            shlex.join(["git", "clone", url, folder]),
            shlex.join(["cd", folder]),
            shlex.join(["git", "checkout", ref.ref]),
        ]
    return [shlex.join(["git", "clone", "--branch", ref.ref, url, folder]), shlex.join(["cd", folder])]


class RepoCloneDirective(SphinxDirective):
    """``.. repo-clone:: FOLDER``: a console block that clones the repository into FOLDER and enters it."""

    required_arguments = 1
    option_spec: ClassVar[dict] = {"name": directives.unchanged, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        """Make the console block for this build's repository and ref."""
        folder = self.arguments[0]
        text = "\n".join(f"$ {line}" for line in clone_commands(facts_of(self.env), folder))
        block = nodes.literal_block(text, text, language="console")
        block["classes"] += self.options.get("class", [])
        self.set_source_info(block)
        self.add_name(block)
        return [block]
