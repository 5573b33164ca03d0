"""Ref names that are valid in git but mean something to reST, MyST, HTML or a lexer come through as text."""

from __future__ import annotations

import html
import re

import pytest
from repo_links.markers import placeholder_values

RST_PAGE = """\
Hello
=====

Branch @DOCS_BRANCH@ of @DOCS_REPOSITORY@, see `the history <@DOCS_REPOSITORY_URL@/commits/@DOCS_BRANCH@>`_.

.. code-block:: console

   $ git switch @DOCS_BRANCH@

.. toctree::

   guide
"""
MD_PAGE = "# Guide\n\nOn @DOCS_BRANCH@ now.\n\n```console\n$ git log @DOCS_BRANCH@\n```\n"


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize(
    "branch",
    ["fix/don't-crash", "fix_", "feature/|x|", "x<script>alert(1)</script>", "a_b_`c`_"],
)
def test_a_ref_name_is_inserted_as_text(project, capsys, monkeypatch, branch):
    project.page("index.rst", RST_PAGE)
    project.page("guide.md", MD_PAGE)
    monkeypatch.setenv("DOCS_BRANCH", branch)
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    index, guide = result.html("index"), result.html("guide")
    for page in (index, guide):
        assert "<script>alert" not in page  # no live tag made from the name
        assert not any(placeholder in page for placeholder in placeholder_values().values())
    assert f"Branch {branch} of hello-rpc/hello-rpc-docs" in _text(index)
    assert f"$ git switch {branch}" in _text(index)
    assert f"On {branch} now." in _text(guide)
    assert f"$ git log {branch}" in _text(guide)
    # In a URL the name is percent-encoded like a role's link, never raw markup.
    href = re.search(r'href="(https://github\.com/hello-rpc/hello-rpc-docs/commits/[^"]*)"', index).group(1)
    assert "<" not in href and " " not in href


def test_an_escaped_marker_stays_literal(project, capsys, monkeypatch):
    project.page("index.rst", "Hello\n=====\n\nWrite ``@@DOCS_BRANCH@`` in a page.\n")
    monkeypatch.setenv("DOCS_BRANCH", "main")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    assert "@DOCS_BRANCH@" in _text(result.html("index"))


def test_a_marker_fits_where_its_own_text_fits(project, capsys, monkeypatch):
    # A title underlined as long as the marker, and a simple table whose column is as wide as the marker.
    page = (
        "Hello\n=====\n\n@DOCS_BRANCH@\n-------------\n\n=============  =====\n@DOCS_BRANCH@  x\n=============  =====\n"
    )
    project.page("index.rst", page)
    monkeypatch.setenv("DOCS_BRANCH", "release/1.2")
    result = project.build(capsys)
    assert result.status == 0, result.stderr
    assert _text(result.html("index")).count("release/1.2") >= 2
