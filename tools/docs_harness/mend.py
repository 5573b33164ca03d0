"""Write a block's real text into its page, in place of what the page shows (the update mode's one edit).

A block is found in its source file from the line the doctree gives (the
directive's or the fence's line): the first run of lines at or after it that
holds the block's text, at one indentation. The new text replaces that run,
at the same indentation, and nothing else in the file changes.
"""

from __future__ import annotations

from pathlib import Path

SEARCH = 60
"""How many lines after the recorded line the block's text may start (past the directive's options)."""


class MendError(LookupError):
    """The block's text is not where its record says; the message names the file and line."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def mend(text: str, line: int, old: str, new: str, where: str = "") -> str:
    """``text`` (a page) with the block whose text is ``old``, at or after ``line`` (1-based), showing ``new``."""
    lines = text.splitlines(keepends=True)
    wanted = old.rstrip("\n").splitlines()
    if not wanted:
        raise MendError(f"{where}: the block is empty")
    for start in range(max(line - 1, 0), min(line - 1 + SEARCH, len(lines))):
        indent = _indent(lines[start])
        if not lines[start].strip() or lines[start][len(indent) :].rstrip("\r\n") != wanted[0]:
            continue
        if all(
            start + k < len(lines)
            and (
                lines[start + k].strip() == ""
                if not wanted[k]
                else lines[start + k].rstrip("\r\n") == indent + wanted[k]
            )
            for k in range(len(wanted))
        ):
            ending = "\r\n" if lines[start].endswith("\r\n") else "\n"
            replaced = [(indent + row if row else "") + ending for row in new.rstrip("\n").splitlines()]
            return "".join(lines[:start] + replaced + lines[start + len(wanted) :])
    raise MendError(f"{where}: the block's text was not found within {SEARCH} lines of line {line}")


def mend_file(path: Path, line: int, old: str, new: str) -> bool:
    """Rewrite the block in ``path``; return whether the file changed."""
    before = path.read_text(encoding="utf-8")
    after = mend(before, line, old, new, f"{path}:{line}")
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def mend_all(text: str, mends: list[tuple[int, str, str]], where: str = "") -> str:
    """``text`` with every ``(line, old, new)`` block mended, bottom up, so that none moves another."""
    for line, old, new in sorted(mends, key=lambda mend: -mend[0]):
        text = mend(text, line, old, new, f"{where}:{line}")
    return text
