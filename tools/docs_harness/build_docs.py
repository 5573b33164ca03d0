"""Build the docs with Sphinx and record, from the doctrees, what each page includes.

Run as a script (in its own process, so that Sphinx's global state and the
``sys.path`` entries ``conf.py`` adds never leak into the test process)::

    python build_docs.py <srcdir> <confdir> <outdir>

It builds HTML with the same settings as ``tox -e docs`` (``-W --keep-going
-n``), then walks every page's doctree (``env.get_doctree``) and writes
``<outdir>/records.json``: the ``literalinclude`` blocks (page, line of the
directive, included file, its options, the lines Sphinx highlights, the text
shown), the named literal blocks (console output blocks) and the warnings.

:func:`build` is the in-process entry point used by the conftest and the
update tool: it runs this script and returns the parsed records.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

RECORDS_FILE = "records.json"
BUILD_TIMEOUT = 180
"""Seconds a docs build may take before the harness gives up on it."""


class _OnAPage:
    """A block or directive at a ``line`` of a ``page_source``; says where, for messages."""

    page_source: str
    line: int

    @property
    def where(self) -> str:
        """``page_source:line`` relative to the repository, for messages."""
        return f"{relative(self.page_source)}:{self.line}"


@dataclass(frozen=True)
class Include(_OnAPage):
    """One ``literalinclude`` on a page, as Sphinx read it."""

    page: str
    """The page's docname, e.g. ``"server"``."""
    page_source: str
    """The file holding the directive (the page, or a file it includes)."""
    line: int
    """The line of the directive in ``page_source``."""
    path: str
    """Absolute path of the included file."""
    argument: str
    """The directive's argument, as written on the page."""
    options: dict
    """The directive's options, as Sphinx parsed them."""
    hl_lines: list | None = None
    """Highlighted lines (1-based, as Sphinx passes them to Pygments), or ``None`` without ``:emphasize-lines:``."""
    text: str = ""
    """The text Sphinx shows (after ``:lines:``, ``:pyobject:``... filtering)."""
    error: str | None = None
    """Why Sphinx could not include the file (then there is no block on the page)."""
    section_literals: list = field(default_factory=list)
    """The inline literals (````code````) of the prose of the section that holds the block."""


@dataclass(frozen=True)
class Block(_OnAPage):
    """A literal block that has a ``:name:`` (e.g. a console output block)."""

    page: str
    page_source: str
    line: int
    names: list
    language: str
    text: str


@dataclass(frozen=True)
class Shown(_OnAPage):
    """Any block a page shows: a literal block (included or written on the page) or a doctest block."""

    page: str
    page_source: str
    line: int
    kind: str
    """``include`` (a ``literalinclude``), ``literal`` (a block written on the page) or ``doctest`` (``>>>``)."""
    language: str
    names: list
    text: str
    exempt: str = ""
    """The reason a ``docs-harness: exempt`` comment right before the block gives, if any."""


@dataclass
class Build:
    """What one docs build produced."""

    outdir: Path
    returncode: int
    warnings: str
    docnames: list = field(default_factory=list)
    includes: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    shown: list = field(default_factory=list)
    """Every :class:`Shown` block of every page, in page order."""
    download_pages: dict = field(default_factory=dict)
    """For each file a page offers with ``:download:`` (by file name), the pages that offer it."""
    crash: str = ""
    """Output of the build process when it ended without writing its records."""

    def named_block(self, name: str) -> Block | None:
        """The literal block with ``:name: name``, if any page has one."""
        for block in self.blocks:
            if name in block.names:
                return block
        return None


def relative(path: str | Path) -> str:
    """``path`` relative to the repository's top level, for messages (unchanged when outside it)."""
    from . import REPO_ROOT

    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def build(srcdir: Path, confdir: Path, outdir: Path) -> Build:
    """Build ``srcdir`` into ``outdir`` in a fresh Python process and return its records."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(Path(__file__)), str(srcdir), str(confdir), str(outdir)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as error:
        return Build(outdir, -1, "", crash=f"the docs build did not finish within {BUILD_TIMEOUT}s\n{error.stdout}")
    return load(outdir, finished.returncode, finished.stdout + finished.stderr)


def load(outdir: Path, returncode: int = 0, output: str = "") -> Build:
    """Read the records a build wrote into ``outdir``."""
    records_path = outdir / RECORDS_FILE
    if not records_path.is_file():
        return Build(outdir, returncode or 1, "", crash=output or f"{records_path} was not written")
    records = json.loads(records_path.read_text(encoding="utf-8"))
    return Build(
        outdir=outdir,
        returncode=records["returncode"],
        warnings=records["warnings"],
        docnames=records["docnames"],
        includes=[Include(**item) for item in records["includes"]],
        blocks=[Block(**item) for item in records["blocks"]],
        shown=[Shown(**item) for item in records.get("shown", [])],
        download_pages=records.get("download_pages", {}),
        crash=records.get("crash", ""),
    )


# ---------------------------------------------------------------------------
# Everything below runs inside the build process.


def _recording_literalinclude():
    """A ``literalinclude`` that behaves exactly like Sphinx's and keeps its options on the node.

    The doctree keeps the included file (``node['source']``), the directive's
    line and the highlighted lines, but not the options that filtered the file;
    the emphasis check needs those to count lines the way Sphinx does.
    """
    from docutils import nodes
    from sphinx.directives.code import LiteralInclude

    class RecordingLiteralInclude(LiteralInclude):
        failures: list[dict] = []  # noqa: RUF012 - one build per process

        def run(self):
            result = super().run()
            blocks = [block for node in result for block in node.findall(nodes.literal_block)]
            source, line = self.get_source_info()
            if blocks:
                for block in blocks:
                    block["harness_options"] = dict(self.options)
                    block["harness_argument"] = self.arguments[0]
            else:
                # Sphinx turned the failure into a warning; keep what the page asked for.
                _, path = self.env.relfn2path(self.arguments[0])
                message = " ".join(node.astext() for node in result) or "no block was produced"
                self.failures.append(
                    {
                        "page": self.env.docname,
                        "page_source": source,
                        "line": line,
                        "path": str(Path(path).resolve()),
                        "argument": self.arguments[0],
                        "options": dict(self.options),
                        "error": message,
                    }
                )
            return result

    return RecordingLiteralInclude


def _section_literals(node) -> list[str]:
    """The inline literals in the prose of the innermost section around ``node`` (not in its subsections)."""
    from docutils import nodes

    section = node.parent
    while section is not None and not isinstance(section, nodes.section):
        section = section.parent
    if section is None:
        return []
    found = []
    for literal in section.findall(nodes.literal):
        parent = literal.parent
        while parent is not section and not isinstance(parent, nodes.section):
            parent = parent.parent
        if parent is section:
            found.append(literal.astext())
    return found


def _walk(app) -> tuple[list[dict], list[dict]]:
    from docutils import nodes

    includes, blocks = [], []
    for docname in sorted(app.env.all_docs):
        doctree = app.env.get_doctree(docname)
        for node in doctree.findall(nodes.literal_block):
            if "harness_options" in node:
                includes.append(
                    {
                        "page": docname,
                        "page_source": node.source,
                        "line": node.line,
                        "path": str(Path(node["source"]).resolve()),
                        "argument": node["harness_argument"],
                        "options": node["harness_options"],
                        "hl_lines": node.get("highlight_args", {}).get("hl_lines"),
                        "text": node.astext(),
                        "section_literals": _section_literals(node),
                    }
                )
            names = list(node["names"])
            if isinstance(node.parent, nodes.container) and node.parent.get("literal_block"):
                names += node.parent["names"]  # a captioned block carries its :name: on the container
            if names:
                source, line = node.source or "", node.line or 0
                if not source:
                    source, line = nodes.get_source_line(node)
                blocks.append(
                    {
                        "page": docname,
                        "page_source": source or "",
                        "line": line or 0,
                        "names": names,
                        "language": node.get("language", ""),
                        "text": node.astext(),
                    }
                )
    return includes, blocks


EXEMPT_MARK = "docs-harness: exempt"
"""How a comment right before a block starts when it exempts the block; the rest is the reason."""


def _exemption(node) -> str:
    """The reason given by a ``docs-harness: exempt`` comment right before ``node`` (or its caption container)."""
    from docutils import nodes

    target = node.parent if isinstance(node.parent, nodes.container) and node.parent.get("literal_block") else node
    parent = target.parent
    if parent is None:
        return ""
    index = parent.index(target)
    if index == 0 or not isinstance(parent[index - 1], nodes.comment):
        return ""
    comment = parent[index - 1].astext().strip()
    if not comment.startswith(EXEMPT_MARK):
        return ""
    return comment[len(EXEMPT_MARK) :].strip(" :-\u2014\n") or "(no reason given)"


def _shown(app) -> list[dict]:
    """Every literal and doctest block of every page, with where it is and what it is."""
    from docutils import nodes

    shown = []
    for docname in sorted(app.env.all_docs):
        doctree = app.env.get_doctree(docname)
        for node in doctree.findall(lambda n: isinstance(n, nodes.literal_block | nodes.doctest_block)):
            source, line = node.source, node.line
            if not source or not line:
                source, line = nodes.get_source_line(node)
            if isinstance(node, nodes.doctest_block):
                kind = "doctest"
            elif "harness_options" in node:
                kind = "include"
            else:
                kind = "literal"
            names = list(node["names"])
            if isinstance(node.parent, nodes.container) and node.parent.get("literal_block"):
                names += node.parent["names"]
            shown.append(
                {
                    "page": docname,
                    "page_source": source or app.env.doc2path(docname),
                    "line": line or 0,
                    "kind": kind,
                    "language": node.get("language", ""),
                    "names": names,
                    "text": node.astext(),
                    "exempt": _exemption(node),
                }
            )
    return shown


def _download_pages(app) -> dict[str, list[str]]:
    """File name -> the pages whose ``:download:`` links offer it."""
    from sphinx import addnodes

    pages: dict[str, list[str]] = {}
    for docname in sorted(app.env.all_docs):
        for node in app.env.get_doctree(docname).findall(addnodes.download_reference):
            name = Path(node.get("filename", "") or node.get("reftarget", "")).name
            pages.setdefault(name, []).append(docname)
    return pages


def _main(srcdir: str, confdir: str, outdir: str) -> int:
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor

    nocolor()  # the warnings go into a test report, not a terminal
    out = Path(outdir)
    warnings = io.StringIO()
    records: dict = {"returncode": 1, "warnings": "", "docnames": [], "includes": [], "blocks": []}
    started = time.monotonic()
    app = directive = None
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
        directive = _recording_literalinclude()
        app.add_directive("literalinclude", directive, override=True)
        app.build()
        records["returncode"] = app.statuscode
    except Exception as error:
        records["crash"] = "".join(traceback.format_exception(error))
    if app is not None and app.env.all_docs:
        # Even after a crash in the writing phase, the pages read so far can still be checked.
        includes, blocks = _walk(app)
        records.update(
            docnames=sorted(app.env.all_docs),
            includes=includes + directive.failures,
            blocks=blocks,
            shown=_shown(app),
            download_pages=_download_pages(app),
        )
    records["warnings"] = warnings.getvalue()
    records["seconds"] = round(time.monotonic() - started, 2)
    (out / RECORDS_FILE).write_text(json.dumps(records, indent=1), encoding="utf-8")
    return 0 if records["returncode"] == 0 and not records.get("crash") else 1


if __name__ == "__main__":
    sys.exit(_main(*sys.argv[1:4]))
