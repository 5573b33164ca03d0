"""Every block every page shows, verified by the check of the registry that claims it.

Items are named ``<check>:<page, file or module>``. A passing item records
which blocks it verified, and the suite's closing tally counts those blocks
only; with ``--update-blocks FILE`` a drifted block's real text is written to
``FILE`` instead of failing (``tools/update_docs.py`` applies it).
"""

from __future__ import annotations

import json

import pytest
from docs_harness.checks import Context, Drift, by_name
from docs_harness.records import as_record

VERIFIED = "docs_harness_verified"
"""The user property a passing item records: the blocks it verified, with the check and its tally."""

MENDS = "docs_harness_mends"
"""The user property an item records in update mode: what each drifted block should show."""


def test_block(docs_item, built_docs, examples, servers, tmp_path, record_property, request):
    """The check verifies the item's blocks: runs, compares or doctests them, or smoke-checks an exemption."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    assert docs_item is not None, "the docs build shows no block that any check claims"
    check = by_name(docs_item.check)
    context = Context(built_docs, tmp_path, examples, servers)
    update = request.config.getoption("--update-blocks")
    try:
        check.verify(docs_item, context)
    except Drift as drift:
        if not update:
            raise
        context.drifts.insert(0, drift)
    if context.drifts:
        mends = [{"block": as_record(d.block), "actual": d.actual, "message": str(d)} for d in context.drifts]
        record_property(MENDS, json.dumps(mends))
        if not update:
            raise context.drifts[0]
        pytest.skip(f"{len(mends)} drifted block(s) recorded for the update")
    verified = [[block.key, check.tally, check.name] for block in docs_item.blocks]
    record_property(VERIFIED, json.dumps(verified))
