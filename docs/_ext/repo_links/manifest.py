"""``_repo_links.json`` beside the HTML: the ref, the commit, where the ref came from, every link.

The release tooling reads it; keys are only ever added, never renamed (``format`` says which shape).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .state import facts_of, links_by_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 1


def manifest_data(env: BuildEnvironment) -> dict:
    """The manifest as plain data, links sorted by page then line."""
    facts = facts_of(env)
    links = [
        asdict(link)
        for page in sorted(links_by_page(env))
        if page in env.found_docs
        for link in links_by_page(env)[page]
    ]
    return {
        "format": MANIFEST_FORMAT,
        "repository": facts.repository.slug,
        "repository_url": facts.repository.url,
        "repository_source": facts.repository_source,
        "ref": facts.ref.ref,
        "ref_kind": facts.ref.kind,
        "ref_source": facts.ref.source,
        "ref_notes": list(facts.ref.notes),
        "commit": facts.ref.commit,
        "links": links,
    }


def write_manifest(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: write the manifest into the HTML output folder (HTML builders only)."""
    if exception is not None or app.builder.format != "html" or not app.config.repo_links_manifest:
        return
    target = Path(app.outdir) / app.config.repo_links_manifest
    data = manifest_data(app.env)
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    # Replace atomically: a reader (the release tooling, a live preview) never sees half a file.
    temporary.replace(target)
    logger.info("repo_links: wrote %s (%d links)", target, len(data["links"]))
