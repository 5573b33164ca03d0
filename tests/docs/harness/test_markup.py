"""The markup check on made-up samples: one scratch Sphinx build each, with the site's conf.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_harness import REPO_ROOT
from docs_harness.checks import Context, Drift, claims
from docs_harness.checks.markup import MarkupCheck
from docs_harness.examples import find_examples
from docs_harness.records import Block, Build

GUIDE = str(REPO_ROOT / "docs" / "maintainers" / "links.md")
SAMPLE = ".. code-block:: console\n\n   $ echo made\n"


def _block(text: str, line: int, language: str = "rst", mark: str = "") -> Block:
    return Block("maintainers/links", GUIDE, line, "literal", language, (), text, mark=mark)


def _verify(blocks: list[Block], tmp_path: Path) -> None:
    build = Build(tmp_path, 0, "", blocks=blocks)
    check = MarkupCheck()
    (item,) = check.items(blocks, build, find_examples())
    check.verify(item, Context(build, tmp_path, find_examples(), None))


def test_markup_and_what_it_makes_are_the_markup_checks():
    sample, made = _block(SAMPLE, 10), _block("$ echo made", 16, "console", "made-by-previous")
    build = Build(Path("."), 0, "", blocks=[sample, made, _block(SAMPLE, 30, mark="exempt: not built")])
    found = claims(build, find_examples())
    # A console block stays a command of its page's session too: what the sample makes must also run.
    assert [sorted(found[block.key]) for block in build.blocks] == [["markup"], ["markup", "session"], ["exempt"]]


def test_a_block_marked_as_made_by_the_sample_is_what_it_builds_into(tmp_path):
    # One build: the MyST sample builds cleanly, and the block after it shows something else.
    myst = "```{code-block} console\n$ echo made\n```\n"
    with pytest.raises(Drift) as drift:
        _verify([_block(myst, 10, "myst"), _block("$ echo shown", 16, "console", "made-by-previous")], tmp_path)
    assert drift.value.actual == "$ echo made"
    assert str(drift.value).startswith("docs/maintainers/links.md:16: the sample before it makes")


def test_a_sample_that_warns_fails_with_its_page_and_line(tmp_path):
    with pytest.raises(AssertionError, match=r"docs/maintainers/links\.md:10: the sample does not build cleanly") as e:
        _verify([_block(":no-such-role:`x`\n", 10)], tmp_path)
    assert "no-such-role" in str(e.value)
