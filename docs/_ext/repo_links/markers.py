"""Replace ``@DOCS_...@`` markers in page text, code blocks and included files.

A text replacement (not an rST substitution) because substitutions do not work inside code blocks,
and it works the same in reST and MyST pages. ``@@DOCS_BRANCH@`` writes a literal ``@DOCS_BRANCH@``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .state import facts_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx

    from .facts import BuildFacts

logger = logging.getLogger(__name__)

# A name given by hand that git does not know is a "ref"; readers know it as a branch or a tag.
_REF_KIND_WORDS = {"ref": "branch or tag"}

_MARKER = re.compile(r"(?P<escape>@?)@(?P<name>DOCS_[A-Z0-9_]+)@")


def marker_values(facts: BuildFacts) -> dict[str, str]:
    """Each marker name and the text that replaces it in this build."""
    return {
        "DOCS_BRANCH": facts.ref.ref,
        # What the ref is, for prose such as "the @DOCS_REF_KIND@ these pages were built from".
        "DOCS_REF_KIND": _REF_KIND_WORDS.get(facts.ref.kind, facts.ref.kind),
        "DOCS_REPOSITORY": facts.repository.slug,
        "DOCS_REPOSITORY_URL": facts.repository.url,
    }


def fill_markers(text: str, values: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    """*text* with its markers filled, and (line, marker) for each marker that has no value."""
    unknown: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if match["escape"]:
            return f"@{name}@"
        if name in values:
            return values[name]
        unknown.append((text.count("\n", 0, match.start()) + 1, match.group(0)))
        return match.group(0)

    return _MARKER.sub(replace, text), unknown


def _replace(app: Sphinx, source: list[str], location: Callable[..., object]) -> None:
    if "@DOCS_" not in source[0]:
        return
    values = marker_values(facts_of(app.env))
    source[0], unknown = fill_markers(source[0], values)
    for line, marker in unknown:
        logger.warning(
            "unknown marker %s; the known ones are %s",
            marker,
            ", ".join(f"@{name}@" for name in values),
            location=location(line),
            type="repo_links",
            subtype="marker",
        )


def replace_in_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: fill the markers of a page."""
    _replace(app, source, lambda line: (docname, line))


def replace_in_include(app: Sphinx, relative_path: Path, parent_docname: str, source: list[str]) -> None:
    """``include-read``: fill the markers of a file pulled in with ``.. include::``."""
    path = Path(app.srcdir) / relative_path
    _replace(app, source, lambda line: f"{path}:{line}")
