"""Console sessions: a page's ``$`` commands run in order, as a reader types them, and print what it shows.

The console blocks of one page form one session (see
:mod:`docs_harness.sessions` for what the harness changes and nothing else:
free ports, the clone of this checkout, pip's noise). Each command must print
exactly the lines the page shows after it, the free ports read as the
documented addresses.
"""

from __future__ import annotations

from ..examples import Example
from ..records import Block, Build
from ..sessions import PROMPT, Session, steps
from .base import Check, Context, Drift, Item
from .running import RUNNING_BLOCKS


def _show(lines) -> str:
    return "\n".join(f"    {line}" for line in lines) or "    (nothing)"


def is_console(block: Block) -> bool:
    """A console block written on a page, not exempt."""
    return block.kind == "literal" and block.language == "console" and not block.exempt


class SessionCheck(Check):
    """Runs each page's console blocks as one shell session and compares every command's output."""

    name = "session"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return is_console(block) and not set(block.names) & set(RUNNING_BLOCKS) and block.text.startswith(PROMPT)

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        pages: dict[str, list[Block]] = {}
        for block in blocks:
            pages.setdefault(block.page, []).append(block)
        return [Item(self.name, f"{self.name}:{page}", tuple(shown)) for page, shown in pages.items()]

    def verify(self, item: Item, context: Context) -> None:
        commands = steps(list(item.blocks))
        clone_first = commands[0].command.startswith("git clone")
        session = Session.start(context.tmp_path, context.examples, clone_first=clone_first)
        actual: dict[str, list[str]] = {}
        failures = []
        for step in commands:
            printed = session.run(step)
            actual.setdefault(step.shown.key, []).extend([PROMPT + step.command, *printed])
            if printed != list(step.output):
                failures.append(
                    f"{step.where}: after `$ {step.command}` the page shows\n{_show(step.output)}\n"
                    f"but it printed\n{_show(printed)}"
                )
        drifts = [
            Drift(failures[0], block, "\n".join(actual[block.key]))
            for block in item.blocks
            if block.key in actual and "\n".join(actual[block.key]) != block.text.rstrip("\n")
        ]
        if failures:
            context.drifts.extend(drifts[1:])
            if drifts:
                raise Drift("\n".join(failures), drifts[0].block, drifts[0].actual)
            raise AssertionError("\n".join(failures))
