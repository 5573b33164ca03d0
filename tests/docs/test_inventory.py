"""Every block a page shows is verified: run, compared, doctested, or exempt with a visible reason.

The inventory is read from the doctrees of the real build (every literal
block, doctest block, console session and wire example, on reST and MyST
pages); ``docs_harness.inventory`` says how each one is verified. The tally
is printed at the end of the test session.
"""

from __future__ import annotations

from docs_harness.inventory import format_tally, inventory, is_reader_page, tally


def test_every_block_is_verified(built_docs, record_property):
    """A block that no test runs, compares or doctests, and that no comment exempts, fails here with its page:line."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    items = inventory(built_docs)
    assert items, "the docs build shows no block at all"
    record_property("docs_harness_tally", format_tally(tally(items)))
    unverified = [shown for shown, verdict in items if verdict is None]
    assert not unverified, "blocks that nothing verifies (run, compare or doctest them, or exempt them):\n" + "\n".join(
        f"  {shown.where}: {shown.kind} block ({shown.language or 'no language'}): {shown.text.splitlines()[0][:80]!r}"
        for shown in unverified
    )


def test_reader_pages_need_no_exemptions(built_docs):
    """Exemptions are for the maintainers' guide; a reader's page verifies every block it shows."""
    exempt = [shown for shown, verdict in inventory(built_docs) if verdict and verdict.tally == "exempt"]
    on_reader_pages = [shown for shown in exempt if is_reader_page(shown)]
    assert not on_reader_pages, "exempt blocks on reader's pages:\n" + "\n".join(
        f"  {shown.where}: {shown.exempt}" for shown in on_reader_pages
    )
