"""Hooks for the whole test session: the docs harness's tally, printed at the end.

They live here rather than in ``tests/docs/conftest.py`` because under
``pytest -n auto`` the process that prints the summary collects nothing, so
only a conftest that pytest loads before collecting (one in a ``testpaths``
folder) reaches it. The docs items record what they verified as user
properties, which xdist carries from the workers to that process.
"""

from __future__ import annotations

import json
import os

import pytest

VERIFIED = "docs_harness_verified"
BLOCKS = "docs_harness_blocks"
MENDS = "docs_harness_mends"
TALLIES = ("run", "compared", "doctested", "exempt")

_verified: dict[str, set[str]] = {}
_blocks: set[str] = set()
_mends: list[dict] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-blocks FILE`` (for ``tools/update_docs.py``) and ``--changed FILE`` (for ``tools/check_pages.py``)."""
    parser.addoption(
        "--update-blocks",
        metavar="FILE",
        default=None,
        help="write what each drifted docs block should show into FILE (JSON) instead of failing on the drift",
    )
    parser.addoption(
        "--changed",
        action="append",
        default=[],
        metavar="FILE",
        help="run only the docs items that show FILE (a page under docs/, or a file of an example); "
        "tools/check_pages.py passes each changed file",
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep what each passing docs item verified, the inventory's blocks, and the drift an update records."""
    for name, value in report.user_properties:
        if name == VERIFIED and report.when == "call" and report.passed:
            for key, tally, _check in json.loads(value):
                _verified.setdefault(key, set()).add(tally)
        elif name == BLOCKS and report.when == "call":
            _blocks.update(json.loads(value))
        elif name == MENDS and report.when == "call":
            _mends.extend(json.loads(value))


def tally_line(verified: dict[str, set[str]], blocks: set[str]) -> str:
    """``docs harness: 40 run, 12 compared, 9 doctested, 6 exempt (93 blocks)``, from what passed in this run."""
    counts = dict.fromkeys(TALLIES, 0)
    for tallies in verified.values():
        counts[next(name for name in TALLIES if name in tallies)] += 1
    parts = [f"{counts[name]} {name}" for name in TALLIES]
    total = len(blocks | set(verified))
    missing = total - len(verified)
    if missing:
        parts.append(f"{missing} not verified in this run")
    return f"docs harness: {', '.join(parts)} ({total} blocks)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the tally of the blocks the docs checks verified in this run."""
    if _verified or _blocks:
        terminalreporter.write_line(tally_line(_verified, _blocks))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In update mode, write what the drifted blocks should show where ``--update-blocks`` says."""
    target = session.config.getoption("--update-blocks", default=None)
    if target and not hasattr(session.config, "workerinput"):
        with open(target, "w", encoding="utf-8") as file:
            json.dump(_mends, file, indent=1)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the machine has cores.

    Many tests spend part of their time waiting: on a server they started,
    on a build in another process, on a session's command. One worker more
    keeps the cores busy meanwhile; on two cores the suite took 120 s with
    two workers, 100 s with three and 120 s with four (``bench/bench_ci.py``
    shows the figures of a run).
    """
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` run first.

    Under ``pytest -n auto`` xdist hands out the first tests one by one to
    each worker in turn, so the long ones start at once, side by side, and
    the short ones fill the gaps after them; a long test that started last
    would hold the run open on one worker while the others sit idle. The
    order is the same in every worker (a stable sort of the same
    collection), as xdist requires.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config: pytest.Config) -> None:
    """Programs the tests stop with Ctrl-C must hear it, also when the suite runs as a background job."""
    from toolkit.processes import restore_interrupt

    restore_interrupt()
