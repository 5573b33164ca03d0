"""``>>>`` blocks: a page's examples run in order, as in one Python session started in its example's folder.

Every ``>>>`` block of a page (reST or MyST) runs with the standard library's
:mod:`doctest` (``ELLIPSIS``, as pytest's doctest), sharing one namespace, in
a fresh interpreter whose working folder is a copy of the example folder, so
``import hello`` and ``from pyserver import HelloImpl`` work as they do for a
reader there. Blocks of runtime docstrings are the docstring checks' concern.
"""

from __future__ import annotations

import json

from toolkit.processes import free_port

from ..examples import Example, example_of, main_example
from ..programs import example_copy, run
from ..records import Block, Build
from .base import Check, Context, Item
from .docstrings import DOCSTRING

RUNNER = """
import doctest, json, sys
blocks = json.loads(open(sys.argv[1], encoding="utf-8").read())
globs = {"__name__": "__docs_page__"}
parser = doctest.DocTestParser()
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
report = []
for where, line, text in blocks:
    test = parser.get_doctest(text, globs, where, where, line - 1)
    runner.run(test, out=report.append, clear_globs=False)
    globs.update(test.globs)  # a DocTest runs in a copy: carry its names on to the next block
print("".join(report), end="")
sys.exit(1 if runner.failures else 0)
"""


def page_example(page: str, context: Context) -> Example:
    """The example whose files the page includes (the site's main example if it includes none)."""
    for block in context.build.on_page(page):
        found = example_of(block.path, context.examples) if block.path else None
        if found is not None:
            return found
    return main_example(context.build, context.examples)


class DoctestCheck(Check):
    """Runs each page's ``>>>`` blocks in one interpreter, in a copy of the example folder."""

    name = "doctest"
    tally = "doctested"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return block.kind == "doctest" and DOCSTRING not in block.source and not block.exempt

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        pages: dict[str, list[Block]] = {}
        for block in blocks:
            pages.setdefault(block.page, []).append(block)
        return [Item(self.name, f"{self.name}:{page}", tuple(shown)) for page, shown in pages.items()]

    def verify(self, item: Item, context: Context) -> None:
        example = page_example(item.blocks[0].page, context)
        copy = example_copy(example.folder, context.tmp_path / example.name)
        blocks = context.tmp_path / "blocks.json"
        blocks.write_text(json.dumps([[b.where.rpartition(":")[0], b.line, b.text] for b in item.blocks]))
        finished = run(["-c", RUNNER, str(blocks)], copy, example, free_port(), timeout=60)
        assert finished.returncode == 0, f"{item.blocks[0].page}: examples that fail:\n{finished.output}"
