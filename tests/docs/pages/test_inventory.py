"""The inventory: every block of the build is claimed by a check of the registry, and exemptions are few.

The inventory is the union of the checks' claims. A block no check claims
fails here with its page and line; the tally the suite prints at the end
counts only what the checks verified in this run.
"""

from __future__ import annotations

import json

from docs_harness.checks import claims, describe

MAINTAINERS = "maintainers/"
"""Docnames under this prefix are the maintainers' guide; every other page is a reader's page."""

MAX_EXEMPT = 8
"""At most this many blocks may be exempt, each with its reason and its smoke check."""

BLOCKS = "docs_harness_blocks"
"""The user property the inventory records: every block's key, for the closing tally."""


def test_every_block_is_claimed(built_docs, examples, record_property):
    """A block that no check claims, and that no comment exempts, fails here with its page:line."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    assert built_docs.blocks, "the docs build shows no block at all"
    claimed = claims(built_docs, examples)
    record_property(BLOCKS, json.dumps(sorted(claimed)))
    unclaimed = [block for block in built_docs.blocks if not claimed[block.key]]
    assert not unclaimed, "blocks that no check claims (make them something a check verifies):\n" + "\n".join(
        f"  {describe(block)}" for block in unclaimed
    )


def test_reader_pages_need_no_exemptions(built_docs):
    """Exemptions are for the maintainers' guide; a reader's page verifies every block it shows."""
    exempt = [block for block in built_docs.blocks if block.exempt and not block.page.startswith(MAINTAINERS)]
    assert not exempt, "exempt blocks on reader's pages:\n" + "\n".join(f"  {b.where}: {b.exempt}" for b in exempt)


def test_few_exemptions(built_docs):
    """Only what cannot run here or takes minutes is exempt: at most MAX_EXEMPT blocks."""
    exempt = [block for block in built_docs.blocks if block.exempt]
    assert len(exempt) <= MAX_EXEMPT, f"{len(exempt)} exempt blocks (at most {MAX_EXEMPT}):\n" + "\n".join(
        f"  {b.where}: {b.exempt}" for b in exempt
    )
