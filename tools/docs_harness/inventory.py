"""The inventory: every block the site shows, and how the harness verifies it.

Every literal block, doctest block, console session and wire example of the
build (read from the doctrees, see :class:`~docs_harness.build_docs.Shown`)
falls into exactly one of four tallies:

``run``
    an included file (the included-file tests run or compile it), a
    console session the harness runs and compares line by line, or a
    complete contract (a ``java`` block) that the contract compiler accepts;
``compared``
    a wire example sent to a live server or decoded with the codec, an
    output block that repeats a console block's output, or a fragment quoted
    from a file of the example;
``doctested``
    a ``>>>`` block of a reST page, run by pytest's doctest, or of a
    runtime docstring the API reference renders, run by
    ``test_docstring_doctests`` (see :mod:`docs_harness.docstrings`);
``exempt``
    a block right after a ``.. docs-harness: exempt: <reason>`` comment
    (``% docs-harness: exempt: <reason>`` in MyST), counted and listed.

A block that is none of these has no :class:`Verdict`, and the inventory
test fails with its page and line. Blocks that autodoc takes from the
runtime's docstrings go through the same rules as the blocks written on a
page: the API reference is a reader's page like the others.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import DOCS_DIR, REPO_ROOT, docstrings
from .build_docs import Build, Shown
from .console import PROMPT, output_lines

TALLIES = ("run", "compared", "doctested", "exempt")
"""The tallies, in the order the suite prints them."""

MAINTAINERS = "maintainers/"
"""Docnames under this prefix are the maintainers' guide; every other page is a reader's page."""

RUNNING_PAGE_BLOCKS = (
    "output-server",
    "output-client",
    "output-client-argument",
    "output-second-server",
    "output-client-no-server",
    "output-moved-server",
)
"""Console blocks of the running page that ``test_running_page`` runs (servers and clients side by side)."""

DOCSTRING = ":docstring of "
"""What Sphinx puts in the source of a block that autodoc took from a docstring."""

CONTRACT_LANGUAGE = "java"
"""The language the pages highlight a contract (``.q``) in."""

WIRE_LANGUAGES = ("http",)
"""Languages of the wire examples ``test_wire_examples`` sends to a live server."""


@dataclass(frozen=True)
class Verdict:
    """How one block is verified."""

    tally: str
    """One of :data:`TALLIES`."""
    how: str
    """Which test verifies it, in a few words."""


def is_reader_page(shown: Shown) -> bool:
    """Whether the block is shown on a reader's page (outside the maintainers' guide; the API reference is one)."""
    return not shown.page.startswith(MAINTAINERS)


def is_session_block(shown: Shown) -> bool:
    """A console block that ``test_page_sessions`` runs with the other console blocks of its page."""
    return (
        shown.kind == "literal"
        and shown.language == "console"
        and not shown.exempt
        and not set(shown.names) & set(RUNNING_PAGE_BLOCKS)
    )


def _is_rst_page(shown: Shown) -> bool:
    source = Path(shown.page_source)
    return source.suffix == ".rst" and source.is_relative_to(DOCS_DIR)


def _run_outputs(build: Build) -> list[tuple[Shown, list[str]]]:
    """The output lines of every console block the harness runs and compares."""
    return [
        (shown, output_lines(shown.text))
        for shown in build.shown
        if shown.language == "console" and not shown.exempt and shown.kind == "literal"
    ]


def _quoted_from(text: str, files: list[Path]) -> Path | None:
    """The example file that holds ``text`` as consecutive lines (indentation aside), if any."""
    wanted = [line.strip() for line in text.strip("\n").splitlines()]
    if not any(wanted):
        return None
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for start in range(len(lines) - len(wanted) + 1):
            if lines[start : start + len(wanted)] == wanted:
                return path
    return None


def _docstring_doctest(shown: Shown) -> Verdict | None:
    """Doctested if the docstring the block comes from, as the installed package holds it, runs these examples."""
    name = shown.page_source.partition(DOCSTRING)[2]
    held = docstrings.docstring_examples().get(name)
    if held is None or not docstrings.holds(held.examples, docstrings.examples_of(shown.text)):
        return None
    return Verdict("doctested", f"{docstrings.TEST}[{held.module}]")


def _compiles(text: str, where: str) -> bool:
    """Whether ``text`` is a whole contract the contract compiler accepts."""
    from quark_threaded_runtime.compile import CompileError, compile_source

    try:
        compile_source(text, where)
    except CompileError:
        return False
    return True


def example_files() -> list[Path]:
    """The text files of the example folders (what a docstring fragment may quote)."""
    return sorted(p for p in (REPO_ROOT / "examples").rglob("*") if p.suffix in (".py", ".q", ".sh"))


def classify(shown: Shown, build: Build, files: list[Path] | None = None) -> Verdict | None:
    """How ``shown`` is verified, or ``None`` if nothing verifies it."""
    if shown.exempt:
        return Verdict("exempt", shown.exempt)
    if shown.kind == "include":
        return Verdict("run", "included file: test_included_examples")
    if shown.kind == "doctest":
        if DOCSTRING in shown.page_source:
            return _docstring_doctest(shown)
        return Verdict("doctested", "pytest --doctest-glob") if _is_rst_page(shown) else None
    if shown.language == "console":
        if set(shown.names) & set(RUNNING_PAGE_BLOCKS):
            return Verdict("run", "test_running_page")
        if shown.text.startswith(PROMPT):
            return Verdict("run", "test_page_sessions")
        return None
    if shown.language in WIRE_LANGUAGES:
        return Verdict("compared", "test_wire_examples")
    if shown.language == "text":
        lines = shown.text.splitlines()
        for block, output in _run_outputs(build):
            if block is not shown and lines and output == lines:
                return Verdict("compared", f"the output of {block.where}")
        return None
    if shown.language in ("", "python", "default", "java"):
        quoted = _quoted_from(shown.text, example_files() if files is None else files)
        if quoted is not None:
            return Verdict("compared", f"quoted from {quoted.relative_to(REPO_ROOT)}")
    if shown.language == CONTRACT_LANGUAGE and _compiles(shown.text, shown.where):
        return Verdict("run", "a whole contract, compiled by quark_threaded_runtime.compile")
    return None


def inventory(build: Build) -> list[tuple[Shown, Verdict | None]]:
    """Every block of the build with its verdict, in page order."""
    files = example_files()
    return [(shown, classify(shown, build, files)) for shown in build.shown]


def tally(items: list[tuple[Shown, Verdict | None]]) -> Counter:
    """How many blocks each tally holds (``unverified`` for those with no verdict)."""
    return Counter(verdict.tally if verdict else "unverified" for _, verdict in items)


def format_tally(counts: Counter) -> str:
    """One line, e.g. ``docs harness: 40 run, 12 compared, 9 doctested, 20 exempt (81 blocks)``."""
    parts = [f"{counts.get(name, 0)} {name}" for name in TALLIES]
    if counts.get("unverified"):
        parts.append(f"{counts['unverified']} unverified")
    return f"docs harness: {', '.join(parts)} ({sum(counts.values())} blocks)"
