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
