"""The values the ``@DOCS_...@`` markers take: the ref's kind reads as a reader would say it."""

from __future__ import annotations

import pytest
from repo_links.facts import BuildFacts
from repo_links.markers import fill_markers, marker_values
from repo_links.ref import RefChoice
from repo_links.repository import Repository


def _values(ref: str, kind: str) -> dict[str, str]:
    facts = BuildFacts(
        repository=Repository("o", "n"),
        repository_source="test",
        ref=RefChoice(ref, "test", kind),
        root=None,
        files=None,
        folders=None,
    )
    return marker_values(facts)


@pytest.mark.parametrize(
    ("ref", "kind", "said"),
    [
        ("release/1.2", "branch", "the branch these pages were built from (release/1.2)"),
        ("v0.9", "tag", "the tag these pages were built from (v0.9)"),
        ("1a2b3c", "commit", "the commit these pages were built from (1a2b3c)"),
        ("preview", "ref", "the branch or tag these pages were built from (preview)"),
    ],
)
def test_ref_kind_marker_names_what_the_ref_is(ref, kind, said):
    text, unknown = fill_markers("the @DOCS_REF_KIND@ these pages were built from (@DOCS_BRANCH@)", _values(ref, kind))
    assert (text, unknown) == (said, [])
