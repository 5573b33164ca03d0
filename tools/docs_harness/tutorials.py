"""Tutorials as sequences of files, and which lines each part adds, counted the way Sphinx counts them.

A tutorial is a sequence of files in one example folder::

    examples/<example>/steps/<tutorial>_<n>_<what>.py   (n = 1, 2, ...)
    examples/<example>/<anything><tutorial>.py          (the finished file, e.g. pyserver.py)

A page shows a *part* of a tutorial with the ``tutorial-part`` directive
(``docs/_ext/tutorial_parts.py``), which emphasizes the lines added or changed
since the previous file of the sequence (difflib), with blank lines at the
edges of each changed run left out, numbered as Sphinx numbers the block it
shows: after ``:pyobject:``, ``:start-at:``, ``:lines:``... filtering, which
we reproduce with Sphinx's own
:class:`~sphinx.directives.code.LiteralIncludeReader`. No page stores line
numbers: the directive computes them at build time with this module.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

STEP_NAME = re.compile(r"(?P<tutorial>[a-z][a-z0-9]*)_(?P<number>\d+)_\w+\.py")


@dataclass(frozen=True)
class Tutorial:
    """The files of one tutorial, in order; the last one is the finished example."""

    name: str
    folder: Path
    files: tuple[Path, ...]

    @property
    def finished(self) -> Path:
        """The finished example file (the tutorial's last part)."""
        return self.files[-1]

    def previous(self, path: Path) -> Path | None:
        """The file before ``path`` in the tutorial (``None`` for the first)."""
        index = self.files.index(path)
        return self.files[index - 1] if index else None


def find_tutorials(folder: Path) -> list[Tutorial]:
    """The tutorials of one example folder, from the step files' names."""
    tutorials = []
    for steps in sorted(folder.glob("steps")):
        numbered: dict[str, list[tuple[int, Path]]] = {}
        for path in steps.glob("*.py"):
            match = STEP_NAME.fullmatch(path.name)
            if match:
                numbered.setdefault(match["tutorial"], []).append((int(match["number"]), path.resolve()))
        for name, files in sorted(numbered.items()):
            finished = sorted(steps.parent.glob(f"*{name}.py"))
            if len(finished) != 1:
                raise LookupError(
                    f"{steps}: tutorial {name!r} needs exactly one finished file *{name}.py in "
                    f"{steps.parent}, found {[p.name for p in finished]}"
                )
            ordered = (*(path for _, path in sorted(files)), finished[0].resolve())
            tutorials.append(Tutorial(name, steps.parent.resolve(), ordered))
    return tutorials


def tutorial_of(path: Path, tutorials: list[Tutorial]) -> Tutorial | None:
    """The tutorial ``path`` belongs to, if any."""
    path = path.resolve()
    for tutorial in tutorials:
        if path in tutorial.files:
            return tutorial
    return None


class _Numbered(str):
    """A line of the included file that remembers its 1-based line number."""

    number: int

    def __new__(cls, text: str, number: int) -> _Numbered:
        line = super().__new__(cls, text)
        line.number = number
        return line


def shown_line_numbers(path: Path, options: dict) -> list[int | None]:
    """For each line of the block Sphinx shows, the file line it comes from (``None`` for ``:prepend:``...).

    Runs Sphinx's own ``LiteralIncludeReader`` filters over lines that carry
    their line numbers, so whatever ``:lines:``, ``:pyobject:``,
    ``:start-after:`` or ``:end-before:`` select, the count is Sphinx's.
    """
    from sphinx.directives.code import LiteralIncludeReader

    class NumberingReader(LiteralIncludeReader):
        shown: list[str] = []  # noqa: RUF012 - set per instance below

        def read_file(self, filename, location=None):
            lines = super().read_file(filename, location)
            return [_Numbered(line, number) for number, line in enumerate(lines, 1)]

        def dedent_filter(self, lines, location=None):
            dedented = super().dedent_filter(lines, location)
            # Dedenting makes new strings, one per line: carry the numbers over.
            return [
                _Numbered(new, getattr(old, "number", None)) if new is not old else old
                for old, new in zip(lines, dedented, strict=True)
            ]

        def append_filter(self, lines, location=None):
            # The last filter of read(): what it returns is what Sphinx shows.
            self.shown = super().append_filter(lines, location)
            return self.shown

    # The reader reads only source_encoding from the configuration; conf.py keeps Sphinx's default.
    reader = NumberingReader(path, dict(options), SimpleNamespace(source_encoding="utf-8-sig"))
    if "diff" in options:
        raise ValueError(":diff: blocks show a unified diff; they cannot be a tutorial part")
    reader.read()
    return [getattr(line, "number", None) for line in reader.shown]


def changed_lines(previous: Path | None, current: Path) -> set[int]:
    """1-based line numbers of ``current`` added or changed since ``previous`` (all lines if none).

    Blank lines at the start or end of a changed run are left out: they carry
    nothing to look at, and difflib may pair a blank line either way.
    """
    new = current.read_text(encoding="utf-8").splitlines()
    old = previous.read_text(encoding="utf-8").splitlines() if previous else []
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _, _, start, end in matcher.get_opcodes():
        if tag not in ("replace", "insert"):
            continue
        while start < end and not new[start].strip():
            start += 1
        while end > start and not new[end - 1].strip():
            end -= 1
        changed.update(range(start + 1, end + 1))
    return changed


def removed_lines(previous: Path | None, current: Path) -> list[str]:
    """The non-blank lines of ``previous`` that ``current`` removes or replaces (stripped), as difflib finds them."""
    if previous is None:
        return []
    old = previous.read_text(encoding="utf-8").splitlines()
    new = current.read_text(encoding="utf-8").splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    removed = []
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += [line.strip() for line in old[start:end] if line.strip()]
    return removed


def expected_emphasis(previous: Path | None, current: Path, options: dict) -> list[int]:
    """The block lines (1-based, as ``:emphasize-lines:`` counts them) that should be emphasized."""
    changed = changed_lines(previous, current)
    shown = shown_line_numbers(current, options)
    return [position for position, number in enumerate(shown, 1) if number in changed]


def format_spec(lines: list[int]) -> str:
    """``[3, 4, 5, 8]`` -> ``"3-5,8"``, the way a page would write it."""
    ranges: list[list[int]] = []
    for number in sorted(set(lines)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)
