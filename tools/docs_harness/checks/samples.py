"""Samples of messages: a block marked ``docs-harness: sample: <name>`` is what a real run prints.

The producer of that name (:data:`docs_harness.samples.PRODUCERS`) provokes
the message for real; the block must show it line for line. A block whose
last line is ``...`` shows only the start of a longer message: its other lines
must be the message's first lines, and the message must go on after them.
"""

from __future__ import annotations

from ..examples import Example
from ..records import Block, Build
from .base import Check, Context, Drift

MORE = "..."
"""A block's last line when more lines follow in the real message."""


def shown_as(shown: str, actual: str) -> str | None:
    """What the block should show instead of ``shown`` for the real message ``actual`` (``None``: it matches).

    A last line ``...`` (indentation aside) keeps the block a prefix of the message, as long as the
    message has more lines than that prefix.
    """
    lines, real = shown.rstrip("\n").splitlines(), actual.rstrip("\n").splitlines()
    if lines and lines[-1].strip() == MORE:
        prefix = lines[:-1]
        if real[: len(prefix)] == prefix and len(real) > len(prefix):
            return None
        return "\n".join([*real[: len(prefix)], lines[-1]]) if len(real) > len(prefix) else "\n".join(real)
    return None if lines == real else "\n".join(real)


class SampleCheck(Check):
    """Provokes the message a sample block shows and compares it with the block."""

    name = "sample"
    tally = "compared"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "literal" and block.marked(self.name) is not None

    def verify(self, item, context: Context) -> None:
        from ..samples import PRODUCERS

        block = item.blocks[0]
        producer = block.marked(self.name)
        assert producer in PRODUCERS, (
            f"{block.where}: no producer of the sample {producer!r}; there are {', '.join(sorted(PRODUCERS))}"
        )
        actual = PRODUCERS[producer](context)
        expected = shown_as(block.text, actual)
        if expected is not None:
            shown = block.text.rstrip()
            message = f"{block.where}: the sample {producer!r} shows\n{shown}\nbut the real run gives\n{actual}"
            raise Drift(message, block, expected)
