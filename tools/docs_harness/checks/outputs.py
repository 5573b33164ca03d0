"""A ``text`` block that repeats what a console block shows a program print (the introduction's output)."""

from __future__ import annotations

from ..examples import Example
from ..records import Block, Build
from ..sessions import PROMPT
from .base import Check, Context, Drift


def output_lines(text: str) -> list[str]:
    """The lines of a console block that are not command lines."""
    return [line for line in text.splitlines() if not line.startswith(PROMPT)]


def _source(block: Block, build: Build) -> Block | None:
    lines = block.text.splitlines()
    for other in build.blocks:
        console = other is not block and other.language == "console" and not other.exempt
        if console and lines and output_lines(other.text) == lines:
            return other
    named = block.marked("output-of")
    return build.named(named) if named else None


class OutputCopyCheck(Check):
    """The block equals the output of a console block that is itself run (or the one its mark names)."""

    name = "output-copy"
    tally = "compared"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "literal" and block.language == "text" and _source(block, build) is not None

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        source = _source(block, context.build)
        assert source is not None, f"{block.where}: no console block of the build prints these lines"
        expected = "\n".join(output_lines(source.text))
        if block.text.rstrip("\n") != expected:
            raise Drift(f"{block.where}: {source.where} shows the output\n{expected}", block, expected)
