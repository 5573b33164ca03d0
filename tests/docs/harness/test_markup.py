"""The markup check on made-up samples: one scratch Sphinx build each, with the site's conf.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_harness import REPO_ROOT
from docs_harness.checks import Context, claims
from docs_harness.checks.markup import MarkupCheck
from docs_harness.examples import find_examples
from docs_harness.records import Block, Build

GUIDE = str(REPO_ROOT / "docs" / "maintainers" / "links.md")
SAMPLE = ".. code-block:: console\n\n   $ echo made\n"


def _block(text: str, line: int, language: str = "rst", mark: str = "") -> Block:
    return Block("maintainers/links", GUIDE, line, "literal", language, (), text, mark=mark)


def test_markup_and_what_it_makes_are_the_markup_checks():
    sample, made = _block(SAMPLE, 10), _block("$ echo made", 16, "console", "made-by-previous")
    build = Build(Path("."), 0, "", blocks=[sample, made, _block(SAMPLE, 30, mark="exempt: not built")])
    found = claims(build, find_examples())
    # A console block stays a command of its page's session too: what the sample makes must also run.
    assert [sorted(found[block.key]) for block in build.blocks] == [["markup"], ["markup", "session"], ["exempt"]]


def test_a_sample_that_warns_fails_and_a_block_it_does_not_make_drifts(tmp_path):
    # One build: a MyST sample that builds cleanly, a block after it showing something else, an rst sample that warns.
    myst = "```{code-block} console\n$ echo made\n```\n"
    made = _block("$ echo shown", 16, "console", "made-by-previous")
    blocks = [_block(myst, 10, "myst"), made, _block("A line.\n\n:no-such-role:`x`\n", 20)]
    build = Build(tmp_path, 0, "", blocks=blocks)
    check = MarkupCheck()
    (item,) = check.items(blocks, build, find_examples())
    context = Context(build, tmp_path, find_examples(), None)
    with pytest.raises(AssertionError) as failure:
        check.verify(item, context)
    message = str(failure.value)
    assert message.startswith("docs/maintainers/links.md:20: the sample does not build cleanly:\n"), message
    assert "docs/maintainers/links.md:22: ERROR: Unknown interpreted text role" in message, message
    assert "links.md:10" not in message
    (drift,) = context.drifts
    assert (drift.block, drift.actual) == (made, "$ echo made")
    assert str(drift).startswith("docs/maintainers/links.md:16: the sample before it makes")
