"""Flag hand-written ``https://github.com/<this repo>/blob|tree/...`` URLs: they ignore the documented branch.

The page text is scanned (``source-read`` and ``include-read``), not the doctree, so a URL is caught
wherever it is written: a link, bare text (MyST does not link those), a code block, an included file.
Sphinx's own extlinks check skips URLs whose variable part holds a slash, so it never sees these.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .facts import BuildFacts, path_kind
from .roles import ROLE_OF_KIND
from .state import facts_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

# Characters that end a URL written in reST or Markdown text.
_URL_END = r"\s<>`\"'()\[\]{}|"


@functools.cache
def _pattern(slug: str) -> re.Pattern[str]:
    # Cached: every page and included file is scanned with the same repository's pattern.
    return re.compile(
        rf"https?://(?:www\.)?github\.com/{re.escape(slug)}/(?P<kind>blob|tree)/(?P<rest>[^{_URL_END}?#]+)",
        re.IGNORECASE,
    )


def suggested_path(facts: BuildFacts, kind: str, rest: str) -> str:
    """The repository path in ``<ref>/<path>``: the first split whose path exists, else all after one segment."""
    parts = rest.rstrip("/.,;:").split("/")
    for cut in range(1, len(parts)):
        candidate = "/".join(parts[cut:])
        if path_kind(facts, candidate) == kind:
            return candidate
    return "/".join(parts[1:])


def find_hardcoded(facts: BuildFacts, text: str, markdown: bool) -> list[tuple[int, str, str]]:
    """Each hand-written URL into the repository as (line, URL, the role call to write instead)."""
    found = []
    for match in _pattern(facts.repository.slug).finditer(text):
        kind = match["kind"].lower()
        role = ROLE_OF_KIND[kind]
        path = suggested_path(facts, kind, match["rest"])
        usage = f"{{{role}}}`{path}`" if markdown else f":{role}:`{path}`"
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, match.group(0).rstrip(".,;:"), usage))
    return found


def _warn(facts: BuildFacts, text: str, markdown: bool, location: object) -> None:
    for line, url, usage in find_hardcoded(facts, text, markdown):
        logger.warning(
            "hand-written link to this repository %r: use %s instead, so it follows the documented branch",
            url,
            usage,
            location=location(line),
            type="repo_links",
            subtype="hardcoded",
        )


def check_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: warn for each hand-written repository URL of a page, with its line."""
    markdown = app.env.doc2path(docname).suffix == ".md"
    _warn(facts_of(app.env), source[0], markdown, lambda line: (docname, line))


def check_include(app: Sphinx, relative_path: Path, parent_docname: str, source: list[str]) -> None:
    """``include-read``: the same for a file pulled in with ``.. include::``."""
    path = Path(app.srcdir) / relative_path
    _warn(facts_of(app.env), source[0], path.suffix == ".md", lambda line: f"{path}:{line}")
