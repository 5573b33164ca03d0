"""The ``>>>`` examples of the runtime's docstrings, read from the installed package.

The API reference renders the runtime's docstrings, so their doctest blocks
are shown on a page. ``tests/docs/test_docstring_doctests.py`` runs them with
the standard library's :mod:`doctest`, one test per module of the installed
``quark_threaded_runtime`` (the wheel tox installs, not ``runtime/``), and the
inventory counts a doctest block of a docstring as doctested only if that
docstring, as the installed package holds it, has exactly those examples.
"""

from __future__ import annotations

import doctest
import functools
import importlib
import pkgutil
from dataclasses import dataclass

PACKAGE = "quark_threaded_runtime"
"""The package whose docstrings the API reference renders."""

OPTION_FLAGS = doctest.ELLIPSIS
"""The flags the examples run with: pytest's default for the pages' doctests."""

TEST = "test_docstring_doctests"
"""The test that runs them, as the inventory names it."""


@dataclass(frozen=True)
class DocstringExamples:
    """The examples of one docstring that holds any."""

    module: str
    """The module that defines the documented object, e.g. ``quark_threaded_runtime.contract``."""
    examples: tuple[tuple[str, str], ...]
    """Each example's source and expected output, in order."""


def module_names(package: str = PACKAGE) -> list[str]:
    """The package and every module under it, by dotted name (imports them)."""
    root = importlib.import_module(package)
    found = pkgutil.walk_packages(root.__path__, prefix=f"{package}.")
    return [package, *sorted(info.name for info in found)]


def module_doctests(name: str) -> list[doctest.DocTest]:
    """The doctests of the docstrings defined in module ``name`` (its own, its classes', functions', methods')."""
    module = importlib.import_module(name)
    return [test for test in doctest.DocTestFinder().find(module, name) if test.examples]


def run(test: doctest.DocTest) -> str:
    """Run one docstring's examples; doctest's report of the failures (file, line, expected, got), or ``""``."""
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=OPTION_FLAGS)
    runner.run(test, out=report.append)
    return "".join(report)


def examples_of(text: str) -> tuple[tuple[str, str], ...]:
    """The examples of a doctest block or docstring: each one's source and expected output."""
    return tuple((example.source, example.want) for example in doctest.DocTestParser().get_examples(text))


@functools.cache
def docstring_examples(package: str = PACKAGE) -> dict[str, DocstringExamples]:
    """The examples of every docstring of the package that holds any, by the object's dotted name.

    The names are the ones autodoc gives a docstring
    (``quark_threaded_runtime.contract.Value``).
    """
    found: dict[str, DocstringExamples] = {}
    for module in module_names(package):
        for test in module_doctests(module):
            found[test.name] = DocstringExamples(module, tuple((e.source, e.want) for e in test.examples))
    return found


def holds(examples: tuple, block: tuple) -> bool:
    """Whether ``block``'s examples appear in ``examples`` in a row, as one block of the docstring shows them."""
    return bool(block) and any(
        examples[start : start + len(block)] == block for start in range(len(examples) - len(block) + 1)
    )
