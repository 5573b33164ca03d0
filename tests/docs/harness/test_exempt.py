"""The smoke checks of an exempt command: what can be seen wrong without running it."""

from __future__ import annotations

import pytest
from docs_harness.checks.exempt import pytest_paths, smoke


def test_pytest_paths_leave_out_options_and_their_values():
    assert pytest_paths(["tests/docs", "-k", "doctest", "-x", "docs::test_a", "-n", "2"]) == ["tests/docs", "docs"]


@pytest.mark.parametrize(
    "command",
    [
        "pytest tests/docs -k doctest",
        "python -m pytest tests/docs/pages -q",
        "tox -e py313 -- tests/compiler",
        "tox -e docs -- -E",
    ],
)
def test_commands_whose_paths_exist_pass(command):
    assert smoke(command, "page.md:3") == []


@pytest.mark.parametrize(
    "command",
    ["pytest tests/doc -k doctest", "python -m pytest testsdocs", "tox -e py -- tests/docs/nothing.py -x -q"],
)
def test_a_path_pytest_would_not_find_is_named(command):
    problems = smoke(command, "page.md:3")
    assert problems, f"nothing wrong with `{command}`"
    assert problems[0].startswith(f"page.md:3: `{command}`: pytest would find no ")


def test_a_tox_option_is_read_from_tox_itself():
    assert smoke('tox --discover "$(pyenv root)"/versions/3.13.*/bin/python3.13 -e py313', "page.md:3") == []
    assert smoke("tox --discovr /usr/bin/python3 -e py313", "page.md:3") == [
        "page.md:3: `tox --discovr /usr/bin/python3 -e py313`: tox run has no option --discovr"
    ]
