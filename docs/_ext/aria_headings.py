"""Give the toctree captions Sphinx marks ``role="heading"`` the ``aria-level`` that role requires.

Sphinx writes each toctree caption as ``<p class="caption" role="heading">``; screen readers (and
axe-core) need a level with that role. The captions are in the page body (a toctree on the page)
and in Furo's sidebar navigation, so both are filled in after Furo has made the sidebar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CAPTION = '<p class="caption" role="heading">'
CAPTION_WITH_LEVEL = '<p class="caption" role="heading" aria-level="2">'

# Context entries that can hold toctree captions: the page body and Furo's navigation tree.
_KEYS = ("body", "furo_navigation_tree", "toc")


def add_levels(html: str) -> str:
    """*html* with every toctree caption given ``aria-level="2"``."""
    return html.replace(CAPTION, CAPTION_WITH_LEVEL)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for key in _KEYS:
        if isinstance(context.get(key), str):
            context[key] = add_levels(context[key])


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the page-context handler, after Furo's (priority 500) has built the navigation."""
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
