"""The registry of checks: one check per kind of block, and the union of their claims is the inventory.

Each check (:class:`~docs_harness.checks.base.Check`) says which blocks it
claims, makes the test items for them and verifies one item. The test suite
parametrizes from :func:`items`; the inventory test asks that every block is
claimed by some check (:func:`claims`); the tally counts a block once an item
holding it has passed in this run. A new kind of block is one new check here.
"""

from __future__ import annotations

from ..examples import Example
from ..records import Block, Build
from .base import TALLIES, Check, Context, Drift, Item
from .configs import ConfigCheck
from .contracts import ContractCheck
from .docstrings import DocstringDoctestCheck
from .doctests import DoctestCheck
from .exempt import ExemptCheck
from .files import ContractFileCheck, ScriptFileCheck
from .markup import MarkupCheck
from .outputs import OutputCopyCheck
from .programs import ProgramCheck
from .quotes import QuoteCheck
from .samples import SampleCheck
from .sessions import SessionCheck
from .tutorial import TutorialPartCheck
from .wire import WireCheck

REGISTRY: tuple[Check, ...] = (
    ProgramCheck(),
    TutorialPartCheck(),
    ContractFileCheck(),
    ScriptFileCheck(),
    SessionCheck(),
    WireCheck(),
    DoctestCheck(),
    DocstringDoctestCheck(),
    ContractCheck(),
    QuoteCheck(),
    OutputCopyCheck(),
    SampleCheck(),
    MarkupCheck(),
    ConfigCheck(),
    ExemptCheck(),
)
"""Every check, in the order their items run."""

__all__ = ["REGISTRY", "TALLIES", "Check", "Context", "Drift", "Item", "by_name", "claims", "items"]


def by_name(name: str) -> Check:
    """The check called ``name``."""
    return next(check for check in REGISTRY if check.name == name)


def claims(build: Build, examples: tuple[Example, ...]) -> dict[str, list[str]]:
    """For each block (by :attr:`~docs_harness.records.Block.key`), the checks that claim it."""
    claimed: dict[str, list[str]] = {block.key: [] for block in build.blocks}
    for block in build.blocks:
        if block.exempt:
            claimed[block.key].append(ExemptCheck.name)
            continue  # an exempt block is exempt, whatever else could claim it
        for check in REGISTRY:
            if check.name != ExemptCheck.name and check.claims(block, build, examples):
                claimed[block.key].append(check.name)
    return claimed


def items(build: Build, examples: tuple[Example, ...]) -> list[Item]:
    """The test items of every check, for the blocks each claims."""
    claimed = claims(build, examples)
    made = []
    for check in REGISTRY:
        blocks = [block for block in build.blocks if check.name in claimed[block.key]]
        if blocks:
            made += check.items(blocks, build, examples)
    return made


def tally_of(tallies: set[str]) -> str:
    """The tally a block counts under when checks of these tallies verified it: the strongest."""
    return next(name for name in TALLIES if name in tallies)


def describe(block: Block) -> str:
    """One line naming a block, for listings."""
    return f"{block.where}: {block.kind} block ({block.language or 'no language'}): {block.first_line[:80]!r}"


__all__ += ["describe", "tally_of"]
