"""Build the docs with Sphinx and record, from the doctrees, every block each page shows.

Run as a script (in its own process, so that Sphinx's global state and the
``sys.path`` entries ``conf.py`` adds never leak into the test process)::

    python build_docs.py <srcdir> <confdir> <outdir>

It builds HTML with the same settings as ``tox -e docs`` (``-W --keep-going
-n``), then walks every page's doctree once (``env.get_doctree``), as
``sphinx.ext.doctest``'s builder does, and writes ``<outdir>/records.json``:
one record per block (:class:`~docs_harness.records.Block`), the pages that
offer downloads, and the warnings. :func:`build` is the entry point for the
test process: it runs this script and loads the records.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the harness as a package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "docs_harness"

from docs_harness.records import MARK, Build, dump, load

BUILD_TIMEOUT = 180
"""Seconds a docs build may take before the harness gives up on it."""

INCLUDE_DIRECTIVES = ("literalinclude", "tutorial-part")
"""Directives that show a file; the harness records their options on the block they make."""


def build(srcdir: Path, confdir: Path, outdir: Path) -> Build:
    """Build ``srcdir`` into ``outdir`` in a fresh Python process and return its records."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(Path(__file__)), str(srcdir), str(confdir), str(outdir)]
    # The build documents this checkout as it is: a CI run's own ref (a pull request's branch, a merge
    # commit) may not exist here, and the pages' sessions clone what the pages name.
    ci = ("GITHUB_", "CI_", "GITLAB_CI", "READTHEDOCS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ci)}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as error:
        return Build(outdir, -1, "", crash=f"the docs build did not finish within {BUILD_TIMEOUT}s\n{error.stdout}")
    return load(outdir, finished.returncode, finished.stdout + finished.stderr)


# ---------------------------------------------------------------------------
# Everything below runs inside the build process.


def _recording(base: type) -> type:
    """A subclass of the include directive ``base`` that keeps its options on the blocks it makes.

    The doctree keeps the included file and the highlighted lines, but not the
    options that filtered the file; the checks need those to count lines the
    way Sphinx does. A failed include makes no block; it is kept as a record
    with its error instead.
    """
    from docutils import nodes

    class Recording(base):
        failures: list[dict] = []  # noqa: RUF012 - one build per process

        def run(self):
            result = super().run()
            blocks = [block for node in result for block in node.findall(nodes.literal_block)]
            source, line = self.get_source_info()
            for block in blocks:
                block["harness_options"] = dict(self.options)
                block["harness_argument"] = self.arguments[0]
                block["harness_line"] = line
                block["harness_directive"] = self.name
            if not blocks:
                _, path = self.env.relfn2path(self.arguments[0])
                message = " ".join(node.astext() for node in result) or "no block was produced"
                self.failures.append(
                    {
                        "page": self.env.docname,
                        "source": source,
                        "line": line,
                        "kind": "include",
                        "directive": self.name,
                        "language": "",
                        "names": [],
                        "text": "",
                        "path": str(Path(path).resolve()),
                        "argument": self.arguments[0],
                        "options": dict(self.options),
                        "error": message,
                    }
                )
            return result

    Recording.__name__ = f"Recording{base.__name__}"
    return Recording


def _section(node):
    from docutils import nodes

    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    return section


def _own(node, section) -> bool:
    """Whether ``node`` belongs to ``section`` itself, not to one of its subsections."""
    from docutils import nodes

    parent = node.parent
    while parent is not section and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent is section


def _section_literals(section) -> list[str]:
    from docutils import nodes

    if section is None:
        return []
    return [literal.astext() for literal in section.findall(nodes.literal) if _own(literal, section)]


def _steps(node, section) -> list[list[str]]:
    """The inline literals of each item of the numbered lists that come before ``node`` in its section."""
    from docutils import nodes

    if section is None:
        return []
    steps = []
    for enumerated in section.findall(nodes.enumerated_list):
        if not _own(enumerated, section) or _before(node, enumerated) is False:
            continue
        for item in enumerated.children:
            if isinstance(item, nodes.list_item):
                # Plain ``code`` only: :file:, :kbd: and other roles name things, they do not ask for code.
                steps.append([literal.astext() for literal in item.findall(nodes.literal) if not literal["classes"]])
    return steps


def _before(node, other) -> bool:
    """Whether ``other`` comes before ``node`` in document order."""
    document = node.document
    for candidate in document.findall():
        if candidate is other:
            return True
        if candidate is node:
            return False
    return False


def _mark(node) -> str:
    """What a ``docs-harness:`` comment right before ``node`` (or its caption container) says."""
    from docutils import nodes

    target = node.parent if isinstance(node.parent, nodes.container) and node.parent.get("literal_block") else node
    parent = target.parent
    if parent is None:
        return ""
    index = parent.index(target)
    if index == 0 or not isinstance(parent[index - 1], nodes.comment):
        return ""
    comment = parent[index - 1].astext().strip()
    if not comment.startswith(MARK):
        return ""
    return " ".join(comment[len(MARK) :].split())


def _blocks(app) -> list[dict]:
    """Every literal and doctest block of every page, in page order, with where it is and what it is."""
    from docutils import nodes

    found = []
    for docname in sorted(app.env.all_docs):
        doctree = app.env.get_doctree(docname)
        for node in doctree.findall(lambda n: isinstance(n, nodes.literal_block | nodes.doctest_block)):
            source, line = node.source, node.line
            if not source or not line:
                source, line = nodes.get_source_line(node)
            names = list(node["names"])
            caption = ""
            if isinstance(node.parent, nodes.container) and node.parent.get("literal_block"):
                names += node.parent["names"]  # a captioned block carries its :name: on the container
                caption = next((c.astext() for c in node.parent.children if isinstance(c, nodes.caption)), "")
            section = _section(node)
            record = {
                "page": docname,
                "source": source or str(app.env.doc2path(docname)),
                "line": line or 0,
                "kind": "doctest" if isinstance(node, nodes.doctest_block) else "literal",
                "language": node.get("language", ""),
                "names": names,
                "text": node.astext(),
                "caption": caption,
                "mark": _mark(node),
                "section": section[0].astext() if section is not None and len(section) else "",
                "section_literals": _section_literals(section),
            }
            if "harness_options" in node:
                record.update(
                    kind="include",
                    directive=node["harness_directive"],
                    line=node["harness_line"],
                    path=str(Path(node["source"]).resolve()),
                    argument=node["harness_argument"],
                    options=node["harness_options"],
                    hl_lines=node.get("highlight_args", {}).get("hl_lines"),
                    steps=_steps(node, section),
                )
            found.append(record)
    return found


def _reading_order(app) -> list[str]:
    """The pages in the order a reader meets them: the toctree's, depth first from the root page."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order or docname not in app.env.all_docs:
            return
        order.append(docname)
        for child in app.env.toctree_includes.get(docname, []):
            visit(child)

    visit(app.config.root_doc)
    return order + sorted(set(app.env.all_docs) - set(order))


def _downloads(app) -> dict[str, list[str]]:
    """File name -> the pages whose ``:download:`` links offer it."""
    from sphinx import addnodes

    pages: dict[str, list[str]] = {}
    for docname in sorted(app.env.all_docs):
        for node in app.env.get_doctree(docname).findall(addnodes.download_reference):
            name = Path(node.get("filename", "") or node.get("reftarget", "")).name
            pages.setdefault(name, []).append(docname)
    return pages


def _main(srcdir: str, confdir: str, outdir: str) -> int:
    from docutils.parsers.rst import directives
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor

    nocolor()  # the warnings go into a test report, not a terminal
    out = Path(outdir)
    warnings = io.StringIO()
    records: dict = {"returncode": 1, "warnings": "", "docnames": [], "blocks": []}
    started = time.monotonic()
    app = None
    recorders = []
    try:
        # The same settings as `tox -e docs`: -W --keep-going -n, a fresh environment.
        app = Sphinx(
            srcdir,
            confdir,
            out / "html",
            out / "doctrees",
            "html",
            confoverrides={"nitpicky": True},
            status=io.StringIO(),
            warning=warnings,
            freshenv=True,
            warningiserror=True,
        )
        for name in INCLUDE_DIRECTIVES:
            base = directives._directives.get(name)  # what conf.py's extensions registered under that name
            if base is None and name == "literalinclude":
                from sphinx.directives.code import LiteralInclude

                base = LiteralInclude
            if base is not None:
                recorders.append(_recording(base))
                app.add_directive(name, recorders[-1], override=True)
        app.build()
        records["returncode"] = app.statuscode
    except Exception as error:
        records["crash"] = "".join(traceback.format_exception(error))
    if app is not None and app.env.all_docs:
        # Even after a crash in the writing phase, the pages read so far can still be checked.
        failures = [failure for recorder in recorders for failure in recorder.failures]
        records.update(
            docnames=sorted(app.env.all_docs),
            order=_reading_order(app),
            blocks=_blocks(app) + failures,
            downloads=_downloads(app),
        )
    records["warnings"] = warnings.getvalue()
    records["seconds"] = round(time.monotonic() - started, 2)
    dump(records, out)
    return 0 if records["returncode"] == 0 and not records.get("crash") else 1


if __name__ == "__main__":
    sys.exit(_main(*sys.argv[1:4]))
