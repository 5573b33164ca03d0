"""Hooks for the whole test session: the docs inventory's tally, printed at the end.

They live here rather than in ``tests/docs/conftest.py`` because under
``pytest -n auto`` the process that prints the summary collects nothing, so
only a conftest that pytest loads before collecting (one in a ``testpaths``
folder) reaches it. ``test_every_block_is_verified`` records the tally as a
user property, which xdist carries from the worker to that process.
"""

from __future__ import annotations

import pytest

TALLY_PROPERTY = "docs_harness_tally"

_tallies: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep the inventory's tally when the test that computes it reports."""
    for name, value in report.user_properties:
        if name == TALLY_PROPERTY:
            _tallies.append(value)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tally of the docs inventory: run, compared, doctested, exempt."""
    if _tallies:
        terminalreporter.write_line(_tallies[-1])


def pytest_configure(config: pytest.Config) -> None:
    """Programs the tests stop with Ctrl-C must hear it, also when the suite runs as a background job."""
    from toolkit.processes import restore_interrupt

    restore_interrupt()
