"""The ``>>>`` examples of the runtime's docstrings run, as the API reference shows them.

One test per module of the installed ``quark_threaded_runtime`` (tox tests
the wheel, not ``runtime/``); a failure is doctest's report, with the file,
the line of the example, what it expected and what it got. The inventory
counts a docstring's doctest block as doctested by the test of its module.
"""

from __future__ import annotations

import pytest
from docs_harness.docstrings import docstring_examples, module_doctests, module_names, run


@pytest.mark.parametrize("module", module_names())
def test_docstring_doctests(module):
    """Every example of the module's docstrings (its own, its classes', functions' and methods') gives what it shows."""
    failures = [report for test in module_doctests(module) if (report := run(test))]
    assert not failures, f"{module}: docstring examples that fail:\n" + "\n".join(failures)


def test_docstring_doctests_are_found():
    """The finder sees the examples the contract API's docstrings hold, so the tests above have something to run."""
    found = docstring_examples()
    assert "quark_threaded_runtime.contract.Value" in found, f"docstrings with examples: {sorted(found)}"
