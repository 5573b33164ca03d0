"""Samples of markup: an ``rst`` or MyST block is built by Sphinx, with the site's ``conf.py``, without a warning.

Every such block of the build becomes a page of one scratch Sphinx project
(one build for all of them), in a folder beside a link to ``examples/``, so a
sample's ``../examples/...`` path means what it means on a page of ``docs/``.
The project is built like the site (``-W --keep-going -n``, the site's
``conf.py`` and extensions). A block right after a sample, marked
``docs-harness: made-by-previous``, shows what the sample makes: it must be
the text of the blocks the sample's page holds once built.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import REPO_ROOT
from ..build_docs import build
from ..examples import Example
from ..records import Block, Build
from .base import Check, Context, Drift, Item

LANGUAGES = {"rst": ".rst", "rest": ".rst", "restructuredtext": ".rst", "md": ".md", "myst": ".md", "markdown": ".md"}
"""The languages of markup blocks, and the suffix of the scratch page that holds one."""

TITLE_LINES = {".rst": 3, ".md": 2}
"""The lines of the title a scratch page puts before its sample."""

MADE_BY = "made-by-previous"
"""The mark of a block that shows what the markup block before it makes."""


def is_markup(block: Block) -> bool:
    """A markup sample written on a page, not exempt."""
    return block.kind == "literal" and block.language.lower() in LANGUAGES and not block.exempt


def made_by(block: Block, build: Build) -> Block | None:
    """The markup block right before ``block`` on its page, when ``block`` is marked as what it makes."""
    if block.marked(MADE_BY) is None:
        return None
    page = build.on_page(block.page)
    index = page.index(block)
    return page[index - 1] if index and is_markup(page[index - 1]) else None


def scratch_project(samples: list[Block], folder: Path) -> tuple[Path, list[str]]:
    """Write one page per sample into ``folder/docs`` (with an index); return the source folder and the page names."""
    source = folder / "docs"
    source.mkdir(parents=True)
    (folder / "examples").symlink_to(REPO_ROOT / "examples", target_is_directory=True)
    names = []
    for number, block in enumerate(samples, 1):
        name = f"sample{number}"
        suffix = LANGUAGES[block.language.lower()]
        title = f"# Sample {number}\n\n" if suffix == ".md" else f"Sample {number}\n{'=' * (7 + len(str(number)))}\n\n"
        (source / f"{name}{suffix}").write_text(title + block.text.rstrip("\n") + "\n", encoding="utf-8")
        names.append(name)
    toctree = "".join(f"   {name}\n" for name in names)
    (source / "index.rst").write_text(f"Samples\n=======\n\n.. toctree::\n\n{toctree}", encoding="utf-8")
    return source, names


def where_on_page(warning: str, page: Path, block: Block) -> str:
    """``warning`` about the scratch ``page`` (else ``""``), with the place in the guide instead of the page's."""
    found = re.search(rf"{re.escape(str(page))}\.(?:rst|md):(\d+)", warning)
    if found is None:
        return ""
    # The scratch page puts a title (and a blank line) before the sample's first line.
    line = block.line + int(found[1]) - (TITLE_LINES[LANGUAGES[block.language.lower()]] + 1)
    return warning.replace(found[0], f"{block.where.rpartition(':')[0]}:{line}")


class MarkupCheck(Check):
    """Builds every markup sample in one scratch Sphinx project; each must build cleanly and make what the page says."""

    name = "markup"
    tally = "run"

    def claims(self, block: Block, build: Build, examples: tuple[Example, ...]) -> bool:
        return is_markup(block) or made_by(block, build) is not None

    def items(self, blocks: list[Block], build: Build, examples: tuple[Example, ...]) -> list[Item]:
        return [Item(self.name, f"{self.name}:samples", tuple(blocks))]

    def verify(self, item: Item, context: Context) -> None:
        samples = [block for block in item.blocks if is_markup(block)]
        source, names = scratch_project(samples, context.tmp_path / "markup")
        built = build(source, REPO_ROOT, context.tmp_path / "markup" / "out")
        assert not built.crash, f"the scratch build of the markup samples crashed:\n{built.crash}"
        problems = []
        for block, name in zip(samples, names, strict=True):
            warnings = [where_on_page(line, source / name, block) for line in built.warnings.splitlines()]
            if any(warnings):
                problems.append(
                    f"{block.where}: the sample does not build cleanly:\n" + "\n".join(filter(None, warnings))
                )
        others = [line for line in built.warnings.splitlines() if not any(str(source / n) in line for n in names)]
        if others:
            problems.append("the scratch build of the markup samples warns:\n" + "\n".join(others))
        drifts = []
        for shown in item.blocks:
            sample = made_by(shown, context.build)
            if sample is not None:
                made = "\n".join(block.text.rstrip("\n") for block in built.on_page(names[samples.index(sample)]))
                if shown.text.rstrip("\n") != made:
                    drifts.append(Drift(f"{shown.where}: the sample before it makes\n{made}", shown, made))
        if problems:
            context.drifts.extend(drifts)
            raise AssertionError("\n".join(problems))
        if drifts:
            context.drifts.extend(drifts[1:])
            raise drifts[0]
