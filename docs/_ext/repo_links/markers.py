"""Fill ``@DOCS_...@`` markers in page text, code blocks, included files and autodoc docstrings.

Values come from outside the project (a branch name may hold ``'``, ``_``, ``|`` or ``<script>``), so
they never pass through a parser: before parsing each marker becomes a placeholder of its own length made
of letters and digits, which means nothing in reST, MyST or any code-block lexer; after parsing (``doctree-read``) the
placeholders in text, literal blocks, URLs and raw HTML or LaTeX are replaced by the value, as text
(escaped for the raw block's format). Elsewhere the source text keeps the markers as written, which is
what ``-b gettext`` offers translators. A code block that no longer lexes with the value in it is shown
as plain text rather than failing the build.
``@@DOCS_BRANCH@`` writes a literal ``@DOCS_BRANCH@``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from docutils import nodes
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
#: The markers a page may use, in a fixed order: a placeholder names its marker by position.
MARKER_NAMES = ("DOCS_BRANCH", "DOCS_REPOSITORY", "DOCS_REPOSITORY_URL", "DOCS_REF_KIND")
# Letters and digits only, so no markup language and no lexer gives it a meaning; exactly as long as the
# marker it stands for, so a title's underline or a table's column that fits the marker fits it too.
_PLACEHOLDERS = {name: f"Rlmk{index}".ljust(len(name) + 2, "q") for index, name in enumerate(MARKER_NAMES)}
_NAME_OF_PLACEHOLDER = {placeholder: name for name, placeholder in _PLACEHOLDERS.items()}
_PLACEHOLDER_RE = re.compile("|".join(re.escape(placeholder) for placeholder in _PLACEHOLDERS.values()))
# Attributes that hold a URL: the value is percent-encoded there, like a role's link.
_URL_ATTRIBUTES = ("refuri", "uri")


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


def placeholder_values() -> dict[str, str]:
    """Each marker name and the inert placeholder that stands for it until the page is parsed."""
    return dict(_PLACEHOLDERS)


def fill_placeholders(text: str, values: dict[str, str], escape: Callable[[str], str] = str) -> str:
    """*text* with each placeholder replaced by its marker's value, passed through *escape*."""
    return _PLACEHOLDER_RE.sub(lambda match: escape(values[_NAME_OF_PLACEHOLDER[match.group(0)]]), text)


def _replace(app: Sphinx, source: list[str], location: Callable[..., object]) -> None:
    if "@DOCS_" not in source[0]:
        return
    source[0], unknown = fill_markers(source[0], placeholder_values())
    for line, marker in unknown:
        logger.warning(
            "unknown marker %s; the known ones are %s",
            marker,
            ", ".join(f"@{name}@" for name in MARKER_NAMES),
            location=location(line),
            type="repo_links",
            subtype="marker",
        )


def replace_in_page(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: put placeholders for the markers of a page."""
    _replace(app, source, lambda line: (docname, line))


def replace_in_include(app: Sphinx, relative_path: Path, parent_docname: str, source: list[str]) -> None:
    """``include-read``: the same for a file pulled in with ``.. include::``."""
    path = Path(app.srcdir) / relative_path
    _replace(app, source, lambda line: f"{path}:{line}")


def replace_in_docstring(app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]) -> None:
    """``autodoc-process-docstring``: the same for a docstring pulled in by autodoc."""
    text = ["\n".join(lines)]
    _replace(app, text, lambda line: f"docstring of {name}:{line}")
    lines[:] = text[0].split("\n")


def _url_escape(value: str) -> str:
    return quote(value, safe="/:@!$&'()*+,;=-._~%#?")


def _lexes(text: str, language: str) -> bool:
    """Whether Pygments' lexer for *language* reads *text* without an error token (True if no such lexer)."""
    from pygments.filters import ErrorToken
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return True
    lexer.add_filter("raiseonerror")
    try:
        for _ in lexer.get_tokens(text):
            pass
    except ErrorToken:
        return False
    return True


def fill_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: replace the placeholders by their values, as text, wherever parsing put them."""
    values = marker_values(facts_of(app.env))
    for node in list(doctree.findall(nodes.Text)):
        if _PLACEHOLDER_RE.search(node):
            escape = _raw_escape(app, node.parent) if isinstance(node.parent, nodes.raw) else str
            node.parent.replace(node, nodes.Text(fill_placeholders(str(node), values, escape)))
    for node in doctree.findall(nodes.Element):
        for attribute in _URL_ATTRIBUTES:
            value = node.get(attribute)
            if isinstance(value, str) and _PLACEHOLDER_RE.search(value):
                node[attribute] = fill_placeholders(value, values, _url_escape)
        if not isinstance(node.rawsource, str) or not _PLACEHOLDER_RE.search(node.rawsource):
            continue
        if isinstance(node, (nodes.literal_block, nodes.literal)):
            before = node.rawsource
            # Sphinx highlights a literal block only while rawsource equals its text.
            node.rawsource = fill_placeholders(before, values)
            if isinstance(node, nodes.literal_block):
                _keep_lexable(app, node, before)
        else:
            # What the gettext builder offers translators: the source text, markers as written.
            node.rawsource = fill_placeholders(node.rawsource, _MARKERS_AS_WRITTEN)


#: Each marker as a page writes it, for the text translators see.
_MARKERS_AS_WRITTEN = {name: f"@{name}@" for name in MARKER_NAMES}


def _raw_escape(app: Sphinx, node: nodes.raw) -> Callable[[str], str]:
    """How a value is escaped inside ``.. raw:: FORMAT``: as HTML text, as LaTeX text, else as plain text."""
    formats = node.get("format", "").split()
    if "html" in formats:
        return html.escape
    if "latex" in formats:
        from sphinx.util.texescape import escape as latex_escape

        return lambda value: latex_escape(value, app.config.latex_engine)
    return str


def _keep_lexable(app: Sphinx, node: nodes.literal_block, before: str) -> None:
    language = node.get("language") or app.config.highlight_language
    if language in ("default", "none", "text") or not _lexes(before, language):
        return  # Sphinx falls back by itself for "default"; an error of the block's own is not ours to hide
    if not _lexes(node.rawsource, language):
        logger.info(
            "repo_links: a %s block no longer lexes with the documented ref %r in it; showing it as plain text",
            language,
            facts_of(app.env).ref.ref,
            location=node,
        )
        node["language"] = "text"
