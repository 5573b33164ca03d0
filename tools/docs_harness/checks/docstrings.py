"""``>>>`` blocks of the runtime's docstrings, which the API reference renders: run from the installed package.

A docstring's doctest block is verified when the docstring, as the installed
``quark_threaded_runtime`` holds it, has exactly those examples in a row, and
they pass when :mod:`doctest` runs them (see :mod:`docs_harness.docstrings`).
"""

from __future__ import annotations

from .. import docstrings
from ..examples import Example
from ..records import Block, Build
from .base import Check, Context, Item

DOCSTRING = ":docstring of "
"""What Sphinx puts in the source of a block that autodoc took from a docstring."""


def docstring_name(block: Block) -> str:
    """The dotted name of the object whose docstring holds ``block``."""
    return block.source.partition(DOCSTRING)[2]


class DocstringDoctestCheck(Check):
    """Runs the docstring examples the API reference shows, one item per module."""

    name = "docstring-doctest"
    tally = "doctested"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "doctest" and DOCSTRING in block.source

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        held = docstrings.docstring_examples()
        modules: dict[str, list[Block]] = {}
        for block in blocks:
            found = held.get(docstring_name(block))
            modules.setdefault(found.module if found else "(no such docstring)", []).append(block)
        return [
            Item(self.name, f"{self.name}:{module}", tuple(shown), data=module) for module, shown in modules.items()
        ]

    def verify(self, item: Item, context: Context) -> None:
        held = docstrings.docstring_examples()
        for block in item.blocks:
            found = held.get(docstring_name(block))
            assert found is not None and docstrings.holds(found.examples, docstrings.examples_of(block.text)), (
                f"{block.where}: the installed package's docstring of {docstring_name(block)} "
                "does not hold these examples (rebuild the wheel, or the page shows an old docstring)"
            )
        failures = [report for test in docstrings.module_doctests(item.data) if (report := docstrings.run(test))]
        assert not failures, f"{item.data}: docstring examples that fail:\n" + "\n".join(failures)
