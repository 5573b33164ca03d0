"""The harness's own emphasis arithmetic: drift it must catch, counted after Sphinx's filters."""

from __future__ import annotations

import textwrap

import pytest
from docs_harness.emphasis import (
    changed_lines,
    declared_emphasis,
    expected_emphasis,
    format_spec,
    rewrite_emphasis,
)

BEFORE = '''\
"""A server."""

import hello


def main():
    pass
'''

AFTER = '''\
"""A server."""

import hello


class HelloImpl:
    def hello(self, request):

        return request


def main():
    run(HelloImpl())
'''


@pytest.fixture
def steps(tmp_path):
    before, after = tmp_path / "server_1_a.py", tmp_path / "server_2_b.py"
    before.write_text(BEFORE)
    after.write_text(AFTER)
    return before, after


def test_changed_lines_leave_out_blank_edges(steps):
    """Added and changed lines count; blank lines at the edges of a run do not, blank lines inside do."""
    before, after = steps
    assert changed_lines(before, after) == {6, 7, 8, 9, 13}


def test_first_part_is_all_new(steps):
    """Without a previous part every non-blank-edged line is new."""
    _, after = steps
    assert changed_lines(None, after) == set(range(1, 14))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, [6, 7, 8, 9, 13]),
        ({"start-at": "class HelloImpl"}, [1, 2, 3, 4, 8]),
        ({"start-after": "import hello", "end-before": "def main"}, [3, 4, 5, 6]),
        ({"lines": "6-9,12-13"}, [1, 2, 3, 4, 6]),
        ({"pyobject": "HelloImpl"}, [1, 2, 3, 4]),
        ({"pyobject": "main", "prepend": "# ..."}, [3]),
        ({"pyobject": "HelloImpl.hello", "dedent": 4}, [1, 2, 3]),
    ],
)
def test_expected_emphasis_counts_like_sphinx(steps, options, expected):
    """Positions are counted in the block Sphinx shows, after its literalinclude filters."""
    before, after = steps
    assert expected_emphasis(before, after, options) == expected


def test_declared_emphasis_keeps_out_of_range_lines():
    """Lines beyond the block stay visible (Sphinx would drop them)."""
    assert declared_emphasis({"emphasize-lines": "2-3,40"}, 13) == [2, 3, 40]
    assert declared_emphasis({"emphasize-lines": "11-"}, 13) == [11, 12, 13]
    assert declared_emphasis({}, 13) == []


def test_format_spec():
    assert format_spec([8, 9, 10, 14, 3]) == "3,8-10,14"
    assert format_spec([]) == ""


def test_rewrite_emphasis_rest(tmp_path):
    page = tmp_path / "server.rst"
    page.write_text(
        textwrap.dedent(
            """\
            Part 2
            ------

            .. literalinclude:: ../examples/helloRPC/steps/server_2_response.py
               :caption: pyserver.py
               :emphasize-lines: 8-15

            .. literalinclude:: other.py
               :emphasize-lines: 1
            """
        )
    )
    assert rewrite_emphasis(page, 4, "8-14") is True
    assert "   :emphasize-lines: 8-14\n" in page.read_text()
    assert "   :emphasize-lines: 1\n" in page.read_text()
    assert rewrite_emphasis(page, 4, "8-14") is False


def test_rewrite_emphasis_myst(tmp_path):
    page = tmp_path / "server.md"
    page.write_text("```{literalinclude} a.py\n:emphasize-lines: 2\n```\n")
    assert rewrite_emphasis(page, 1, "3-4") is True
    assert page.read_text() == "```{literalinclude} a.py\n:emphasize-lines: 3-4\n```\n"


def test_rewrite_emphasis_without_the_option(tmp_path):
    """A directive without the option is reported, never given one silently."""
    page = tmp_path / "server.rst"
    page.write_text(".. literalinclude:: a.py\n   :caption: a.py\n\nText.\n")
    with pytest.raises(LookupError, match=r"server.rst:1: no :emphasize-lines:"):
        rewrite_emphasis(page, 1, "1")
