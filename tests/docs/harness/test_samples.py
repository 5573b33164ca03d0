"""The sample check on made-up blocks: a block is the real message, or its start followed by ``...``."""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_harness import REPO_ROOT, samples
from docs_harness.checks import Context, Drift, Item, claims
from docs_harness.checks.samples import SampleCheck, shown_as
from docs_harness.examples import find_examples
from docs_harness.records import Block, Build

GUIDE = str(REPO_ROOT / "docs" / "maintainers" / "testing.md")


def _block(text: str, mark: str = "sample: made-up", language: str = "text", line: int = 12) -> Block:
    return Block("maintainers/testing", GUIDE, line, "literal", language, (), text, mark=mark)


def _verify(block: Block, tmp_path: Path, build: Build | None = None) -> None:
    build = build or Build(tmp_path, 0, "", blocks=[block])
    check = SampleCheck()
    check.verify(Item(check.name, "sample", (block,)), Context(build, tmp_path, find_examples(), None))


@pytest.mark.parametrize(
    ("shown", "actual", "expected"),
    [
        ("one\ntwo\n", "one\ntwo", None),
        ("one\ntwo", "one\nthree", "one\nthree"),
        ("one\n...", "one\ntwo\nthree", None),
        ("one\n    ...", "one\ntwo", None),
        ("one\n...", "uno\ntwo\nthree", "uno\n..."),
        ("one\ntwo\n...", "one\ntwo", "one\ntwo"),  # nothing follows: the `...` would lie
    ],
)
def test_a_block_is_the_message_or_its_start(shown, actual, expected):
    assert shown_as(shown, actual) == expected


def test_a_sample_mark_is_the_sample_checks():
    build = Build(Path("."), 0, "", blocks=[_block("anything")])
    assert claims(build, find_examples())[build.blocks[0].key] == ["sample"]


def test_a_drifted_sample_carries_the_real_message(tmp_path, monkeypatch):
    monkeypatch.setitem(samples.PRODUCERS, "made-up", lambda context: "first line\nsecond line\nthird line")
    _verify(_block("first line\n..."), tmp_path)
    with pytest.raises(Drift) as drift:
        _verify(_block("first line\nsecnd line\n..."), tmp_path)
    assert drift.value.actual == "first line\nsecond line\n..."
    assert str(drift.value).startswith("docs/maintainers/testing.md:12: the sample 'made-up' shows")


def test_an_unknown_producer_is_named(tmp_path):
    with pytest.raises(AssertionError, match="no producer of the sample 'nobody'"):
        _verify(_block("text", mark="sample: nobody"), tmp_path)


def test_the_inventory_sample_comes_from_the_inventory_test(tmp_path):
    context = Context(Build(tmp_path, 0, ""), tmp_path, find_examples(), None)
    assert samples.unverified_block(context) == (
        "blocks that no check claims (make them something a check verifies):\n"
        "  docs/hosting.rst:52: literal block (json): '{\"workers\": 2}'"
    )


def test_the_tally_sample_counts_each_block_under_its_strongest_check(tmp_path):
    exempt = _block("$ tox -e docs", mark="exempt: a full build", language="console", line=3)
    quote = Block("server", "/docs/server.rst", 9, "literal", "python", (), 'if __name__ == "__main__":\n    main()')
    nothing = Block("server", "/docs/server.rst", 20, "literal", "json", (), '{"workers": 2}')
    build = Build(tmp_path, 0, "", blocks=[exempt, quote, nothing])
    context = Context(build, tmp_path, find_examples(), None)
    assert samples.tally(context) == (
        "docs harness: 0 run, 1 compared, 0 doctested, 1 exempt, 1 not verified in this run (3 blocks)"
    )
