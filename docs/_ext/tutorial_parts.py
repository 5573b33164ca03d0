"""The ``tutorial-part`` directive: a ``literalinclude`` of a tutorial step that emphasizes what the step added.

A tutorial is a numbered series of step files in an example's ``steps/``
folder followed by the example's finished file (``docs_harness.tutorials``
describes the naming). ``.. tutorial-part:: ../examples/helloRPC/steps/server_2_response.py``
takes every option of ``literalinclude`` but ``:emphasize-lines:``, which it
computes at build time: the lines added or changed since the previous file of
the tutorial, counted in the block the page shows. So no page stores line
numbers, and an edited step file re-emphasizes itself on the next build.

``.. tutorial-checkpoints:: ../examples/helloRPC server`` shows every file of
a tutorial in order, each under a rubric naming its part, from the same
sequence the parts come from: a new step file appears there by itself.

The docs harness (``tools/docs_harness``, on ``sys.path`` through ``conf.py``)
holds the arithmetic; the test suite checks that Sphinx highlighted exactly
those lines and that the part's steps ask for them.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.directives.code import LiteralInclude
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective


class TutorialPart(LiteralInclude):
    """A ``literalinclude`` of a tutorial's step file, with the step's additions emphasized."""

    option_spec = {key: value for key, value in LiteralInclude.option_spec.items() if key != "emphasize-lines"}  # noqa: RUF012

    def run(self):
        from docs_harness.tutorials import expected_emphasis, find_tutorials, format_spec, tutorial_of

        _, filename = self.env.relfn2path(self.arguments[0])
        path = Path(filename).resolve()
        tutorial = tutorial_of(path, find_tutorials(path.parent.parent if path.parent.name == "steps" else path.parent))
        if tutorial is None:
            return [
                self.state.document.reporter.warning(
                    f"tutorial-part: {self.arguments[0]} is not a file of a tutorial "
                    "(<example>/steps/<tutorial>_<n>_<what>.py or the finished <example>/*<tutorial>.py)",
                    line=self.lineno,
                )
            ]
        previous = tutorial.previous(path)
        for file in (path, previous):
            if file is not None:
                self.env.note_dependency(str(file))
        lines = expected_emphasis(previous, path, dict(self.options))
        if lines:
            self.options["emphasize-lines"] = format_spec(lines)
        return super().run()


class TutorialCheckpoints(SphinxDirective):
    """Every file of one tutorial, in order, each as a ``literalinclude`` under a rubric naming its part."""

    required_arguments = 2  # the example folder (relative to the page) and the tutorial's name

    def run(self):
        from docs_harness.tutorials import find_tutorials

        folder_argument, name = self.arguments
        _, folder = self.env.relfn2path(folder_argument)
        tutorial = next((t for t in find_tutorials(Path(folder)) if t.name == name), None)
        if tutorial is None:
            return [
                self.state.document.reporter.warning(
                    f"tutorial-checkpoints: {folder_argument} has no tutorial {name!r} "
                    f"(steps/{name}_<n>_<what>.py and a finished *{name}.py)",
                    line=self.lineno,
                )
            ]
        source, line = self.get_source_info()
        text = StringList()
        for number, path in enumerate(tutorial.files, 1):
            relative = f"{folder_argument.rstrip('/')}/{path.relative_to(tutorial.folder).as_posix()}"
            # The file's path in its example folder: short enough for a phone's width with its link.
            shown = path.relative_to(tutorial.folder).as_posix()
            last = " (the finished file)" if path == tutorial.finished else ""
            for row in (
                f".. rubric:: After Part {number}{last}",
                "",
                f".. literalinclude:: {relative}",
                "   :language: python",
                "   :linenos:",
                f"   :caption: {shown}",
                "",
            ):
                text.append(row, source, line)
            self.env.note_dependency(str(path))
        container = nodes.container(classes=["tutorial-checkpoints"])
        self.state.nested_parse(text, self.content_offset, container)
        return container.children


def setup(app):
    """Register ``tutorial-part``; needs ``tools/`` on ``sys.path`` (``conf.py`` puts it there)."""
    try:
        import docs_harness.tutorials  # noqa: F401
    except ImportError as error:
        raise ExtensionError(
            f"tutorial_parts needs the docs harness (tools/docs_harness) on sys.path: {error}"
        ) from error
    app.add_directive("tutorial-part", TutorialPart)
    app.add_directive("tutorial-checkpoints", TutorialCheckpoints)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
