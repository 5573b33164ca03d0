"""Flag hand-written URLs into this repository at some ref: they ignore the documented branch.

Caught: ``github.com/<this repo>/`` followed by ``blob``, ``tree``, ``raw``, ``blame``, ``edit``,
``commits`` or ``archive``, and ``raw.githubusercontent.com/<this repo>/``. The text is scanned
(``source-read``, ``include-read``, ``autodoc-process-docstring``), not the doctree, so a URL is caught
wherever it is written: a link, bare text (MyST does not link those), a code block, an included file,
a docstring.
Sphinx's own extlinks check skips URLs whose variable part holds a slash, so it never sees these.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .facts import BuildFacts, path_kind
from .markers import fill_placeholders, marker_values
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
        rf"https?://(?:(?:www\.)?github\.com/{re.escape(slug)}/(?P<kind>{'|'.join(_KINDS)})"
        rf"|raw\.githubusercontent\.com/{re.escape(slug)})/(?P<rest>[^{_URL_END}?#]+)",
        re.IGNORECASE,
    )


# What each kind of URL is about: a file (use repo-file), a folder (repo-tree), or the ref itself.
_KINDS = {
    "blob": "blob",
    "tree": "tree",
    "raw": "blob",
    "blame": "blob",
    "edit": "blob",
    "commits": "ref",
    "archive": "ref",
}


def suggested_path(facts: BuildFacts, kind: str, rest: str) -> str:
    """The repository path in ``<ref>/<path>``: the first split whose path exists, else all after one segment."""
    parts = rest.rstrip("/.,;:").split("/")
    for cut in range(1, len(parts)):
        candidate = "/".join(parts[cut:])
        if path_kind(facts, candidate) == kind:
            return candidate
    return "/".join(parts[1:])


def find_hardcoded(
    facts: BuildFacts, text: str, markdown: bool, about_refs: bool | None = None
) -> list[tuple[int, str, str]]:
    """Each hand-written URL into the repository as (line, URL, what to write instead).

    *about_refs* True keeps only the URLs that name a ref itself (commits, archive), False only the others.
    """
    found = []
    for match in _pattern(facts.repository.slug).finditer(text):
        kind = (match["kind"] or "raw").lower()  # no kind: raw.githubusercontent.com/<repo>/<ref>/<path>
        about = _KINDS[kind]
        if about_refs is not None and about_refs != (about == "ref"):
            continue
        if about == "ref":
            # commits/<ref>[/path] and archive/<ref>.zip name the ref itself: write it with markers.
            usage = f"@DOCS_REPOSITORY_URL@/{kind}/@DOCS_BRANCH@" + (".zip" if kind == "archive" else "")
        else:
            role = ROLE_OF_KIND[about]
            path = suggested_path(facts, about, match["rest"])
            usage = f"{{{role}}}`{path}`" if markdown else f":{role}:`{path}`"
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, match.group(0).rstrip(".,;:"), usage))
    return found


def _warn(facts: BuildFacts, text: str, markdown: bool, location: object) -> None:
    # The markers stand as placeholders by now. A file or folder URL is flagged even when spelled with
    # markers (a role says it better); a ref URL (commits, archive) has no role, so markers are its cure.
    filled = fill_placeholders(text, marker_values(facts))
    found = find_hardcoded(facts, filled, markdown, about_refs=False) + find_hardcoded(
        facts, text, markdown, about_refs=True
    )
    for line, url, usage in sorted(found):
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


def check_docstring(app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]) -> None:
    """``autodoc-process-docstring``: the same for a docstring pulled in by autodoc."""
    _warn(facts_of(app.env), "\n".join(lines), False, lambda line: f"docstring of {name}:{line}")
