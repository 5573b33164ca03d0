"""Console sessions: ``$`` commands run in order, as a reader types them, and print what the pages show.

The tutorial's pages (every page outside the maintainers' guide) form one
session, in reading order: a reader who set up the repository on the setup
page is in the same shell, the same folder and the same virtual environment
on every page after it. Each page of the maintainers' guide is a session of
its own. :mod:`docs_harness.sessions` says what the harness changes, and
nothing else: free ports, the clone of this checkout, pip's noise; and how
terminals, ``^C`` and ``echo $?`` work.
"""

from __future__ import annotations

from pathlib import Path

from ..examples import Example
from ..records import Block, Build
from ..sessions import EDIT, INTERRUPT, PROMPT, Session, kept_running, matches, steps
from .base import Check, Context, Drift, Item

MAINTAINERS = "maintainers/"
TUTORIAL = "tutorial"
"""The id of the reader's session, across the tutorial's pages."""

VARIANT = "session"
"""The mark (``docs-harness: session: <name>``) of blocks that begin another way through a page.

They run as a session of their own, ``session:<name>``, in an empty folder
that holds the files the page offers for download (a reader who downloaded
them), followed by the rest of the page's blocks; the reader's session leaves
them out."""


def _show(lines) -> str:
    return "\n".join(f"    {line}" for line in lines) or "    (nothing)"


def _downloads(build: Build, page: str) -> list[Path]:
    """The files ``page`` offers with ``:download:``, as the build copied them into its output."""
    found = []
    for name, pages in build.downloads.items():
        if page in pages:
            copies = sorted((build.outdir / "html" / "_downloads").glob(f"*/{name}"))
            assert copies, f"{page} offers {name}, but the build's _downloads/ holds no such file"
            found.append(copies[0])
    return found


def _differs(step, printed: list[str]) -> str:
    shown = INTERRUPT if step.is_interrupt else PROMPT + step.command
    return f"{step.where}: after `{shown}` the page shows\n{_show(step.output)}\nbut it printed\n{_show(printed)}"


def is_console(block: Block) -> bool:
    """A console block written on a page, not exempt."""
    return block.kind == "literal" and block.language == "console" and not block.exempt


class SessionCheck(Check):
    """Runs the tutorial's console blocks as one shell session (each guide page as one) and compares every output."""

    name = "session"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        if block.kind == "literal" and block.language == "diff" and block.caption and not block.exempt:
            return True  # an edit the reader makes, shown as a diff of the file its caption names
        first = block.text.lstrip().splitlines()[:1]
        return is_console(block) and bool(first) and (first[0].startswith(PROMPT) or first[0].strip() == INTERRUPT)

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        ordered = build.in_reading_order(blocks)
        reader = [b for b in ordered if not b.page.startswith(MAINTAINERS) and b.marked(VARIANT) is None]
        guide: dict[str, list[Block]] = {}
        variants: dict[str, list[Block]] = {}
        for block in ordered:
            if block.marked(VARIANT) is not None:
                variants.setdefault(block.marked(VARIANT), []).append(block)
            elif block.page.startswith(MAINTAINERS):
                guide.setdefault(block.page, []).append(block)
        made = [Item(self.name, f"{self.name}:{TUTORIAL}", tuple(reader))] if reader else []
        for name, start in variants.items():
            # A variant replaces how the session begins, then goes on with the rest of its page.
            rest = [b for b in reader if b.page == start[-1].page and b.line > start[-1].line]
            made.append(Item(self.name, f"{self.name}:{name}", (*start, *rest), data=start[-1].page))
        return made + [Item(self.name, f"{self.name}:{page}", tuple(shown)) for page, shown in guide.items()]

    def verify(self, item: Item, context: Context) -> None:
        commands = steps(list(item.blocks))
        keep = kept_running(commands)
        clone_first = commands[0].command.startswith("git clone") or item.data is not None
        downloads = _downloads(context.build, item.data) if item.data else []
        session = Session.start(context.tmp_path, context.examples, clone_first=clone_first, downloads=downloads)
        printed: dict[int, list[str]] = {}
        failures = []
        try:
            for index, step in enumerate(commands):
                printed[index] = session.run(step, keep=index in keep)
                if step.is_interrupt and session.interrupted is not None:
                    started, before = session.interrupted
                    printed[commands.index(started)] = before
                    session.interrupted = None
                    if not matches(started.output, before):
                        failures.append(_differs(started, before))
                background = session.terminal(step.terminal).background
                left_running = background is not None and background.step is step
                if not left_running and not matches(step.output, printed[index]):
                    failures.append(_differs(step, printed[index]))
        finally:
            session.close()
        actual: dict[str, list[str]] = {}
        for index, step in enumerate(commands):
            if step.command == EDIT:
                continue  # a diff is the reader's edit: nothing to compare
            shown = INTERRUPT if step.is_interrupt else PROMPT + step.command
            lines = printed.get(index, [])
            # Where the page abbreviates with `...` and the run matches, the page's text stands.
            actual.setdefault(step.shown.key, []).extend(
                [shown, *(step.output if matches(step.output, lines) else lines)]
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
