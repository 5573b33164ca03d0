"""Each tutorial part emphasizes exactly the lines added or changed since the previous part.

Items are named ``<page>:<line of the directive>::<file>``. A failure gives
the ``:emphasize-lines:`` value the directive should have;
``python tools/update_emphasis.py`` writes those values into the pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from docs_harness.emphasis import (
    declared_emphasis,
    expected_emphasis,
    format_spec,
    removed_lines,
    shown_line_numbers,
    tutorial_of,
)


def test_part_emphasizes_its_changes(tutorial_part, tutorials):
    """The emphasized lines are the lines changed since the previous step file, as Sphinx numbers them."""
    assert tutorial_part is not None, "no page shows a tutorial step with :emphasize-lines:"
    path = Path(tutorial_part.path)
    tutorial = tutorial_of(path, tutorials)
    previous = tutorial.previous(path)
    expected = expected_emphasis(previous, path, tutorial_part.options)
    declared = declared_emphasis(tutorial_part.options, len(shown_line_numbers(path, tutorial_part.options)))
    since = f"since {previous.name}" if previous else "(the first part: all of it)"
    assert declared == expected, (
        f"{tutorial_part.where}: :emphasize-lines: {tutorial_part.options['emphasize-lines']} should be "
        f":emphasize-lines: {format_spec(expected)} (the lines of {path.name} added or changed {since}, "
        f"counted in the block the page shows); run `python tools/update_emphasis.py` to rewrite it"
    )
    # Sphinx drops emphasized lines beyond the block; the highlighted lines must be the declared ones.
    assert tutorial_part.hl_lines == declared, (
        f"{tutorial_part.where}: Sphinx highlights lines {tutorial_part.hl_lines}, not {declared}"
    )


def test_tutorials_are_shown_to_the_end(built_docs, tutorials):
    """Each tutorial's parts appear on a page in order, without gaps, and the last part is the finished file."""
    assert not built_docs.crash, f"the docs build crashed:\n{built_docs.crash}"
    assert tutorials, "no tutorial found under examples/*/steps/"
    problems = []
    for tutorial in tutorials:
        shown_on = {}
        for include in built_docs.includes:
            if include.error or "emphasize-lines" not in include.options:
                continue
            path = Path(include.path)
            if path in tutorial.files:
                shown_on.setdefault(include.page, []).append(path)
        names = [path.name for path in tutorial.files]
        if not shown_on:
            problems.append(
                f"the {tutorial.name} tutorial ({', '.join(names)}) is not shown on any page "
                f"(no literalinclude of its files with :emphasize-lines:)"
            )
            continue
        for page, shown in shown_on.items():
            indexes = [tutorial.files.index(path) for path in shown]
            if indexes != list(range(indexes[0], indexes[0] + len(indexes))):
                problems.append(
                    f"{page}: the {tutorial.name} tutorial's parts are {[p.name for p in shown]}, "
                    f"not consecutive steps of {names}"
                )
        if not any(shown[-1] == tutorial.finished for shown in shown_on.values()):
            problems.append(
                f"the {tutorial.name} tutorial never ends with its finished file {tutorial.finished.name} "
                f"(parts shown: { {page: [p.name for p in shown] for page, shown in shown_on.items()} })"
            )
    assert not problems, "\n".join(problems)


def test_part_names_the_lines_it_removes(tutorial_part, tutorials):
    """Each non-blank line a part removes from the previous file is named, as inline code, in that part's section."""
    assert tutorial_part is not None, "no page shows a tutorial step with :emphasize-lines:"
    path = Path(tutorial_part.path)
    previous = tutorial_of(path, tutorials).previous(path)
    unnamed = [
        line
        for line in removed_lines(previous, path)
        if not any(re.search(rf"(?<!\w){re.escape(line)}(?!\w)", literal) for literal in tutorial_part.section_literals)
    ]
    assert not unnamed, (
        f"{tutorial_part.where}: this part removes lines of {previous.name} that its text does not mention; "
        "tell the reader to remove: " + ", ".join(f"`{line}`" for line in unnamed)
    )
