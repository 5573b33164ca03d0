"""The emphasis arithmetic ``tutorial-part`` uses: the lines a step adds, counted after Sphinx's filters."""

from __future__ import annotations

import pytest
from docs_harness.tutorials import changed_lines, expected_emphasis, format_spec

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


def test_format_spec():
    assert format_spec([8, 9, 10, 14, 3]) == "3,8-10,14"
    assert format_spec([]) == ""
