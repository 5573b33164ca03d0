"""Tutorial parts: each highlights what its step added, names what it removed, and the parts reach the end.

A *part* is a ``tutorial-part`` block (``docs/_ext/tutorial_parts.py``) and
its *steps* are the items of the numbered lists of its section that come
before it. For each part the check asks that

* Sphinx highlighted exactly the lines added or changed since the previous
  file of the tutorial, counted in the block the page shows;
* the steps and the code agree: every non-blank line the part adds or
  removes is asked for by a step, as inline code that is the line itself
  (````return response````), so a reader who follows the steps writes exactly
  the file the page shows; every inline code a step gives is in the file (or
  is a line the part removes); and every step asks for at least one line;

and, once per tutorial shown on a page, that its parts come in order without
gaps and end with the finished file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..examples import Example, example_of
from ..records import Block, Build
from ..tutorials import Tutorial, changed_lines, expected_emphasis, format_spec, removed_lines
from .base import Check, Context, Item


def tutorial_of_block(block: Block, examples: tuple[Example, ...]) -> Tutorial | None:
    """The tutorial whose file ``block`` includes."""
    example = example_of(block.path, examples) if block.path else None
    if example is None:
        return None
    path = Path(block.path).resolve()
    return next((tutorial for tutorial in example.tutorials if path in tutorial.files), None)


def is_part(block: Block) -> bool:
    """A block made by the ``tutorial-part`` directive."""
    return block.kind == "include" and block.directive == "tutorial-part"


def steps_disagree(block: Block, previous: Path | None, path: Path) -> list[str]:
    """What the part's steps ask for that its file does not have, and the reverse, one line each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    added = [(number, lines[number - 1].strip()) for number in sorted(changed_lines(previous, path))]
    added = [(number, line) for number, line in added if line]
    removed = removed_lines(previous, path)
    # A literal may wrap across lines in the page's source: compare with its spaces collapsed.
    asked = [[re.sub(r"\s*\n\s*", " ", literal.strip()) for literal in step] for step in block.steps]
    wanted = {literal for step in asked for literal in step}
    problems = [
        f"line {n} of {path.name}, `{line}`, is asked for by no step" for n, line in added if line not in wanted
    ]
    problems += [
        f"the part removes `{line}` from {previous.name}, but no step tells the reader to remove it"
        for line in removed
        if line not in wanted
    ]
    stripped = [line.strip() for line in lines]
    for index, step in enumerate(asked, 1):
        for literal in step:
            if literal not in removed and not any(literal in line for line in stripped):
                problems.append(f"step {index} gives `{literal}`, which is not in {path.name}")
        changes = {line for _, line in added} | set(removed)
        if not any(literal in changes for literal in step):
            problems.append(f"step {index} asks for no line this part adds or removes")
    return problems


class TutorialPartCheck(Check):
    """Each part's highlighted and removed lines are the step's changes."""

    name = "tutorial-part"
    tally = "compared"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return (
            block.kind == "include" and not block.error and is_part(block) and bool(tutorial_of_block(block, examples))
        )

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        parts = [Item(self.name, f"{self.name}:{block.where}", (block,)) for block in blocks]
        tutorials: dict[tuple[str, str], list[Block]] = {}
        for block in blocks:
            tutorial = tutorial_of_block(block, examples)
            tutorials.setdefault((block.page, str(tutorial.folder / tutorial.name)), []).append(block)
        order = [
            Item(self.name, f"{self.name}-order:{page}::{Path(name).name}", tuple(shown), data="order")
            for (page, name), shown in tutorials.items()
        ]
        return parts + order

    def verify(self, item: Item, context: Context) -> None:
        if item.data == "order":
            self._order(item, context)
            return
        block = item.blocks[0]
        tutorial = tutorial_of_block(block, context.examples)
        path = Path(block.path)
        previous = tutorial.previous(path)
        expected = expected_emphasis(previous, path, block.options)
        since = f"since {previous.name}" if previous else "(the first part: all of it)"
        assert list(block.hl_lines or []) == expected, (
            f"{block.where}: Sphinx highlights lines {format_spec(list(block.hl_lines or []))}, not "
            f"{format_spec(expected)} (the lines of {path.name} added or changed {since}, counted in the block shown)"
        )
        problems = steps_disagree(block, previous, path)
        assert not problems, f"{block.where} ({block.section}): the steps and {path.name} disagree:\n" + "\n".join(
            f"  {problem}" for problem in problems
        )

    @staticmethod
    def _order(item: Item, context: Context) -> None:
        tutorial = tutorial_of_block(item.blocks[0], context.examples)
        shown = [Path(block.path).resolve() for block in item.blocks]
        names = [path.name for path in tutorial.files]
        indexes = [tutorial.files.index(path) for path in shown]
        where = item.blocks[0].where
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes))), (
            f"{where}: the {tutorial.name} tutorial's parts are {[p.name for p in shown]}, "
            f"not consecutive steps of {names}"
        )
        assert shown[-1] == tutorial.finished, (
            f"{where}: the {tutorial.name} tutorial's parts end with {shown[-1].name}, "
            f"not with its finished file {tutorial.finished.name}"
        )
