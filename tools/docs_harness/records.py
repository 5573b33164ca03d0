"""What one docs build shows, as records: one :class:`Block` per block of every page, read from the doctrees.

The build side (:mod:`docs_harness.build_docs`) walks every doctree once and
writes the records as JSON; the test side loads them into these types. Every
check of the registry (:mod:`docs_harness.checks`) reads blocks of this one
type.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import REPO_ROOT

RECORDS_FILE = "records.json"

MARK = "docs-harness:"
"""How a comment right before a block starts when it tells the harness something about the block."""

EXEMPT = "exempt"
"""The mark word that exempts a block (``docs-harness: exempt: <reason>``)."""


def relative(path: str | Path) -> str:
    """``path`` relative to the repository's top level, for messages (unchanged when outside it)."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class Block:
    """One block a page shows: written on the page, included from a file, or a ``>>>`` doctest block."""

    page: str
    """The page's docname, e.g. ``"server"`` or ``"maintainers/testing"``."""
    source: str
    """The file holding the block (the page, a file it includes, or ``<module>:docstring of <object>``)."""
    line: int
    """The line of the block's first line of text in ``source`` (of the directive, for an include)."""
    kind: str
    """``include`` (a ``literalinclude``), ``literal`` (written on the page) or ``doctest`` (``>>>``)."""
    language: str
    names: tuple[str, ...]
    """The block's ``:name:`` values."""
    text: str
    """The text the page shows."""
    caption: str = ""
    """The block's caption, if it has one (a console block's ``Terminal 2: ...`` names its terminal)."""
    mark: str = ""
    """What a ``docs-harness:`` comment right before the block says (``exempt: <reason>``, ``sample: <name>``)."""
    directive: str = ""
    """For an include: the directive that made it (``literalinclude`` or ``tutorial-part``)."""
    path: str = ""
    """For an include: the absolute path of the included file."""
    argument: str = ""
    """For an include: the directive's argument as written."""
    options: dict = field(default_factory=dict)
    """For an include: the directive's options as Sphinx parsed them."""
    hl_lines: tuple[int, ...] | None = None
    """For an include: the lines Sphinx highlights (1-based), if any."""
    error: str | None = None
    """For an include that failed: why (then the page shows nothing there)."""
    section: str = ""
    """The title of the innermost section holding the block."""
    section_literals: tuple[str, ...] = ()
    """The inline literals of that section's own prose (not its subsections')."""
    steps: tuple[tuple[str, ...], ...] = ()
    """For an include: the plain inline literals (````code````, no role) of each item of the numbered lists
    of its section that come before it: what each step asks the reader to write."""

    @property
    def where(self) -> str:
        """``source:line``, relative to the repository, for messages."""
        return f"{relative(self.source)}:{self.line}"

    @property
    def key(self) -> str:
        """A name for the block that is unique in the build."""
        return f"{self.page}|{self.source}|{self.line}|{self.kind}|{self.path}"

    @property
    def exempt(self) -> str:
        """The reason an ``exempt`` mark gives, or ``""``."""
        word, _, rest = self.mark.partition(":")
        return (rest.strip() or "(no reason given)") if word.strip() == EXEMPT else ""

    def marked(self, word: str) -> str | None:
        """What follows ``word:`` in the block's mark, or ``None`` if the mark is not ``word``."""
        head, _, rest = self.mark.partition(":")
        return rest.strip() if head.strip() == word else None

    @property
    def first_line(self) -> str:
        """The block's first line, for listings."""
        return (self.text.splitlines() or [""])[0]


@dataclass
class Build:
    """What one docs build produced."""

    outdir: Path
    returncode: int
    warnings: str
    docnames: list = field(default_factory=list)
    """The pages, in reading order (the toctree's, from the root page; pages outside it after, by name)."""
    blocks: list = field(default_factory=list)
    """Every :class:`Block` of every page, in page order."""
    downloads: dict = field(default_factory=dict)
    """For each file a page offers with ``:download:`` (by file name), the pages that offer it."""
    crash: str = ""
    """Output of the build process when it ended without a clean build."""

    @property
    def includes(self) -> list[Block]:
        """The ``literalinclude`` blocks (including failed ones)."""
        return [block for block in self.blocks if block.kind == "include"]

    def named(self, name: str) -> Block | None:
        """The block with ``:name: name``, if any page has one."""
        return next((block for block in self.blocks if name in block.names), None)

    def in_reading_order(self, blocks: list[Block]) -> list[Block]:
        """``blocks`` sorted by their page's place in the reading order (page order kept within a page)."""
        rank = {page: index for index, page in enumerate(self.docnames)}
        return sorted(blocks, key=lambda block: rank.get(block.page, len(rank)))

    def on_page(self, page: str) -> list[Block]:
        """The blocks of one page, in order."""
        return [block for block in self.blocks if block.page == page]


def _block(item: dict) -> Block:
    item = dict(item)
    item["names"] = tuple(item.get("names", ()))
    item["section_literals"] = tuple(item.get("section_literals", ()))
    item["steps"] = tuple(tuple(step) for step in item.get("steps", ()))
    if item.get("hl_lines") is not None:
        item["hl_lines"] = tuple(item["hl_lines"])
    return Block(**item)


def dump(build_records: dict, outdir: Path) -> None:
    """Write the records of a build (a dict as the build process makes it) into ``outdir``."""
    (outdir / RECORDS_FILE).write_text(json.dumps(build_records, indent=1), encoding="utf-8")


def load(outdir: Path, returncode: int = 0, output: str = "") -> Build:
    """Read the records a build wrote into ``outdir``."""
    path = outdir / RECORDS_FILE
    if not path.is_file():
        return Build(outdir, returncode or 1, "", crash=output or f"{path} was not written")
    records = json.loads(path.read_text(encoding="utf-8"))
    return Build(
        outdir=outdir,
        returncode=records["returncode"],
        warnings=records["warnings"],
        docnames=records.get("order") or records["docnames"],
        blocks=[_block(item) for item in records["blocks"]],
        downloads=records.get("downloads", {}),
        crash=records.get("crash", ""),
    )


def as_record(block: Block) -> dict:
    """A block as JSON-ready data (the inverse of loading it)."""
    return asdict(block)
