"""Branch-aware links to this repository's files on GitHub.

Roles ``:repo-file:`path``` and ``:repo-tree:`folder``` (each also as ``:repo-file:`title <path>```)
link a path at the ref the docs are built from; ``.. repo-clone:: folder`` shows the shell-quoted
commands that clone the repository at that ref; ``@DOCS_BRANCH@``, ``@DOCS_REPOSITORY@`` and
``@DOCS_REPOSITORY_URL@`` are replaced in page text, code blocks, included files and docstrings. Every linked
path is checked against the checkout, hand-written links to this repository are flagged, and the
HTML builders write ``_repo_links.json`` (see docs/maintainers/links.md). The ref is checked with git's
ref-name rules; git is asked only about the work tree holding conf.py, and without one the ref comes
from the environment or from the ``git archive`` tarball the build runs in (``archive.txt``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import hardcoded, manifest, markers, state
from .clone import RepoCloneDirective
from .resolve import build_facts
from .roles import RepoLinkRole

if TYPE_CHECKING:
    from typing import Any

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "1.0.0"


def _on_builder_inited(app: Sphinx) -> None:
    state.set_facts(app.env, build_facts(app.config, Path(app.confdir)))
    if "autodoc-process-docstring" in app.events.events and not getattr(app, "_repo_links_autodoc", False):
        # Known only once autodoc is set up, which may come after this extension in conf.py's list.
        app.connect("autodoc-process-docstring", markers.replace_in_docstring)
        app.connect("autodoc-process-docstring", hardcoded.check_docstring, priority=600)
        app._repo_links_autodoc = True


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    facts = state.facts_of(app.env)
    shown = facts.ref.ref[:12] if facts.ref.kind == "commit" else facts.ref.ref
    context["repo_links"] = {
        # e.g. "branch release/1.2", "tag v1.0", "commit 1a2b3c4d5e6f": what the pages document.
        "label": f"{facts.ref.kind} {shown}" if facts.ref.kind != "ref" else shown,
        "ref": facts.ref.ref,
        "ref_kind": facts.ref.kind,
        "ref_source": facts.ref.source,
        "commit": facts.ref.commit,
        "repository_url": facts.repository.url,
        "ref_url": facts.repository.link("tree", facts.ref.ref, ""),
    }


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the roles, settings and event handlers."""
    app.add_config_value("repo_links_repository", "", "env", types=frozenset({str}))
    app.add_config_value("repo_links_branch", "", "env", types=frozenset({str}))
    app.add_config_value("repo_links_default_branch", "main", "env", types=frozenset({str}))
    app.add_config_value("repo_links_root", "", "env", types=frozenset({str}))
    app.add_config_value("repo_links_manifest", "_repo_links.json", "html", types=frozenset({str}))
    app.add_role("repo-file", RepoLinkRole())
    app.add_role("repo-tree", RepoLinkRole())
    app.add_directive("repo-clone", RepoCloneDirective)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-get-outdated", state.outdated_pages)
    app.connect("env-purge-doc", state.purge_page)
    app.connect("env-merge-info", state.merge_pages)
    app.connect("source-read", markers.replace_in_page)
    app.connect("include-read", markers.replace_in_include)
    # After the markers are filled, so "@DOCS_REPOSITORY_URL@/blob/@DOCS_BRANCH@/..." is caught too.
    app.connect("source-read", hardcoded.check_page, priority=600)
    app.connect("include-read", hardcoded.check_include, priority=600)
    # Before Sphinx's collectors (priority 500) read titles off the doctree.
    app.connect("doctree-read", markers.fill_doctree, priority=100)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", manifest.write_manifest)
    return {
        "version": __version__,
        # Links are recorded per page and merged back from parallel readers; writing only reads them.
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        # Bumped when the data kept in the environment changes shape, so old pickles are not reused.
        "env_version": 2,
    }
