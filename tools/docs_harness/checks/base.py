"""What a check is: which blocks it claims, the test items it makes of them, and how it verifies one.

A check is one kind of verification (run an included program, run a page's
console session, exchange a wire example...). The registry
(:data:`docs_harness.checks.REGISTRY`) lists them; the test suite makes one
test item per :class:`Item` of every check, and the tally counts a block only
once an item holding it has passed in this run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..examples import Example
from ..records import Block, Build

TALLIES = ("run", "compared", "doctested", "exempt")
"""How a block can be verified, strongest first, in the order the suite prints them."""


class Drift(AssertionError):  # noqa: N818 - read as `raise Drift(...)`, a failed comparison
    """A block shows something other than what the real run gives; carries the text it should show.

    The update mode (``python tools/update_docs.py``) writes :attr:`actual`
    into the page in place of the block's text.
    """

    def __init__(self, message: str, block: Block, actual: str) -> None:
        super().__init__(message)
        self.block = block
        self.actual = actual


@dataclass(frozen=True)
class Item:
    """One test item: the blocks a check verifies together (a page's session, one included file...)."""

    check: str
    """The name of the check that made it."""
    id: str
    """The test item's id, e.g. ``session:setup``."""
    blocks: tuple[Block, ...]
    data: Any = None
    """Whatever else the check needs to verify the item."""


@dataclass
class Context:
    """What a check may use while it verifies an item."""

    build: Build
    tmp_path: Path
    examples: tuple[Example, ...]
    servers: Any
    """Finished servers, started on first use (:class:`docs_harness.servers.Servers`): ``servers.port(example)``."""
    drifts: list[Drift] = field(default_factory=list)
    """Drift found while verifying, when the check goes on after finding it."""


class Check:
    """One kind of verification. Subclasses set :attr:`name` and :attr:`tally` and define the three methods."""

    name: ClassVar[str] = ""
    tally: ClassVar[str] = ""

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        """Whether this check verifies ``block``."""
        raise NotImplementedError

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        """The test items for the blocks this check claims (by default one per block)."""
        return [Item(self.name, f"{self.name}:{block.where}", (block,)) for block in blocks]

    def verify(self, item: Item, context: Context) -> None:
        """Verify one item; fail with an ``AssertionError`` (or :class:`Drift`) naming page and line."""
        raise NotImplementedError
