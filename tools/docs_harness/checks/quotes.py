"""Code written on a page that quotes an example file: its lines must be consecutive lines of that file.

A ``python`` (or unnamed) block, on a page or in a docstring, that is not a
whole program of its own is a *quote*: the harness finds the example file
that holds its lines in a row (indentation aside). A quote that matches no
file has drifted from the code it shows.
"""

from __future__ import annotations

from pathlib import Path

from .. import REPO_ROOT
from ..examples import Example
from ..records import Block, Build, relative
from .base import Check, Context

QUOTE_LANGUAGES = ("", "python", "default", "java")


def example_files(root: Path = REPO_ROOT / "examples") -> list[Path]:
    """The text files of the example folders (what a block may quote)."""
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".q", ".sh") and "__pycache__" not in p.parts)


def quoted_from(text: str, files: list[Path]) -> Path | None:
    """The file that holds ``text`` as consecutive lines (indentation aside), if any."""
    wanted = [line.strip() for line in text.strip("\n").splitlines()]
    if not any(wanted):
        return None
    for path in files:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for start in range(len(lines) - len(wanted) + 1):
            if lines[start : start + len(wanted)] == wanted:
                return path
    return None


class QuoteCheck(Check):
    """A block that quotes an example file holds consecutive lines of it."""

    name = "quote"
    tally = "compared"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return (
            block.kind == "literal"
            and block.language in QUOTE_LANGUAGES
            and not block.exempt
            and not block.mark
            and quoted_from(block.text, example_files()) is not None
        )

    def verify(self, item, context: Context) -> None:
        block = item.blocks[0]
        found = quoted_from(block.text, example_files())
        assert found is not None, f"{block.where}: these lines are in no file under examples/ any more"
        assert relative(found)
